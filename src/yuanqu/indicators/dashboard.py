"""What the dashboard and the big screen show, built from the scorecard engine's result.

The engine decides every number; this module only chooses which ones a page shows, how
they are written (one decimal, units, 可比价/现价, 官方/计算) and what the charts plot.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.indicators.models import Indicator, Observation, PriceBasis, ScopeTotal
from yuanqu.indicators.selectors import (
    IndicatorFigure,
    Scorecard,
    cached_by_data,
    completeness,
    month_reports,
    same_scope_by_month,
)
from yuanqu.periods import Period, PeriodError

# 三驾马车: investment, consumption and foreign trade, the three demand-side engines.
TROIKA = ["fixed_asset_investment", "retail_sales", "trade_total"]
# Completion against 序时进度: behind by more than this many points is shown red, less is yellow.
FAR_BEHIND_PP = Decimal(10)
SOURCE_LABELS = {"official": "官方", "computed": "计算"}
BASIS_LABELS = {PriceBasis.REAL: "可比价", PriceBasis.NOMINAL: "现价"}


@dataclass(frozen=True)
class Card:
    code: str
    name: str
    value: str
    unit: str
    value_source: str
    growth: str
    growth_basis: str
    growth_source: str
    no_comparison: str
    rank: str
    rank_reason: str
    target_text: str
    target_gap: str
    target_status: str
    completion_pct: float | None
    time_progress_pct: float | None
    is_sample: bool
    target_is_sample: bool
    from_enterprises: bool
    same_scope_text: str = ""  # the computed same-scope growth and what it covers


def _number(value: Decimal | None) -> float | None:
    """A figure for a chart axis (one decimal, as published); tables print the text form."""
    return None if value is None else float(figures.round_half_up(value))


def _figure_is_sample(figure: IndicatorFigure) -> bool:
    return figure.official is not None and figure.official.is_sample


def _target_is_sample(figure: IndicatorFigure) -> bool:
    return figure.target is not None and figure.target.is_sample


def card(figure: IndicatorFigure) -> Card:
    rank = figure.rank
    target = figure.target
    target_text = target_gap = target_status = ""
    completion = time_progress = None
    if target is not None:
        if target.completion_pct is not None and target.gap_pp is not None:
            target_text = (
                f"目标{figures.plain(target.target_value or Decimal(0))}{target.unit}，"
                f"完成{figures.rate(target.completion_pct)}%，序时进度{figures.rate(target.time_progress_pct)}%"
            )
            completion, time_progress = _number(target.completion_pct), _number(target.time_progress_pct)
        elif target.gap_pp is not None and target.target_growth_pct is not None:
            target_text = f"目标增长{figures.plain(target.target_growth_pct)}%"
        else:
            target_text = f"年度目标：{target.reason}"
        if target.gap_pp is not None:
            ahead = target.gap_pp >= 0
            if target.completion_pct is not None:
                target_gap = f"{'超' if ahead else '落后'}序时进度{figures.points(target.gap_pp)}"
            else:
                target_gap = f"{'高于' if ahead else '低于'}目标{figures.points(target.gap_pp)}"
            target_status = "ahead" if ahead else ("behind" if -target.gap_pp <= FAR_BEHIND_PP else "far-behind")
    return Card(
        code=figure.code,
        name=figure.name,
        value=figures.rate(figure.value) if figure.value is not None else "",
        unit=figure.unit,
        value_source=SOURCE_LABELS.get(figure.value_source, ""),
        growth=f"{figures.rate(figure.growth_pct)}%" if figure.growth_pct is not None else "",
        growth_basis=BASIS_LABELS.get(PriceBasis(figure.growth_price_basis), "") if figure.growth_price_basis else "",
        growth_source=SOURCE_LABELS.get(figure.growth_source, ""),
        no_comparison=figure.no_comparison,
        rank=f"第{rank.position}位" if rank is not None and rank.position else "",
        rank_reason=(f"{rank.city}{rank.of}个地区" if rank.position else rank.reason) if rank is not None else "",
        target_text=target_text,
        target_gap=target_gap,
        target_status=target_status,
        completion_pct=completion,
        time_progress_pct=time_progress,
        is_sample=_figure_is_sample(figure),
        target_is_sample=_target_is_sample(figure),
        from_enterprises=figure.origin == Indicator.Origin.ENTERPRISE,
        same_scope_text=same_scope_text(figure),
    )


def same_scope_text(figure: IndicatorFigure) -> str:
    """计算：同口径增长7.4%（含新入库企业27家）；不含新入库企业增长7.1%；另有…未计入增速."""
    computed = figure.computed
    if computed is None or computed.growth_pct is None:
        return ""
    parts = [f"同口径计算{figures.growth(computed.growth_pct)}（{computed.growth_label}）"]
    if computed.continuing_differs and computed.continuing_growth_pct is not None:
        parts.append(f"不含新入库企业{figures.growth(computed.continuing_growth_pct)}")
    if computed.exclusion_note:
        parts.append(computed.exclusion_note)
    return "；".join(parts)


def ranking_rows(figure: IndicatorFigure, zone_code: str) -> list[dict[str, Any]]:
    if figure.rank is None:
        return []
    by_growth = figure.rank.basis == Indicator.RankBy.GROWTH
    rows = []
    for position, peer in enumerate(figure.rank.peers, start=1):
        measure = peer.growth_pct if by_growth else peer.value
        rows.append(
            {
                "position": position,
                "place": peer.place_name,
                "measure": _number(measure),
                "text": (figures.rate(measure) + ("%" if by_growth else figure.unit)) if measure is not None else "—",
                "is_zone": peer.place_code == zone_code,
                "is_sample": peer.is_sample,
            }
        )
    return rows


def industry_rows(figure: IndicatorFigure) -> list[dict[str, str]]:
    """拉动 by industry, as the scorecard engine computed it, written for a table."""
    return [
        {
            "code": item.industry,
            "name": item.industry_name,
            "current": figures.rate(figures.yi_from_yuan(item.current_yuan), 2),
            "base": figures.rate(figures.yi_from_yuan(item.base_yuan), 2),
            "growth": f"{figures.rate(item.growth_pct)}%" if item.growth_pct is not None else "—",
            "contribution": figures.rate(item.contribution_pp, 2),
        }
        for item in figure.contributions
    ]


def troika(scorecard: Scorecard) -> list[dict[str, Any]]:
    rows = []
    for code in TROIKA:
        try:
            figure = scorecard.figure(code)
        except KeyError:
            continue
        rows.append(
            {
                "code": code,
                "name": figure.name,
                "growth": _number(figure.growth_pct),
                "text": f"{figures.rate(figure.growth_pct)}%" if figure.growth_pct is not None else "—",
                "basis": BASIS_LABELS.get(PriceBasis(figure.growth_price_basis), "")
                if figure.growth_price_basis
                else "",
                "source": SOURCE_LABELS.get(figure.growth_source, ""),
                "is_sample": _figure_is_sample(figure),
            }
        )
    return rows


def goals(scorecard: Scorecard) -> list[dict[str, Any]]:
    rows = []
    for figure in scorecard.figures:
        for goal in figure.goals:
            rows.append(
                {
                    "code": figure.code,
                    "name": figure.name,
                    "goal": f"{goal.goal_year}年{goal.qualifier}{figures.plain(goal.goal_value)}{goal.unit}",
                    "required": _number(goal.required_growth_pct),
                    "actual": _number(goal.actual_growth_pct),
                    "required_text": f"{figures.rate(goal.required_growth_pct)}%"
                    if goal.required_growth_pct is not None
                    else "—",
                    "actual_text": f"{figures.rate(goal.actual_growth_pct)}%"
                    if goal.actual_growth_pct is not None
                    else "—",
                    "basis": goal.actual_basis,
                    "reason": goal.reason,
                    "note": _goal_note(figure, goal.actual_growth_pct),
                }
            )
    return rows


def _goal_note(figure: IndicatorFigure, actual: Decimal | None) -> str:
    """Said on the chart when its bar is a computed figure beside a different official one.

    A level goal needs nominal growth; for GDP and value added the official growth is real
    (可比价), so the chart's bar is computed from the two levels and differs from the card.
    """
    if actual is None or figure.growth_pct is None or figure.growth_price_basis != PriceBasis.REAL:
        return ""
    return (
        f"*{figure.name}：图中{figures.percent(actual)}为由两期总量计算的现价增长，"
        f"成绩单中{figures.percent(figure.growth_pct)}为官方发布的可比价增长"
    )


def cumulative_trend(zone: Place, period: Period) -> dict[str, Any]:
    """Cumulative growth month by month (1—2月 … 1—N月) of the period's year.

    Enterprise indicators are computed same-scope for each cumulative period; reported
    indicators show the official growth where one was published. A series needs two points.
    Kept in the cache until the data change, like the scorecard.
    """
    return cached_by_data(f"trend:{zone.pk}:{period.code}", lambda: _cumulative_trend(zone, period))


def _cumulative_trend(zone: Place, period: Period) -> dict[str, Any]:
    if not period.is_cumulative or period.last_month < 2:
        return {"labels": [], "series": []}
    periods = [Period.cumulative(period.year, month) for month in range(2, period.last_month + 1)]
    labels = [item.month_range_label for item in periods]
    series: list[dict[str, Any]] = []
    indicators = list(Indicator.objects.filter(in_scorecard=True))
    official: dict[tuple[int, str], Decimal | None] = {
        (indicator_id, code): growth
        for indicator_id, code, growth in Observation.objects.accepted()
        .as_of(None)
        .filter(place=zone, period__in=[item.code for item in periods], growth_pct__isnull=False)
        .values_list("indicator_id", "period", "growth_pct")
    }
    computed = same_scope_by_month(zone, period.year, period.last_month)
    for indicator in indicators:
        points: list[float | None] = []
        for item in periods:
            if indicator.origin == Indicator.Origin.ENTERPRISE:
                figure = computed.get((indicator.enterprise_field, item.last_month))
                points.append(_number(figure.growth_pct) if figure is not None else None)
            else:
                points.append(_number(official.get((indicator.pk, item.code))))
        if sum(point is not None for point in points) >= 2:
            origin = "同口径计算，现价" if indicator.origin == Indicator.Origin.ENTERPRISE else "官方发布"
            series.append({"code": indicator.code, "name": indicator.name, "origin": origin, "points": points})
    return {"labels": labels, "series": series}


def available_periods(zone: Place) -> list[Period]:
    """Periods with figures for the zone: published ones and the cumulative runs of enterprise data.

    Kept in the cache until the data change, like the scorecard: every page with a period choice asks.
    """
    return cached_by_data(f"available-periods:{zone.pk}", lambda: _available_periods(zone))


def _available_periods(zone: Place) -> list[Period]:
    found: set[Period] = set()
    for code in Observation.objects.accepted().filter(place=zone).values_list("period", flat=True).distinct():
        try:
            found.add(Period.parse(code))
        except PeriodError:
            continue
    for year, month, span in (
        ScopeTotal.objects.filter(zone=zone, industry="").values_list("year", "month", "span").distinct()
    ):
        if span == ScopeTotal.Span.IN_MONTH:
            found.add(Period.month(year, month))
        elif month >= 2:
            found.add(Period.cumulative(year, month))
    return sorted(found, key=lambda item: (item.year, item.last_month, -item.first_month), reverse=True)


def default_period(zone: Place, *, enterprise_data: bool = False) -> Period | None:
    """The period a page opens on: the newest *complete* cumulative period.

    Complete: every month of it has the enterprise reports it should (see ``completeness``).
    Among those, the newest with published figures, else the newest with any figures; with
    ``enterprise_data`` (pages built on enterprise data, such as the chains) the newest with
    enterprise data. An incomplete period can still be chosen; it is labelled where shown.
    """
    return cached_by_data(
        f"default-period:{zone.pk}:{int(enterprise_data)}", lambda: _default_period(zone, enterprise_data)
    )


def _default_period(zone: Place, enterprise_data: bool) -> Period | None:
    periods = [item for item in available_periods(zone) if item.is_cumulative]
    reports = month_reports(zone)
    complete = [item for item in periods if completeness(zone, item, reports).complete]
    if enterprise_data:
        with_data = {(year, month) for year, month in reports}
        complete = [item for item in complete if (item.year, item.last_month) in with_data]
        candidates = [item for item in periods if (item.year, item.last_month) in with_data]
        return complete[0] if complete else (candidates[0] if candidates else None)
    published = {
        code for code in Observation.objects.accepted().filter(place=zone).values_list("period", flat=True).distinct()
    }
    for item in complete:
        if item.code in published:
            return item
    if complete:
        return complete[0]
    every = available_periods(zone)
    return periods[0] if periods else (every[0] if every else None)


def page_data(scorecard: Scorecard, trend: dict[str, Any]) -> dict[str, Any]:
    """The JSON data island the page's script draws its charts from."""
    has_sample = any(_figure_is_sample(f) or _target_is_sample(f) for f in scorecard.figures) or any(
        peer.is_sample for figure in scorecard.figures if figure.rank for peer in figure.rank.peers
    )
    return {
        "zone": scorecard.zone_name,
        "has_sample": has_sample,
        "period": scorecard.period.full_label,
        "ranking": {
            figure.code: {
                "name": figure.name,
                "basis": figure.rank.basis if figure.rank else "",
                "rows": ranking_rows(figure, scorecard.zone_code),
            }
            for figure in scorecard.figures
            if figure.rank is not None and figure.rank.of >= 2
        },
        "troika": troika(scorecard),
        "goals": goals(scorecard),
        "trend": trend,
    }
