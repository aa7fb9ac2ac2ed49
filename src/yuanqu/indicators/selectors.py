"""The scorecard engine: one function that the web, the API, the CLI and reports all call.

Official figures are data and are shown as published; figures the platform computes
(same-scope growth from enterprise rows, completion rates, required growth) are labelled
as computed and shown beside the official ones, never instead of them. Where a comparison
is impossible the result says so and why, and carries no number.
"""

from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from typing import Any, NamedTuple, Protocol, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from yuanqu import figures
from yuanqu.core.models import AuditEntry, Place
from yuanqu.indicators.models import (
    EnterpriseMonth,
    Indicator,
    MonthCoverage,
    NewProduction,
    Observation,
    PriceBasis,
    ScopeTotal,
    Target,
)
from yuanqu.indicators.scope import CUMULATIVE, FIRST_IN_MONTH, IN_MONTH, BaseKind, MonthRows, bases
from yuanqu.industries import division_name
from yuanqu.periods import Period

HUNDRED = Decimal(100)
T = TypeVar("T")
PRICE_BASIS_LABELS = {
    PriceBasis.REAL: "可比价",
    PriceBasis.NOMINAL: "现价",
    PriceBasis.NOT_APPLICABLE: "",
}


@dataclass(frozen=True)
class OfficialFigure:
    """A published figure exactly as stored."""

    observation_id: int
    value: Decimal | None
    unit: str
    growth_pct: Decimal | None
    price_basis: str
    vintage: str
    is_sample: bool
    source_id: int
    source_title: str
    source_locator: str
    recorded_at: datetime


class ScopeRow(NamedTuple):
    """The numbers of one same-scope total (a stored ``ScopeTotal`` row, or a sum over enterprises)."""

    current: int  # every enterprise in scope: the level
    base: int  # the enterprises with a base
    current_with_base: int
    enterprises: int
    enterprises_with_base: int
    continuing_enterprises: int  # with a base and not 新入库
    continuing_current: int
    continuing_base: int
    reported_base_enterprises: int
    new_production_enterprises: int


SCOPE_VALUES = list(ScopeRow._fields)


@dataclass(frozen=True)
class SameScopeFigure:
    """Computed from enterprise rows: this year's in-scope enterprises against their own last year.

    The rule is in ``indicators/scope.py``; ``same_scope_figure`` turns its sums into this, for a
    zone's totals here and for a chain's enterprises in ``chains``. ``current_yuan`` is the level
    (every enterprise in scope); the growth compares the enterprises with a base
    (``current_with_base_yuan`` against ``base_yuan``: 同口径，含新入库企业), and
    ``continuing_growth_pct`` those that were 规上 a year earlier too (不含新入库企业).
    """

    current_yuan: int
    base_yuan: int
    enterprises: int
    enterprises_with_base: int
    growth_pct: Decimal | None
    reason: str = ""
    current_with_base_yuan: int = 0
    continuing_enterprises: int = 0
    continuing_current_yuan: int = 0
    continuing_base_yuan: int = 0
    continuing_growth_pct: Decimal | None = None
    reported_base_enterprises: int = 0
    new_production_enterprises: int = 0
    span: str = CUMULATIVE

    @property
    def current_yi(self) -> Decimal:
        return figures.yi_from_yuan(self.current_yuan)

    @property
    def base_yi(self) -> Decimal:
        return figures.yi_from_yuan(self.base_yuan)

    @property
    def excluded_enterprises(self) -> int:
        """In scope but without a base (缺上年数据): left out of the growth."""
        return self.enterprises - self.enterprises_with_base

    @property
    def excluded_yuan(self) -> int:
        return self.current_yuan - self.current_with_base_yuan

    @property
    def new_entrants(self) -> int:
        """新入库 enterprises with a base, counted in the growth 含新入库企业."""
        return self.enterprises_with_base - self.continuing_enterprises

    @property
    def growth_label(self) -> str:
        return "同口径，含新入库企业" if self.new_entrants else "同口径"

    @property
    def continuing_differs(self) -> bool:
        """Whether the growth 不含新入库企业 reads differently at one decimal."""
        if self.growth_pct is None or self.continuing_growth_pct is None or not self.new_entrants:
            return False
        return figures.rate(self.growth_pct) != figures.rate(self.continuing_growth_pct)

    @property
    def own_base_enterprises(self) -> int:
        return self.enterprises_with_base - self.reported_base_enterprises - self.new_production_enterprises

    @property
    def exclusion_note(self) -> str:
        if not self.excluded_enterprises:
            return ""
        return (
            f"另有{self.excluded_enterprises}家在库企业缺上年同期数据（本期"
            f"{figures.grouped(figures.wan_from_yuan(self.excluded_yuan), 1)}万元），未计入增速"
        )


