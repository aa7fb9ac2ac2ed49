"""Validation of import files: every problem named by file, row, column and reason.

This module only checks and converts; writing happens in ``services`` and only when
validation found nothing wrong.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from yuanqu import uscc
from yuanqu.indicators.models import EnterpriseField, Observation, PriceBasis
from yuanqu.indicators.tabular import Table
from yuanqu.periods import Period, PeriodError
from yuanqu.texts import text_problem

ENTERPRISE_COLUMNS: list[tuple[str, str, str]] = [
    # (header, key, unit written in the header)
    ("统一社会信用代码", "uscc", ""),
    ("企业名称", "name", ""),
    ("所属期", "period", ""),
    ("规上", "above_scale", ""),
    ("工业总产值", EnterpriseField.INDUSTRIAL_OUTPUT, "万元"),
    ("工业开票销售", EnterpriseField.INDUSTRIAL_INVOICED_SALES, "万元"),
    ("营业收入", EnterpriseField.REVENUE, "万元"),
    ("利润总额", EnterpriseField.PROFIT, "万元"),
    ("税金总额", EnterpriseField.TAXES, "万元"),
    ("用电量", EnterpriseField.ELECTRICITY, "万千瓦时"),
]
AMOUNT_FIELDS = [key for _, key, unit in ENTERPRISE_COLUMNS if unit]
AMOUNT_HEADERS = {key: (header, unit) for header, key, unit in ENTERPRISE_COLUMNS if unit}
# The official monthly report (工业产销总值及主要产品产量) carries, beside each in-month amount,
# 本年累计 and 上年同期累计: both optional. 上年同期累计 is the base of an enterprise's same-scope
# comparison (see indicators/scope.py); 本年累计 is checked against the months' sum.
PRIOR_PREFIX = "prior_"
CUMULATIVE_PREFIX = "cumulative_"
PRIOR_COLUMNS: list[tuple[str, str, str]] = [
    (f"{header}上年同期累计", PRIOR_PREFIX + key, unit) for header, key, unit in ENTERPRISE_COLUMNS if unit
]
CUMULATIVE_COLUMNS: list[tuple[str, str, str]] = [
    (f"{header}本年累计", CUMULATIVE_PREFIX + key, unit) for header, key, unit in ENTERPRISE_COLUMNS if unit
]
ENTERPRISE_OPTIONAL_COLUMNS: list[tuple[str, str, str]] = [
    ("行业代码", "industry_code", ""),
    *CUMULATIVE_COLUMNS,
    *PRIOR_COLUMNS,
]
NAME_LIMIT = 200  # Enterprise.name


def amount_field_of(key: str) -> str:
    """'prior_profit' -> 'profit': the amount a 上年同期累计 or 本年累计 column belongs to."""
    return key.removeprefix(PRIOR_PREFIX).removeprefix(CUMULATIVE_PREFIX)


# Amounts arrive in 万元 (power in 万千瓦时) with at most four decimals and are stored as
# integers in 元 (kWh), so sums are exact in every database.
SCALE = Decimal(10_000)
NEGATIVE_ALLOWED = {EnterpriseField.PROFIT}

OBSERVATION_COLUMNS: list[tuple[str, str, str]] = [
    ("指标", "indicator", ""),
    ("地区", "place", ""),
    ("所属期", "period", ""),
    ("数值", "value", ""),
    ("单位", "unit", ""),
    ("同比增长", "growth_pct", "%"),
    ("价格口径", "price_basis", ""),
    ("数据版本", "vintage", ""),
    ("来源", "source", ""),
]
OBSERVATION_OPTIONAL_COLUMNS: list[tuple[str, str, str]] = [
    ("示例数据", "is_sample", ""),
    ("备注", "note", ""),
]

YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}
INDUSTRY_CODE = re.compile(r"^[A-T]\d{2,4}$")
_HEADER_NOISE = re.compile(r"[\s　]|[（(][^）)]*[）)]")


@dataclass(frozen=True)
class ImportIssue:
    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第{self.row}行" + (f"“{self.column}”列" if self.column else "")
        return f"{self.file} {where}：{self.message}"


class ImportRejected(Exception):
    """The file has errors; nothing was written."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__(f"文件有 {len(issues)} 处错误，未写入任何数据")
        self.issues = issues


def header_key(text: str) -> str:
    """'工业总产值（万元）' -> '工业总产值': units in brackets and spaces do not matter."""
    return _HEADER_NOISE.sub("", text)


