"""Exact linear algebra for the disclosure tests, independent of ``yuanqu.disclosure``.

Vectors are mappings from enterprises to integer coefficients; a quantity is recoverable from
shown cells when its vector is a rational combination of theirs. Integer row reduction (each
step divided by its gcd, so numbers stay small) over the groups of enterprises that no cell
separates; exact, unlike the module's modular arithmetic.
"""

from collections.abc import Iterable, Mapping, Sequence
from math import gcd

Vector = Mapping[int, int]


def groups(vectors: Iterable[Vector]) -> list[frozenset[int]]:
    """The enterprises that every vector holds the same number of times, as groups."""
    rows = list(vectors)
    by_mark: dict[tuple[int, ...], set[int]] = {}
    for enterprise in {e for row in rows for e in row}:
        by_mark.setdefault(tuple(row.get(enterprise, 0) for row in rows), set()).add(enterprise)
    return [frozenset(group) for group in by_mark.values()]


class Span:
    """The span of some vectors, for asking whether others lie in it."""

    def __init__(self, rows: Sequence[Vector], columns: Sequence[frozenset[int]]) -> None:
        self.columns = columns
        self.basis: list[tuple[int, list[int]]] = []  # (pivot, row)
        for row in rows:
            reduced = self._reduce(self._dense(row))
            pivot = next((index for index, value in enumerate(reduced) if value), None)
            if pivot is not None:
                self.basis.append((pivot, reduced))

    def _dense(self, vector: Vector) -> list[int]:
        # A vector over enterprises as one over groups: every enterprise of a group has the same
        # coefficient in the cells, so a group's first enterprise stands for it.
        return [vector.get(next(iter(group)), 0) for group in self.columns]

    def _reduce(self, vector: list[int]) -> list[int]:
        for pivot, row in self.basis:
            if vector[pivot]:
                scale, factor = row[pivot], vector[pivot]
                vector = [scale * a - factor * b for a, b in zip(vector, row, strict=True)]
                common = 0
                for value in vector:
                    common = gcd(common, value)
                if common > 1:
                    vector = [value // common for value in vector]
        return vector

    def holds(self, vector: Vector) -> bool:
        return not any(self._reduce(self._dense(vector)))