def same_scope_figure(row: ScopeRow | None, period: Period) -> SameScopeFigure:
    """The one place where same-scope sums become a value and a growth (or a reason for none)."""
    span = CUMULATIVE if period.is_cumulative else IN_MONTH
    if not period.is_cumulative and not (period.is_month and period.last_month >= FIRST_IN_MONTH):
        reason = (
            "1—2月合并发布，没有单独的1月、2月当月数"
            if period.is_month
            else "同口径增速按累计期（1—N月）或单月计算，跨月份的单独季度暂不提供"
        )
        return SameScopeFigure(0, 0, 0, 0, None, reason, span=span)
    if row is None:
        return SameScopeFigure(0, 0, 0, 0, None, f"{period.full_label}没有规上企业数据", span=span)
    continuing = (
        figures.percent_change(Decimal(row.continuing_current), Decimal(row.continuing_base))
        if row.continuing_base > 0 and row.continuing_enterprises
        else None
    )
    parts = {
        "current_with_base_yuan": row.current_with_base,
        "continuing_enterprises": row.continuing_enterprises,
        "continuing_current_yuan": row.continuing_current,
        "continuing_base_yuan": row.continuing_base,
        "continuing_growth_pct": continuing,
        "reported_base_enterprises": row.reported_base_enterprises,
        "new_production_enterprises": row.new_production_enterprises,
        "span": span,
    }
    if row.enterprises_with_base == 0 or row.base <= 0:
        return SameScopeFigure(
            row.current,
            row.base,
            row.enterprises,
            row.enterprises_with_base,
            None,
            f"在库企业缺少{period.year - 1}年同期数据，无法比较",
            **parts,  # type: ignore[arg-type]
        )
    return SameScopeFigure(
        row.current,
        row.base,
        row.enterprises,
        row.enterprises_with_base,
        figures.percent_change(Decimal(row.current_with_base), Decimal(row.base)),
        **parts,  # type: ignore[arg-type]
    )


class _WithBase(Protocol):
    @property
    def current_yuan(self) -> int: ...
    @property
    def base_yuan(self) -> int: ...
    @property
    def kind(self) -> BaseKind: ...
    @property
    def new_entrant(self) -> bool: ...
    @property
    def has_base(self) -> bool: ...


def scope_row_of(bases: Iterable[_WithBase]) -> ScopeRow:
    """The same-scope sums of some enterprises' bases (a chain, a node), as a stored total would hold them."""
    current = base = with_base_current = count = with_base = 0
    continuing = continuing_current = continuing_base = reported = new_production = 0
    for item in bases:
        count += 1
        current += item.current_yuan
        if item.has_base:
            with_base += 1
            base += item.base_yuan
            with_base_current += item.current_yuan
            reported += item.kind == BaseKind.REPORTED
            new_production += item.kind == BaseKind.NEW_PRODUCTION
            if not item.new_entrant:
                continuing += 1
                continuing_current += item.current_yuan
                continuing_base += item.base_yuan
    return ScopeRow(
        current,
        base,
        with_base_current,
        count,
        with_base,
        continuing,
        continuing_current,
        continuing_base,
        reported,
        new_production,
    )


@dataclass(frozen=True)
class EnterpriseBase:
    """One enterprise in scope, its current value and its base under the same-scope rule."""

    enterprise_id: int
    current_yuan: int
    base_yuan: int
    kind: BaseKind
    new_entrant: bool

    @property
    def has_base(self) -> bool:
        return self.kind != BaseKind.MISSING

    @property
    def base_label(self) -> str:
        return self.kind.label

    @property
    def growth_pct(self) -> Decimal | None:
        if not self.has_base or self.base_yuan <= 0:
            return None
        return figures.percent_change(Decimal(self.current_yuan), Decimal(self.base_yuan))


