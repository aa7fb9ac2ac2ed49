"""Drill-down of an enterprise-aggregated indicator to its enterprises (statisticians only).

The same scope and the same rule as the scorecard (``indicators/scope.py``): the enterprises
in scope (规上) in the period's last month, their values this year against their base a year
earlier — their own rows, a reported 上年同期, zero for a marked 新投产, or none (缺上年数据,
left out of the growth and shown as such).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils.translation import gettext

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.core.services import audit_record
from yuanqu.exports import Column, OfficeWorkbook, export_file_name
from yuanqu.indicators.models import Enterprise, Indicator
from yuanqu.indicators.scope import BaseKind
from yuanqu.indicators.selectors import IndicatorFigure, enterprise_bases, scorecard
from yuanqu.industries import division_name
from yuanqu.periods import Period

HUNDRED = Decimal(100)
SORTS = {
    "contribution": (lambda row: row.contribution_pp if row.contribution_pp is not None else Decimal("-1e9"), True),
    "growth": (lambda row: row.growth_pct if row.growth_pct is not None else Decimal("-1e9"), True),
    "current": (lambda row: Decimal(row.current_yuan), True),
    "name": (lambda row: row.name, False),
}


@dataclass(frozen=True)
class EnterpriseFigure:
    enterprise_id: int
    uscc: str
    name: str
    industry: str
    industry_name: str
    current_yuan: int
    base_yuan: int
    base_kind: BaseKind
    new_entrant: bool  # 新入库: not 规上 at any month of the year before
    growth_pct: Decimal | None
    contribution_pp: Decimal | None  # None for an enterprise left out of the growth (缺上年数据)

    @property
    def has_base(self) -> bool:
        return self.base_kind != BaseKind.MISSING

    @property
    def base_label(self) -> str:
        return self.base_kind.label

    @property
    def current_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.current_yuan)

    @property
    def base_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.base_yuan)


def enterprise_figures(
    *, zone: Place, indicator: Indicator, period: Period, sort: str = "contribution"
) -> list[EnterpriseFigure]:
    """The enterprises behind a zone's same-scope figure, each with its base by the one rule
    (``indicators/scope.py``): so their 拉动 add up to the zone's growth."""
    field = indicator.enterprise_field
    if indicator.origin != Indicator.Origin.ENTERPRISE or not field:
        return []
    found = enterprise_bases(period=period, fields=[field], zone=zone)[field]
    described = {
        pk: (code, name, industry)
        for pk, code, name, industry in Enterprise.objects.filter(pk__in=list(found)).values_list(
            "pk", "uscc", "name", "industry_code"
        )
    }
    total_base = sum(item.base_yuan for item in found.values() if item.has_base)
    rows = []
    for enterprise_id, item in found.items():
        code, name, industry_code = described[enterprise_id]
        industry = (industry_code or "")[:3]
        rows.append(
            EnterpriseFigure(
                enterprise_id=enterprise_id,
                uscc=code,
                name=name,
                industry=industry,
                industry_name=division_name(industry),
                current_yuan=item.current_yuan,
                base_yuan=item.base_yuan,
                base_kind=item.kind,
                new_entrant=item.new_entrant,
                growth_pct=item.growth_pct,
                contribution_pp=(
                    Decimal(item.current_yuan - item.base_yuan) / Decimal(total_base) * HUNDRED
                    if item.has_base and total_base > 0
                    else None
                ),
            )
        )
    key, descending = SORTS.get(sort, SORTS["contribution"])
    rows.sort(key=key, reverse=descending)
    return rows


