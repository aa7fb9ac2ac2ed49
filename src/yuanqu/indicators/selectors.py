"""The scorecard engine: one function that the web, the API, the CLI and reports all call.

Official figures are data and are shown as published; figures the platform computes
(same-scope growth from enterprise rows, completion rates, required growth) are labelled
as computed and shown beside the official ones, never instead of them. Where a comparison
is impossible the result says so and why, and carries no number.
"""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.indicators.models import Indicator, Observation, PriceBasis, ScopeTotal, Target
from yuanqu.industries import division_name
from yuanqu.periods import Period

HUNDRED = Decimal(100)
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


@dataclass(frozen=True)
class SameScopeFigure:
    """Computed from enterprise rows: this year's in-scope enterprises against their own last year."""

    current_yuan: int
    base_yuan: int
    enterprises: int
    enterprises_with_base: int
    growth_pct: Decimal | None
    reason: str = ""

    @property
    def value_yi(self) -> Decimal:
        return figures.yi_from_yuan(self.current_yuan)


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
    industry: str
    industry_name: str
    current_yuan: int
    base_yuan: int
    growth_pct: Decimal | None
    contribution_pp: Decimal


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


@dataclass
class Scorecard:
    zone_code: str
    zone_name: str
    period: Period
    as_of: datetime | None
    generated_at: datetime
    figures: list[IndicatorFigure]

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


def same_scope(zone: Place, indicator: Indicator, period: Period) -> SameScopeFigure | None:
    """Same-scope cumulative value and growth of an enterprise-aggregated indicator."""
    if indicator.origin != Indicator.Origin.ENTERPRISE or not indicator.enterprise_field:
        return None
    if not period.is_cumulative:
        return SameScopeFigure(0, 0, 0, 0, None, "同口径增速按累计期（1—N月）计算，单独季度或月份暂不提供")
    row = (
        ScopeTotal.objects.filter(
            zone=zone,
            year=period.year,
            month=period.last_month,
            field=indicator.enterprise_field,
            industry="",
        )
        .values_list("current", "base", "enterprises", "enterprises_with_base")
        .first()
    )
    if row is None:
        return SameScopeFigure(0, 0, 0, 0, None, f"{period.full_label}没有规上企业数据")
    current, base, enterprises, with_base = row
    if with_base == 0 or base <= 0:
        return SameScopeFigure(
            current, base, enterprises, with_base, None, f"在库企业缺少{period.year - 1}年同期数据，无法比较"
        )
    growth = figures.percent_change(Decimal(current), Decimal(base))
    return SameScopeFigure(current, base, enterprises, with_base, growth)


def contributions(zone: Place, indicator: Indicator, period: Period) -> list[Contribution]:
    """拉动: each industry's contribution to the same-scope growth, in percentage points.

    (industry now − industry a year ago) / total a year ago × 100; they add up to the
    total growth.
    """
    if indicator.origin != Indicator.Origin.ENTERPRISE or not period.is_cumulative:
        return []
    rows = list(
        ScopeTotal.objects.filter(
            zone=zone, year=period.year, month=period.last_month, field=indicator.enterprise_field
        ).values_list("industry", "current", "base")
    )
    total_base = sum(base for industry, _, base in rows if industry == "")
    if total_base <= 0:
        return []
    result = [
        Contribution(
            industry=industry,
            industry_name=division_name(industry),
            current_yuan=current,
            base_yuan=base,
            growth_pct=figures.percent_change(Decimal(current), Decimal(base)) if base > 0 else None,
            contribution_pp=Decimal(current - base) / Decimal(total_base) * HUNDRED,
        )
        for industry, current, base in rows
        if industry != ""
    ]
    result.sort(key=lambda item: item.contribution_pp, reverse=True)
    return result


def ranking(
    *,
    zone: Place,
    indicator: Indicator,
    period: Period,
    as_of: datetime | None = None,
    own_growth: Decimal | None = None,
    own_value: Decimal | None = None,
) -> Rank:
    """Rank among the districts and zones of the same city; the peer set is part of the result."""
    city = zone.parent.name if zone.parent else ""
    peers_qs = zone.siblings(period_end(period))
    peers = {place.pk: place for place in peers_qs}
    observations = {
        obs.place_id: obs
        for obs in Observation.objects.accepted()
        .as_of(as_of)
        .filter(indicator=indicator, period=period.code, place_id__in=list(peers))
    }
    basis = indicator.rank_by
    entries: list[PeerFigure] = []
    for place in peers.values():
        obs = observations.get(place.pk)
        growth = obs.growth_pct if obs else None
        value = obs.value if obs else None
        if place.pk == zone.pk:
            growth = growth if growth is not None else own_growth
            value = value if value is not None else own_value
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
        return Rank(basis, None, len(ranked), ranked, city, "本区没有可比数据")
    if len(ranked) < 2:
        return Rank(basis, None, len(ranked), ranked, city, "没有同级地区的可比数据")
    # Ties share a place: the rank is one more than the number of peers strictly ahead.
    # Growth is compared at the one decimal it is published with.
    own_measure = figures.round_half_up(measure(own) or Decimal(0))
    ahead = sum(1 for entry in ranked if figures.round_half_up(measure(entry) or Decimal(0)) > own_measure)
    return Rank(basis, ahead + 1, len(ranked), ranked, city)


