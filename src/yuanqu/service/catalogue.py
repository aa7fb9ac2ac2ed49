"""The item catalogue (事项清单) as a spreadsheet: its columns, the check of an imported file, the export.

This module only checks and converts, naming every problem by file, row and column; the
service writes only when nothing is wrong. The export writes the same columns under a title,
so an exported catalogue imports back unchanged.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_date

from yuanqu.exports import Column, OfficeWorkbook
from yuanqu.indicators.importing import ImportIssue, header_key, locate_columns, parse_decimal
from yuanqu.indicators.tabular import Table
from yuanqu.service.models import Item, ItemCategory, ItemKind, Presence
from yuanqu.texts import max_length, text_problem

CATALOGUE_COLUMNS: list[tuple[str, str, str]] = [
    # (header, key, unit in brackets)
    ("事项编码", "code", ""),
    ("事项名称", "name", ""),
    ("事项类别", "category", ""),
    ("实施部门", "department", ""),
    ("法定办结时限", "legal_limit_days", "工作日"),
    ("承诺办结时限", "promised_limit_days", "工作日"),
    ("办件类型", "kind", ""),
    ("进驻方式", "presence", ""),
]
CATALOGUE_OPTIONAL_COLUMNS: list[tuple[str, str, str]] = [
    ("收费标准", "fee_yuan", "元"),
    ("申请材料", "materials", ""),
    ("受理专区", "service_zone", ""),
    ("不进驻批准文件", "exemption_document", ""),
    ("不进驻批准日期", "exemption_approved_on", ""),
    ("在用", "is_active", ""),
    ("示例数据", "is_sample", ""),
]
ALL_COLUMNS = CATALOGUE_COLUMNS + CATALOGUE_OPTIONAL_COLUMNS
COLUMN_NAMES = {key: header for header, key, _ in ALL_COLUMNS}
ITEM_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_\-.]{0,39}$")
MATERIAL_SEPARATORS = re.compile(r"[；;\n]+")
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0"}
NO_FEE = {"", "不收费", "免费", "无"}
MAX_LIMIT_DAYS = 365
MATERIAL_LIMIT = 100
# The most characters each free-text column holds (the item's field).
TEXT_LIMITS = {key: max_length(Item, key) for key in ("name", "exemption_document")}


def choice_lookup(choices: Any) -> dict[str, str]:
    """A choice by its Chinese label or its code."""
    lookup = {str(label): value for value, label in choices.choices}
    lookup.update({value: value for value in choices.values})
    return lookup


CATEGORY_WORDS = choice_lookup(ItemCategory)
KIND_WORDS = choice_lookup(ItemKind)
PRESENCE_WORDS = choice_lookup(Presence)


@dataclass
class CatalogueRow:
    row: int
    code: str
    values: dict[str, Any]
    department: str
    service_zone: str


@dataclass
class ParsedCatalogue:
    file_name: str
    rows: list[CatalogueRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def _skip_title(table: Table) -> Table:
    """An exported catalogue starts with a title and a subtitle; the header is the row with 事项编码."""
    if any(header_key(text) == "事项编码" for text in table.header):
        return table
    for index, (_, cells) in enumerate(table.rows[:5]):
        if any(header_key(text) == "事项编码" for text in cells):
            return Table(table.file_name, [cell.strip() for cell in cells], table.rows[index + 1 :])
    return table


def parse_day(text: str) -> date | None:
    cleaned = text.strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    parts = cleaned.split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        cleaned = f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    try:
        return parse_date(cleaned[:10])
    except ValueError:
        return None


def parse_materials(text: str) -> list[str]:
    return [part.strip() for part in MATERIAL_SEPARATORS.split(text) if part.strip()]


def parse_catalogue(table: Table) -> ParsedCatalogue:
    table = _skip_title(table)
    result = ParsedCatalogue(table.file_name)
    positions, issues = locate_columns(table, CATALOGUE_COLUMNS, CATALOGUE_OPTIONAL_COLUMNS)
    if issues:
        result.issues = issues
        return result
    headers = {key: table.header[index] for key, index in positions.items()}
    result.headers = headers
    first_row_of: dict[str, int] = {}

    def cell(cells: list[str], key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        problems: list[tuple[str, str]] = []
        values: dict[str, Any] = {}
        code = cell(cells, "code")
        if not code:
            problems.append(("code", "不能为空"))
        elif not ITEM_CODE.match(code):
            problems.append(("code", f"“{code}”应由字母、数字、短横线或点组成，不超过40个字符"))
        else:
            first = first_row_of.setdefault(code, number)
            if first != number:
                problems.append(("code", f"与第{first}行重复"))
        name = cell(cells, "name")
        if not name:
            problems.append(("name", "不能为空"))
        elif problem := text_problem(name, TEXT_LIMITS["name"]):
            problems.append(("name", problem))
        values["name"] = name
        for key, lookup, allowed in (
            ("category", CATEGORY_WORDS, "、".join(str(label) for label in ItemCategory.labels)),
            ("kind", KIND_WORDS, "即办件或承诺件"),
            ("presence", PRESENCE_WORDS, "、".join(str(label) for label in Presence.labels)),
        ):
            text = cell(cells, key)
            value = lookup.get(text)
            if value is None:
                problems.append((key, f"“{text}”应为{allowed}之一" if text else "不能为空"))
            values[key] = value
        for key in ("legal_limit_days", "promised_limit_days"):
            text = cell(cells, key)
            if not text.isdigit():
                problems.append((key, f"“{text}”应为不小于0的整数（工作日）" if text else "不能为空"))
                values[key] = None
            elif int(text) > MAX_LIMIT_DAYS:
                problems.append((key, f"“{text}”超过{MAX_LIMIT_DAYS}个工作日"))
                values[key] = None
            else:
                values[key] = int(text)
        legal, promised = values["legal_limit_days"], values["promised_limit_days"]
        if legal is not None and promised is not None and promised > legal:
            problems.append(("promised_limit_days", f"承诺时限{promised}个工作日超过法定时限{legal}个工作日"))
        if values["kind"] == ItemKind.IMMEDIATE and promised not in (None, 0):
            problems.append(("promised_limit_days", "即办件的承诺时限应为0（当场办结）"))
        fee_text = cell(cells, "fee_yuan")
        values["fee_yuan"] = Decimal(0)
        if fee_text not in NO_FEE:
            try:
                fee = parse_decimal(fee_text.removesuffix("元"))
            except ValueError as exc:
                problems.append(("fee_yuan", str(exc)))
            else:
                if fee < 0 or fee >= Decimal(10) ** 8 or fee != fee.quantize(Decimal("0.01")):
                    problems.append(("fee_yuan", f"“{fee_text}”应为不小于0、最多两位小数的金额（元）"))
                else:
                    values["fee_yuan"] = fee
        materials = parse_materials(cell(cells, "materials"))
        if len(set(materials)) != len(materials):
            problems.append(("materials", "材料名称重复"))
        if any(len(material) > MATERIAL_LIMIT for material in materials):
            problems.append(("materials", f"每项材料名称不超过{MATERIAL_LIMIT}个字符"))
        elif problem := text_problem(cell(cells, "materials"), multiline=True):  # a material a line
            problems.append(("materials", problem))
        values["materials"] = materials
        document = cell(cells, "exemption_document")
        if problem := text_problem(document, TEXT_LIMITS["exemption_document"]):
            problems.append(("exemption_document", problem))
        approved_text = cell(cells, "exemption_approved_on")
        approved = parse_day(approved_text) if approved_text else None
        if approved_text and approved is None:
            problems.append(("exemption_approved_on", f"“{approved_text}”不是日期（应为 2023-03-15）"))
        if values["presence"] == Presence.EXEMPT:
            if not document:
                problems.append(("exemption_document", "经批准不进驻的事项须填写批准文件"))
            if approved is None and not approved_text:
                problems.append(("exemption_approved_on", "经批准不进驻的事项须填写批准日期"))
        elif document or approved_text:
            problems.append(("exemption_document", "只有经批准不进驻的事项填写批准文件和日期"))
        values["exemption_document"] = document
        values["exemption_approved_on"] = approved
        zone_text = cell(cells, "service_zone")
        if values["presence"] in (Presence.WINDOW, Presence.ANY_WINDOW) and not zone_text:
            problems.append(("service_zone", "进驻中心的事项须填写受理专区"))
        for key, default in (("is_active", True), ("is_sample", False)):
            text = cell(cells, key).lower()
            if text and text not in YES and text not in NO:
                problems.append((key, f"“{text}”应为“是”或“否”"))
            values[key] = default if not text else text in YES
        department = cell(cells, "department")
        if not department:
            problems.append(("department", "不能为空"))
        for key, text in (("department", department), ("service_zone", zone_text)):  # looked up by name
            if problem := text_problem(text):
                problems.append((key, problem))
        if problems:
            result.issues.extend(
                ImportIssue(table.file_name, number, headers.get(key) or COLUMN_NAMES[key], message)
                for key, message in problems
            )
            continue
        result.rows.append(CatalogueRow(number, code, values, department, zone_text))
    if not table.rows:
        result.issues.append(ImportIssue(table.file_name, 2, "", "文件没有数据行"))
    return result


def _header(header: str, unit: str) -> str:
    return f"{header}（{unit}）" if unit else header


def catalogue_workbook(
    *, zone_name: str, items: list[Item], exported_at: datetime, departments: dict[int, str] | None = None
) -> bytes:
    """The catalogue as the platform's template: title, header, one row per item (imports back)."""
    kinds = {key: "int" for key in ("legal_limit_days", "promised_limit_days")}
    kinds["fee_yuan"] = "decimal"
    kinds["exemption_approved_on"] = "date"
    book = OfficeWorkbook()
    sheet = book.sheet(
        name="事项清单",
        title=f"{zone_name}政务服务事项清单",
        subtitle=f"共{len(items)}项　时限单位：工作日　收费单位：元",
        columns=[Column(_header(header, unit), kinds.get(key, "text")) for header, key, unit in ALL_COLUMNS],
        exported_at=exported_at,
        frozen_columns=2,
    )
    for item in items:
        sheet.row(
            [
                item.code,
                item.name,
                item.get_category_display(),
                (departments or {}).get(item.pk, item.department.name),
                item.legal_limit_days,
                item.promised_limit_days,
                item.get_kind_display(),
                item.get_presence_display(),
                item.fee_yuan,
                "；".join(item.materials),
                item.service_zone.name if item.service_zone else "",
                item.exemption_document,
                item.exemption_approved_on,
                item.is_active,
                item.is_sample,
            ]
        )
    return book.to_bytes()
