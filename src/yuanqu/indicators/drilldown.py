"""Drill-down of an enterprise-aggregated indicator to its enterprises (statisticians only).

The same scope as the scorecard: the enterprises in scope (规上) in the period's last
month, their cumulative values this year against their own values a year earlier.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Sum
from openpyxl import Workbook
from openpyxl.styles import Font

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.core.services import audit_record
from yuanqu.indicators.models import EnterpriseMonth, Indicator
from yuanqu.industries import division_name
from yuanqu.periods import Period

HUNDRED = Decimal(100)
SORTS = {
    "contribution": (lambda row: row.contribution_pp, True),
    "growth": (lambda row: row.growth_pct if row.growth_pct is not None else Decimal("-1e9"), True),
    "current": (lambda row: Decimal(row.current_yuan), True),
    "name": (lambda row: row.name, False),
}


@dataclass(frozen=True)
class EnterpriseFigure:
    uscc: str
    name: str
    industry: str
    industry_name: str
    current_yuan: int
    base_yuan: int
    has_base: bool
    growth_pct: Decimal | None
    contribution_pp: Decimal

    @property
    def current_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.current_yuan)

    @property
    def base_wan(self) -> Decimal:
        return figures.wan_from_yuan(self.base_yuan)


def enterprise_figures(
    *, zone: Place, indicator: Indicator, period: Period, sort: str = "contribution"
) -> list[EnterpriseFigure]:
    field = indicator.enterprise_field
    if indicator.origin != Indicator.Origin.ENTERPRISE or not field or not period.is_cumulative:
        return []
    in_scope = EnterpriseMonth.objects.filter(
        zone=zone, year=period.year, month=period.last_month, above_scale=True
    ).values("enterprise_id")
    current = (
        EnterpriseMonth.objects.filter(
            zone=zone, year=period.year, month__lte=period.last_month, enterprise_id__in=in_scope
        )
        .values("enterprise_id", "enterprise__uscc", "enterprise__name", "enterprise__industry_code")
        .annotate(total=Sum(field))
    )
    base = dict(
        EnterpriseMonth.objects.filter(year=period.year - 1, month__lte=period.last_month, enterprise_id__in=in_scope)
        .values("enterprise_id")
        .annotate(total=Sum(field))
        .values_list("enterprise_id", "total")
    )
    total_base = sum(int(value or 0) for value in base.values())
    rows = []
    for row in current:
        now = int(row["total"] or 0)
        before = int(base.get(row["enterprise_id"]) or 0)
        industry = (row["enterprise__industry_code"] or "")[:3]
        rows.append(
            EnterpriseFigure(
                uscc=row["enterprise__uscc"],
                name=row["enterprise__name"],
                industry=industry,
                industry_name=division_name(industry),
                current_yuan=now,
                base_yuan=before,
                has_base=row["enterprise_id"] in base,
                growth_pct=figures.percent_change(Decimal(now), Decimal(before)) if before > 0 else None,
                contribution_pp=Decimal(now - before) / Decimal(total_base) * HUNDRED if total_base else Decimal(0),
            )
        )
    key, descending = SORTS.get(sort, SORTS["contribution"])
    rows.sort(key=key, reverse=descending)
    return rows


def _workbook(rows: list[EnterpriseFigure], indicator: Indicator, zone: Place, period: Period) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "企业明细"
    sheet.append([f"{zone.name}{period.full_label}{indicator.name}分企业情况（同口径，规上企业）"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(
        [
            "统一社会信用代码",
            "企业名称",
            "行业",
            "本期累计（万元）",
            "上年同期（万元）",
            "增长（%）",
            "拉动（个百分点）",
        ]
    )
    for row in rows:
        sheet.append(
            [
                row.uscc,
                row.name,
                row.industry_name,
                float(round(row.current_wan, 4)),
                float(round(row.base_wan, 4)) if row.has_base else None,
                float(figures.round_half_up(row.growth_pct)) if row.growth_pct is not None else None,
                float(figures.round_half_up(row.contribution_pp, 2)),
            ]
        )
    for column, width in zip("ABCDEFG", [22, 36, 28, 16, 16, 10, 16], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
    audit_record(
        action="export.enterprise_figures",
        summary=f"导出{zone.display_name}{period.full_label}{indicator.name}分企业数据（{len(rows)}家）",
        actor=actor,
        detail={"zone": zone.code, "indicator": indicator.code, "period": period.code, "rows": len(rows)},
        ip_address=ip_address,
    )
    return _workbook(rows, indicator, zone, period)
