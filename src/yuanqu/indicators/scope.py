"""Same-scope sums of enterprise-month rows: the arithmetic behind ``ScopeTotal``.

For a year Y and a month N, the scope is the enterprises 规上 in month N of Y. Their current
value is the sum of their rows over months 1..N of Y; their base is the sum of the same
enterprises' rows over months 1..N of Y−1 (0 for an enterprise with no row there, which is
then not counted in ``with_base``). Sums are kept per industry (the first three characters
of the 行业代码, UNCLASSIFIED when it has none) and for the zone as a whole.

The work is done on integer arrays: each enterprise-year becomes 13 running totals (month 0
is zero), so a month with no row simply adds nothing. Sums are exact: 64-bit integers when
the magnitudes cannot overflow them (checked first), Python integers otherwise.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

UNCLASSIFIED = "-"  # industry key of enterprises without a 行业代码 ('' is the zone total)
# Any sum of values whose magnitudes add up to less than this fits in a signed 64-bit integer.
INT64_SAFE = 2**62


def industry_key(industry_code: str | None) -> str:
    return (industry_code or "")[:3] or UNCLASSIFIED


@dataclass
class MonthRows:
    """Enterprise-month rows as parallel arrays; ``values`` has one column per field."""

    enterprise: npt.NDArray[np.int64]
    industry: list[str]  # per row
    year: npt.NDArray[np.int64]
    month: npt.NDArray[np.int64]
    in_scope: npt.NDArray[np.bool_]
    values: npt.NDArray[Any]  # int64, or Python integers (object) when int64 could overflow

    @classmethod
    def build(
        cls,
        *,
        enterprise: Sequence[int],
        industry: Sequence[str],
        year: Sequence[int],
        month: Sequence[int],
        in_scope: Sequence[bool],
        values: Sequence[Sequence[int | None]],
    ) -> "MonthRows":
        """From columns; ``values`` is one sequence per field, None (no figure) counting as 0."""
        return cls(
            enterprise=np.asarray(enterprise, dtype=np.int64),
            industry=list(industry),
            year=np.asarray(year, dtype=np.int64),
            month=np.asarray(month, dtype=np.int64),
            in_scope=np.asarray(in_scope, dtype=np.bool_),
            values=_exact_table(values),
        )

    def __len__(self) -> int:
        return len(self.year)

    @staticmethod
    def join(first: "MonthRows", second: "MonthRows") -> "MonthRows":
        exact = np.object_ if np.object_ in (first.values.dtype, second.values.dtype) else np.int64
        return MonthRows(
            enterprise=np.concatenate([first.enterprise, second.enterprise]),
            industry=first.industry + second.industry,
            year=np.concatenate([first.year, second.year]),
            month=np.concatenate([first.month, second.month]),
            in_scope=np.concatenate([first.in_scope, second.in_scope]),
            values=np.concatenate([first.values.astype(exact), second.values.astype(exact)]),
        )


# Integers below 2**53 are exact as doubles: columns of such amounts (all real ones) are turned
# into arrays in C; larger ones take the slow exact way.
EXACT_AS_DOUBLE = 2**53


def _exact_table(columns: Sequence[Sequence[int | None]]) -> npt.NDArray[Any]:
    """Rows × fields: int64 when no sum of the values can overflow it, Python integers otherwise."""
    width = len(columns)
    if not width or not len(columns[0]):
        return np.zeros((0, width), dtype=np.int64)
    try:
        doubles = np.array(columns, dtype=np.float64)  # None becomes NaN
    except OverflowError:
        doubles = np.full((width, 1), np.inf)
    doubles = np.nan_to_num(doubles, nan=0.0)
    magnitudes = np.abs(doubles)
    if magnitudes.max() < EXACT_AS_DOUBLE and magnitudes.sum() < INT64_SAFE:
        return doubles.astype(np.int64).T
    exact = [[0 if value is None else value for value in column] for column in columns]
    dtype = np.int64 if sum(sum(map(abs, column)) for column in exact) < INT64_SAFE else np.object_
    return np.array(exact, dtype=dtype).T


@dataclass(frozen=True)
class ScopeSum:
    year: int
    month: int
    industry: str  # '' for the zone total
    enterprises: int
    with_base: int
    current: tuple[int, ...]  # one per field
    base: tuple[int, ...]


def scope_sums(rows: MonthRows, years: Iterable[int]) -> list[ScopeSum]:
    """The same-scope sums of every month of the given years that has rows in scope.

    ``rows`` must hold every row of the zone in those years and in the year before each,
    at most one per enterprise and month.
    """
    wanted = sorted(set(years))
    if not len(rows) or not wanted:
        return []
    width = rows.values.shape[1]
    dtype = rows.values.dtype
    enterprises, enterprise_index = np.unique(rows.enterprise, return_inverse=True)
    industries = sorted(set(rows.industry))
    industry_index = _positions(rows.industry, industries)
    groups = 12 * len(industries)  # (month, industry) pairs of one year
    result: list[ScopeSum] = []
    for year in wanted:
        this_year = rows.year == year
        scope = this_year & rows.in_scope
        if not scope.any():
            continue
        # Running totals of each enterprise over months 0..12 of Y−1 (layer 0) and of Y (layer 1),
        # and how many rows it has in Y−1 up to each month.
        grid = np.zeros((len(enterprises), 2, 13, width), dtype=dtype)
        last_year = rows.year == year - 1
        grid[enterprise_index[last_year], 0, rows.month[last_year]] = rows.values[last_year]
        grid[enterprise_index[this_year], 1, rows.month[this_year]] = rows.values[this_year]
        running = np.cumsum(grid, axis=2)
        rows_last_year = np.zeros((len(enterprises), 13), dtype=np.int64)
        rows_last_year[enterprise_index[last_year], rows.month[last_year]] = 1
        rows_last_year = np.cumsum(rows_last_year, axis=1)

        # Each row in scope adds its enterprise's running totals at its month to its group.
        who, month = enterprise_index[scope], rows.month[scope]
        group = (month - 1) * len(industries) + industry_index[scope]
        has_base = rows_last_year[who, month] > 0
        counts = np.bincount(group, minlength=groups)
        base_counts = np.bincount(group[has_base], minlength=groups)
        current = np.zeros((groups, width), dtype=dtype)
        base = np.zeros((groups, width), dtype=dtype)
        np.add.at(current, group, running[who, 1, month])
        np.add.at(base, group, running[who, 0, month])

        for month_number in range(1, 13):
            span = slice((month_number - 1) * len(industries), month_number * len(industries))
            if not counts[span].any():
                continue
            for at, name in enumerate(industries, start=span.start):
                if counts[at]:
                    result.append(_sum(year, month_number, name, counts[at], base_counts[at], current[at], base[at]))
            # The zone total is the sum of its industries: integer sums, so it is exact.
            result.append(
                _sum(
                    year,
                    month_number,
                    "",
                    counts[span].sum(),
                    base_counts[span].sum(),
                    current[span].sum(axis=0),
                    base[span].sum(axis=0),
                )
            )
    return result


def _positions(keys: list[str], names: list[str]) -> npt.NDArray[np.int64]:
    """The index in ``names`` of each key."""
    position = {name: index for index, name in enumerate(names)}
    return np.fromiter(map(position.__getitem__, keys), dtype=np.int64, count=len(keys))


def _sum(
    year: int, month: int, industry: str, enterprises: object, with_base: object, current: object, base: object
) -> ScopeSum:
    return ScopeSum(
        year=year,
        month=month,
        industry=industry,
        enterprises=int(enterprises),  # type: ignore[call-overload]
        with_base=int(with_base),  # type: ignore[call-overload]
        current=tuple(int(value) for value in current),  # type: ignore[attr-defined]
        base=tuple(int(value) for value in base),  # type: ignore[attr-defined]
    )