def enterprise_bases(
    *, period: Period, fields: list[str], zone: Place | None = None, enterprise_ids: Iterable[Any] | None = None
) -> dict[str, dict[int, EnterpriseBase]]:
    """The enterprises in scope in the period's last month (of a zone, or among some ids), each
    with its current value and base for every field, by the rule of ``indicators/scope.py``.

    Keyed by field, then enterprise id. An empty answer for a period the rule does not cover
    (a quarter on its own; 1月 or 2月 alone).
    """
    span = CUMULATIVE if period.is_cumulative else IN_MONTH
    if not period.is_cumulative and not (period.is_month and period.last_month >= FIRST_IN_MONTH):
        return {name: {} for name in fields}
    rows = _enterprise_rows(period.year, fields, zone=zone, enterprise_ids=enterprise_ids)
    marks = set(
        NewProduction.objects.filter(year=period.year, enterprise_id__in=set(rows.enterprise.tolist())).values_list(
            "enterprise_id", flat=True
        )
    )
    found = bases(rows, period.year, span, marks, month=period.last_month)
    result: dict[str, dict[int, EnterpriseBase]] = {}
    for at, name in enumerate(fields):
        result[name] = {
            int(enterprise): EnterpriseBase(
                enterprise_id=int(enterprise),
                current_yuan=int(found.current[index, at]),
                base_yuan=int(found.base[index, at]),
                kind=BaseKind(int(found.kind[index, at])),
                new_entrant=bool(found.new_entrant[index]),
            )
            for index, enterprise in enumerate(found.enterprise)
        }
    return result


def _enterprise_rows(
    year: int, fields: list[str], *, zone: Place | None, enterprise_ids: Iterable[Any] | None
) -> MonthRows:
    """Rows of the year and the year before, of a zone's enterprises or of given ones."""
    query = EnterpriseMonth.objects.filter(year__in=[year, year - 1])
    if zone is not None:
        query = query.filter(zone=zone)
    if enterprise_ids is not None:
        # A queryset of ids stays a subquery; anything else becomes a list.
        query = query.filter(
            enterprise_id__in=enterprise_ids if isinstance(enterprise_ids, QuerySet) else list(enterprise_ids)
        )
    found = list(
        query.values_list(
            "enterprise_id", "year", "month", "above_scale", *fields, *(f"prior_{name}" for name in fields)
        )
    )
    width = len(fields)
    if not found:
        return MonthRows.empty(width)
    enterprise, years, months, in_scope, *values = zip(*found, strict=True)
    return MonthRows.build(
        enterprise=enterprise,
        industry=[""] * len(found),
        year=years,
        month=months,
        in_scope=[bool(flag) for flag in in_scope],
        values=values[:width],
        prior=values[width:],
    )


@dataclass(frozen=True)
class MonthReports:
    """One month's 已报 / 应报 (see ``MonthCoverage``)."""

    year: int
    month: int
    reported: int  # of the expected enterprises
    expected: int
    reported_all: int = 0  # every enterprise with a report, new entrants too

    @property
    def complete(self) -> bool:
        if self.expected == 0:
            return self.reported_all > 0
        return self.reported * 100 >= self.expected * settings.YUANQU_COMPLETE_MONTH_PCT


@dataclass(frozen=True)
class Completeness:
    """Whether the enterprise reports behind a period are complete; the label where they are not."""

    period: Period
    incomplete: list[MonthReports]
    missing: list[int]  # months of the period without any report while the zone has data that year

    @property
    def complete(self) -> bool:
        return not self.incomplete and not self.missing

    @property
    def label(self) -> str:
        """数据不完整：已报 3 家 / 应报 320 家 (with the month, in a period of several months)."""
        if self.complete:
            return ""
        parts = [
            f"{'' if self.period.is_month else f'{item.month}月'}已报 {item.reported} 家 / 应报 {item.expected} 家"
            for item in self.incomplete
        ]
        parts += [f"{month}月无企业数据" for month in self.missing]
        return "数据不完整：" + "；".join(parts)


def month_reports(zone: Place) -> dict[tuple[int, int], MonthReports]:
    """Every month's coverage of a zone's enterprise reports, in one query."""
    return {
        (year, month): MonthReports(year, month, reported, expected, reported_all)
        for year, month, reported, expected, reported_all in MonthCoverage.objects.filter(zone=zone).values_list(
            "year", "month", "reported_of_expected", "expected", "reported"
        )
    }


def completeness(
    zone: Place, period: Period, reports: dict[tuple[int, int], MonthReports] | None = None
) -> Completeness:
    """The months of a period whose enterprise reports are incomplete (none for a zone without any)."""
    found = month_reports(zone) if reports is None else reports
    in_year = {month for year, month in found if year == period.year}
    incomplete = []
    missing = []
    if in_year:
        for month in range(period.first_month, period.last_month + 1):
            item = found.get((period.year, month))
            if item is None:
                # January may be reported together with February (1—2月 is one release).
                if not (month == 1 and (period.year, 2) in found):
                    missing.append(month)
            elif not item.complete:
                incomplete.append(item)
    return Completeness(period, incomplete, missing)


