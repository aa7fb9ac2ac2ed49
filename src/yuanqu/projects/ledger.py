"""The project ledger (招商项目台账): its columns, and validation of an imported ledger.

This module only checks and converts, naming every problem by file, row and column; the
service writes only when nothing is wrong. The export writes the same columns (plus a few
read-only ones the import ignores), so an exported ledger imports back unchanged.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.utils.dateparse import parse_date

from yuanqu.indicators.importing import ImportIssue, header_key, locate_columns, parse_decimal
from yuanqu.indicators.tabular import Table
from yuanqu.projects.models import MAIN_LINE, REASON_REQUIRED, STAGE_DATE_FIELDS, Category, Project, Stage
from yuanqu.texts import max_length, text_problem

Column = tuple[str, str, str]

LEDGER_COLUMNS: list[Column] = [
    # (header, key, unit written in brackets)
    ("项目编号", "code", ""),
    ("项目名称", "name", ""),
    ("投资方", "investor", ""),
    ("项目类别", "category", ""),
    ("计划总投资", "total_investment_yi", "亿元"),
    ("所处阶段", "stage", ""),
]
LEDGER_OPTIONAL_COLUMNS: list[Column] = [
    ("投资方性质", "investor_nature", ""),
    ("国别地区", "investor_region", ""),
    ("世界500强", "is_fortune_500", ""),
    ("上市公司", "is_listed", ""),
    ("专精特新", "is_specialised", ""),
    ("行业代码", "industry_code", ""),
    ("外资", "foreign_investment_wan_usd", "万美元"),
    ("固定资产投资", "fixed_asset_investment_yi", "亿元"),
    ("设备投资", "equipment_investment_yi", "亿元"),
    ("用地", "land_mu", "亩"),
    ("用地方式", "land_kind", ""),
    ("预计年开票销售", "expected_sales_yi", "亿元"),
    ("预计年税收", "expected_tax_wan", "万元"),
    ("预计用工", "expected_jobs", "人"),
    ("线索来源", "lead_source", ""),
    ("招商人员", "credits", ""),
    ("责任部门", "department", ""),
    ("联系人", "contacts", ""),
    ("签约日期", "signed_on", ""),
    ("注册日期", "registered_on", ""),
    ("供地日期", "land_on", ""),
    ("开工日期", "started_on", ""),
    ("竣工日期", "completed_on", ""),
    ("投产日期", "producing_on", ""),
    ("达产日期", "full_capacity_on", ""),
    ("搁置终止原因", "status_reason", ""),
]
AMOUNT_KEYS = {
    "total_investment_yi": 4,
    "foreign_investment_wan_usd": 2,
    "fixed_asset_investment_yi": 4,
    "equipment_investment_yi": 4,
    "land_mu": 2,
    "expected_sales_yi": 4,
    "expected_tax_wan": 2,
}
FLAG_KEYS = ("is_fortune_500", "is_listed", "is_specialised")
CHOICE_KEYS: dict[str, type[Any]] = {
    "investor_nature": Project.InvestorNature,
    "land_kind": Project.LandKind,
    "lead_source": Project.LeadSource,
}
DEFAULT_CHOICES = {
    "investor_nature": Project.InvestorNature.DOMESTIC,
    "land_kind": Project.LandKind.NEW_LAND,
    "lead_source": Project.LeadSource.STAFF,
}
DATE_KEYS = [STAGE_DATE_FIELDS[stage] for stage in MAIN_LINE if stage in STAGE_DATE_FIELDS]
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}
INDUSTRY_CODE = re.compile(r"^[A-T]\d{2,4}$")
PROJECT_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_\-]{0,39}$")
CREDIT_SEPARATORS = re.compile(r"[；;，,、\n]+")
SHARE_SEPARATOR = re.compile(r"[:：]")
PERSON_WITH_DEPARTMENT = re.compile(r"^(.+?)[（(](.+)[）)]$")
TOTALS_LABEL = "合计"
# The most characters each free-text column holds (the project's field; 联系人 is a text of any length).
TEXT_LIMITS = {
    key: max_length(Project, key) for key in ("name", "investor", "investor_region", "contacts", "status_reason")
}
COLUMN_NAMES = {key: header for header, key, _ in LEDGER_COLUMNS + LEDGER_OPTIONAL_COLUMNS}


def choice_lookup(choices: type[Any]) -> dict[str, str]:
    """Accept a choice by its Chinese label or its code."""
    lookup = {str(label): value for value, label in choices.choices}
    lookup.update({value: value for value in choices.values})
    return lookup


CATEGORY_WORDS = choice_lookup(Category)
STAGE_WORDS = choice_lookup(Stage)
STAGE_WORDS["投产/达产"] = Stage.PRODUCING


@dataclass(frozen=True)
class CreditLine:
    who: str  # a user name or a display name, resolved by the service
    share_pct: Decimal
    department: str = ""  # this person's department, when it is not the row's


@dataclass
class LedgerRow:
    row: int
    code: str
    stage: str
    fields: dict[str, Any]
    dates: dict[str, date | None]
    credits: list[CreditLine] = field(default_factory=list)
    department: str = ""


@dataclass
class ParsedLedger:
    file_name: str
    rows: list[LedgerRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


def _skip_title(table: Table) -> Table:
    """An exported ledger starts with a title row; the header is the row with 项目编号."""
    if any(header_key(text) == "项目编号" for text in table.header):
        return table
    for index, (_, cells) in enumerate(table.rows[:5]):
        if any(header_key(text) == "项目编号" for text in cells):
            return Table(table.file_name, [cell.strip() for cell in cells], table.rows[index + 1 :])
    return table


def parse_credits(text: str) -> list[CreditLine]:
    """'张招商:60；孙招商（经济发展局）:40' or one name (100%). Raises ValueError in Chinese."""
    parts = [part.strip() for part in CREDIT_SEPARATORS.split(text) if part.strip()]
    lines: list[CreditLine] = []
    for part in parts:
        pieces = SHARE_SEPARATOR.split(part)
        if len(pieces) > 2:
            raise ValueError(f"“{part}”格式应为 姓名:比例")
        who, department = pieces[0].strip(), ""
        if match := PERSON_WITH_DEPARTMENT.match(who):
            who, department = match.group(1).strip(), match.group(2).strip()
        if len(pieces) == 1:
            if len(parts) > 1:
                raise ValueError(f"多人分享业绩时须写明比例，如“{who}:50”")
            lines.append(CreditLine(who, Decimal(100), department))
            continue
        share = parse_decimal(pieces[1])
        if share <= 0 or share > 100:
            raise ValueError(f"“{part}”的比例应大于0且不超过100")
        lines.append(CreditLine(who, share, department))
    total = sum((line.share_pct for line in lines), Decimal(0))
    if lines and total != 100:
        raise ValueError(f"各人比例之和为{total.normalize():f}%，应为100%")
    if len({line.who for line in lines}) != len(lines):
        raise ValueError("同一人出现多次")
    return lines


def check_fields(text: Callable[[str], str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The project's own fields from their text, by ledger key; and the problems, by key.

    One check for the ledger import (a row's cells) and the project form (its inputs), so a
    project entered on the page meets exactly the rules of one imported from Excel.
    """
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for key in ("name", "investor"):
        value = text(key)
        if not value:
            problems.append((key, "不能为空"))
        elif problem := text_problem(value, TEXT_LIMITS[key]):
            problems.append((key, problem))
        values[key] = value
    category = CATEGORY_WORDS.get(text("category"))
    if category is None:
        problems.append(("category", f"“{text('category')}”应为先进制造业、现代服务业、技改或城建"))
    values["category"] = category
    for key, places in AMOUNT_KEYS.items():
        value = text(key)
        if value == "":
            if key == "total_investment_yi":
                problems.append((key, "不能为空"))
            values[key] = None
            continue
        try:
            amount = parse_decimal(value)
        except ValueError as exc:
            problems.append((key, str(exc)))
            continue
        if amount < 0:
            problems.append((key, f"“{value}”不能为负数"))
        elif amount != amount.quantize(Decimal(1).scaleb(-places)):
            problems.append((key, f"“{value}”小数位过多（最多{places}位）"))
        elif amount >= Decimal(10) ** 8:
            problems.append((key, f"“{value}”超出范围"))
        else:
            values[key] = amount
    jobs = text("expected_jobs")
    values["expected_jobs"] = None
    if jobs:
        if jobs.isdigit():
            values["expected_jobs"] = int(jobs)
        else:
            problems.append(("expected_jobs", f"“{jobs}”应为整数"))
    for key in FLAG_KEYS:
        value = text(key).lower()
        if value not in YES and value not in NO:
            problems.append((key, f"“{value}”应为“是”或“否”"))
        values[key] = value in YES
    for key, choices in CHOICE_KEYS.items():
        value = text(key)
        if not value:
            values[key] = DEFAULT_CHOICES[key]
            continue
        choice = choice_lookup(choices).get(value)
        if choice is None:
            allowed = "、".join(str(label) for label in choices.labels)
            problems.append((key, f"“{value}”应为{allowed}之一"))
        values[key] = choice
    industry = text("industry_code").upper()
    if industry and not INDUSTRY_CODE.match(industry):
        problems.append(("industry_code", f"“{industry}”不是国民经济行业分类代码（如 C3841）"))
    values["industry_code"] = industry
    for key in ("investor_region", "contacts", "status_reason"):
        value = text(key)
        if problem := text_problem(value, TEXT_LIMITS[key], multiline=key == "contacts"):
            problems.append((key, problem))
        values[key] = value
    return values, problems


