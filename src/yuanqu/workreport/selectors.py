"""The work report assembled from the engines that already write the platform's paragraphs.

Nothing is typed again: every number is a field taken from an engine's result (the scorecard,
the pipeline statistics, the chains' progress, the service centre's scorecard, the supervision
statuses), its text written by ``yuanqu.figures`` as the engine's own sentence writes it, and
the engine's sentence is kept word for word with its numbers linked (``document.link``).

The service centre (section 三) and supervision (section 六) are other apps: when one is not
installed, section 三 says its data are not in the platform, and section 六 is left out with a
note. Published observations honour ``as_of``; enterprise rows, projects, chains, cases and
tasks are read as they stand, which is why an issued version keeps its frozen document.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from yuanqu import figures
from yuanqu.chains.models import Chain, ChainProgramme, Programme
from yuanqu.chains.selectors import MEASURE as CHAIN_MEASURE
from yuanqu.chains.selectors import ChainFigure, ChainsProgress, chains_progress, programmes
from yuanqu.chains.writing import chain_line, contribution_text, growth_text, total_line
from yuanqu.core.models import Place
from yuanqu.disclosed import DOUBLE_COUNTED, UNION, ZONE, Disclosure, Reader, chain_cell, disclosure, programmes_for
from yuanqu.indicators.models import EnterpriseMonth, Indicator
from yuanqu.indicators.selectors import PRICE_BASIS_LABELS, IndicatorFigure, Scorecard, scorecard
from yuanqu.indicators.writing import explain, paragraph, rank_sentence, same_scope_lines
from yuanqu.periods import Period
from yuanqu.projects.models import Category, Project
from yuanqu.projects.selectors import PipelineStatistics, period_dates, pipeline_statistics
from yuanqu.projects.writing import (
    _amount_change,
    _count_change,
    about_yi,
    counting_rule_note,
    growth_sentence,
)
from yuanqu.projects.writing import paragraph as projects_paragraph
from yuanqu.workreport import writing
from yuanqu.workreport.document import (
    HEADING,
    NOTE,
    PARAGRAPH,
    TABLE,
    Block,
    Column,
    Document,
    Field,
    Section,
    Segment,
    link,
    merged,
)

NUMBERS = "一二三四五六七八九十"
SERVICE_APP = "yuanqu.service"
SUPERVISION_APP = "yuanqu.supervision"


def _num(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


class Builder:
    """Collects the fields and blocks of one document; each section adds its own."""

    def __init__(self, document: Document, *, zone: Place, period: Period) -> None:
        self.document = document
        self.section: Section | None = None
        self._counter = 0
        self.zone, self.period = zone, period
        # Indicators whose computed figures the disclosure plan withholds: code → (value, growth, reason).
        self.withheld_figures: dict[str, tuple[bool, bool, str]] = {}
        self._in_scope: dict[int, str] | None = None

    def in_scope(self) -> dict[int, str]:
        """The enterprises 规上 in the period's last month (the same-scope set), id → 统一社会信用代码."""
        if self._in_scope is None:
            self._in_scope = dict(
                EnterpriseMonth.objects.filter(
                    zone=self.zone, year=self.period.year, month=self.period.last_month, above_scale=True
                ).values_list("enterprise_id", "enterprise__uscc")
            )
        return self._in_scope

    def members(self, enterprise_ids: Iterable[int] | None = None) -> list[str]:
        """The 统一社会信用代码 of an enterprise set (of every in-scope enterprise without ids), sorted."""
        known = self.in_scope()
        chosen = known.values() if enterprise_ids is None else (known[e] for e in enterprise_ids if e in known)
        return sorted(chosen)

    def plan(self, measure: str) -> Disclosure:
        """What a reader without enterprise access may see of an enterprise measure (``yuanqu.disclosed``)."""
        return disclosure(zone=self.zone, period=self.period, measure=measure, reader=Reader.knowing_nothing())

    @staticmethod
    def withhold(reason: str, *items: Field | None) -> None:
        for item in items:
            if item is not None:
                item.withheld = reason or "防止由合计与其他数据推算出保密数据"

    def field(
        self,
        key: str,
        label: str,
        text: str,
        value: Decimal | int | None = None,
        *,
        unit: str = "",
        cell: str = "",
        provenance: Iterable[str] = (),
        enterprise_level: bool = False,
    ) -> Field:
        item = Field(
            key=key,
            label=label,
            text=text,
            value=_num(value),
            unit=unit,
            cell=cell,
            provenance=list(provenance),
            enterprise_level=enterprise_level,
        )
        self.document.fields[key] = item
        return item

    def open(self, key: str, title: str) -> Section:
        number = NUMBERS[len(self.document.sections)]
        self.section = Section(key=key, number=number, title=title)
        self.document.sections.append(self.section)
        self._counter = 0
        return self.section

    def _id(self, kind: str) -> str:
        assert self.section is not None
        self._counter += 1
        return f"{self.section.key}.{kind[0]}{self._counter}"

    def paragraph(self, segments: list[Segment], *, editable: bool = True, kind: str = PARAGRAPH) -> Block:
        block = Block(id=self._id(kind), kind=kind, segments=merged(segments), editable=editable)
        assert self.section is not None
        self.section.blocks.append(block)
        return block

    def sentence(self, text: str, candidates: Iterable[Field | None]) -> Block:
        return self.paragraph(link(text, [item for item in candidates if item is not None]))

    def note(self, text: object) -> Block:
        return self.paragraph([str(text)], editable=False, kind=NOTE)

    def heading(self, text: str, level: int = 2) -> Block:
        block = Block(id=self._id(HEADING), kind=HEADING, level=level, segments=[text])
        assert self.section is not None
        self.section.blocks.append(block)
        return block

    def table(
        self,
        title: str,
        columns: list[Column],
        rows: list[list[Any]],
        total: list[Any] | None = None,
        *,
        name: str = "",
        enterprise_level: bool = False,
    ) -> Block:
        def cell(value: Any) -> Any:
            if isinstance(value, Field):
                return {"field": value.key}
            return "" if value is None else str(value)

        block = Block(
            id=self._id(TABLE),
            kind=TABLE,
            title=title,
            columns=columns,
            rows=[[cell(value) for value in row] for row in rows],
            total=[cell(value) for value in total] if total is not None else None,
            enterprise_level=enterprise_level,
            name=name,
        )
        assert self.section is not None
        self.section.blocks.append(block)
        return block


def report_document(*, zone: Place, period: Period, as_of: datetime | None = None) -> Document:
    """The whole report of a zone and a period, every number a field with its provenance."""
    moment = timezone.now()
    document = Document(
        title=writing.title(zone.name, period),
        zone_code=zone.code,
        zone_name=zone.name,
        period_code=period.code,
        period_label=period.full_label,
        generated_at=moment.isoformat(),
        as_of=as_of.isoformat() if as_of else "",
    )
    build = Builder(document, zone=zone, period=period)
    day = timezone.localtime(as_of).date() if as_of else None
    card = scorecard(zone=zone, period=period, as_of=as_of)
    build.field(
        "time_progress",
        "序时进度",
        figures.percent(period.time_progress * 100),
        period.time_progress * 100,
        unit="%",
        cell=figures.rate(period.time_progress * 100),
        provenance=[f"序时进度 = 已过月数 ÷ 12 = {period.last_month} ÷ 12（{period.full_label}）"],
    )
    _indicators(build, card)
    _projects(build, pipeline_statistics(zone=zone, period=period, as_of=day), zone)
    _service(build, zone, period, day)
    _chains(build, zone, period, chains_progress(zone=zone, period=period, today=day))
    _goals(build, card)
    _tasks(build, zone, period, day)
    return document