@dataclass(frozen=True)
class PeerFigure:
    place_code: str
    place_name: str
    growth_pct: Decimal | None
    value: Decimal | None
    is_sample: bool
    observation_id: int | None


@dataclass(frozen=True)
class Rank:
    basis: str  # "growth" or "level"
    position: int | None
    of: int
    peers: list[PeerFigure]
    city: str
    reason: str = ""


@dataclass(frozen=True)
class TargetProgress:
    target_id: int
    target_value: Decimal | None
    target_growth_pct: Decimal | None
    unit: str
    qualifier: str
    completion_pct: Decimal | None
    time_progress_pct: Decimal
    gap_pp: Decimal | None  # completion − 序时进度 (or growth − target growth)
    is_sample: bool
    reason: str = ""


@dataclass(frozen=True)
class GoalProgress:
    target_id: int
    goal_year: int
    goal_value: Decimal
    unit: str
    qualifier: str
    programme: str
    base_year: int
    base_value: Decimal | None
    base_origin: str
    required_growth_pct: Decimal | None
    actual_growth_pct: Decimal | None
    actual_basis: str
    reason: str = ""


@dataclass(frozen=True)
class Contribution:
    """拉动 of an industry; ``current_yuan`` is its level, ``compared_yuan`` the part with a base."""

    industry: str
    industry_name: str
    current_yuan: int
    base_yuan: int
    growth_pct: Decimal | None
    contribution_pp: Decimal
    compared_yuan: int = 0


@dataclass
class IndicatorFigure:
    code: str
    name: str
    unit: str
    price_basis: str
    origin: str
    official: OfficialFigure | None
    computed: SameScopeFigure | None
    in_paragraph: bool = False
    value: Decimal | None = None
    value_source: str = ""  # "official" | "computed"
    growth_pct: Decimal | None = None
    growth_source: str = ""
    growth_price_basis: str = ""
    no_comparison: str = ""
    rank: Rank | None = None
    target: TargetProgress | None = None
    goals: list[GoalProgress] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    withheld_contributions: int = 0  # industries left out for the reader (yuanqu.disclosed)


@dataclass
class Scorecard:
    zone_code: str
    zone_name: str
    period: Period
    as_of: datetime | None
    generated_at: datetime
    figures: list[IndicatorFigure]
    completeness: Completeness | None = None  # of the enterprise reports behind computed figures

    def figure(self, code: str) -> IndicatorFigure:
        for item in self.figures:
            if item.code == code:
                return item
        raise KeyError(code)


def period_end(period: Period) -> date:
    return date(period.year, period.last_month, monthrange(period.year, period.last_month)[1])


def _official(observation: Observation) -> OfficialFigure:
    return OfficialFigure(
        observation_id=observation.pk,
        value=observation.value,
        unit=observation.unit,
        growth_pct=observation.growth_pct,
        price_basis=observation.price_basis,
        vintage=observation.get_vintage_display(),
        is_sample=observation.is_sample,
        source_id=observation.source_id,
        source_title=observation.source.title,
        source_locator=observation.source_locator,
        recorded_at=observation.recorded_at,
    )


def _span_of(period: Period) -> str | None:
    """The stored span that answers a period, or None when none does."""
    if period.is_cumulative:
        return CUMULATIVE
    if period.is_month and period.last_month >= FIRST_IN_MONTH:
        return IN_MONTH
    return None


def _scope_rows(zone_ids: list[int], period: Period, industries: bool) -> dict[tuple[int, str, str], ScopeRow]:
    """ScopeTotal rows of a period keyed by (zone id, field, industry), in one query."""
    span = _span_of(period)
    if span is None:
        return {}
    query = ScopeTotal.objects.filter(zone_id__in=zone_ids, year=period.year, month=period.last_month, span=span)
    if not industries:
        query = query.filter(industry="")
    return {
        (zone_id, field_name, industry): ScopeRow(*values)
        for zone_id, field_name, industry, *values in query.values_list("zone_id", "field", "industry", *SCOPE_VALUES)
    }


def _same_scope_from(row: ScopeRow | None, period: Period) -> SameScopeFigure:
    return same_scope_figure(row, period)


def same_scope(zone: Place, indicator: Indicator, period: Period) -> SameScopeFigure | None:
    """Same-scope cumulative value and growth of an enterprise-aggregated indicator.

    The enterprises in scope in the period's last month; their values this year against the
    same enterprises' values in the same months a year earlier (kept in ScopeTotal).
    """
    if indicator.origin != Indicator.Origin.ENTERPRISE or not indicator.enterprise_field:
        return None
    rows = _scope_rows([zone.pk], period, industries=False)
    return _same_scope_from(rows.get((zone.pk, indicator.enterprise_field, "")), period)


