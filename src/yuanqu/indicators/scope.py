"""The same-scope rule (同口径), in one place: the arithmetic behind ``ScopeTotal``, the
drill-down to enterprises and the chains' figures.

For a year Y and a month N, the scope is the enterprises 规上 in month N of Y. Each one's
current value is the sum of its rows over months 1..N of Y (the cumulative span) or its row of
month N (the in-month span). Its base — the same enterprise a year earlier — is, by priority:

1. **企业填报上年同期** (``REPORTED``): the 上年同期累计 the enterprise reported on its row of
   month N of Y, as the official monthly report carries it. It counts even where the enterprise's
   own rows of Y−1 say otherwise, as the statistics bureau counts it (the import lists the
   difference as a revision). In-month, the difference of the reported cumulative figures of
   months N and N−1.
2. **上年实际** (``OWN``): the enterprise's own rows of Y−1 (months 1..N, or month N in-month)
   when it has any row in months 1..N of Y−1; a month without a row adds nothing (it did not
   produce then).
3. **新投产（上年无生产）** (``NEW_PRODUCTION``): a statistician marked the enterprise as not
   producing in Y−1 (with a reason, audited): its base is zero.
4. **缺上年数据** (``MISSING``): none of these. The enterprise is never counted with a silent
   zero base: the same-scope growth leaves it out, and the totals say how many were left out
   and their current amount.

The growth is Σ current of the enterprises with a base / Σ their base − 1 (含新入库企业);
beside it, the same over the enterprises that were 规上 at some month of Y−1 as well (不含
新入库企业: 新入库 are the enterprises with no 规上 row in Y−1). The level (the zone's 1—N月
total) is Σ current of every enterprise in scope.

1—2月 is one combined release: there is no in-month January or February, so the in-month span
starts in March.

Sums are kept per industry (the first three characters of the 行业代码, UNCLASSIFIED when it has
none) and for the zone as a whole. The work is done on integer arrays: each enterprise-year
becomes 13 running totals (month 0 is zero), so a month with no row simply adds nothing. Sums
are exact: 64-bit integers when the magnitudes cannot overflow them (checked first), Python
integers otherwise.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt

UNCLASSIFIED = "-"  # industry key of enterprises without a 行业代码 ('' is the zone total)
# Any sum of values whose magnitudes add up to less than this fits in a signed 64-bit integer.
INT64_SAFE = 2**62
CUMULATIVE = "cumulative"
IN_MONTH = "in_month"
SPANS = (CUMULATIVE, IN_MONTH)
FIRST_IN_MONTH = 3  # 1—2月 is released as one period


class BaseKind(IntEnum):
    """Where an enterprise's 上年同期 comes from (see the module's docstring)."""

    MISSING = 0
    OWN = 1
    REPORTED = 2
    NEW_PRODUCTION = 3

    @property
    def label(self) -> str:
        return BASE_LABELS[self]


BASE_LABELS = {
    BaseKind.MISSING: "缺上年数据",
    BaseKind.OWN: "上年实际",
    BaseKind.REPORTED: "企业填报上年同期",
    BaseKind.NEW_PRODUCTION: "新投产（上年无生产）",
}


def industry_key(industry_code: str | None) -> str:
    return (industry_code or "")[:3] or UNCLASSIFIED


@dataclass
class MonthRows:
    """Enterprise-month rows as parallel arrays; ``values`` and ``prior`` have one column per field.

    ``prior`` is the 上年同期累计 reported on the row (0 where ``prior_present`` is False).
    """

    enterprise: npt.NDArray[np.int64]
    industry: list[str]  # per row
    year: npt.NDArray[np.int64]
    month: npt.NDArray[np.int64]
    in_scope: npt.NDArray[np.bool_]
    values: npt.NDArray[Any]  # int64, or Python integers (object) when int64 could overflow
    prior: npt.NDArray[Any]
    prior_present: npt.NDArray[np.bool_]

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
        prior: Sequence[Sequence[int | None]] | None = None,
    ) -> "MonthRows":
        """From columns; ``values`` (and ``prior``) are one sequence per field, None counting as 0
        (a missing ``prior`` is not reported)."""
        width = len(values)
        count = len(year)
        table = _exact_table(values)
        if prior is None:
            prior_table = np.zeros((count, width), dtype=table.dtype)
            present = np.zeros((count, width), dtype=np.bool_)
        else:
            prior_table = _exact_table(prior)
            present = np.stack([present_mask(column) for column in prior]).T if count else np.zeros((0, width), bool)
            present = present.reshape(count, width)
        if np.object_ in (table.dtype, prior_table.dtype):
            table, prior_table = table.astype(np.object_), prior_table.astype(np.object_)
        return cls(
            enterprise=np.asarray(enterprise, dtype=np.int64),
            industry=list(industry),
            year=np.asarray(year, dtype=np.int64),
            month=np.asarray(month, dtype=np.int64),
            in_scope=np.asarray(in_scope, dtype=np.bool_),
            values=table.reshape(count, width),
            prior=prior_table.reshape(count, width),
            prior_present=present,
        )

    @classmethod
    def empty(cls, width: int) -> "MonthRows":
        nothing: list[list[int | None]] = [[] for _ in range(width)]
        return cls.build(enterprise=[], industry=[], year=[], month=[], in_scope=[], values=nothing, prior=nothing)

    def __len__(self) -> int:
        return len(self.year)

    @property
    def width(self) -> int:
        return int(self.values.shape[1])

    @staticmethod
    def join(first: "MonthRows", second: "MonthRows") -> "MonthRows":
        exact = (
            np.object_
            if np.object_ in (first.values.dtype, second.values.dtype, first.prior.dtype, second.prior.dtype)
            else np.int64
        )
        return MonthRows(
            enterprise=np.concatenate([first.enterprise, second.enterprise]),
            industry=first.industry + second.industry,
            year=np.concatenate([first.year, second.year]),
            month=np.concatenate([first.month, second.month]),
            in_scope=np.concatenate([first.in_scope, second.in_scope]),
            values=np.concatenate([first.values.astype(exact), second.values.astype(exact)]),
            prior=np.concatenate([first.prior.astype(exact), second.prior.astype(exact)]),
            prior_present=np.concatenate([first.prior_present, second.prior_present]),
        )


def present_mask(column: Sequence[int | None]) -> npt.NDArray[np.bool_]:
    """Which values of a column are given (not None), computed in C for the common case."""
    if isinstance(column, list | tuple) and column.count(None) == len(column):
        return np.zeros(len(column), dtype=np.bool_)  # an empty column, the common case: counted in C
    try:
        return ~np.isnan(np.array(column, dtype=np.float64))  # None becomes NaN
    except (OverflowError, TypeError):
        return np.array([value is not None for value in column], dtype=np.bool_)


# Integers below 2**53 are exact as doubles: columns of such amounts (all real ones) are turned
# into arrays in C; larger ones take the slow exact way.
EXACT_AS_DOUBLE = 2**53


def _exact_table(columns: Sequence[Sequence[int | None]]) -> npt.NDArray[Any]:
    """Rows × fields: int64 when no sum of the values can overflow it, Python integers otherwise."""
    width = len(columns)
    if not width or not len(columns[0]):
        return np.zeros((0, width), dtype=np.int64)
    count = len(columns[0])
    try:
        # None becomes NaN; a column without any value (common for 上年同期) is not converted at all.
        doubles = np.stack(
            [
                np.zeros(count)
                if isinstance(column, list | tuple) and column.count(None) == count
                else np.array(column, dtype=np.float64)
                for column in columns
            ]
        )
    except OverflowError:
        doubles = np.full((width, 1), np.inf)
    doubles = np.nan_to_num(doubles, nan=0.0)
    magnitudes = np.abs(doubles)
    if magnitudes.max() < EXACT_AS_DOUBLE and magnitudes.sum() < INT64_SAFE:
        return doubles.astype(np.int64).T
    exact = [[0 if value is None else value for value in column] for column in columns]
    dtype = np.int64 if sum(sum(map(abs, column)) for column in exact) < INT64_SAFE else np.object_
    return np.array(exact, dtype=dtype).T


@dataclass
class Bases:
    """The rule applied to the in-scope rows of one year and span: one entry per row.

    ``row`` indexes the ``MonthRows`` given; ``current``, ``base`` and ``kind`` are rows × fields.
    """

    row: npt.NDArray[np.int64]
    enterprise: npt.NDArray[np.int64]
    month: npt.NDArray[np.int64]
    current: npt.NDArray[Any]
    base: npt.NDArray[Any]
    kind: npt.NDArray[np.int8]
    new_entrant: npt.NDArray[np.bool_]

    @property
    def has_base(self) -> npt.NDArray[np.bool_]:
        return self.kind != BaseKind.MISSING


def bases(
    rows: MonthRows, year: int, span: str = CUMULATIVE, new_production: Iterable[int] = (), month: int | None = None
) -> Bases:
    """The rule of the module's docstring for every row in scope in ``year`` (or in one month).

    ``rows`` must hold every row of the enterprises concerned in ``year`` and ``year − 1``;
    ``new_production`` holds the ids of the enterprises marked 新投产 for ``year``.
    """
    return _YearGrid(rows, year).bases(span, new_production, month)


class _YearGrid:
    """One year's rows laid out per enterprise and month, shared by both spans."""

    def __init__(self, rows: MonthRows, year: int) -> None:
        width = rows.width
        dtype = rows.values.dtype
        self.rows = rows
        self.year = year
        self.this_year = rows.year == year
        self.enterprises, self.index = np.unique(rows.enterprise, return_inverse=True)
        count = len(self.enterprises)
        last_year = rows.year == year - 1
        # Month grids (month 0 is zero) of each enterprise's values in Y−1 (layer 0) and Y (layer 1),
        # the prior figures it reported on its rows of Y, and how many rows it has in Y−1 up to a month.
        self.grid = np.zeros((count, 2, 13, width), dtype=dtype)
        self.grid[self.index[last_year], 0, rows.month[last_year]] = rows.values[last_year]
        self.grid[self.index[self.this_year], 1, rows.month[self.this_year]] = rows.values[self.this_year]
        self.running = np.cumsum(self.grid, axis=2)
        self.prior = np.zeros((count, 13, width), dtype=dtype)
        self.prior[self.index[self.this_year], rows.month[self.this_year]] = rows.prior[self.this_year]
        self.present = np.zeros((count, 13, width), dtype=np.bool_)
        self.present[self.index[self.this_year], rows.month[self.this_year]] = rows.prior_present[self.this_year]
        rows_last_year = np.zeros((count, 13), dtype=np.int64)
        rows_last_year[self.index[last_year], rows.month[last_year]] = 1
        self.rows_last_year = np.cumsum(rows_last_year, axis=1)
        self.in_scope_last_year = np.zeros(count, dtype=np.bool_)
        self.in_scope_last_year[self.index[last_year & rows.in_scope]] = True

    def bases(self, span: str, new_production: Iterable[int], month: int | None = None) -> Bases:
        rows = self.rows
        scope = self.this_year & rows.in_scope
        if span == IN_MONTH:
            scope &= rows.month >= FIRST_IN_MONTH
        if month is not None:
            scope &= rows.month == month
        chosen = np.flatnonzero(scope)
        who, at = self.index[chosen], rows.month[chosen]
        own_has = (self.rows_last_year[who, at] > 0)[:, None]
        if span == CUMULATIVE:
            current, own = self.running[who, 1, at], self.running[who, 0, at]
            reported_has, reported = self.present[who, at], self.prior[who, at]
        else:
            current, own = self.grid[who, 1, at], self.grid[who, 0, at]
            reported_has = self.present[who, at] & self.present[who, at - 1]
            reported = self.prior[who, at] - self.prior[who, at - 1]
        marks = np.fromiter(new_production, dtype=np.int64)
        marked = np.isin(self.enterprises[who], marks)[:, None]
        kind = np.where(
            reported_has,
            np.int8(BaseKind.REPORTED),
            np.where(own_has, np.int8(BaseKind.OWN), np.where(marked, np.int8(BaseKind.NEW_PRODUCTION), np.int8(0))),
        ).astype(np.int8)
        base = np.where(reported_has, reported, np.where(own_has, own, np.zeros_like(own)))
        return Bases(
            row=chosen.astype(np.int64),
            enterprise=self.enterprises[who],
            month=at,
            current=current,
            base=base,
            kind=kind.reshape(current.shape),
            new_entrant=~self.in_scope_last_year[who],
        )


