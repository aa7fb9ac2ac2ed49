"""The whole-column check of large files accepts exactly what the row-by-row check accepts.

The row-by-row check (``read_table`` + ``parse_enterprise_months``) is the reference: it names
every problem. The fast path (``read_csv_columns`` + ``parse_enterprise_columns``) may decline
any file, but a file it accepts must give the very same rows, to the yuan.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.factories import enterprise_code
from yuanqu.indicators.importing import (
    AMOUNT_FIELDS,
    EXACT_AS_FLOAT,
    EnterpriseColumns,
    amount_column,
    amount_in_base_units,
    parse_enterprise_columns,
    parse_enterprise_months,
)
from yuanqu.indicators.models import EnterpriseField
from yuanqu.indicators.services import enterprise_file_read
from yuanqu.indicators.tabular import read_csv_columns, read_table

HEADER = [
    "统一社会信用代码", "企业名称", "所属期", "规上", "工业总产值（万元）", "工业开票销售（万元）",
    "营业收入（万元）", "利润总额（万元）", "税金总额（万元）", "用电量（万千瓦时）", "行业代码",
]  # fmt: skip
PROFIT = EnterpriseField.PROFIT
SALES = EnterpriseField.INDUSTRIAL_INVOICED_SALES


def reference(text: str, key: str) -> int | str | None:
    """What the row-by-row check makes of one cell: an amount, None, or an error."""
    cell = text.strip()
    if cell == "":
        return None
    try:
        return amount_in_base_units(cell, key)
    except ValueError:
        return "error"


amount_texts = st.one_of(
    st.text(alphabet="0123456789.-", max_size=22),
    st.decimals(min_value=-(10**13), max_value=10**13, places=4, allow_nan=False).map(str),
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False).map(lambda d: f"{d:.2f}"),
    st.sampled_from(["", " 5", "1,234", "1e3", "１２", "nan", "inf", "-0", "0.00001", "99999999999999.9999"]),
)


@given(texts=st.lists(amount_texts, min_size=1, max_size=6), key=st.sampled_from([SALES, PROFIT]))
@example(texts=["112589990684.2623"], key=SALES)  # just below 2**50 元
@example(texts=["112589990684.2624"], key=SALES)  # 2**50 元: declined, the row check takes it
@example(texts=["-.5", "5.", ".25"], key=PROFIT)
@settings(max_examples=400)
def test_a_column_of_amounts_reads_as_the_row_check_reads_each_cell(texts: list[str], key: str) -> None:
    fast = amount_column(texts, key)
    expected = [reference(text, key) for text in texts]
    if fast is None:
        return  # declined: the row-by-row check reads the file
    assert "error" not in expected
    assert fast == expected


def test_plain_amounts_are_read_exactly_up_to_the_bound() -> None:
    texts = ["0.0001", "1234.5", "-7.25", "", "112589990684.2623", "100"]
    assert amount_column(texts, PROFIT) == [1, 12_345_000, -72_500, None, EXACT_AS_FLOAT - 1, 1_000_000]
    assert amount_column(["112589990684.2624"], SALES) is None  # 2**50: left to the exact row check
    assert amount_column(["-1"], SALES) is None  # negative sales: the row check says why
    assert amount_column(["1.23456"], SALES) is None  # five decimals


def write_csv(path: Path, rows: list[list[str]], *, header: list[str] = HEADER, line_end: str = "\n") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator=line_end).writerows([header, *rows])
    return path


def row_path(path: Path) -> tuple[EnterpriseColumns | None, int]:
    parsed = parse_enterprise_months(read_table(path))
    if parsed.issues:
        return None, len(parsed.issues)
    return EnterpriseColumns.from_rows(parsed.rows, path.name), 0


def as_lists(columns: EnterpriseColumns) -> dict[str, object]:
    return {
        "rows": list(columns.rows),
        "uscc": list(columns.uscc),
        "name": list(columns.name),
        "year": list(columns.year),
        "month": list(columns.month),
        "above_scale": list(columns.above_scale),
        "industry_code": list(columns.industry_code),
        **{key: list(columns.amounts[key]) for key in AMOUNT_FIELDS},
    }


codes = st.sampled_from([enterprise_code(1), enterprise_code(2), enterprise_code(3), f" {enterprise_code(4)}"])
cells = {
    "name": st.sampled_from(["企业甲", "企业乙", " 企业甲", ""]),
    "period": st.sampled_from(["2023-05", "2023-06", "2023-6", "2023-06-01", "2023-13", "2023-H1"]),
    "scale": st.sampled_from(["是", "否", "Y", " 是", "也许"]),
    "amount": st.sampled_from(["", "12.5", "0", "-3", "1,000", "7.12345", " 8", "abc", "100.25"]),
    "industry": st.sampled_from(["C3841", "c3670", "", "X99", " D4415"]),
}
file_rows = st.lists(
    st.tuples(
        codes,
        cells["name"],
        cells["period"],
        cells["scale"],
        st.lists(cells["amount"], min_size=6, max_size=6),
        cells["industry"],
    ).map(lambda r: [r[0], r[1], r[2], r[3], *r[4], r[5]]),
    min_size=1,
    max_size=8,
)


@given(rows=file_rows, line_end=st.sampled_from(["\n", "\r\n"]))
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_file_the_fast_path_accepts_gives_exactly_the_rows_of_the_row_check(
    tmp_path: Path, rows: list[list[str]], line_end: str
) -> None:
    path = write_csv(tmp_path / "file.csv", rows, line_end=line_end)
    expected, issues = row_path(path)
    raw = read_csv_columns(path)
    fast = parse_enterprise_columns(raw) if raw is not None else None
    if issues:
        assert fast is None
    if fast is not None:
        assert expected is not None
        assert as_lists(fast) == as_lists(expected)
    # And the import's reader gives the row check's rows either way (or its errors).
    if expected is not None:
        assert as_lists(enterprise_file_read(path)) == as_lists(expected)


def good(number: int, period: str = "2023-06") -> list[str]:
    return [enterprise_code(number), f"企业{number}", period, "是", "110", "100.5", "120", "-5", "3", "4.2", "C3841"]


def test_a_clean_file_takes_the_fast_path(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "clean.csv", [good(number) for number in range(1, 30)])
    raw = read_csv_columns(path)
    assert raw is not None
    fast = parse_enterprise_columns(raw)
    assert fast is not None
    assert list(fast.rows) == list(range(2, 31))
    assert fast.amounts[SALES][0] == 1_005_000 and fast.amounts[PROFIT][0] == -50_000


@pytest.mark.parametrize(
    "text",
    [
        '统一社会信用代码,企业名称\n"A,B",x\n',  # quoted cells: read by the csv module
        "统一社会信用代码,企业名称\n\nA,x\n",  # a blank line: row numbers must stay the spreadsheet's
        "统一社会信用代码,企业名称\r\nA,x\r\n",
    ],
)
def test_the_column_reader_keeps_row_numbers_and_cells_as_the_csv_module_reads_them(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    raw = read_csv_columns(path)
    table = read_table(path)
    assert raw is not None
    assert raw.numbers == [number for number, _ in table.rows]
    assert [list(column) for column in raw.columns] == [
        list(cells) for cells in zip(*(c for _, c in table.rows), strict=True)
    ]


def test_a_ragged_file_is_left_to_the_row_check(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("统一社会信用代码,企业名称\nA,x,extra\n", encoding="utf-8")
    assert read_csv_columns(path) is None


def test_decimal_reference_agrees_with_the_fast_path_on_typical_values() -> None:
    texts = [f"{Decimal(n) / 100:.2f}" for n in range(-500, 500, 7)]
    assert amount_column(texts, PROFIT) == [int(Decimal(text) * 10_000) for text in texts]