@dataclass(frozen=True)
class EnterpriseFilter:
    """What the statistician narrowed the list to: a name or code, an industry, 新入库 only."""

    query: str = ""
    industry: str = ""
    new_only: bool = False

    @property
    def is_active(self) -> bool:
        return bool(self.query or self.industry or self.new_only)

    def describe(self, industries: dict[str, str]) -> str:
        parts = []
        if self.query:
            parts.append(gettext("名称或代码含“%(query)s”") % {"query": self.query})
        if self.industry:
            parts.append(gettext("行业：%(industry)s") % {"industry": industries.get(self.industry, self.industry)})
        if self.new_only:
            parts.append(gettext("仅新入库企业"))
        return "；".join(parts)


@dataclass(frozen=True)
class EnterpriseTotals:
    """The 合计 row of a list of enterprises: sums, the set's own growth, the summed 拉动."""

    enterprises: int
    new_enterprises: int  # 新入库
    current_yuan: int  # every enterprise listed
    base_yuan: int  # the enterprises with a base
    growth_pct: Decimal | None  # those with a base: their current against their base
    contribution_pp: Decimal
    without_base: int = 0  # 缺上年数据, left out of the growth

    @property
    def current_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.current_yuan)

    @property
    def base_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.base_yuan)


def enterprises_filtered(rows: list[EnterpriseFigure], chosen: EnterpriseFilter) -> list[EnterpriseFigure]:
    query = chosen.query.casefold()
    return [
        row
        for row in rows
        if (not query or query in row.name.casefold() or query in row.uscc.casefold())
        and (not chosen.industry or row.industry == chosen.industry)
        and (not chosen.new_only or row.new_entrant)
    ]


def enterprise_totals(rows: list[EnterpriseFigure]) -> EnterpriseTotals:
    """Contributions add up; growth rates do not, so the set's growth comes from its sums."""
    compared = [row for row in rows if row.has_base]
    current = sum(row.current_yuan for row in compared)
    base = sum(row.base_yuan for row in compared)
    return EnterpriseTotals(
        enterprises=len(rows),
        new_enterprises=sum(1 for row in rows if row.new_entrant),
        current_yuan=sum(row.current_yuan for row in rows),
        base_yuan=base,
        growth_pct=figures.percent_change(Decimal(current), Decimal(base)) if base > 0 else None,
        contribution_pp=sum((row.contribution_pp for row in compared if row.contribution_pp is not None), Decimal(0)),
        without_base=len(rows) - len(compared),
    )


def industry_choices(rows: list[EnterpriseFigure]) -> dict[str, str]:
    """The industries present, by code, in code order (for the filter)."""
    return {row.industry: row.industry_name for row in sorted(rows, key=lambda row: row.industry)}


ENTERPRISE_COLUMNS = [
    Column("统一社会信用代码", width=22),
    Column("企业名称", width=38),
    Column("行业"),
    Column("本期累计（万元）", "wan", total=True),
    Column("上年同期（万元）", "wan", total=True),
    Column("上年同期来源"),
    Column("增长（%）", "rate"),
    Column("拉动（个百分点）", "pp", total=True),
    Column("新入库"),
]
INDUSTRY_COLUMNS = [
    Column("行业代码"),
    Column("行业", width=34),
    Column("本期累计（亿元）", "yi2", total=True),
    Column("上年同期（亿元）", "yi2", total=True),
    Column("增长（%）", "rate"),
    Column("拉动（个百分点）", "pp", total=True),
]


def _rounded(value: Decimal | None, places: int = 1) -> Decimal | None:
    return None if value is None else figures.round_half_up(value, places)