def check_code(code: str) -> str:
    """The problem with a 项目编号, or an empty string."""
    if not code:
        return "不能为空"
    if not PROJECT_CODE.match(code):
        return f"“{code}”应由字母、数字、短横线组成，不超过40个字符"
    return ""


def parse_ledger(table: Table) -> ParsedLedger:
    table = _skip_title(table)
    result = ParsedLedger(table.file_name)
    positions, issues = locate_columns(table, LEDGER_COLUMNS, LEDGER_OPTIONAL_COLUMNS)
    if issues:
        result.issues = issues
        return result
    headers = {key: table.header[index] for key, index in positions.items()}
    result.headers = headers
    first_row_of: dict[str, int] = {}

    def cell(cells: list[str], key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    data_rows = [(number, cells) for number, cells in table.rows if cell(cells, "code") != TOTALS_LABEL]
    for number, cells in data_rows:
        problems: list[tuple[str, str]] = []
        values: dict[str, Any] = {}
        code = cell(cells, "code")
        if code_problem := check_code(code):
            problems.append(("code", code_problem))
        else:
            first = first_row_of.setdefault(code, number)
            if first != number:
                problems.append(("code", f"与第{first}行重复"))
        field_values, field_problems = check_fields(partial(cell, cells))
        values.update(field_values)
        problems.extend(field_problems)
        stage = STAGE_WORDS.get(cell(cells, "stage"))
        if stage is None:
            problems.append(("stage", f"未知阶段“{cell(cells, 'stage')}”"))
        dates: dict[str, date | None] = {}
        for key in DATE_KEYS:
            text = cell(cells, key)
            dates[key] = None
            if not text:
                continue
            day = _parse_day(text)
            if day is None:
                problems.append((key, f"“{text}”不是日期（应为 2023-03-15）"))
            else:
                dates[key] = day
        if stage is not None:
            problems.extend(_stage_problems(stage, dates, values["status_reason"]))

        credits: list[CreditLine] = []
        for key in ("credits", "department"):  # names looked up in the database (credits a line each)
            if problem := text_problem(cell(cells, key), multiline=key == "credits"):
                problems.append((key, problem))
        try:
            credits = parse_credits(cell(cells, "credits"))
        except ValueError as exc:
            problems.append(("credits", str(exc)))
        if problems:
            result.issues.extend(
                ImportIssue(table.file_name, number, headers.get(key) or COLUMN_NAMES[key], msg)
                for key, msg in problems
            )
            continue
        assert stage is not None
        result.rows.append(
            LedgerRow(
                row=number,
                code=code,
                stage=stage,
                fields=values,
                dates=dates,
                credits=credits,
                department=cell(cells, "department"),
            )
        )
    if not data_rows:
        result.issues.append(ImportIssue(table.file_name, 2, "", "文件没有数据行"))
    return result


def _parse_day(text: str) -> date | None:
    cleaned = text.strip().replace("/", "-").replace(".", "-")
    cleaned = cleaned.replace("年", "-").replace("月", "-").rstrip("日")
    parts = cleaned.split("-")
    if len(parts) == 3 and all(part.isdigit() for part in parts):
        cleaned = f"{int(parts[0]):04d}-{int(parts[1]):02d}-{int(parts[2]):02d}"
    try:
        return parse_date(cleaned[:10])
    except ValueError:
        return None


def _stage_problems(stage: str, dates: dict[str, date | None], reason: str) -> list[tuple[str, str]]:
    """The stage and its dates must agree: its own date given, later ones empty, in order."""
    problems: list[tuple[str, str]] = []
    if stage in REASON_REQUIRED and not reason:
        problems.append(("stage", f"阶段为“{Stage(stage).label}”时须填写搁置终止原因"))
    if stage in STAGE_DATE_FIELDS and dates[STAGE_DATE_FIELDS[stage]] is None:
        problems.append((STAGE_DATE_FIELDS[stage], f"阶段为“{Stage(stage).label}”时不能为空"))
    if stage in MAIN_LINE:
        reached = MAIN_LINE.index(Stage(stage))
        for later in MAIN_LINE[reached + 1 :]:
            key = STAGE_DATE_FIELDS.get(later)
            if key and dates[key] is not None:
                problems.append((key, f"项目尚处“{Stage(stage).label}”阶段，不应有{Stage(later).label}日期"))
    if stage != Stage.NEGOTIATING and dates["signed_on"] is None:
        problems.append(("signed_on", "已签约的项目须填写签约日期"))
    previous: tuple[str, date] | None = None
    for key in DATE_KEYS:
        day = dates[key]
        if day is None:
            continue
        if previous is not None and day < previous[1]:
            problems.append((key, f"早于{_label_of(previous[0])}（{previous[1].isoformat()}）"))
        previous = (key, day)
    return problems


def _label_of(date_key: str) -> str:
    stage = next(stage for stage, key in STAGE_DATE_FIELDS.items() if key == date_key)
    return f"{Stage(stage).label}日期"
