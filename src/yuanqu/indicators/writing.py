"""The scorecard in words (the 成绩单 paragraph), as data (JSON) and as provenance (--explain)."""

import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.disclosed import Reader, scorecard_for
from yuanqu.indicators.scope import IN_MONTH
from yuanqu.indicators.selectors import IndicatorFigure, SameScopeFigure, Scorecard, cached_by_data, scorecard
from yuanqu.periods import Period

TOP = 3  # "前列": within the first three of the city


def _clause(figure: IndicatorFigure, first: bool) -> str | None:
    parts: list[str] = []
    if figure.value is not None:
        verb = "完成" if first else ""
        parts.append(f"{verb}{figure.name}{figures.amount(figure.value, figure.unit)}")
    if figure.growth_pct is not None:
        if parts:
            parts.append(figures.growth(figure.growth_pct))
        else:
            parts.append(f"{figure.name}{figures.growth(figure.growth_pct)}")
    if not parts:
        return None
    return "，".join(parts)


def rank_sentence(scorecard: Scorecard) -> str:
    """How the zone stands among the city's districts, stated with the actual places.

    Rule: indicators ranked by growth; "位居全市前列" when every ranked indicator is within the
    first three, "多数…位居全市前列" when more than half are; otherwise the places are stated.
    """
    ranked = [f for f in scorecard.figures if f.in_paragraph and f.rank is not None and f.rank.position is not None]
    if not ranked:
        return ""
    by_position: dict[int, list[str]] = {}
    for figure in ranked:
        assert figure.rank is not None and figure.rank.position is not None
        by_position.setdefault(figure.rank.position, []).append(figure.name)
    city = ranked[0].rank.city if ranked[0].rank else ""
    where = "全市" if city else "同级地区"
    of = max(f.rank.of for f in ranked if f.rank)
    details = "，".join(
        f"{'、'.join(names)}增幅列{where}第{position}位" for position, names in sorted(by_position.items())
    )
    top = sum(1 for f in ranked if f.rank and f.rank.position and f.rank.position <= TOP)
    if top == len(ranked):
        lead = f"主要经济指标位居{where}前列"
    elif top * 2 > len(ranked):
        lead = f"多数主要经济指标位居{where}前列"
    else:
        lead = "主要经济指标在" + where + "的位次"
    return f"{lead}（在{of}个县（市、区）和功能区中，{details}）"


def paragraph(scorecard: Scorecard) -> str:
    clauses: list[str] = []
    for figure in scorecard.figures:
        if not figure.in_paragraph:
            continue
        clause = _clause(figure, first=not clauses)
        if clause:
            clauses.append(clause)
    if not clauses:
        return f"{scorecard.period.label}，暂无数据。"
    text = f"{scorecard.period.label}，" + "；".join(clauses)
    ranks = rank_sentence(scorecard)
    text += ("；" + ranks if ranks else "") + "。"
    if scorecard.completeness is not None and not scorecard.completeness.complete:
        text += f"（{scorecard.completeness.label}，由企业数据汇总的指标只含已报企业。）"
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Figures keep four decimals at most; as JSON numbers they stay exact at that precision.
        return float(round(value, 6))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Period):
        return {
            "code": value.code,
            "label": value.label,
            "year": value.year,
            "first_month": value.first_month,
            "last_month": value.last_month,
        }
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    return value


def as_data(scorecard: Scorecard) -> dict[str, Any]:
    data: dict[str, Any] = _jsonable(scorecard)
    data["paragraph"] = paragraph(scorecard)
    # Which same-scope growth a computed figure is, in words (含/不含新入库企业, enterprises left out).
    for item, figure in zip(data["figures"], scorecard.figures, strict=True):
        if figure.computed is not None and item.get("computed") is not None:
            item["computed"]["growth_label"] = figure.computed.growth_label
            item["computed"]["exclusion_note"] = figure.computed.exclusion_note
    data["completeness_label"] = scorecard.completeness.label if scorecard.completeness else ""
    return data