def zone_same_scope(zone: Place, field_name: str, period: Period) -> SameScopeFigure:
    """The zone's same-scope figure of an enterprise field for a period (from ScopeTotal)."""
    rows = _scope_rows([zone.pk], period, industries=False)
    return _same_scope_from(rows.get((zone.pk, field_name, "")), period)


def same_scope_by_month(zone: Place, year: int, last_month: int) -> dict[tuple[str, int], SameScopeFigure]:
    """Same-scope figures of every enterprise field for each 1—N月 of a year up to a month, in one query.

    Keyed by (field, N); a month without enterprise data has no entry.
    """
    rows = ScopeTotal.objects.filter(
        zone=zone, year=year, month__lte=last_month, industry="", span=CUMULATIVE
    ).values_list("field", "month", *SCOPE_VALUES)
    return {
        (field_name, month): _same_scope_from(ScopeRow(*values), Period(year, 1, month))
        for field_name, month, *values in rows
    }


def _contributions_from(
    rows: dict[tuple[int, str, str], ScopeRow], zone_id: int, field_name: str
) -> list[Contribution]:
    total = rows.get((zone_id, field_name, ""))
    if total is None or total.base <= 0:
        return []
    result = [
        Contribution(
            industry=industry,
            industry_name=division_name(industry),
            current_yuan=row.current,
            base_yuan=row.base,
            growth_pct=(
                figures.percent_change(Decimal(row.current_with_base), Decimal(row.base)) if row.base > 0 else None
            ),
            contribution_pp=Decimal(row.current_with_base - row.base) / Decimal(total.base) * HUNDRED,
            compared_yuan=row.current_with_base,
        )
        for (row_zone, row_field, industry), row in rows.items()
        if row_zone == zone_id and row_field == field_name and industry != ""
    ]
    result.sort(key=lambda item: item.contribution_pp, reverse=True)
    return result


def contributions(zone: Place, indicator: Indicator, period: Period) -> list[Contribution]:
    """拉动: each industry's contribution to the same-scope growth, in percentage points.

    (industry now − industry a year ago) / total a year ago × 100; they add up to the
    total growth.
    """
    if indicator.origin != Indicator.Origin.ENTERPRISE or _span_of(period) is None:
        return []
    rows = _scope_rows([zone.pk], period, industries=True)
    return _contributions_from(rows, zone.pk, indicator.enterprise_field)


@dataclass
class _Peers:
    """The city's districts and zones with their figures for a period, loaded once."""

    city: str
    places: list[Place]
    observations: dict[tuple[int, int], Observation]  # (indicator id, place id)
    scope: dict[tuple[int, str, str], ScopeRow]


def _load_peers(zone: Place, period: Period, indicators: list[Indicator], as_of: datetime | None) -> _Peers:
    places = list(zone.siblings(period_end(period)).select_related("parent"))
    place_ids = [place.pk for place in places]
    observations = {
        (obs.indicator_id, obs.place_id): obs
        for obs in Observation.objects.accepted()
        .as_of(as_of)
        .filter(indicator__in=indicators, period=period.code, place_id__in=place_ids)
    }
    scope: dict[tuple[int, str, str], ScopeRow] = {}
    if any(i.origin == Indicator.Origin.ENTERPRISE for i in indicators):
        scope = _scope_rows(place_ids, period, industries=False)
    return _Peers(zone.parent.name if zone.parent else "", places, observations, scope)


