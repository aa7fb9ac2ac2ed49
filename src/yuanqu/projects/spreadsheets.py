"""The project ledger as an .xlsx an office opens as it expects: title, header, rows, totals.

The columns are the import's columns (so an exported ledger imports back unchanged), then a
few read-only ones the import ignores (tier basis, chain role, confirmed start date).
"""

import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from yuanqu.core.models import Place
from yuanqu.projects.ledger import AMOUNT_KEYS, LEDGER_COLUMNS, LEDGER_OPTIONAL_COLUMNS, TOTALS_LABEL
from yuanqu.projects.models import Project

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FILL = PatternFill("solid", fgColor="E8EEF5")
THIN = Side(style="thin", color="B7C4D1")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
EXTRA_COLUMNS: list[tuple[str, str, str]] = [
    ("签约时计划总投资", "signed_investment_yi", "亿元"),
    ("链条作用", "chain_role", ""),
    ("产业链节点", "chain_node", ""),
    ("实质性开工日期", "substantive_start_on", ""),
]
SUMMED = {
    "total_investment_yi",
    "foreign_investment_wan_usd",
    "fixed_asset_investment_yi",
    "equipment_investment_yi",
    "land_mu",
    "expected_sales_yi",
    "expected_tax_wan",
    "expected_jobs",
    "signed_investment_yi",
}


def _credits_text(project: Project) -> str:
    """'investment' alone, or 'investment:60；investment2（招商局）:40' when shared."""
    credits = [credit for credit in project.credits.all() if credit.officer is not None]
    common = _department_text(project)
    parts = []
    for credit in credits:
        assert credit.officer is not None
        name = credit.officer.get_username()
        if credit.department is not None and not common:
            name = f"{name}（{credit.department.code}）"
        parts.append(
            name if len(credits) == 1 and credit.share_pct == 100 else f"{name}:{credit.share_pct.normalize():f}"
        )
    return "；".join(parts)


def _department_text(project: Project) -> str:
    """The department, when every line of the credit names the same one."""
    departments = {credit.department.code if credit.department else "" for credit in project.credits.all()}
    return departments.pop() if len(departments) == 1 else ""


def _value(project: Project, key: str) -> Any:
    if key == "credits":
        return _credits_text(project)
    if key == "department":
        return _department_text(project)
    if key == "chain_node":
        return str(project.chain_node) if project.chain_node_id else ""
    value = getattr(project, key)
    if key in {"category", "stage", "investor_nature", "land_kind", "lead_source", "chain_role"}:
        return getattr(project, f"get_{key}_display")() if value else ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral_value() else value
    return value


def ledger_workbook(*, zone: Place, projects: Sequence[Project], exported_at: datetime) -> bytes:
    columns = LEDGER_COLUMNS + LEDGER_OPTIONAL_COLUMNS + EXTRA_COLUMNS
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "招商项目台账"
    last = get_column_letter(len(columns))
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"] = f"{zone.name}招商项目台账"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 32
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"] = (
        f"导出时间：{exported_at:%Y年%m月%d日 %H:%M}　共{len(projects)}个项目　"
        "金额单位：亿元（外资：万美元；税收：万元）"
    )
    sheet["A2"].alignment = Alignment(horizontal="right")
    for index, (header, key, unit) in enumerate(columns, start=1):
        text = f"{header}（{unit}）" if unit else header
        cell = sheet.cell(row=3, column=index, value=text)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        width = 30 if key in {"name", "investor"} else max(10, len(text) * 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[3].height = 34
    sheet.freeze_panes = "C4"
    row_number = 3
    for project in projects:
        row_number += 1
        for index, (_, key, _) in enumerate(columns, start=1):
            value = _value(project, key)
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.border = BORDER
            if isinstance(value, date):
                cell.number_format = "yyyy-mm-dd"
            elif key in AMOUNT_KEYS or key == "signed_investment_yi":
                cell.number_format = "#,##0.00##"
            elif key == "code":
                cell.number_format = "@"
    totals = row_number + 1
    sheet.cell(row=totals, column=1, value=TOTALS_LABEL)
    sheet.cell(row=totals, column=2, value=f"共{len(projects)}个项目")
    for index, (_, key, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=totals, column=index)
        if key in SUMMED:
            values = [getattr(project, key) for project in projects if getattr(project, key) is not None]
            cell.value = sum(values, Decimal(0)) if key != "expected_jobs" else sum(values)
            cell.number_format = "#,##0.00##" if key != "expected_jobs" else "#,##0"
        cell.fill, cell.font, cell.border = TOTAL_FILL, Font(bold=True), BORDER
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
