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

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.core.services import audit_record
from yuanqu.exports import Column, OfficeWorkbook
from yuanqu.indicators.models import Enterprise, Indicator
from yuanqu.indicators.scope import BaseKind
from yuanqu.indicators.selectors import Contribution, contributions, enterprise_bases
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


def _workbook(
    rows: list[EnterpriseFigure], industries: list[Contribution], indicator: Indicator, zone: Place, period: Period
) -> bytes:
    book = OfficeWorkbook()
    subtitle = f"{zone.name}　{period.full_label}　同口径，规上企业，现价；金额单位：万元"
    sheet = book.sheet(
        name="分企业",
        title=f"{zone.name}{period.full_label}{indicator.name}分企业情况",
        subtitle=subtitle,
        frozen_columns=2,
        columns=[
            Column("统一社会信用代码"),
            Column("企业名称"),
            Column("行业"),
            Column(f"本期{_span_word(period)}（万元）", "wan", total=True),
            Column("上年同期（万元）", "wan", total=True),
            Column("上年同期来源"),
            Column("新入库"),
            Column("增长（%）", "rate"),
            Column("拉动（个百分点）", "pp", total=True),
        ],
    )
    for row in rows:
        sheet.row(
            [
                row.uscc,
                row.name,
                row.industry_name,
                figures.round_half_up(row.current_wan, 4),
                figures.round_half_up(row.base_wan, 4) if row.has_base else None,
                row.base_label,
                "是" if row.new_entrant else "否",
                figures.round_half_up(row.growth_pct) if row.growth_pct is not None else None,
                figures.round_half_up(row.contribution_pp, 2) if row.contribution_pp is not None else None,
            ]
        )
    sheet.total_row(f"合计（{len(rows)}家）")
    by_industry = book.sheet(
        name="分行业",
        title=f"{zone.name}{period.full_label}{indicator.name}分行业拉动",
        subtitle=f"{zone.name}　{period.full_label}　同口径，规上企业，现价；金额单位：亿元",
        columns=[
            Column("行业"),
            Column("行业代码"),
            Column("本期（亿元）", "yi2", total=True),
            Column("上年同期（亿元）", "yi2", total=True),
            Column("增长（%）", "rate"),
            Column("拉动（个百分点）", "pp", total=True),
        ],
    )
    for item in industries:
        by_industry.row(
            [
                item.industry_name,
                item.industry,
                figures.round_half_up(figures.yi_from_yuan(item.current_yuan), 4),
                figures.round_half_up(figures.yi_from_yuan(item.base_yuan), 4),
                figures.round_half_up(item.growth_pct) if item.growth_pct is not None else None,
                figures.round_half_up(item.contribution_pp, 2),
            ]
        )
    by_industry.total_row()
    return book.to_bytes()


def _span_word(period: Period) -> str:
    return "累计" if period.is_cumulative else "当月"


@transaction.atomic
def enterprise_figures_export(
    *,
    zone: Place,
    indicator: Indicator,
    period: Period,
    actor: User | AnonymousUser,
    ip_address: str | None,
) -> bytes:
    """The drill-down as an .xlsx file; exporting enterprise-level data is audited."""
    rows = enterprise_figures(zone=zone, indicator=indicator, period=period)
    industries = contributions(zone, indicator, period)
    audit_record(
        action="export.enterprise_figures",
        summary=f"导出{zone.display_name}{period.full_label}{indicator.name}分企业数据（{len(rows)}家）",
        actor=actor,
        detail={"zone": zone.code, "indicator": indicator.code, "period": period.code, "rows": len(rows)},
        ip_address=ip_address,
    )
    return _workbook(rows, industries, indicator, zone, period)