def locate_columns(
    table: Table, required: list[tuple[str, str, str]], optional: list[tuple[str, str, str]]
) -> tuple[dict[str, int], list[ImportIssue]]:
    positions: dict[str, int] = {}
    seen: dict[str, int] = {}
    issues: list[ImportIssue] = []
    for index, text in enumerate(table.header):
        key = header_key(text)
        if key in seen:
            issues.append(ImportIssue(table.file_name, 1, text, f"列名重复（第{seen[key] + 1}列也是“{text}”）"))
        seen[key] = index
    for header, key, unit in [*required, *optional]:
        if header in seen:
            positions[key] = seen[header]
        elif (header, key, unit) in required:
            shown = f"{header}（{unit}）" if unit and unit != "%" else header
            issues.append(ImportIssue(table.file_name, 1, shown, "缺少此列"))
    return positions, issues


def parse_decimal(text: str) -> Decimal:
    cleaned = text.replace(",", "").replace("，", "").strip()
    if cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"“{text}”不是数字") from exc
    if not number.is_finite():
        raise ValueError(f"“{text}”不是数字")
    return number


def name_problem(name: str) -> str | None:
    """Why a text cannot be an enterprise name, or None."""
    if not name:
        return "不能为空"
    return text_problem(name, NAME_LIMIT)


@dataclass
class EnterpriseRow:
    row: int
    uscc: str
    name: str
    year: int
    month: int
    above_scale: bool
    industry_code: str
    amounts: dict[str, int | None]
    prior: dict[str, int | None] = field(default_factory=dict)  # 上年同期累计 by amount field
    cumulative: dict[str, int | None] = field(default_factory=dict)  # 本年累计 by amount field


@dataclass
class ParsedEnterpriseFile:
    file_name: str
    rows: list[EnterpriseRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


_FRACTION_SCALE = (1, 1000, 100, 10, 1)  # "5" -> 5000, "25" -> 2500, "125" -> 1250, "1250" -> 1250


def amount_in_base_units(text: str, key: str) -> int:
    """'1234.5' 万元 -> 12345000 元, exactly; raises ValueError with a Chinese message.

    Plain numbers (the common case, millions of them in a large file) are converted with
    string and integer operations; anything else goes through Decimal.
    """
    whole, dot, fraction = text.partition(".")
    negative = whole.startswith("-")
    digits = whole[1:] if negative else whole
    if (
        digits.isascii()
        and digits.isdigit()
        and len(digits) <= 13
        and (not dot or (fraction.isascii() and fraction.isdigit() and len(fraction) <= 4))
    ):
        value = int(digits) * 10_000 + (int(fraction) * _FRACTION_SCALE[len(fraction)] if fraction else 0)
        if negative:
            if key not in NEGATIVE_ALLOWED:
                raise ValueError(f"“{text}”不能为负数")
            return -value
        return value
    scaled = parse_decimal(text) * SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"“{text}”小数位过多（最多4位）")
    if scaled < 0 and key not in NEGATIVE_ALLOWED:
        raise ValueError(f"“{text}”不能为负数")
    if abs(scaled) >= 10**17:
        raise ValueError(f"“{text}”超出范围")
    return int(scaled)


def month_of(text: str) -> tuple[int, int]:
    """'2023-06' -> (2023, 6); raises PeriodError for anything but a single month."""
    if len(text) == 10 and text[4] == "-" and text.endswith("-01"):
        text = text[:7]  # Excel turned 2023-06 into a date
    period = Period.parse(text)
    if not period.is_month:
        raise PeriodError(f"“{text}”不是单月，应为 YYYY-MM（如 2023-06）")
    return period.year, period.last_month