def explain(scorecard: Scorecard) -> list[str]:
    """Where every number of the paragraph comes from, one block per indicator."""
    lines: list[str] = []
    for figure in scorecard.figures:
        lines.append(f"【{figure.name}】")
        official = figure.official
        if official is not None:
            numbers = []
            if official.value is not None:
                numbers.append(f"{figures.rate(official.value)}{official.unit}")
            if official.growth_pct is not None:
                numbers.append(f"增速{figures.rate(official.growth_pct)}%（{_basis(official.price_basis)}）")
            sample = "，示例数据" if official.is_sample else ""
            lines.append(
                f"  官方数据 {'，'.join(numbers)}：观测值#{official.observation_id}，{official.vintage}{sample}，"
                f"来源“{official.source_title}”{('，' + official.source_locator) if official.source_locator else ''}，"
                f"登记于{timezone.localtime(official.recorded_at):%Y-%m-%d %H:%M}"
            )
        computed = figure.computed
        if computed is not None:
            lines.extend(f"  {line}" for line in same_scope_lines(computed, scorecard.period))
        if figure.no_comparison:
            lines.append(f"  增速：无法比较，{figure.no_comparison}")
        rank = figure.rank
        if rank is not None and rank.of >= 2:
            peers = "、".join(
                f"{peer.place_name}{figures.rate(peer.growth_pct) + '%' if peer.growth_pct is not None else '—'}"
                f"{'（示例）' if peer.is_sample else ''}"
                for peer in rank.peers
            )
            position = f"第{rank.position}位" if rank.position else f"未排位（{rank.reason}）"
            lines.append(f"  排位：{rank.city}同级{rank.of}个地区中{position}；比较组：{peers}")
        target = figure.target
        if target is not None:
            if target.completion_pct is not None and target.gap_pp is not None:
                lines.append(
                    f"  年度目标{figures.plain(target.target_value or Decimal(0))}{target.unit}"
                    f"{'（示例）' if target.is_sample else ''}：完成{figures.rate(target.completion_pct)}%，"
                    f"序时进度{figures.rate(target.time_progress_pct)}%，"
                    f"{'超' if target.gap_pp >= 0 else '落后'}序时进度{figures.points(target.gap_pp)}（计算）"
                )
            elif target.gap_pp is not None and target.target_growth_pct is not None:
                lines.append(
                    f"  年度目标增长{figures.plain(target.target_growth_pct)}%"
                    f"{'（示例）' if target.is_sample else ''}：实际"
                    f"{'高于' if target.gap_pp >= 0 else '低于'}目标{figures.points(target.gap_pp)}（计算）"
                )
            else:
                lines.append(f"  年度目标：{target.reason}")
        for goal in figure.goals:
            head = f"  {goal.goal_year}年目标{goal.qualifier}{figures.plain(goal.goal_value)}{goal.unit}"
            if goal.programme:
                head += f"（{goal.programme}）"
            if goal.required_growth_pct is not None and goal.base_value is not None:
                head += (
                    f"：以{goal.base_year}年{figures.rate(goal.base_value)}{goal.unit}为基数，"
                    f"需年均增长{figures.rate(goal.required_growth_pct)}%（计算）"
                )
                if goal.actual_growth_pct is not None:
                    gap = goal.actual_growth_pct - goal.required_growth_pct
                    head += (
                        f"；本期实际增长{figures.rate(goal.actual_growth_pct)}%（{goal.actual_basis}），"
                        f"{'高于' if gap >= 0 else '低于'}所需增速{figures.points(gap)}"
                    )
            if goal.reason:
                head += f"；{goal.reason}"
            lines.append(head)
        withheld = (
            f"；另有{figure.withheld_contributions}个行业按统计保密规定不单独列示"
            if figure.withheld_contributions
            else ""
        )
        if figure.contributions:
            top = "、".join(
                f"{item.industry_name}{figures.rate(item.contribution_pp)}个百分点" for item in figure.contributions[:5]
            )
            lines.append(f"  分行业拉动（计算，前5）：{top}{withheld}")
        elif withheld:
            lines.append(f"  分行业拉动（计算）：{figure.withheld_contributions}个行业按统计保密规定不单独列示")
    return lines


def same_scope_lines(computed: SameScopeFigure, period: Period) -> list[str]:
    """How a same-scope figure was computed: enterprises, bases by kind, both growths."""
    if computed.growth_pct is None:
        return [f"同口径计算：无法比较，{computed.reason}"]
    span = "当月" if computed.span == IN_MONTH else "累计"
    wan = figures.wan_from_yuan
    kinds = [f"{computed.own_base_enterprises}家上年实际"]
    if computed.reported_base_enterprises:
        kinds.append(f"{computed.reported_base_enterprises}家企业填报上年同期")
    if computed.new_production_enterprises:
        kinds.append(f"{computed.new_production_enterprises}家新投产（上年无生产，按零计）")
    lines = [
        f"同口径计算（{computed.growth_label}，{span}，现价）：{period.year}年{period.month_range_label}"
        f"规上企业{computed.enterprises}家合计{figures.grouped(wan(computed.current_yuan), 1)}万元；"
        f"其中有上年同期数据的{computed.enterprises_with_base}家（{'、'.join(kinds)}）"
        f"本期{figures.grouped(wan(computed.current_with_base_yuan), 1)}万元，"
        f"上年同期{figures.grouped(wan(computed.base_yuan), 1)}万元，{figures.growth(computed.growth_pct)}"
    ]
    if computed.exclusion_note:
        lines.append(f"  {computed.exclusion_note}")
    if computed.new_entrants and computed.continuing_growth_pct is not None:
        lines.append(
            f"  不含新入库企业（{computed.continuing_enterprises}家，上年同期也在规上库）："
            f"{figures.growth(computed.continuing_growth_pct)}；含新入库企业{computed.new_entrants}家："
            f"{figures.growth(computed.growth_pct)}"
        )
    return lines


def _basis(price_basis: str) -> str:
    return {"real": "可比价，实际增长", "nominal": "现价，名义增长"}.get(price_basis, "不适用")


def scorecard_json(*, zone_code: str, period: Period, as_of: datetime | None, reader: Reader) -> bytes | None:
    """The scorecard as the API sends it to ``reader``, serialised once per change of the data.

    A reader without enterprise access gets what ``yuanqu.disclosed`` lets them see: the
    industries' contributions (one industry can be one enterprise) only where they give no
    enterprise away, the same as the provenance page shows. None when the zone does not exist.
    """

    def build() -> bytes:
        zone = Place.objects.filter(code=zone_code).first()
        if zone is None:
            return b""
        card = scorecard_for(scorecard(zone=zone, period=period, as_of=as_of), zone=zone, reader=reader)
        return json.dumps(as_data(card), ensure_ascii=False).encode()

    moment = as_of.isoformat() if as_of else ""
    body = cached_by_data(f"scorecard-json:{zone_code}:{period.code}:{moment}:{reader.cache_key}", build)
    return body or None