def target_progress(
    zone: Place, indicator: Indicator, period: Period, value: Decimal | None, growth: Decimal | None
) -> TargetProgress | None:
    target = Target.objects.filter(
        indicator=indicator, place=zone, kind=Target.Kind.ANNUAL, year=period.year, subject=""
    ).first()
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


def _full_year_value(
    zone: Place, indicator: Indicator, year: int, as_of: datetime | None
) -> tuple[Decimal | None, str]:
    obs = (
        Observation.objects.accepted()
        .as_of(as_of)
        .filter(indicator=indicator, place=zone, period=Period(year, 1, 12).code, value__isnull=False)
        .first()
    )
    if obs is not None and obs.value is not None:
        return obs.value, "official"
    figure = same_scope(zone, indicator, Period(year, 1, 12))
    if figure is not None and figure.current_yuan:
        return figure.value_yi, "computed"
    return None, ""


def goal_progress(
    zone: Place,
    indicator: Indicator,
    period: Period,
    figure: IndicatorFigure,
    as_of: datetime | None,
) -> list[GoalProgress]:
    goals = Target.objects.filter(
        indicator=indicator, place=zone, kind=Target.Kind.GOAL, year__gt=period.year - 1, subject=""
    )
    result = []
    for goal in goals:
        if goal.value is None:
            continue
        base_year = goal.base_year or period.year - 1
        base_value, base_origin = _full_year_value(zone, indicator, base_year, as_of)
        required: Decimal | None = None
        reason = ""
        if base_value is None or base_value <= 0:
            reason = f"缺少{base_year}年全年数据，无法计算所需年均增速"
        else:
            required = required_annual_growth(goal.value, base_value, goal.year - base_year)
        actual, actual_basis = _nominal_growth(zone, indicator, period, figure, as_of)
        if actual is None and not reason:
            reason = actual_basis
            actual_basis = ""
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
    zone: Place, indicator: Indicator, period: Period, figure: IndicatorFigure, as_of: datetime | None
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
    year_ago = (
        Observation.objects.accepted()
        .as_of(as_of)
        .filter(indicator=indicator, place=zone, period=period.year_ago().code, value__isnull=False)
        .first()
    )
    if year_ago is None or not year_ago.value:
        return None, "官方增速为可比价实际增长，且缺少上年同期总量，无法计算现价增速"
    return figures.percent_change(figure.value, year_ago.value), "由两期总量计算，现价"


def scorecard(
    *,
    zone: Place,
    period: Period,
    as_of: datetime | None = None,
    indicators: list[Indicator] | None = None,
) -> Scorecard:
    items = indicators if indicators is not None else list(Indicator.objects.filter(in_scorecard=True))
    observations = {
        obs.indicator_id: obs
        for obs in Observation.objects.accepted()
        .as_of(as_of)
        .filter(place=zone, period=period.code, indicator__in=items)
        .select_related("source")
    }
    result: list[IndicatorFigure] = []
    for indicator in items:
        obs = observations.get(indicator.pk)
        official = _official(obs) if obs else None
        computed = same_scope(zone, indicator, period)
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
            figure.value, figure.value_source = computed.value_yi, "computed"
        if official is not None and official.growth_pct is not None:
            figure.growth_pct, figure.growth_source = official.growth_pct, "official"
            figure.growth_price_basis = official.price_basis
        elif computed is not None and computed.growth_pct is not None:
            figure.growth_pct, figure.growth_source = computed.growth_pct, "computed"
            figure.growth_price_basis = PriceBasis.NOMINAL
        if figure.growth_pct is None:
            figure.no_comparison = (computed.reason if computed else "") or "没有上年同期可比数据"
        figure.rank = ranking(
            zone=zone,
            indicator=indicator,
            period=period,
            as_of=as_of,
            own_growth=figure.growth_pct,
            own_value=figure.value,
        )
        figure.target = target_progress(zone, indicator, period, figure.value, figure.growth_pct)
        figure.goals = goal_progress(zone, indicator, period, figure, as_of)
        figure.contributions = contributions(zone, indicator, period)
        result.append(figure)
    return Scorecard(
        zone_code=zone.code,
        zone_name=zone.name,
        period=period,
        as_of=as_of,
        generated_at=timezone.now(),
        figures=result,
    )