@dataclass(frozen=True)
class ScopeSum:
    """The same-scope sums of one group (year, month N, span, industry); per-field tuples."""

    year: int
    month: int
    industry: str  # '' for the zone total
    enterprises: int
    with_base: tuple[int, ...]  # enterprises with a base, per field
    current: tuple[int, ...]  # every enterprise in scope (the level)
    base: tuple[int, ...]
    current_with_base: tuple[int, ...]  # the enterprises with a base (the growth's numerator)
    continuing_enterprises: tuple[int, ...]  # with a base and not 新入库
    continuing_current: tuple[int, ...]
    continuing_base: tuple[int, ...]
    reported: tuple[int, ...]  # enterprises whose base is 企业填报上年同期
    new_production: tuple[int, ...]  # enterprises whose base is 新投产
    span: str = CUMULATIVE


def scope_sums(
    rows: MonthRows, years: Iterable[int], new_production: dict[int, set[int]] | None = None
) -> list[ScopeSum]:
    """The same-scope sums of every month of the given years that has rows in scope, both spans.

    ``rows`` must hold every row of the zone in those years and in the year before each, at
    most one per enterprise and month; ``new_production`` maps a year to its 新投产 enterprises.
    """
    wanted = sorted(set(years))
    if not len(rows) or not wanted:
        return []
    marks = new_production or {}
    industries = sorted(set(rows.industry))
    industry_index = _positions(rows.industry, industries)
    groups = 12 * len(industries)  # (month, industry) pairs of one year
    result: list[ScopeSum] = []
    for year in wanted:
        if not (rows.in_scope & (rows.year == year)).any():
            continue
        grid = _YearGrid(rows, year)
        for span in SPANS:
            found = grid.bases(span, marks.get(year, set()))
            if not len(found.row):
                continue
            result.extend(_group_sums(found, year, span, industry_index, industries, groups))
    return result