# -- 一、主要经济指标 ---------------------------------------------------------------------------


def _explain_blocks(card: Scorecard) -> dict[str, list[str]]:
    """``explain``'s lines split by indicator (each block starts with 【name】)."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for line in explain(card):
        if line.startswith("【") and line.endswith("】"):
            current = blocks.setdefault(line[1:-1], [])
        current.append(line.strip())
    return blocks


def _basis_text(figure: IndicatorFigure) -> str:
    if figure.growth_pct is None:
        return ""
    basis = {str(key): label for key, label in PRICE_BASIS_LABELS.items()}.get(figure.growth_price_basis, "")
    origin = "官方" if figure.growth_source == "official" else "计算"
    return f"{basis}，{origin}" if basis else origin


def _indicators(build: Builder, card: Scorecard) -> None:
    build.open("indicators", "主要经济指标")
    period = card.period
    explained = _explain_blocks(card)
    rows: list[list[Any]] = []
    in_paragraph: list[Field | None] = []
    enterprise_fields = dict(
        Indicator.objects.filter(code__in=[f.code for f in card.figures], origin=Indicator.Origin.ENTERPRISE)
        .exclude(enterprise_field="")
        .values_list("code", "enterprise_field")
    )
    for figure in card.figures:
        # The indicator's figures: its official and computed lines, not its rank, targets or 拉动.
        source = [
            line
            for line in explained.get(figure.name, [])
            if not line.startswith(("排位", "年度目标", "分行业拉动")) and not re.match(r"\d{4}年目标", line)
        ]
        everything = explained.get(figure.name, [])
        key = f"ind.{figure.code}"
        value = growth = rank = target = completion = gap = None
        if figure.value is not None:
            value = build.field(
                f"{key}.value",
                f"{figure.name}（{period.label}）",
                figures.amount(figure.value, figure.unit),
                figure.value,
                unit=figure.unit,
                cell=figures.rate(figure.value),
                provenance=source,
            )
        if figure.growth_pct is not None:
            growth = build.field(
                f"{key}.growth",
                f"{figure.name}增速（{_basis_text(figure)}）",
                figures.growth(figure.growth_pct),
                figure.growth_pct,
                unit="%",
                cell=figures.rate(figure.growth_pct),
                provenance=source,
            )
        if figure.rank is not None and figure.rank.position is not None:
            rank = build.field(
                f"{key}.rank",
                f"{figure.name}全市排位",
                f"第{figure.rank.position}位",
                figure.rank.position,
                cell=f"{figure.rank.position}/{figure.rank.of}",
                provenance=[line for line in everything if line.startswith("排位")],
            )
        goal = figure.target
        if goal is not None:
            lines = [line for line in everything if line.startswith("年度目标")]
            if goal.target_value is not None:
                target = build.field(
                    f"{key}.target",
                    f"{figure.name}年度目标",
                    f"{figures.plain(goal.target_value)}{goal.unit}",
                    goal.target_value,
                    unit=goal.unit,
                    cell=figures.plain(goal.target_value),
                    provenance=lines,
                )
            elif goal.target_growth_pct is not None:
                target = build.field(
                    f"{key}.target",
                    f"{figure.name}年度目标",
                    f"增长{figures.plain(goal.target_growth_pct)}%",
                    goal.target_growth_pct,
                    unit="%",
                    cell=f"{figures.plain(goal.target_growth_pct)}%",
                    provenance=lines,
                )
            if goal.completion_pct is not None:
                completion = build.field(
                    f"{key}.completion",
                    f"{figure.name}年度目标完成率",
                    figures.percent(goal.completion_pct),
                    goal.completion_pct,
                    unit="%",
                    cell=figures.rate(goal.completion_pct),
                    provenance=lines,
                )
            if goal.gap_pp is not None:
                against = "序时进度" if goal.completion_pct is not None else "目标"
                gap = build.field(
                    f"{key}.gap",
                    f"{figure.name}较{against}",
                    writing.gap_phrase(goal.gap_pp, against),
                    goal.gap_pp,
                    unit="个百分点",
                    cell=figures.rate(goal.gap_pp),
                    provenance=lines,
                )
        if figure.computed is not None and figure.computed.enterprises:
            for item, computed in (
                (value, figure.value_source == "computed"),
                (growth, figure.growth_source == "computed"),
            ):
                if item is not None and computed:
                    item.members = build.members()
        if figure.code in enterprise_fields:
            seen = build.plan(enterprise_fields[figure.code])
            if not seen.zone():
                # As the pages do (yuanqu.disclosed.scorecard_for): the computed zone total withheld takes
                # every number computed from it along; official figures stay.
                computed_value = figure.value_source == "computed"
                computed_growth = figure.growth_source == "computed"
                reason = seen.reason(ZONE)
                build.withheld_figures[figure.code] = (computed_value, computed_growth, reason)
                if computed_value:
                    build.withhold(reason, value)
                if computed_growth:
                    build.withhold(reason, growth, rank)
                if computed_value or computed_growth:
                    build.withhold(reason, target, completion, gap)
        if figure.in_paragraph:
            in_paragraph += [value, growth]
        rows.append(
            [
                figure.name,
                value or "—",
                growth or "—",
                _basis_text(figure) or figure.no_comparison or "—",
                rank or "—",
                target or "—",
                completion or "—",
                gap or "—",
            ]
        )
    in_paragraph += _rank_fields(build, card)
    build.sentence(paragraph(card), in_paragraph)
    time_progress = build.document.fields["time_progress"]
    build.table(
        f"{card.zone_name}{period.full_label}主要经济指标完成情况（序时进度{time_progress.text}）",
        [
            Column("指标"),
            Column("累计值", "rate"),
            Column("同比增长（%）", "rate"),
            Column("增速口径"),
            Column("全市排位"),
            Column("年度目标"),
            Column("完成率（%）", "rate"),
            Column("较序时进度（个百分点）", "rate"),
        ],
        rows,
        name="主要经济指标",
    )
    _contributions(build, card)


def _rank_fields(build: Builder, card: Scorecard) -> list[Field | None]:
    """The rank sentence's claims, in its order: the lead (位居全市前列), how many places, each position.

    A position's field names its indicators (“全社会固定资产投资、进出口总额增幅列全市第1位”), so that a
    change of places shows as changed numbers, not as a silently stale list of names.
    """
    ranked = [f for f in card.figures if f.in_paragraph and f.rank is not None and f.rank.position is not None]
    sentence = rank_sentence(card)
    if not ranked or not sentence:
        return []
    city = ranked[0].rank.city if ranked[0].rank else ""
    where = "全市" if city else "同级地区"
    of = max(f.rank.of for f in ranked if f.rank)
    lines = [f"{f.name}：第{f.rank.position}位（共{f.rank.of}个）" for f in ranked if f.rank]
    result: list[Field | None] = [
        build.field("rank.lead", "排位的总体表述", sentence.split("（在", 1)[0], None, provenance=[
            "规则：各项指标均列前三位为“位居前列”，过半数列前三位为“多数…位居前列”", *lines]),
        build.field("rank.of", "参与排位的同级地区数", f"{of}个", of, provenance=[f"{city}同级地区{of}个"]),
    ]  # fmt: skip
    by_position: dict[int, list[str]] = defaultdict(list)
    for figure in ranked:
        assert figure.rank is not None and figure.rank.position is not None
        by_position[figure.rank.position].append(figure.name)
    for position, names in sorted(by_position.items()):
        hidden = [
            build.withheld_figures[f.code][2]
            for f in ranked
            if f.name in names and build.withheld_figures.get(f.code, (False, False, ""))[1]
        ]
        result.append(
            build.field(
                f"rank.position.{position}",
                f"列{where}第{position}位的指标",
                f"{'、'.join(names)}增幅列{where}第{position}位",
                position,
                provenance=[line for line in lines if f"第{position}位" in line],
            )
        )
        if hidden:
            build.withhold(hidden[0], result[-1])
    return result


def _contributions(build: Builder, card: Scorecard) -> None:
    """拉动 by industry of the first enterprise-aggregated indicator.

    Enterprise-level: one industry may be one firm.
    """
    figure = next((item for item in card.figures if item.contributions and item.computed is not None), None)
    if figure is None or figure.computed is None:
        return
    key = f"contribution.{figure.code}"
    rows = []
    for item in figure.contributions:
        base = f"{key}.{item.industry}"
        lines = [
            f"{item.industry_name}（{item.industry}）：本期{figures.grouped(figures.wan_from_yuan(item.current_yuan))}万元，"
            f"其中有上年同期数据的{figures.grouped(figures.wan_from_yuan(item.compared_yuan))}万元，"
            f"上年同期{figures.grouped(figures.wan_from_yuan(item.base_yuan))}万元"
        ]
        rows.append(
            [
                item.industry_name,
                build.field(
                    f"{base}.value",
                    f"{item.industry_name}{figure.name}",
                    f"{figures.rate(figures.yi_from_yuan(item.current_yuan))}亿元",
                    figures.yi_from_yuan(item.current_yuan),
                    unit="亿元",
                    cell=figures.rate(figures.yi_from_yuan(item.current_yuan)),
                    provenance=lines,
                    enterprise_level=True,
                ),
                build.field(
                    f"{base}.growth",
                    f"{item.industry_name}增速",
                    figures.growth(item.growth_pct) if item.growth_pct is not None else "—",
                    item.growth_pct,
                    unit="%",
                    cell=figures.rate(item.growth_pct) if item.growth_pct is not None else "—",
                    provenance=lines,
                    enterprise_level=True,
                ),
                build.field(
                    f"{base}.pp",
                    f"{item.industry_name}拉动",
                    figures.points(item.contribution_pp, 2),
                    item.contribution_pp,
                    unit="个百分点",
                    cell=figures.rate(item.contribution_pp, 2),
                    provenance=[*lines, "拉动 =（行业本期 − 行业上年同期）÷ 全部上年同期 × 100"],
                    enterprise_level=True,
                ),
            ]
        )
    computed = figure.computed
    lines = same_scope_lines(computed, card.period)
    total = [
        "合计",
        build.field(
            f"{key}.total.value",
            f"{figure.name}同口径合计",
            f"{figures.rate(computed.current_yi)}亿元",
            computed.current_yi,
            unit="亿元",
            cell=figures.rate(computed.current_yi),
            provenance=lines,
            enterprise_level=True,
        ),
        build.field(
            f"{key}.total.growth",
            f"{figure.name}同口径增速",
            figures.growth(computed.growth_pct) if computed.growth_pct is not None else "—",
            computed.growth_pct,
            unit="%",
            cell=figures.rate(computed.growth_pct) if computed.growth_pct is not None else "—",
            provenance=lines,
            enterprise_level=True,
        ),
        build.field(
            f"{key}.total.pp",
            f"{figure.name}各行业拉动之和",
            figures.points(sum((item.contribution_pp for item in figure.contributions), Decimal(0)), 2),
            sum((item.contribution_pp for item in figure.contributions), Decimal(0)),
            unit="个百分点",
            cell=figures.rate(sum((item.contribution_pp for item in figure.contributions), Decimal(0)), 2),
            provenance=["各行业拉动之和等于同口径增速（含新入库企业）"],
            enterprise_level=True,
        ),
    ]
    build.table(
        f"{figure.name}分行业拉动（同口径，现价；企业级统计数据，仅限授权人员）",
        [
            Column("行业"),
            Column("本期（亿元）", "rate"),
            Column("同比增长（%）", "rate"),
            Column("拉动（个百分点）", "pp"),
        ],
        rows,
        total,
        name="分行业拉动",
        enterprise_level=True,
    )


# -- 二、项目招引与建设 -------------------------------------------------------------------------


def _projects(build: Builder, statistics: PipelineStatistics, zone: Place) -> None:
    build.open("projects", "项目招引与建设")
    period = statistics.period
    first, last = period_dates(period)
    rules = statistics.rules
    signed: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for code, category, at_signing, planned in (
        Project.objects.in_zone(zone)
        .signed_between(first, last)
        .order_by("code")
        .values_list("code", "category", "signed_investment_yi", "total_investment_yi")
    ):
        signed[category].append((code, at_signing if at_signing is not None else planned))
    started: dict[str, list[str]] = defaultdict(list)
    for code, category in (
        Project.objects.in_zone(zone).started_between(first, last).order_by("code").values_list("code", "category")
    ):
        started[category].append(code)
    window = f"{first.isoformat()}至{last.isoformat()}"

    def codes(items: Iterable[str]) -> str:
        listed = list(items)
        return "、".join(listed) if listed else "无"

    fields: dict[str, Field] = {}
    rows: list[list[Any]] = []
    totals: dict[str, Any] = defaultdict(Decimal)
    for key, item in statistics.categories.items():
        label = item.label
        projects = signed.get(key, [])
        above = [code for code, amount in projects if amount >= rules.floor_yi]
        base = f"proj.{key}"
        fields[f"{base}.signed"] = build.field(
            f"{base}.signed",
            f"{label}签约项目数",
            f"{item.signed}个",
            item.signed,
            unit="个",
            cell=str(item.signed),
            provenance=[f"签约日期在{window}的{label}项目{len(projects)}个：{codes(c for c, _ in projects)}"],
        )
        fields[f"{base}.investment"] = build.field(
            f"{base}.investment",
            f"{label}签约项目总投资",
            about_yi(item.investment_yi),
            item.investment_yi,
            unit="亿元",
            cell=figures.rate(item.investment_yi),
            provenance=[f"上述{len(projects)}个项目签约时计划总投资之和{figures.rate(item.investment_yi, 2)}亿元"],
        )
        fields[f"{base}.floor_signed"] = build.field(
            f"{base}.floor_signed",
            f"{label}{writing.yi_floor(rules.floor_yi)}以上签约项目数",
            f"{item.floor_signed}个",
            item.floor_signed,
            unit="个",
            provenance=[
                f"签约日期在{window}、签约时计划总投资不低于{figures.plain(rules.floor_yi)}亿元的{label}项目"
                f"{len(above)}个：{codes(above)}"
            ],
        )
        fields[f"{base}.floor_investment"] = build.field(
            f"{base}.floor_investment",
            f"{label}{writing.yi_floor(rules.floor_yi)}以上签约项目总投资",
            about_yi(item.floor_investment_yi),
            item.floor_investment_yi,
            unit="亿元",
            provenance=[f"上述{len(above)}个项目计划总投资之和{figures.rate(item.floor_investment_yi, 2)}亿元"],
        )
        tier_cells: list[Any] = []
        for tier in item.tiers:
            inside = [code for code, amount in projects if tier.tier.contains(amount)]
            tier_key = f"{base}.tier.{figures.plain(tier.tier.low)}"
            fields[tier_key] = build.field(
                tier_key,
                f"{label}{tier.tier.label}项目数",
                f"{tier.count}个",
                tier.count,
                unit="个",
                cell=str(tier.count),
                provenance=[f"{tier.tier.label}（{writing.rule_name(tier.tier.rule)}）：{codes(inside)}"],
            )
            tier_cells.append(fields[tier_key])
            totals[f"tier.{figures.plain(tier.tier.low)}"] += tier.count
        fields[f"{base}.starts"] = build.field(
            f"{base}.starts",
            f"{label}实质性开工项目数",
            f"{item.starts}个",
            item.starts,
            unit="个",
            cell=str(item.starts),
            provenance=[
                f"实质性开工认定日期在{window}的{label}项目{len(started.get(key, []))}个：{codes(started.get(key, []))}"
            ],
        )
        totals["signed"] += item.signed
        totals["investment"] += item.investment_yi
        totals["starts"] += item.starts
        rows.append(
            [label, fields[f"{base}.signed"], fields[f"{base}.investment"], *tier_cells, fields[f"{base}.starts"]]
        )

    candidates = _paragraph_fields(statistics, fields)
    build.sentence(projects_paragraph(statistics), candidates)
    build.sentence(growth_sentence(statistics), _change_fields(build, statistics))
    build.note(counting_rule_note(statistics))
    tiers = next(iter(statistics.categories.values())).tiers
    total_row: list[Any] = [
        "合计",
        build.field(
            "proj.total.signed",
            "签约项目合计",
            f"{totals['signed']}个",
            totals["signed"],
            unit="个",
            cell=str(totals["signed"]),
            provenance=["各类别签约项目数之和"],
        ),
        build.field(
            "proj.total.investment",
            "签约项目总投资合计",
            about_yi(totals["investment"]),
            totals["investment"],
            unit="亿元",
            cell=figures.rate(totals["investment"]),
            provenance=["各类别签约总投资之和"],
        ),
    ]
    for tier in tiers:
        low = figures.plain(tier.tier.low)
        count = int(totals[f"tier.{low}"])
        total_row.append(
            build.field(
                f"proj.total.tier.{low}",
                f"{tier.tier.label}项目合计",
                f"{count}个",
                count,
                unit="个",
                cell=str(count),
                provenance=[f"各类别{tier.tier.label}项目数之和"],
            )
        )
    total_row.append(
        build.field(
            "proj.total.starts",
            "实质性开工项目合计",
            f"{totals['starts']}个",
            totals["starts"],
            unit="个",
            cell=str(totals["starts"]),
            provenance=["各类别实质性开工项目数之和"],
        )
    )
    build.table(
        f"{zone.display_name}{period.full_label}招商项目分类统计（{writing.rule_name(rules.counting_rule)}）",
        [
            Column("类别"),
            Column("签约项目（个）", "int"),
            Column("签约总投资（亿元）", "rate"),
            *(Column(f"{tier.tier.label}（个）", "int") for tier in tiers),
            Column("实质性开工（个）", "int"),
        ],
        rows,
        total_row,
        name="项目分类统计",
    )


def _paragraph_fields(statistics: PipelineStatistics, fields: dict[str, Field]) -> list[Field | None]:
    """The fields of the paragraph-3 sentence in the order it names them."""
    headline = set(statistics.rules.headline_thresholds)
    order: list[Field | None] = []
    for key, counted in ((Category.ADVANCED_MANUFACTURING, "floor"), (Category.MODERN_SERVICES, "all")):
        base = f"proj.{key.value}"
        if counted == "floor":
            order += [fields.get(f"{base}.floor_signed"), fields.get(f"{base}.floor_investment")]
        else:
            order += [fields.get(f"{base}.signed"), fields.get(f"{base}.investment")]
        item = statistics.categories[key.value]
        for tier in item.tiers:
            if tier.tier.low in headline and tier.count > 0:
                order.append(fields.get(f"{base}.tier.{figures.plain(tier.tier.low)}"))
    order.append(fields.get(f"proj.{Category.ADVANCED_MANUFACTURING.value}.starts"))
    if statistics.categories[Category.MODERN_SERVICES.value].starts:
        order.append(fields.get(f"proj.{Category.MODERN_SERVICES.value}.starts"))
    order.append(fields.get(f"proj.{Category.TECHNICAL_RENOVATION.value}.starts"))
    order.append(fields.get(f"proj.{Category.URBAN_CONSTRUCTION.value}.starts"))
    return order


def _percent_change(now: Decimal, before: Decimal) -> Decimal | None:
    """The growth ``_amount_change`` writes, as a figure (none when the year before had nothing)."""
    return figures.percent_change(now, before) if before > 0 else None


def _change_fields(build: Builder, statistics: PipelineStatistics) -> list[Field | None]:
    before = statistics.year_ago
    if before is None or (before.signed_total == 0 and before.starts_total == 0):
        return []
    now_m = statistics.categories[Category.ADVANCED_MANUFACTURING]
    old_m = before.categories[Category.ADVANCED_MANUFACTURING]
    now_s = statistics.categories[Category.MODERN_SERVICES]
    old_s = before.categories[Category.MODERN_SERVICES]
    ago = before.period.full_label

    def count(key: str, label: str, now: int, old: int) -> Field | None:
        return build.field(
            key, label, _count_change(now, old), now - old, unit="个", provenance=[f"本期{now}个，{ago}{old}个"]
        )

    def investment(key: str, label: str, now: Decimal, old: Decimal) -> Field | None:
        return build.field(
            key,
            label,
            _amount_change(now, old),
            _percent_change(now, old),
            unit="%",
            provenance=[f"本期{figures.rate(now, 2)}亿元，{ago}{figures.rate(old, 2)}亿元"],
        )

    return [
        count(
            "proj.change.manufacturing.count",
            "先进制造业签约项目数比上年同期",
            now_m.floor_signed,
            old_m.floor_signed,
        ),
        investment(
            "proj.change.manufacturing.investment",
            "先进制造业签约总投资比上年同期",
            now_m.floor_investment_yi,
            old_m.floor_investment_yi,
        ),
        count("proj.change.services.count", "现代服务业签约项目数比上年同期", now_s.signed, old_s.signed),
        investment(
            "proj.change.services.investment",
            "现代服务业签约总投资比上年同期",
            now_s.investment_yi,
            old_s.investment_yi,
        ),
        count("proj.change.starts", "实质性开工项目数比上年同期", statistics.starts_total, before.starts_total),
    ]


# -- 三、营商环境与政务服务 ---------------------------------------------------------------------


def _service(build: Builder, zone: Place, period: Period, day: date | None) -> None:
    build.open("service", "营商环境与政务服务")
    if not apps.is_installed(SERVICE_APP):
        build.note(writing.SERVICE_NOT_IN_PLATFORM)
        return
    from yuanqu.service.selectors import centre_scorecard
    from yuanqu.service.writing import centre_sentence, figures_sentence

    card = centre_scorecard(zone=zone, period=period, as_of=day)
    if card.items_total == 0 and card.count("accepted") == 0 and card.count("completed") == 0:
        build.note(writing.SERVICE_NO_DATA.format(zone=zone.display_name, period=period.full_label))
        return
    made: dict[str, Field] = {}
    for code, figure in card.figures.items():
        if figure.value is None:
            continue
        ratio = f"（{figure.numerator}/{figure.denominator}）" if figure.denominator else ""
        made[code] = build.field(
            f"svc.{code}",
            figure.label,
            writing.service_text(figure.value, figure.unit),
            figure.value,
            unit=figure.unit,
            cell=writing.service_cell(figure.value, figure.unit),
            provenance=[f"{figure.label}{ratio}：{figure.rule}", f"来源：{figure.source}"],
        )
    build.sentence(
        centre_sentence(card),
        [
            made.get("entry_rate"),
            _count_field(build, "svc.exempt_total", "经批准暂不进驻事项", card.exempt_total, "项"),
            _count_field(build, "svc.pending_total", "尚未进驻事项", card.pending_total, "项"),
            made.get("service_zones"),
            made.get("zones_with_any_window"),
        ],
    )
    build.sentence(
        figures_sentence(card),
        [
            made.get(code)
            for code in (
                "accepted",
                "completed",
                "any_window_share",
                "immediate_share",
                "on_time_rate",
                "one_visit_rate",
                "satisfaction_rate",
                "average_days",
                "completed_late",
                "open_overdue",
            )
        ],
    )
    rows = [
        [
            figure.label,
            made[code],
            build.field(
                f"svc.{code}.ratio",
                f"{figure.label}（分子/分母）",
                f"{figure.numerator}/{figure.denominator}",
                None,
                provenance=[f"{figure.label}：分子{figure.numerator}，分母{figure.denominator}（{figure.rule}）"],
            )
            if figure.denominator
            else "",
            figure.rule,
        ]
        for code, figure in card.figures.items()
        if code in made
    ]
    build.table(
        f"{zone.display_name}政务服务中心{period.full_label}主要指标",
        [Column("指标"), Column("数值"), Column("分子/分母"), Column("口径")],
        rows,
        name="政务服务指标",
    )
    category_rows: list[list[Any]] = []
    sums = [0, 0, 0, 0, 0]
    for line in card.categories:
        values = [line.items, line.in_centre, line.any_window, line.exempt, line.pending]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        category_rows.append(
            [line.label]
            + [
                _count_field(build, f"svc.category.{line.category}.{name}", f"{line.label}{title}", value, "项")
                for name, title, value in zip(_CATEGORY_COLUMNS, _CATEGORY_TITLES, values, strict=True)
            ]
        )
    total = ["合计"] + [
        _count_field(build, f"svc.category.total.{name}", f"{title}合计", value, "项")
        for name, title, value in zip(_CATEGORY_COLUMNS, _CATEGORY_TITLES, sums, strict=True)
    ]
    build.table(
        "依申请六类行政权力事项和公共服务事项进驻情况",
        [Column("事项类别"), *(Column(f"{title}（项）", "int") for title in _CATEGORY_TITLES)],
        category_rows,
        total,
        name="事项进驻",
    )


_CATEGORY_COLUMNS = ("items", "in_centre", "any_window", "exempt", "pending")
_CATEGORY_TITLES = ("事项", "进驻", "综合窗口受理", "经批准不进驻", "尚未进驻")


def _count_field(build: Builder, key: str, label: str, count: int, unit: str) -> Field:
    return build.field(
        key, label, f"{count}{unit}", count, unit=unit, cell=str(count), provenance=[f"{label}：{count}{unit}"]
    )


# -- 四、产业链 ----------------------------------------------------------------------------------


def _chains(build: Builder, zone: Place, period: Period, progress: ChainsProgress) -> None:
    build.open("chains", "产业链（链长+链主制）")
    if not progress.chains:
        build.note(f"{zone.display_name}尚未登记产业链。")
        return
    chains = {chain.pk: chain for chain in Chain.objects.filter(pk__in=[c.chain_id for c in progress.chains])}
    kinds = set(
        ChainProgramme.objects.filter(chain_id__in=list(chains), year=period.year).values_list("kind", flat=True)
    )
    count = build.field(
        "chain.count",
        "重点产业链",
        f"{len(progress.chains)}条",
        len(progress.chains),
        unit="条",
        provenance=[f"登记的产业链：{'、'.join(item.name for item in progress.chains)}"],
    )
    leaders = build.field(
        "chain.with_leader",
        "已明确链长的产业链",
        f"{sum(1 for item in progress.chains if item.leader_name)}条",
        sum(1 for item in progress.chains if item.leader_name),
        unit="条",
        provenance=[f"{item.name}：链长{item.leader_name or '未明确'}" for item in progress.chains],
    )
    masters = build.field(
        "chain.with_master",
        "已明确链主企业的产业链",
        f"{sum(1 for item in progress.chains if item.masters)}条",
        sum(1 for item in progress.chains if item.masters),
        unit="条",
        provenance=[f"{item.name}：链主{'、'.join(item.masters) or '未明确'}" for item in progress.chains],
    )
    build.paragraph(
        writing.chain_system_sentence(count, leaders, masters, [str(p.label) for p in Programme if p.value in kinds])
    )
    if progress.union.enterprises == 0:
        # No 规上 enterprise rows for the period (a year or 前三季度 not imported yet): no output, no
        # target completion, no node gaps (every node would read 缺失 for want of data).
        build.note(writing.CHAINS_NO_DATA)
        return
    time_progress = build.document.fields["time_progress"]
    seen = build.plan(CHAIN_MEASURE)
    everyone: set[int] = set()
    rows: list[list[Any]] = []
    for item in progress.chains:
        made = _chain_fields(build, item, period)
        chain_ids = set().union(*(node.enterprise_ids for node in item.nodes)) if item.nodes else set()
        for name in ("output", "growth"):
            if name in made:
                made[name].members = build.members(chain_ids)
        everyone |= chain_ids
        if not seen.chain(item.chain_id):
            build.withhold(
                seen.reason(chain_cell(item.chain_id)),
                *(made.get(name) for name in ("output", "growth", "completion", "gap", "contribution")),
            )
        build.sentence(
            chain_line(item),
            [made.get(name) for name in ("output", "enterprises", "target", "completion")]
            + [
                time_progress,
                made.get("gap"),
                made.get("growth"),
                made.get("contribution"),
                made.get("missing"),
                made.get("weak"),
            ],
        )
        rows.append(
            [
                item.name,
                item.leader_name or "—",
                "、".join(item.masters) or "—",
                made["output"],
                made.get("target") or "—",
                made.get("completion") or "—",
                made.get("gap") or "—",
                made.get("growth") or "—",
                made["nodes"],
            ]
        )
    union = progress.union
    union_lines = same_scope_lines(union, period)
    union_fields = [
        build.field(
            "chain.union.enterprises",
            "产业链规上企业（每家只计一次）",
            f"{union.enterprises}家",
            union.enterprises,
            unit="家",
            provenance=union_lines,
        ),
        build.field(
            "chain.union.output",
            "产业链产值合计（每家企业只计一次）",
            f"{figures.rate(union.current_yi)}亿元",
            union.current_yi,
            unit="亿元",
            cell=figures.rate(union.current_yi),
            provenance=union_lines,
        ),
        build.field(
            "chain.union.growth",
            "产业链产值合计增速",
            growth_text(union).removeprefix("同比"),
            union.growth_pct,
            unit="%",
            cell=figures.rate(union.growth_pct) if union.growth_pct is not None else "—",
            provenance=union_lines,
        ),
    ]
    if progress.union_share_pct is not None:
        union_fields.append(
            build.field(
                "chain.union.share",
                "产业链产值占园区规上工业总产值比重",
                figures.percent(progress.union_share_pct),
                progress.union_share_pct,
                unit="%",
                provenance=[
                    f"园区规上工业总产值{figures.rate(progress.zone.current_yi) if progress.zone else '—'}亿元"
                ],
            )
        )
    if progress.union_contribution_pp is not None:
        union_fields.append(
            build.field(
                "chain.union.contribution",
                "产业链拉动园区规上工业总产值增长",
                contribution_text(progress.union_contribution_pp),
                progress.union_contribution_pp,
                unit="个百分点",
                provenance=union_lines,
            )
        )
    if progress.shared_enterprises:
        union_fields += [
            build.field(
                "chain.shared",
                "同时属于两条及以上产业链的规上企业",
                f"{progress.shared_enterprises}家",
                progress.shared_enterprises,
                unit="家",
                provenance=[progress.shared_note],
            ),
            build.field(
                "chain.double_counted",
                "各链简单相加重复计算的产值",
                f"{figures.rate(figures.yi_from_yuan(progress.double_counted_yuan))}亿元",
                figures.yi_from_yuan(progress.double_counted_yuan),
                unit="亿元",
                provenance=[
                    f"各链产值简单相加{figures.rate(figures.yi_from_yuan(progress.sum_of_chains_yuan))}亿元，"
                    f"每家只计一次{figures.rate(union.current_yi)}亿元"
                ],
            ),
        ]
    for union_field in union_fields[1:3]:
        union_field.members = build.members(everyone)
    if not seen.union():
        build.withhold(seen.reason(UNION), *(item for item in union_fields if item.key != "chain.union.enterprises"))
    if not seen.double_counted():
        build.withhold(seen.reason(DOUBLE_COUNTED), build.document.fields.get("chain.double_counted"))
    build.sentence(total_line(progress), [count, *union_fields])
    build.table(
        f"{zone.display_name}{period.full_label}重点产业链发展情况（规上工业总产值，同口径，现价）",
        [
            Column("产业链"),
            Column("链长"),
            Column("链主"),
            Column("产值（亿元）", "rate"),
            Column("年度目标"),
            Column("完成率（%）", "rate"),
            Column("较序时进度（个百分点）", "rate"),
            Column("同比增长（%）", "rate"),
            Column("缺失/薄弱节点"),
        ],
        rows,
        ["合计（每家企业只计一次）", "", "", union_fields[1], "", "", "", union_fields[2], ""],
        name="产业链发展",
    )
    _gaps(build, progress)
    _programmes(build, progress, chains, period, seen)
    _nodes(build, progress)


def _chain_fields(build: Builder, item: ChainFigure, period: Period) -> dict[str, Field]:
    base = f"chain.{item.code}"
    output = item.output
    lines = [f"{item.name}：链上企业{item.placed_enterprises}家", *same_scope_lines(output, period)]
    made = {
        "output": build.field(
            f"{base}.output",
            f"{item.name}产值",
            f"{figures.rate(output.current_yi)}亿元",
            output.current_yi,
            unit="亿元",
            cell=figures.rate(output.current_yi),
            provenance=lines,
        ),
        "enterprises": build.field(
            f"{base}.enterprises",
            f"{item.name}规上企业",
            f"{output.enterprises}家",
            output.enterprises,
            unit="家",
            provenance=lines,
        ),
        "missing": build.field(
            f"{base}.missing",
            f"{item.name}缺失节点",
            f"{len(item.missing_nodes)}个（{'、'.join(n.name for n in item.missing_nodes) or '无'}）",
            len(item.missing_nodes),
            unit="个",
            provenance=[f"缺失节点：{'、'.join(n.name for n in item.missing_nodes) or '无'}"],
        ),
        "weak": build.field(
            f"{base}.weak",
            f"{item.name}薄弱节点",
            f"{len(item.weak_nodes)}个（{'、'.join(n.name for n in item.weak_nodes) or '无'}）",
            len(item.weak_nodes),
            unit="个",
            provenance=[f"薄弱节点：{'、'.join(n.name for n in item.weak_nodes) or '无'}"],
        ),
        "nodes": build.field(
            f"{base}.nodes",
            f"{item.name}缺失和薄弱节点数",
            f"缺失{len(item.missing_nodes)}个，薄弱{len(item.weak_nodes)}个",
            None,
            provenance=[
                f"缺失节点：{'、'.join(n.name for n in item.missing_nodes) or '无'}",
                f"薄弱节点：{'、'.join(n.name for n in item.weak_nodes) or '无'}",
            ],
        ),
    }
    if output.growth_pct is not None:
        made["growth"] = build.field(
            f"{base}.growth",
            f"{item.name}产值增速",
            figures.growth(output.growth_pct),
            output.growth_pct,
            unit="%",
            cell=figures.rate(output.growth_pct),
            provenance=lines,
        )
    target = item.target
    if target is not None:
        target_lines = [
            f"{item.name}{target.year}年产值目标{target.qualifier}{figures.plain(target.value_yi)}亿元"
            f"{'（示例数据）' if target.is_sample else ''}"
        ]
        made["target"] = build.field(
            f"{base}.target",
            f"{item.name}年度目标",
            f"{figures.plain(target.value_yi)}亿元",
            target.value_yi,
            unit="亿元",
            cell=figures.plain(target.value_yi),
            provenance=target_lines,
        )
        if target.completion_pct is not None and target.gap_pp is not None:
            made["completion"] = build.field(
                f"{base}.completion",
                f"{item.name}年度目标完成率",
                figures.percent(target.completion_pct),
                target.completion_pct,
                unit="%",
                cell=figures.rate(target.completion_pct),
                provenance=[
                    *target_lines,
                    f"完成率 = 产值 ÷ 年度目标 = {figures.rate(output.current_yi)} ÷ {figures.plain(target.value_yi)}",
                ],
            )
            pace = "快于" if target.gap_pp >= 0 else "落后"
            made["gap"] = build.field(
                f"{base}.gap",
                f"{item.name}较序时进度",
                f"{pace}序时进度{figures.points(target.gap_pp)}",
                target.gap_pp,
                unit="个百分点",
                cell=figures.rate(target.gap_pp),
                provenance=target_lines,
            )
    if item.contribution_pp is not None:
        made["contribution"] = build.field(
            f"{base}.contribution",
            f"{item.name}拉动园区规上工业总产值增长",
            contribution_text(item.contribution_pp),
            item.contribution_pp,
            unit="个百分点",
            cell=figures.rate(item.contribution_pp, 2),
            provenance=[*lines, "拉动 =（本链本期 − 本链上年同期）÷ 园区上年同期 × 100"],
        )
    return made


def _gaps(build: Builder, progress: ChainsProgress) -> None:
    rows: list[list[Any]] = []
    for item in progress.chains:
        for node in item.gaps:
            key = f"chain.{item.code}.node.{node.id}"
            where = f"{item.name}·{node.segment_label}·{node.name}"
            rows.append(
                [
                    item.name,
                    node.segment_label,
                    node.name,
                    build.field(
                        f"{key}.gap",
                        f"{node.name}节点类型",
                        "缺失" if node.gap == "missing" else "薄弱",
                        None,
                        provenance=[f"{where}：缺失为本地无规上企业，薄弱为仅一家本地企业或产值占比低"],
                    ),
                    build.field(f"{key}.reason", f"{node.name}节点原因", node.gap_reason, None, provenance=[where]),
                ]
            )
    if not rows:
        return
    total = build.field(
        "chain.gaps",
        "缺失和薄弱节点",
        f"{len(rows)}个",
        len(rows),
        unit="个",
        cell=f"{len(rows)}个",
        provenance=["各产业链缺失节点（本地无企业）和薄弱节点（仅一家本地企业或产值占比低）之和"],
    )
    build.table(
        "产业链缺失和薄弱节点（招商目标）",
        [Column("产业链"), Column("环节"), Column("节点"), Column("类型"), Column("原因")],
        rows,
        ["合计", "", total, "", ""],
        name="缺失薄弱节点",
    )


def _programmes(
    build: Builder, progress: ChainsProgress, chains: dict[int, Chain], period: Period, seen: Disclosure
) -> None:
    rows: list[list[Any]] = []
    for item in progress.chains:
        chain = chains.get(item.chain_id)
        if chain is None:
            continue
        row: list[Any] = [item.name]
        found = programmes(chain=chain, period=period, figure=item)
        public = {p.kind: p.measure_text for p in programmes_for(found, figure=item, period=period, disclosure=seen)}
        for programme in found:
            lines = [f"{item.name}{programme.name}：{programme.measure_label}（由链上规上企业的数据计算）"]
            if programme.goal:
                lines.append(f"年度目标：{programme.goal}")
            if programme.tasks:
                done = sum(1 for task in programme.tasks if task.progress_pct >= 100)
                lines.append(f"任务{len(programme.tasks)}项，已完成{done}项")
            made = build.field(
                f"chain.{item.code}.programme.{programme.kind}",
                f"{item.name}{programme.name}",
                programme.measure_text,
                programme.measure_value,
                unit=programme.measure_unit,
                provenance=lines,
            )
            if public.get(programme.kind) != programme.measure_text:
                build.withhold("参与计算的企业过少或本链产值保密，单位产值用电可推算出企业数据", made)
            row.append(made)
        rows.append(row)
    if rows:
        build.table(
            "“五大工程”推进情况",
            [Column("产业链"), *(Column(str(kind.label)) for kind in Programme)],
            rows,
            name="五大工程",
        )


def _nodes(build: Builder, progress: ChainsProgress) -> None:
    """Each node's output: enterprise-level (a node of one or two enterprises discloses their figures)."""
    rows: list[list[Any]] = []
    for item in progress.chains:
        for node in item.all_nodes():
            if not node.in_scope:
                continue
            key = f"node.{item.code}.{node.id}"
            lines = [f"{item.name}·{node.name}：规上企业{node.in_scope}家（含下级节点，每家只计一次）"]
            rows.append(
                [
                    item.name,
                    node.segment_label,
                    "　" * node.depth + node.name,
                    build.field(
                        f"{key}.enterprises",
                        f"{node.name}规上企业",
                        f"{node.in_scope}家",
                        node.in_scope,
                        unit="家",
                        cell=str(node.in_scope),
                        provenance=lines,
                        enterprise_level=True,
                    ),
                    build.field(
                        f"{key}.output",
                        f"{node.name}产值",
                        f"{figures.rate(node.current_yi)}亿元",
                        node.current_yi,
                        unit="亿元",
                        cell=figures.rate(node.current_yi),
                        provenance=lines,
                        enterprise_level=True,
                    ),
                    build.field(
                        f"{key}.share",
                        f"{node.name}占全链比重",
                        figures.percent(node.share_pct) if node.share_pct is not None else "—",
                        node.share_pct,
                        unit="%",
                        cell=figures.rate(node.share_pct) if node.share_pct is not None else "—",
                        provenance=lines,
                        enterprise_level=True,
                    ),
                ]
            )
    if rows:
        build.table(
            "产业链节点产值（企业级统计数据，仅限授权人员）",
            [
                Column("产业链"),
                Column("环节"),
                Column("节点"),
                Column("规上企业（家）", "int"),
                Column("产值（亿元）", "rate"),
                Column("占全链比重（%）", "rate"),
            ],
            rows,
            name="节点产值",
            enterprise_level=True,
        )