def _workbook(
    rows: list[EnterpriseFigure],
    figure: IndicatorFigure | None,
    indicator: Indicator,
    zone: Place,
    period: Period,
    chosen: EnterpriseFilter,
    industries: dict[str, str],
) -> bytes:
    book = OfficeWorkbook()
    scope = "同口径，规上企业"
    subtitle = f"{zone.display_name}　{period.full_label}　{scope}"
    if chosen.is_active:
        subtitle += f"　筛选：{chosen.describe(industries)}"
    sheet = book.sheet(
        name="分企业",
        title=f"{zone.name}{period.full_label}{indicator.name}分企业情况",
        subtitle=subtitle,
        columns=ENTERPRISE_COLUMNS,
        frozen_columns=2,
        landscape=True,
    )
    for row in rows:
        sheet.row(
            [
                row.uscc,
                row.name,
                row.industry_name,
                row.current_wan,
                row.base_wan if row.has_base else None,
                row.base_label,
                _rounded(row.growth_pct),
                _rounded(row.contribution_pp, 2),
                "新入库" if row.new_entrant else "",
            ]
        )
    totals = enterprise_totals(rows)
    sheet.total_row(
        values={
            2: f"{totals.enterprises}家（新入库{totals.new_enterprises}家）",
            3: totals.current_wan,
            4: totals.base_wan,
            5: f"缺上年数据{totals.without_base}家，未计入增速" if totals.without_base else "",
            6: _rounded(totals.growth_pct),
            7: _rounded(totals.contribution_pp, 2),
        }
    )
    contributions = figure.contributions if figure is not None else []
    by_industry = book.sheet(
        name="分行业",
        title=f"{zone.name}{period.full_label}{indicator.name}分行业拉动",
        subtitle=f"{zone.display_name}　{period.full_label}　{scope}（全部企业，不受筛选影响）",
        columns=INDUSTRY_COLUMNS,
        frozen_columns=2,
    )
    for item in contributions:
        by_industry.row(
            [
                item.industry,
                item.industry_name,
                figures.yi_from_yuan(item.current_yuan),
                figures.yi_from_yuan(item.base_yuan),
                _rounded(item.growth_pct),
                _rounded(item.contribution_pp, 2),
            ]
        )
    current = sum(item.current_yuan for item in contributions)
    compared = sum(item.compared_yuan for item in contributions)
    base = sum(item.base_yuan for item in contributions)
    by_industry.total_row(
        values={
            2: figures.yi_from_yuan(current),
            3: figures.yi_from_yuan(base),
            4: _rounded(figures.percent_change(Decimal(compared), Decimal(base))) if base > 0 else None,
            5: _rounded(sum((item.contribution_pp for item in contributions), Decimal(0)), 2),
        }
    )
    return book.to_bytes()


def export_name(zone: Place, indicator: Indicator, period: Period) -> tuple[str, str]:
    """扬州经开区_工业开票销售分企业_2023年上半年.xlsx, and its ASCII fallback."""
    fallback = f"{indicator.code}-{zone.code}-{period.code.replace('~', '-')}.xlsx"
    return export_file_name(zone.display_name, f"{indicator.name}分企业", period.full_label), fallback


@transaction.atomic
def enterprise_figures_export(
    *,
    zone: Place,
    indicator: Indicator,
    period: Period,
    actor: User | AnonymousUser,
    ip_address: str | None,
    sort: str = "contribution",
    chosen: EnterpriseFilter | None = None,
) -> bytes:
    """The drill-down as an .xlsx file (the enterprises as filtered, and the industries);
    exporting enterprise-level data is audited."""
    chosen = chosen or EnterpriseFilter()
    every = enterprise_figures(zone=zone, indicator=indicator, period=period, sort=sort)
    industries = industry_choices(every)
    rows = enterprises_filtered(every, chosen)
    figure = scorecard(zone=zone, period=period, indicators=[indicator]).figures[0] if every else None
    described = f"，{chosen.describe(industries)}" if chosen.is_active else ""
    audit_record(
        action="export.enterprise_figures",
        summary=f"导出{zone.display_name}{period.full_label}{indicator.name}分企业数据（{len(rows)}家{described}）",
        actor=actor,
        detail={
            "zone": zone.code,
            "indicator": indicator.code,
            "period": period.code,
            "rows": len(rows),
            "query": chosen.query,
            "industry": chosen.industry,
            "new_only": chosen.new_only,
        },
        ip_address=ip_address,
    )
    return _workbook(rows, figure, indicator, zone, period, chosen, industries)