def _rank_from(peers: _Peers, zone: Place, indicator: Indicator, period: Period) -> Rank:
    """Rank among the districts and zones of the same city; the peer set is part of the result.

    Each place's official figure where it has one; for an enterprise-aggregated indicator a
    place without one is ranked on its computed same-scope growth.
    """
    basis = indicator.rank_by
    entries: list[PeerFigure] = []
    for place in peers.places:
        obs = peers.observations.get((indicator.pk, place.pk))
        growth = obs.growth_pct if obs else None
        value = obs.value if obs else None
        if indicator.origin == Indicator.Origin.ENTERPRISE and (growth is None or value is None):
            computed = _same_scope_from(peers.scope.get((place.pk, indicator.enterprise_field, "")), period)
            growth = growth if growth is not None else computed.growth_pct
            value = value if value is not None else (computed.current_yi if computed.current_yuan else None)
        entries.append(
            PeerFigure(
                place_code=place.code,
                place_name=place.display_name,
                growth_pct=growth,
                value=value,
                is_sample=bool(obs and obs.is_sample),
                observation_id=obs.pk if obs else None,
            )
        )

    def measure(entry: PeerFigure) -> Decimal | None:
        return entry.growth_pct if basis == Indicator.RankBy.GROWTH else entry.value

    ranked = [entry for entry in entries if measure(entry) is not None]
    ranked.sort(key=lambda entry: measure(entry) or Decimal(0), reverse=True)
    own = next((entry for entry in ranked if entry.place_code == zone.code), None)
    if own is None:
        return Rank(basis, None, len(ranked), ranked, peers.city, "本区没有可比数据")
    if len(ranked) < 2:
        return Rank(basis, None, len(ranked), ranked, peers.city, "没有同级地区的可比数据")
    # Ties share a place: one more than the number of peers strictly ahead, comparing
    # growth at the one decimal it is published with.
    own_measure = figures.round_half_up(measure(own) or Decimal(0))
    ahead = sum(1 for entry in ranked if figures.round_half_up(measure(entry) or Decimal(0)) > own_measure)
    return Rank(basis, ahead + 1, len(ranked), ranked, peers.city)


def ranking(*, zone: Place, indicator: Indicator, period: Period, as_of: datetime | None = None) -> Rank:
    return _rank_from(_load_peers(zone, period, [indicator], as_of), zone, indicator, period)


def _target_progress(
    target: Target | None, indicator: Indicator, period: Period, value: Decimal | None, growth: Decimal | None
) -> TargetProgress | None:
    if target is None:
        return None
    time_progress = period.time_progress * HUNDRED
    completion: Decimal | None = None
    gap: Decimal | None = None
    reason = ""
    if not period.is_cumulative:
        reason = "目标进度按累计期（1—N月）计算"
    elif target.value is not None:
        if value is None:
            reason = "没有本期累计值，无法计算完成率"
        elif target.unit and target.unit != indicator.unit:
            reason = f"目标单位“{target.unit}”与指标单位“{indicator.unit}”不一致"
        else:
            completion = value / target.value * HUNDRED
            gap = completion - time_progress
    elif target.growth_pct is not None:
        if growth is None:
            reason = "没有本期增速，无法与目标增速比较"
        else:
            gap = growth - target.growth_pct
    return TargetProgress(
        target_id=target.pk,
        target_value=target.value,
        target_growth_pct=target.growth_pct,
        unit=target.unit or indicator.unit,
        qualifier=target.qualifier,
        completion_pct=completion,
        time_progress_pct=time_progress,
        gap_pp=gap,
        is_sample=target.is_sample,
        reason=reason,
    )


def required_annual_growth(goal: Decimal, base: Decimal, years: int) -> Decimal:
    """(goal / base)^(1/years) − 1, in percent."""
    return ((goal / base) ** (Decimal(1) / Decimal(years)) - 1) * HUNDRED


@dataclass
class _Levels:
    """Levels the goals need: full years of base years, and the period a year earlier."""

    observations: dict[tuple[int, str], Decimal]  # (indicator id, period code) -> value
    full_year_scope_year: dict[int, dict[tuple[int, str, str], ScopeRow]]


def _load_levels(zone: Place, period: Period, goals: list[Target], as_of: datetime | None) -> _Levels:
    base_years = {goal.base_year or period.year - 1 for goal in goals}
    codes = {Period(year, 1, 12).code for year in base_years} | {period.year_ago().code}
    observations = {
        (indicator_id, code): value
        for indicator_id, code, value in Observation.objects.accepted()
        .as_of(as_of)
        .filter(place=zone, period__in=codes, value__isnull=False, indicator__in={g.indicator_id for g in goals})
        .values_list("indicator_id", "period", "value")
        if value is not None
    }
    by_year = {year: _scope_rows([zone.pk], Period(year, 1, 12), industries=False) for year in base_years}
    return _Levels(observations, by_year)