# -- 五、战略目标 -------------------------------------------------------------------------------


def _goals(build: Builder, card: Scorecard) -> None:
    goals = [(figure, goal) for figure in card.figures for goal in figure.goals]
    build.open("goals", "战略目标")
    if not goals:
        build.note(f"{card.zone_name}没有登记中长期目标。")
        return
    goals.sort(key=lambda pair: -pair[1].goal_value)
    explained = _explain_blocks(card)
    value_fields: list[tuple[IndicatorFigure, Field]] = []
    rows: list[list[Any]] = []
    for figure, goal in goals:
        source = [line for line in explained.get(figure.name, []) if line.startswith(f"{goal.goal_year}年目标")]
        key = f"goal.{figure.code}.{goal.goal_year}"
        target = build.field(
            f"{key}.value",
            f"{figure.name}{goal.goal_year}年目标",
            f"{figures.plain(goal.goal_value)}{goal.unit}",
            goal.goal_value,
            unit=goal.unit,
            cell=f"{goal.qualifier}{figures.plain(goal.goal_value)}",
            provenance=source,
        )
        value_fields.append((figure, target))
        base = required = actual = gap = None
        if goal.base_value is not None:
            origin = "官方发布" if goal.base_origin == "official" else "同口径计算"
            base = build.field(
                f"{key}.base",
                f"{figure.name}{goal.base_year}年基数",
                figures.amount(goal.base_value, goal.unit),
                goal.base_value,
                unit=goal.unit,
                cell=f"{figures.rate(goal.base_value)}（{goal.base_year}年）",
                provenance=[f"{goal.base_year}年全年{figures.rate(goal.base_value)}{goal.unit}（{origin}）", *source],
            )
        if goal.required_growth_pct is not None:
            required = build.field(
                f"{key}.required",
                f"{figure.name}所需年均增长",
                figures.percent(goal.required_growth_pct),
                goal.required_growth_pct,
                unit="%",
                cell=figures.rate(goal.required_growth_pct),
                provenance=["所需年均增长 =（目标 ÷ 基数）^(1 ÷ 年数) − 1", *source],
            )
        if goal.actual_growth_pct is not None:
            actual = build.field(
                f"{key}.actual",
                f"{figure.name}本期实际增长",
                figures.percent(goal.actual_growth_pct),
                goal.actual_growth_pct,
                unit="%",
                cell=figures.rate(goal.actual_growth_pct),
                provenance=[goal.actual_basis, *source],
            )
        if goal.required_growth_pct is not None and goal.actual_growth_pct is not None:
            difference = goal.actual_growth_pct - goal.required_growth_pct
            gap = build.field(
                f"{key}.gap",
                f"{figure.name}实际增长较所需增速",
                writing.gap_phrase(difference, "所需增速"),
                difference,
                unit="个百分点",
                cell=figures.rate(difference),
                provenance=source,
            )
        computed_value, computed_growth, reason = build.withheld_figures.get(figure.code, (False, False, ""))
        if computed_value or computed_growth:
            build.withhold(reason, base if goal.base_origin == "computed" or computed_value else None,
                           required if goal.base_origin == "computed" or computed_value else None,
                           actual if computed_growth else None, gap)  # fmt: skip
        build.paragraph(writing.goal_sentence(figure.name, goal, base, target, required, actual, gap))
        rows.append([figure.name, target, base or "—", required or "—", actual or "—", gap or "—", goal.reason or ""])
    build.section.blocks.insert(0, _goal_headline(build, goals, value_fields))  # type: ignore[union-attr]
    build.table(
        "中长期目标进度（所需年均增长与本期实际增长）",
        [
            Column("指标"),
            Column("目标"),
            Column("基数"),
            Column("所需年均增长（%）", "rate"),
            Column("本期实际增长（%）", "rate"),
            Column("较所需增速（个百分点）", "rate"),
            Column("说明"),
        ],
        rows,
        name="中长期目标",
    )