def parse_enterprise_months(table: Table) -> ParsedEnterpriseFile:
    result = ParsedEnterpriseFile(table.file_name)
    positions, issues = locate_columns(table, ENTERPRISE_COLUMNS, ENTERPRISE_OPTIONAL_COLUMNS)
    if issues:
        result.issues = issues
        return result
    headers = {key: table.header[index] for key, index in positions.items()}
    width = max(positions.values()) + 1
    at_code, at_name, at_period, at_scale = (positions[k] for k in ("uscc", "name", "period", "above_scale"))
    at_industry = positions.get("industry_code")
    at_amounts = [(key, positions[key]) for key in AMOUNT_FIELDS]
    at_extra = [(key, positions[key]) for _, key, _ in [*CUMULATIVE_COLUMNS, *PRIOR_COLUMNS] if key in positions]
    first_row_of: dict[tuple[str, int, int], int] = {}
    name_of: dict[str, tuple[str, int]] = {}
    # Large files repeat the same codes and periods many times: check each distinct one once.
    code_problem: dict[str, str | None] = {}
    period_of: dict[str, tuple[int, int] | str] = {}

    for number, raw_cells in table.rows:
        cells = raw_cells if len(raw_cells) >= width else raw_cells + [""] * (width - len(raw_cells))
        problems: list[tuple[str, str]] = []
        raw_code = cells[at_code]
        code = uscc.normalise(raw_code)
        if code not in code_problem:
            try:
                uscc.validate(code)
                code_problem[code] = None
            except uscc.UsccError as exc:
                code_problem[code] = str(exc)
        if not raw_code:
            problems.append(("uscc", "不能为空"))
        elif code_problem[code] is not None:
            problems.append(("uscc", f"“{raw_code}”无效：{code_problem[code]}"))
        name = cells[at_name]
        known = name_of.get(code)
        problem = name_problem(name)
        if problem is not None:
            problems.append(("name", problem))
        elif known is None:
            name_of[code] = (name, number)
        elif known[0] != name:
            problems.append(("name", f"与第{known[1]}行同一代码的企业名称“{known[0]}”不一致"))
        period_text = cells[at_period]
        parsed = period_of.get(period_text)
        if parsed is None:
            try:
                parsed = month_of(period_text)
            except PeriodError as exc:
                parsed = str(exc)
            period_of[period_text] = parsed
        year = month = 0
        if isinstance(parsed, str):
            problems.append(("period", parsed))
        else:
            year, month = parsed
        scale_text = cells[at_scale].lower()
        above_scale = scale_text in YES
        if not above_scale and scale_text not in NO:
            problems.append(("above_scale", f"“{scale_text}”应为“是”或“否”"))
        industry = cells[at_industry].upper() if at_industry is not None else ""
        if industry and not INDUSTRY_CODE.match(industry):
            problems.append(("industry_code", f"“{industry}”不是国民经济行业分类代码（如 C3841）"))
        amounts: dict[str, int | None] = {}
        for key, index in at_amounts:
            text = cells[index]
            if text == "":
                amounts[key] = None
                continue
            try:
                amounts[key] = amount_in_base_units(text, key)
            except ValueError as exc:
                problems.append((key, str(exc)))
        for key, index in at_extra:
            text = cells[index]
            if text == "":
                amounts[key] = None
                continue
            try:
                amounts[key] = amount_in_base_units(
                    text, key.removeprefix(PRIOR_PREFIX).removeprefix(CUMULATIVE_PREFIX)
                )
            except ValueError as exc:
                problems.append((key, str(exc)))
        if year and code and code_problem.get(code) is None:
            first = first_row_of.setdefault((code, year, month), number)
            if first != number:
                problems.append(("uscc", f"与第{first}行重复（同一企业、同一所属期）"))
        if problems:
            result.issues.extend(ImportIssue(table.file_name, number, headers[key], msg) for key, msg in problems)
            continue
        result.rows.append(
            EnterpriseRow(
                number,
                code,
                name,
                year,
                month,
                above_scale,
                industry,
                {key: amounts[key] for key in AMOUNT_FIELDS},
                prior={key: amounts[PRIOR_PREFIX + key] for key in AMOUNT_FIELDS if PRIOR_PREFIX + key in amounts},
                cumulative={
                    key: amounts[CUMULATIVE_PREFIX + key] for key in AMOUNT_FIELDS if CUMULATIVE_PREFIX + key in amounts
                },
            )
        )
    if not table.rows:
        result.issues.append(ImportIssue(table.file_name, 2, "", "文件没有数据行"))
    return result


@dataclass
class EnterpriseColumns:
    """Checked enterprise-month rows, column by column: the shape the import writes.

    ``amounts`` maps each field of ``AMOUNT_FIELDS`` to its column in base units (元, kWh).
    """

    file_name: str
    rows: Sequence[int]
    uscc: Sequence[str]
    name: Sequence[str]
    year: Sequence[int]
    month: Sequence[int]
    above_scale: Sequence[bool]
    industry_code: Sequence[str]
    amounts: dict[str, Sequence[int | None]]
    # 上年同期累计 and 本年累计 by amount field; a column the file does not have is all None.
    prior: dict[str, Sequence[int | None]] = field(default_factory=dict)
    cumulative: dict[str, Sequence[int | None]] = field(default_factory=dict)
    prior_given: set[str] = field(init=False, default_factory=set)

    def __post_init__(self) -> None:
        # The 上年同期累计 columns the file has: a column it lacks leaves stored figures as they are.
        self.prior_given = {key for key in self.prior if key in AMOUNT_FIELDS}
        for extra in (self.prior, self.cumulative):
            for key in AMOUNT_FIELDS:
                extra.setdefault(key, [None] * len(self.rows))

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_rows(cls, rows: Sequence[EnterpriseRow], file_name: str = "") -> "EnterpriseColumns":
        return cls(
            file_name=file_name,
            rows=[row.row for row in rows],
            uscc=[row.uscc for row in rows],
            name=[row.name for row in rows],
            year=[row.year for row in rows],
            month=[row.month for row in rows],
            above_scale=[row.above_scale for row in rows],
            industry_code=[row.industry_code for row in rows],
            amounts={key: [row.amounts[key] for row in rows] for key in AMOUNT_FIELDS},
            prior={key: [row.prior.get(key) for row in rows] for key in {k for row in rows for k in row.prior}},
            cumulative={
                key: [row.cumulative.get(key) for row in rows] for key in {k for row in rows for k in row.cumulative}
            },
        )