SUM_NAMES = (
    "with_base",
    "current",
    "base",
    "current_with_base",
    "continuing_enterprises",
    "continuing_current",
    "continuing_base",
    "reported",
    "new_production",
)


def _group_sums(
    found: Bases, year: int, span: str, industry_index: npt.NDArray[np.int64], industries: list[str], groups: int
) -> list[ScopeSum]:
    width = found.current.shape[1]
    group = (found.month - 1) * len(industries) + industry_index[found.row]
    has = found.has_base
    continuing = has & ~found.new_entrant[:, None]
    counts = np.bincount(group, minlength=groups)
    # Rows sorted by group, each group's rows summed at once (exact for int64 and Python integers).
    order = np.argsort(group, kind="stable")
    ordered = group[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    present = ordered[starts]

    def add(values: npt.NDArray[Any], mask: npt.NDArray[np.bool_] | None = None) -> npt.NDArray[Any]:
        chosen = values if mask is None else np.where(mask, values, np.zeros_like(values))
        total = np.zeros((groups, width), dtype=chosen.dtype)
        total[present] = np.add.reduceat(chosen[order], starts, axis=0)
        return total

    ones = np.ones((len(group), width), dtype=np.int64)
    masks = {
        "with_base": (ones, has),
        "current": (found.current, None),
        "base": (found.base, has),
        "current_with_base": (found.current, has),
        "continuing_enterprises": (ones, continuing),
        "continuing_current": (found.current, continuing),
        "continuing_base": (found.base, continuing),
        "reported": (ones, found.kind == BaseKind.REPORTED),
        "new_production": (ones, found.kind == BaseKind.NEW_PRODUCTION),
    }
    parts = [add(*masks[name]) for name in SUM_NAMES]
    exact = np.object_ if any(part.dtype == np.object_ for part in parts) else np.int64
    stacked = np.stack([part.astype(exact) for part in parts])  # (sums, groups, fields)
    by_group = stacked.tolist()
    result = []
    size = len(industries)
    for month_number in range(1, 13):
        span_slice = slice((month_number - 1) * size, month_number * size)
        if not counts[span_slice].any():
            continue
        for at, name in enumerate(industries, start=span_slice.start):
            if counts[at]:
                values = [tuple(by_group[index][at]) for index in range(len(SUM_NAMES))]
                result.append(ScopeSum(year, month_number, name, int(counts[at]), *values, span=span))  # type: ignore[arg-type, misc]
        # The zone total is the sum of its industries: integer sums, so it is exact.
        total = stacked[:, span_slice].sum(axis=1).tolist()
        values = [tuple(total[index]) for index in range(len(SUM_NAMES))]
        result.append(ScopeSum(year, month_number, "", int(counts[span_slice].sum()), *values, span=span))  # type: ignore[arg-type, misc]
    return result


def _positions(keys: list[str], names: list[str]) -> npt.NDArray[np.int64]:
    """The index in ``names`` of each key."""
    position = {name: index for index, name in enumerate(names)}
    return np.fromiter(map(position.__getitem__, keys), dtype=np.int64, count=len(keys))


@dataclass(frozen=True)
class MonthCoverage:
    """How complete a month's reports are: 已报 / 应报 (the 规上 enterprises of the month before;
    for a February reported together with January, those of December)."""

    year: int
    month: int
    reported: int  # enterprises with a row in the month
    expected: int  # enterprises 规上 in the month before
    reported_of_expected: int  # of those, how many have a row in the month


def coverage(rows: MonthRows, years: Iterable[int]) -> list[MonthCoverage]:
    """Coverage of every month of the given years that has rows; ``rows`` hold the year before too.

    Worked on (enterprise, month) pairs as integers: a pair of month m in scope is expected in
    month m + 1 (for a February reported with January, December's are expected in February).
    """
    if not len(rows):
        return []
    stamp = rows.year * 12 + (rows.month - 1)
    span = int(stamp.max()) + 3  # a stamp two months on stays within its enterprise's block
    pairs = np.unique(rows.enterprise * span + stamp)  # sorted
    scoped = np.unique((rows.enterprise * span + stamp)[rows.in_scope])
    scoped_stamp = scoped % span
    expected = np.bincount(scoped_stamp, minlength=span)

    def arrived(shift: int) -> npt.NDArray[np.int64]:
        """Per month m: how many of m's in-scope enterprises have a row in month m + shift."""
        wanted = scoped + shift
        at = np.minimum(np.searchsorted(pairs, wanted), len(pairs) - 1)
        return np.bincount(scoped_stamp[pairs[at] == wanted], minlength=span)

    next_month, month_after = arrived(1), arrived(2)
    reported = np.bincount(pairs % span, minlength=span)
    result = []
    for year in sorted(set(years)):
        for month in range(1, 13):
            now = year * 12 + month - 1
            if now >= span - 2 or not reported[now]:
                continue
            if month == 2 and not reported[now - 1]:
                # 1—2月 reported together: February is expected from December.
                before, found = now - 2, month_after
            else:
                before, found = now - 1, next_month
            result.append(
                MonthCoverage(
                    year=year,
                    month=month,
                    reported=int(reported[now]),
                    expected=int(expected[before]) if before >= 0 else 0,
                    reported_of_expected=int(found[before]) if before >= 0 else 0,
                )
            )
    return result


def own_cumulative(
    rows: MonthRows,
    year: int,
    enterprise: Sequence[int] | npt.NDArray[np.int64],
    month: Sequence[int] | npt.NDArray[np.int64],
) -> tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[np.bool_]]:
    """For each (enterprise, month N) of ``year``: the sum of its own rows over months 1..N of
    ``year`` and of ``year − 1``, and whether it has any row in months 1..N of ``year − 1``."""
    width = rows.width
    if not len(enterprise):
        empty = np.zeros((0, width), dtype=rows.values.dtype)
        return empty, empty, np.zeros(0, dtype=np.bool_)
    grid = _YearGrid(rows, year)
    wanted = np.asarray(enterprise, dtype=np.int64)
    who = np.searchsorted(grid.enterprises, wanted)  # the unique ids are sorted
    who[who >= len(grid.enterprises)] = 0
    who = np.where(grid.enterprises[who] == wanted, who, -1) if len(grid.enterprises) else np.full(len(wanted), -1)
    at = np.asarray(month, dtype=np.int64)
    known = who >= 0
    this_year = np.zeros((len(who), width), dtype=grid.running.dtype)
    last_year = np.zeros((len(who), width), dtype=grid.running.dtype)
    has = np.zeros(len(who), dtype=np.bool_)
    this_year[known] = grid.running[who[known], 1, at[known]]
    last_year[known] = grid.running[who[known], 0, at[known]]
    has[known] = grid.rows_last_year[who[known], at[known]] > 0
    return this_year, last_year, has