def _goal_headline(build: Builder, goals: list[Any], value_fields: list[tuple[IndicatorFigure, Field]]) -> Block:
    """锚定“双千亿过百亿”战略目标（到2025年，实现工业开票销售、规模以上工业总产值超2000亿元，…）."""
    segments = writing.goals_headline([goal for _, goal in goals], value_fields)
    return Block(id="goals.p0", kind=PARAGRAPH, segments=merged(segments), editable=True)


# -- 六、下半年重点任务 -------------------------------------------------------------------------


def _tasks(build: Builder, zone: Place, period: Period, day: date | None) -> None:
    if not apps.is_installed(SUPERVISION_APP):
        build.document.notes.append(str(writing.TASKS_NOT_INSTALLED))
        return
    from yuanqu.supervision.colours import SEVERITY, Colour
    from yuanqu.supervision.selectors import default_date, supervision_periods, task_statuses
    from yuanqu.supervision.writing import colour_name

    following = writing.following_periods(period, supervision_periods(zone))
    if not following:
        build.document.notes.append(writing.TASKS_NONE.format(zone=zone.display_name))
        return
    build.open("tasks", writing.tasks_title(period, following[0]))
    rows: list[list[Any]] = []
    colours: dict[Colour, int] = defaultdict(int)
    today = timezone.localdate()
    for next_period in following:
        on = default_date(next_period, day)
        for task in task_statuses(zone=zone, period=next_period, on=on):
            build.heading(
                f"（{NUMBERS[task.number - 1] if 0 < task.number <= len(NUMBERS) else task.number}）{task.wording}"
            )
            key = f"task.{next_period.code}.{task.number}"
            progress = (
                build.field(
                    f"{key}.progress",
                    f"任务{task.number}平均完成进度",
                    figures.percent(task.progress_pct),
                    task.progress_pct,
                    unit="%",
                    cell=figures.rate(task.progress_pct),
                    provenance=[f"各项措施完成进度的简单平均（截至{on.isoformat()}）"],
                )
                if task.progress_pct is not None
                else None
            )
            reason = writing.dated(task.reason, on, today)
            status = build.field(
                f"{key}.status",
                f"任务{task.number}状态",
                f"{task.colour_label}（{reason}）" if reason else task.colour_label,
                None,
                provenance=[
                    f"{item.code} {item.title}：{item.colour_label}，{writing.dated(item.reason, on, today)}"
                    for item in task.measures
                ],
            )
            build.paragraph(writing.task_sentence(task, on, progress, status))
            for measure in task.measures:
                colours[measure.colour] += 1
                rows.append(_measure_row(build, f"{key}.measure.{measure.id}", measure, on, today))
    # Worst first, whatever order the measures come in: the same counts always read the same.
    summary = "，".join(
        f"{colour_name(colour)}{count}项"
        for colour, count in sorted(colours.items(), key=lambda pair: -SEVERITY[pair[0]])
    )
    measures_total = build.field(
        "task.total.measures",
        "重点任务措施合计",
        f"{len(rows)}项措施",
        len(rows),
        unit="项",
        provenance=[f"{'、'.join(p.full_label for p in following)}重点任务的具体举措{len(rows)}项"],
    )
    colours_total = build.field(
        "task.total.colours",
        "重点任务措施按状态合计",
        summary,
        None,
        provenance=[f"各项措施截至状态日期的颜色：{summary or '无'}"],
    )
    build.table(
        "重点任务措施推进情况",
        [
            Column("编号"),
            Column("措施"),
            Column("责任部门"),
            Column("完成时限"),
            Column("完成进度（%）", "rate"),
            Column("状态"),
            Column("说明"),
        ],
        rows,
        ["合计", measures_total, "", "", "", colours_total, ""],
        name="重点任务",
    )