def _goal_progress(
    goals: list[Target], levels: _Levels, zone: Place, indicator: Indicator, period: Period, figure: "IndicatorFigure"
) -> list[GoalProgress]:
    result = []
    for goal in goals:
        if goal.value is None:
            continue
        base_year = goal.base_year or period.year - 1
        base_value: Decimal | None = levels.observations.get((indicator.pk, Period(base_year, 1, 12).code))
        base_origin = "official" if base_value is not None else ""
        if base_value is None and indicator.origin == Indicator.Origin.ENTERPRISE:
            row = levels.full_year_scope_year.get(base_year, {}).get((zone.pk, indicator.enterprise_field, ""))
            if row is not None and row.current:
                base_value, base_origin = figures.yi_from_yuan(row.current), "computed"
        required: Decimal | None = None
        reason = ""
        if base_value is None or base_value <= 0:
            reason = f"缺少{base_year}年全年数据，无法计算所需年均增速"
        else:
            required = required_annual_growth(goal.value, base_value, goal.year - base_year)
        actual, actual_basis = _nominal_growth(levels, indicator, period, figure)
        if actual is None and not reason:
            reason, actual_basis = actual_basis, ""
        result.append(
            GoalProgress(
                target_id=goal.pk,
                goal_year=goal.year,
                goal_value=goal.value,
                unit=goal.unit or indicator.unit,
                qualifier=goal.qualifier,
                programme=goal.programme,
                base_year=base_year,
                base_value=base_value,
                base_origin=base_origin,
                required_growth_pct=required,
                actual_growth_pct=actual,
                actual_basis=actual_basis,
                reason=reason,
            )
        )
    return result


def _nominal_growth(
    levels: _Levels, indicator: Indicator, period: Period, figure: "IndicatorFigure"
) -> tuple[Decimal | None, str]:
    """The period's growth in current prices, comparable with the growth a level goal needs.

    Real growth (GDP, value added) is not comparable with the nominal growth a level goal
    requires, so for those the growth is computed from the two published levels.
    """
    if figure.growth_pct is not None and figure.growth_price_basis != PriceBasis.REAL:
        label = "同口径计算" if figure.growth_source == "computed" else "官方发布"
        return figure.growth_pct, f"{label}，现价"
    if figure.value is None:
        return None, "本期没有总量，无法计算现价增速"
    year_ago = levels.observations.get((indicator.pk, period.year_ago().code))
    if not year_ago:
        return None, "官方增速为可比价实际增长，且缺少上年同期总量，无法计算现价增速"
    return figures.percent_change(figure.value, year_ago), "由两期总量计算，现价"


SCORECARD_CACHE_SECONDS = 300


def data_version() -> int:
    """A number that changes whenever any figure may have changed.

    Every change to observations, enterprise data, same-scope totals or targets goes through
    a service that writes an audit row in the same transaction, so the newest audit row id
    moves with the data.
    """
    # Plain SQL: this runs on every cached read, where compiling an ORM query would cost
    # more than the lookup itself (MAX of the primary key is one index step).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {AuditEntry._meta.db_table}")
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def cached_by_data(key: str, compute: Callable[[], T]) -> T:
    """A value computed from the figures, kept in the cache until any figure changes."""
    full_key = f"{key}:{data_version()}"
    cached: T | None = cache.get(full_key)
    if cached is not None:
        return cached
    value = compute()
    cache.set(full_key, value, SCORECARD_CACHE_SECONDS)
    return value


def scorecard(
    *,
    zone: Place,
    period: Period,
    as_of: datetime | None = None,
    indicators: list[Indicator] | None = None,
) -> Scorecard:
    """Every scorecard indicator of a zone for a period.

    Computed in a fixed number of queries, and kept in the cache until the data change.
    """
    chosen = "default" if indicators is None else ",".join(str(indicator.pk) for indicator in indicators)
    return cached_by_data(
        f"scorecard:{zone.pk}:{period.code}:{as_of.isoformat() if as_of else ''}:{chosen}",
        lambda: compute_scorecard(zone=zone, period=period, as_of=as_of, indicators=indicators),
    )


