"""The project ledger as an .xlsx an office opens as it expects (``yuanqu.exports``).

The columns are the import's columns (so an exported ledger imports back unchanged), then a
few read-only ones the import ignores (tier basis, chain role, confirmed start date). People
and departments are written by the names the office knows (张招商（招商局）:60, 招商局); the
import reads those names as well as user names and department codes.
"""

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User

from yuanqu.core.models import Department, Place
from yuanqu.exports import Column, OfficeWorkbook, export_file_name
from yuanqu.projects.ledger import LEDGER_COLUMNS, LEDGER_OPTIONAL_COLUMNS, TOTALS_LABEL
from yuanqu.projects.models import Project

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
KINDS = {
    "total_investment_yi": "yi2",
    "fixed_asset_investment_yi": "yi2",
    "equipment_investment_yi": "yi2",
    "expected_sales_yi": "yi2",
    "signed_investment_yi": "yi2",
    "foreign_investment_wan_usd": "wan2",
    "expected_tax_wan": "wan2",
    "land_mu": "wan2",
    "expected_jobs": "int",
}
DATE_KEYS = {"signed_on", "registered_on", "land_on", "started_on", "completed_on", "producing_on", "full_capacity_on"}
WIDTHS = {"name": 30, "investor": 30, "credits": 26, "contacts": 28, "chain_node": 24, "status_reason": 24}
CHOICE_KEYS = {"category", "stage", "investor_nature", "land_kind", "lead_source", "chain_role"}


class Names:
    """How a person and a department are written so that the import finds them again.

    A display name shared by two people (or equal to someone's user name) would be read
    back as the wrong person or refused, so those people keep their user name; a department
    name used twice in the zone keeps its code.
    """

    def __init__(self, zone: Place) -> None:
        users = list(User.objects.values_list("username", "first_name", "last_name"))
        counts = Counter(first for _, first, last in users if first and not last)
        usernames = {username for username, _, _ in users}
        self.ambiguous_people = {name for name, count in counts.items() if count > 1} | usernames
        department_names = Counter(Department.objects.filter(zone=zone).values_list("name", flat=True))
        self.ambiguous_departments = {name for name, count in department_names.items() if count > 1}

    def person(self, user: User) -> str:
        if user.first_name and not user.last_name and user.first_name not in self.ambiguous_people:
            return user.first_name
        return user.get_username()

    def department(self, department: Department) -> str:
        return department.code if department.name in self.ambiguous_departments else department.name


def _department_text(project: Project, names: Names) -> str:
    """The department, when every line of the credit names the same one."""
    departments = {credit.department for credit in project.credits.all()}
    if len(departments) != 1:
        return ""
    department = departments.pop()
    return names.department(department) if department is not None else ""


def _credits_text(project: Project, names: Names) -> str:
    """'张招商' alone, or '张招商:60；孙招商（经济发展局）:40' when shared."""
    credits = [credit for credit in project.credits.all() if credit.officer is not None]
    common = _department_text(project, names)
    parts = []
    for credit in credits:
        assert credit.officer is not None
        name = names.person(credit.officer)
        if credit.department is not None and not common:
            name = f"{name}（{names.department(credit.department)}）"
        parts.append(
            name if len(credits) == 1 and credit.share_pct == 100 else f"{name}:{credit.share_pct.normalize():f}"
        )
    return "；".join(parts)


def _value(project: Project, key: str, names: Names) -> Any:
    if key == "credits":
        return _credits_text(project, names)
    if key == "department":
        return _department_text(project, names)
    if key == "chain_node":
        return str(project.chain_node) if project.chain_node_id else ""
    value = getattr(project, key)
    if key in CHOICE_KEYS:
        return getattr(project, f"get_{key}_display")() if value else ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral_value() else value
    return value


def _column(header: str, key: str, unit: str) -> Column:
    kind = KINDS.get(key, "date" if key in DATE_KEYS or key == "substantive_start_on" else "text")
    return Column(f"{header}（{unit}）" if unit else header, kind, width=WIDTHS.get(key), total=key in SUMMED)


def ledger_workbook(*, zone: Place, projects: Sequence[Project], exported_at: datetime, scope: str = "") -> bytes:
    keys = LEDGER_COLUMNS + LEDGER_OPTIONAL_COLUMNS + EXTRA_COLUMNS
    names = Names(zone)
    book = OfficeWorkbook()
    sheet = book.sheet(
        name="招商项目台账",
        title=f"{zone.name}招商项目台账",
        subtitle="　".join(
            part
            for part in (
                zone.display_name,
                scope,
                f"共{len(projects)}个项目",
                "金额单位：亿元（外资：万美元；税收：万元）",
            )
            if part
        ),
        columns=[_column(header, key, unit) for header, key, unit in keys],
        exported_at=exported_at,
        frozen_columns=2,
        landscape=True,
    )
    for project in projects:
        sheet.row([_value(project, key, names) for _, key, _ in keys])
    sheet.total_row(TOTALS_LABEL, values={1: f"共{len(projects)}个项目"})
    return book.to_bytes()


def ledger_file_name(zone: Place, on: date, scope: str = "") -> tuple[str, str]:
    """扬州经开区_招商项目台账_先进制造业_2026年12月1日.xlsx, and its ASCII fallback."""
    day = f"{on.year}年{on.month}月{on.day}日"
    return export_file_name(zone.display_name, "招商项目台账", scope, day), f"project-ledger-{zone.code}-{on}.xlsx"