def _measure_row(build: Builder, key: str, measure: Any, on: date, today: date) -> list[Any]:
    """A measure's row: its code and title as the supervision office wrote them, every other cell a field."""
    reason = writing.dated(measure.reason, on, today)
    lines = [f"{measure.code} {measure.title}：{reason}"]
    if measure.link_label:
        lines.append(f"关联：{measure.link_label}；{measure.link_summary}")
    if measure.latest_report is not None:
        report = measure.latest_report
        lines.append(f"最近填报：{report.reported_on.isoformat()} {report.department} {report.text}")
    where = f"督查督办：举措{measure.code}（截至{on.isoformat()}）"
    return [
        measure.code,
        measure.title,
        build.field(f"{key}.department", f"措施{measure.code}责任部门", measure.department, provenance=[where]),
        build.field(
            f"{key}.deadline",
            f"措施{measure.code}完成时限",
            measure.deadline.isoformat(),
            provenance=[where, f"开始日期{measure.starts_on.isoformat()}"],
        ),
        build.field(
            f"{key}.progress",
            f"措施{measure.code}完成进度",
            figures.percent(measure.progress_pct) if measure.progress_pct is not None else "—",
            measure.progress_pct,
            unit="%",
            cell=figures.rate(measure.progress_pct) if measure.progress_pct is not None else "—",
            provenance=lines,
        ),
        build.field(f"{key}.colour", f"措施{measure.code}状态", measure.colour_label, provenance=[where, *lines]),
        build.field(f"{key}.reason", f"措施{measure.code}状态说明", reason, provenance=[where, *lines]),
    ]