def compute_scorecard(
    *,
    zone: Place,
    period: Period,
    as_of: datetime | None = None,
    indicators: list[Indicator] | None = None,
) -> Scorecard:
    """The scorecard computed afresh, in a fixed number of queries."""
    items = indicators if indicators is not None else list(Indicator.objects.filter(in_scorecard=True))
    observations = {
        obs.indicator_id: obs
        for obs in Observation.objects.accepted()
        .as_of(as_of)
        .filter(place=zone, period=period.code, indicator__in=items)
        .select_related("source")
    }
    has_enterprise = any(i.origin == Indicator.Origin.ENTERPRISE for i in items)
    scope = _scope_rows([zone.pk], period, industries=True) if has_enterprise else {}
    peers = _load_peers(zone, period, items, as_of)
    targets = list(
        Target.objects.filter(place=zone, subject="", indicator__in=items).filter(
            Q(kind=Target.Kind.ANNUAL, year=period.year) | Q(kind=Target.Kind.GOAL, year__gte=period.year)
        )
    )
    annual = {t.indicator_id: t for t in targets if t.kind == Target.Kind.ANNUAL}
    goals = [t for t in targets if t.kind == Target.Kind.GOAL]
    levels = _load_levels(zone, period, goals, as_of) if goals else _Levels({}, {})

    result: list[IndicatorFigure] = []
    for indicator in items:
        obs = observations.get(indicator.pk)
        official = _official(obs) if obs else None
        computed = (
            _same_scope_from(scope.get((zone.pk, indicator.enterprise_field, "")), period)
            if indicator.origin == Indicator.Origin.ENTERPRISE and indicator.enterprise_field
            else None
        )
        figure = IndicatorFigure(
            code=indicator.code,
            name=indicator.name,
            unit=indicator.unit,
            price_basis=indicator.price_basis,
            origin=indicator.origin,
            official=official,
            computed=computed,
            in_paragraph=indicator.in_paragraph,
        )
        if official is not None and official.value is not None:
            figure.value, figure.value_source = official.value, "official"
        elif computed is not None and computed.current_yuan:
            figure.value, figure.value_source = computed.current_yi, "computed"
        if official is not None and official.growth_pct is not None:
            figure.growth_pct, figure.growth_source = official.growth_pct, "official"
            figure.growth_price_basis = official.price_basis
        elif computed is not None and computed.growth_pct is not None:
            figure.growth_pct, figure.growth_source = computed.growth_pct, "computed"
            figure.growth_price_basis = PriceBasis.NOMINAL
        if figure.growth_pct is None:
            figure.no_comparison = (computed.reason if computed else "") or "没有上年同期可比数据"
        figure.rank = _rank_from(peers, zone, indicator, period)
        figure.target = _target_progress(annual.get(indicator.pk), indicator, period, figure.value, figure.growth_pct)
        figure.goals = _goal_progress(
            [g for g in goals if g.indicator_id == indicator.pk], levels, zone, indicator, period, figure
        )
        if indicator.origin == Indicator.Origin.ENTERPRISE:
            figure.contributions = _contributions_from(scope, zone.pk, indicator.enterprise_field)
        result.append(figure)
    return Scorecard(
        zone_code=zone.code,
        zone_name=zone.name,
        period=period,
        as_of=as_of,
        generated_at=timezone.now(),
        figures=result,
        completeness=completeness(zone, period) if has_enterprise else None,
    )


@dataclass(frozen=True)
class InMonthFigure:
    value: Decimal | None
    reason: str = ""


def _cumulative_values(indicator: Indicator, place: Place, year: int, as_of: datetime | None) -> dict[int, Decimal]:
    """Published cumulative levels 1—N月 of a year, by N."""
    codes = {Period(year, 1, month).code: month for month in range(1, 13)}
    return {
        codes[code]: value
        for code, value in Observation.objects.accepted()
        .as_of(as_of)
        .filter(indicator=indicator, place=place, period__in=list(codes), value__isnull=False)
        .values_list("period", "value")
        if value is not None
    }


def in_month_value(
    *, indicator: Indicator, place: Place, year: int, month: int, as_of: datetime | None = None
) -> InMonthFigure:
    """当月 = C(N) − C(N−1) from the published cumulative figures.

    1—2月 is one combined release, so there is no in-month January or February to derive.
    """
    previous = Period(year, 1, month).previous_cumulative()
    if previous is None:
        return InMonthFigure(None, "1—2月合并发布，没有单独的1月、2月当月数")
    levels = _cumulative_values(indicator, place, year, as_of)
    if month not in levels or previous.last_month not in levels:
        missing = Period(year, 1, month) if month not in levels else previous
        return InMonthFigure(None, f"缺少{missing.year}年{missing.month_range_label}累计数")
    return InMonthFigure(levels[month] - levels[previous.last_month])


def cumulative_breaks(*, indicator: Indicator, place: Place, year: int, as_of: datetime | None = None) -> list[str]:
    """A cumulative flow never falls within a year: every place where it does, for review."""
    if indicator.time_aggregation != Indicator.Aggregation.SUM:
        return []
    levels = sorted(_cumulative_values(indicator, place, year, as_of).items())
    return [
        f"{year}年1—{month}月累计{figures.rate(value)}{indicator.unit}低于1—{prev_month}月的"
        f"{figures.rate(prev_value)}{indicator.unit}，累计数不应下降，请核实"
        for (prev_month, prev_value), (month, value) in pairwise(levels)
        if value < prev_value
    ]