@dataclass
class ObservationRow:
    row: int
    indicator_code: str
    place_code: str
    period: Period
    value: Decimal | None
    unit: str
    growth_pct: Decimal | None
    price_basis: str
    vintage: str
    source_title: str
    is_sample: bool
    note: str
    locator: str = ""


PRICE_BASIS_WORDS = {
    "可比价": PriceBasis.REAL,
    "实际": PriceBasis.REAL,
    "real": PriceBasis.REAL,
    "现价": PriceBasis.NOMINAL,
    "名义": PriceBasis.NOMINAL,
    "nominal": PriceBasis.NOMINAL,
    "": PriceBasis.NOT_APPLICABLE,
    "不适用": PriceBasis.NOT_APPLICABLE,
}
VINTAGE_WORDS = {
    "快报": Observation.Vintage.FLASH,
    "": Observation.Vintage.FLASH,
    "定报": Observation.Vintage.FINAL,
    "核实": Observation.Vintage.VERIFIED,
}


def parse_observations(
    table: Table, *, indicators: dict[str, str], places: dict[str, str]
) -> tuple[list[ObservationRow], list[ImportIssue]]:
    """``indicators`` and ``places`` map every accepted spelling (code or name) to a code."""
    positions, issues = locate_columns(table, OBSERVATION_COLUMNS, OBSERVATION_OPTIONAL_COLUMNS)
    if issues:
        return [], issues
    headers = {key: table.header[index] for key, index in positions.items()}
    rows: list[ObservationRow] = []
    first_row_of: dict[tuple[str, str, str], int] = {}

    def cell(cells: list[str], key: str) -> str:
        index = positions.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for number, cells in table.rows:
        problems: list[tuple[str, str]] = []
        indicator = indicators.get(cell(cells, "indicator"))
        if indicator is None:
            problems.append(("indicator", f"未知指标“{cell(cells, 'indicator')}”"))
        place = places.get(cell(cells, "place"))
        if place is None:
            problems.append(("place", f"未知地区“{cell(cells, 'place')}”"))
        period: Period | None = None
        try:
            period = Period.parse(cell(cells, "period"))
        except PeriodError as exc:
            problems.append(("period", str(exc)))
        numbers: dict[str, Decimal | None] = {}
        for key in ("value", "growth_pct"):
            text = cell(cells, key)
            if text == "":
                numbers[key] = None
                continue
            try:
                numbers[key] = parse_decimal(text)
            except ValueError as exc:
                problems.append((key, str(exc)))
        if not problems and numbers["value"] is None and numbers["growth_pct"] is None:
            problems.append(("value", "数值和同比增长不能同时为空"))
        basis = PRICE_BASIS_WORDS.get(cell(cells, "price_basis").lower())
        if basis is None:
            problems.append(("price_basis", f"“{cell(cells, 'price_basis')}”应为“可比价”或“现价”"))
        vintage = VINTAGE_WORDS.get(cell(cells, "vintage"))
        if vintage is None:
            problems.append(("vintage", f"“{cell(cells, 'vintage')}”应为“快报”“定报”或“核实”"))
        source = cell(cells, "source")
        if not source:
            problems.append(("source", "请注明数据来源"))
        sample_text = cell(cells, "is_sample").lower()
        if sample_text not in YES and sample_text not in NO:
            problems.append(("is_sample", f"“{sample_text}”应为“是”或“否”"))
        if indicator and place and period:
            first = first_row_of.setdefault((indicator, place, period.code), number)
            if first != number:
                problems.append(("period", f"与第{first}行重复（同一指标、地区、所属期）"))
        if problems:
            issues.extend(ImportIssue(table.file_name, number, headers[key], msg) for key, msg in problems)
            continue
        assert indicator and place and period and basis is not None and vintage is not None
        rows.append(
            ObservationRow(
                row=number,
                indicator_code=indicator,
                place_code=place,
                period=period,
                value=numbers["value"],
                unit=cell(cells, "unit"),
                growth_pct=numbers["growth_pct"],
                price_basis=basis,
                vintage=vintage,
                source_title=source,
                is_sample=sample_text in YES,
                note=cell(cells, "note"),
            )
        )
    if not table.rows:
        issues.append(ImportIssue(table.file_name, 2, "", "文件没有数据行"))
    return rows, issues
