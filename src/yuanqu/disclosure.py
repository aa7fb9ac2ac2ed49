"""Statistical disclosure control: which cells of a set of tables of enterprise figures may be shown.

Enterprise-level figures are confidential (the Statistics Law); an aggregate may be shown to a
reader without enterprise access only if it gives no enterprise away, alone or together with
everything else the reader sees. The method is the one statistical offices use (τ-ARGUS,
sdcTable):

* **Primary suppression.** A cell of fewer than ``min_enterprises`` enterprises, or in which one
  enterprise holds more than ``dominance_pct`` per cent of the value (of any of its magnitudes:
  this year's and last year's), is sensitive and not shown.
* **Complementary (secondary) suppression.** No sensitive quantity may be recoverable from the
  shown cells: not a suppressed cell, not a derived quantity that is never published (a
  residual such as "the zone's enterprises on no chain"), not a group of enterprises that no
  published cell separates (an *atom*: the enterprises that belong to exactly the same cells).
  A quantity is recoverable when its vector (over atoms) is a linear combination of the shown
  cells' vectors, which covers "a total minus its shown parts" and every chain of such
  subtractions across tables. While one is, the cheapest shown cell (by value) that takes part
  in the combination is suppressed as well.

What a reader already knows (``known``: the enterprises whose own figures they may see, such as
a 链长's own chain) is taken out of every cell first: a cell is judged by what it adds.

Cells are tables' cells over one measure and period: a zone total and its industries, chain
totals and their nodes, the chains' union and their double counting are one system, because a
reader sees them all. Cells may count an enterprise more than once (``members`` holds the
multiplicity), as a sum of chains does.

Linear algebra is done exactly in the integers modulo two primes; a quantity counts as
recoverable when it is under either prime, so an error could only ever suppress more (a
combination missed under both would need both primes to divide the same minor of the cells'
small-integer matrix).

Pure: no Django; ``yuanqu.disclosed`` builds the cells from the database.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

PRIMES = (67_108_859, 67_108_837)  # below 2**26: products of two residues summed 200 times fit in int64

Key = Any  # any hashable: a cell's key, e.g. ("node", 12)
Enterprise = Any  # any hashable: an enterprise's id
Matrix = npt.NDArray[np.int64]


class Reason(StrEnum):
    FEW = "few"  # fewer than min_enterprises enterprises
    DOMINANT = "dominant"  # one enterprise over dominance_pct per cent
    COMPLEMENTARY = "complementary"  # shown, it would let a sensitive quantity be recovered


@dataclass(frozen=True)
class Rules:
    min_enterprises: int = 3
    dominance_pct: int = 85


@dataclass(frozen=True)
class Cell:
    """A cell of a table: its enterprises with how many times each counts. ``published`` False
    marks a quantity derived from the tables but never shown (a residual), protected all the same."""

    key: Key
    members: Mapping[Enterprise, int]
    published: bool = True


@dataclass(frozen=True)
class Plan:
    """What may be shown: every published cell not in ``suppressed`` (key → why)."""

    suppressed: dict[Key, Reason] = field(default_factory=dict)

    def shows(self, key: Key) -> bool:
        return key not in self.suppressed

    def reason(self, key: Key) -> Reason | None:
        return self.suppressed.get(key)


def sensitive(
    members: Mapping[Enterprise, int], values: Mapping[Enterprise, Sequence[int]], rules: Rules
) -> Reason | None:
    """Why a group of enterprises may not be shown by itself, or None. An empty cell (0) is no secret."""
    present = [enterprise for enterprise, times in members.items() if times]
    if not present:
        return None
    if len(present) < rules.min_enterprises:
        return Reason.FEW
    width = max((len(values.get(enterprise, ())) for enterprise in present), default=0)
    for index in range(width):
        parts = [abs(members[e] * _value(values, e, index)) for e in present]
        total = sum(parts)
        if total and max(parts) * 100 > rules.dominance_pct * total:
            return Reason.DOMINANT
    return None


def _value(values: Mapping[Enterprise, Sequence[int]], enterprise: Enterprise, index: int) -> int:
    own = values.get(enterprise, ())
    return int(own[index]) if index < len(own) else 0


def protect(
    cells: Sequence[Cell],
    values: Mapping[Enterprise, Sequence[int]],
    *,
    rules: Rules = Rules(),
    known: Iterable[Enterprise] = (),
) -> Plan:
    """The cells to suppress so that nothing sensitive can be recovered from the rest."""
    seen = set(known)
    unknown = [
        Cell(cell.key, {e: t for e, t in cell.members.items() if t and e not in seen}, cell.published) for cell in cells
    ]
    keys = [cell.key for cell in unknown]
    if len(set(keys)) != len(keys):
        raise ValueError("cell keys must be unique")
    suppressed: dict[Key, Reason] = {}
    targets: list[int] = []  # rows of ``vectors`` that must stay unrecoverable
    for index, cell in enumerate(unknown):
        reason = sensitive(cell.members, values, rules)
        if reason is not None:
            targets.append(index)
            if cell.published:
                suppressed[cell.key] = reason

    # Atoms: the enterprises that belong to exactly the same cells the same number of times.
    atoms: dict[tuple[int, ...], dict[Enterprise, int]] = {}
    for enterprise in {e for cell in unknown for e in cell.members}:
        mark = tuple(cell.members.get(enterprise, 0) for cell in unknown)
        atoms.setdefault(mark, {})[enterprise] = 1
    marks = sorted(atoms)
    width = len(marks)
    if not width:  # every figure is known to the reader already
        return Plan(suppressed)
    cell_vectors = np.array([[mark[row] for mark in marks] for row in range(len(unknown))], dtype=np.int64)
    cell_vectors = cell_vectors.reshape(len(unknown), width)
    units = np.eye(width, dtype=np.int64)
    # Every sensitive quantity, as (vector, enterprises): sensitive cells and sensitive atoms.
    quantities = [(cell_vectors[row], dict(unknown[row].members)) for row in targets]
    quantities += [
        (units[column], atoms[mark]) for column, mark in enumerate(marks) if sensitive(atoms[mark], values, rules)
    ]
    protected = np.array([vector for vector, _ in quantities], dtype=np.int64).reshape(-1, width)
    # An enterprise alone in a sensitive quantity knows that quantity: its own figure. Against it,
    # each other sensitive quantity must stay unrecoverable even with that figure known, wherever
    # what it would learn (the quantity less its own figure) is itself sensitive.
    insiders: list[tuple[int, Matrix]] = []
    for column, mark in enumerate(marks):
        if len(atoms[mark]) != 1 or sensitive(atoms[mark], values, rules) is None:
            continue
        (insider,) = atoms[mark]
        against = [
            vector
            for vector, members in quantities
            if (rest := {e: t for e, t in members.items() if e != insider}) and sensitive(rest, values, rules)
        ]
        if against:
            insiders.append((column, np.array(against, dtype=np.int64).reshape(-1, width)))
    costs = [_cost(cell.members, values) for cell in unknown]

    def shown_rows() -> list[int]:
        return [
            row for row, cell in enumerate(unknown) if cell.published and cell.key not in suppressed and cell.members
        ]

    while candidates := _taking_part(cell_vectors, shown_rows(), protected, insiders, units):
        chosen = min(candidates, key=lambda row: (costs[row], repr(keys[row])))
        suppressed[keys[chosen]] = Reason.COMPLEMENTARY

    # A complementary cell that the shown cells give anyway protects nothing: it is shown. (What
    # is in the span already leaves the span as it is, so nothing sensitive becomes recoverable;
    # checked again all the same.)
    final = dict(suppressed)
    for row, cell in enumerate(unknown):
        if final.get(cell.key) == Reason.COMPLEMENTARY and _in_span(cell_vectors[shown_rows()], cell_vectors[row]):
            del suppressed[cell.key]
    if _taking_part(cell_vectors, shown_rows(), protected, insiders, units):
        return Plan(final)
    return Plan(suppressed)


def _taking_part(
    cell_vectors: Matrix, shown: list[int], protected: Matrix, insiders: list[tuple[int, Matrix]], units: Matrix
) -> list[int]:
    """The shown cells of a combination that recovers a sensitive quantity, for anyone or for an
    insider; empty when there is none."""
    weights = _recoverable(cell_vectors[shown], protected)
    if weights is not None:
        return [shown[position] for position, weight in enumerate(weights) if weight]
    for column, against in insiders:
        rows = np.vstack([cell_vectors[shown], units[column : column + 1]])
        weights = _recoverable(rows, against)
        if weights is not None:
            taking_part = [shown[position] for position, weight in enumerate(weights[:-1]) if weight]
            if taking_part:
                return taking_part
    return []


def _cost(members: Mapping[Enterprise, int], values: Mapping[Enterprise, Sequence[int]]) -> int:
    """What suppressing a cell loses: its value (the magnitudes added up)."""
    return sum(abs(times) * sum(abs(int(value)) for value in values.get(e, ())) for e, times in members.items())


def _recoverable(shown: Matrix, protected: Matrix) -> list[int] | None:
    """For the first protected vector in the span of the shown rows, the weights of a combination
    of shown rows that gives it (non-zero for the rows that take part); None when there is none."""
    if not len(protected) or not len(shown):
        return None
    for prime in PRIMES:
        echelon, pivots, combination = _row_reduce(shown % prime, prime)
        coefficients = protected[:, pivots] % prime if pivots else np.zeros((len(protected), 0), dtype=np.int64)
        rest = (protected - _mod_matmul(coefficients, echelon, prime)) % prime
        inside = np.flatnonzero(~rest.any(axis=1) & protected.any(axis=1))
        if len(inside):
            weights = _mod_matmul(coefficients[inside[:1]], combination, prime)[0]
            return [int(weight) for weight in weights]
    return None


def _in_span(rows: Matrix, vector: Matrix) -> bool:
    """Whether ``vector`` is a combination of ``rows`` under every prime (so, certainly, over the rationals)."""
    if not len(rows):
        return not vector.any()
    for prime in PRIMES:
        echelon, pivots, _ = _row_reduce(rows % prime, prime)
        coefficients = (vector[pivots] % prime).reshape(1, -1)
        if ((vector.reshape(1, -1) - _mod_matmul(coefficients, echelon, prime)) % prime).any():
            return False
    return True


def _row_reduce(rows: Matrix, prime: int) -> tuple[Matrix, list[int], Matrix]:
    """Reduced row echelon form of ``rows`` modulo ``prime``: (rows, pivot columns, and for each
    echelon row the combination of the original rows it is)."""
    count, width = rows.shape
    work = np.concatenate([rows % prime, np.eye(count, dtype=np.int64)], axis=1)
    pivots: list[int] = []
    rank = 0
    for column in range(width):
        if rank == count:
            break
        nonzero = np.flatnonzero(work[rank:, column]) + rank
        if not len(nonzero):
            continue
        pivot = int(nonzero[0])
        work[[rank, pivot]] = work[[pivot, rank]]
        work[rank] = work[rank] * pow(int(work[rank, column]), prime - 2, prime) % prime
        factors = work[:, column].copy()
        factors[rank] = 0
        work = (work - np.outer(factors, work[rank]) % prime) % prime
        pivots.append(column)
        rank += 1
    return work[:rank, :width], pivots, work[:rank, width:]


def _mod_matmul(left: Matrix, right: Matrix, prime: int) -> Matrix:
    """left @ right modulo ``prime``, in int64 without overflow (residues below 2**26)."""
    if left.shape[1] == 0:
        return np.zeros((left.shape[0], right.shape[1]), dtype=np.int64)
    result = np.zeros((left.shape[0], right.shape[1]), dtype=np.int64)
    for start in range(0, left.shape[1], 128):  # 128 products of two residues below 2**26 fit in int64
        result = (result + left[:, start : start + 128] @ right[start : start + 128]) % prime
    return result
