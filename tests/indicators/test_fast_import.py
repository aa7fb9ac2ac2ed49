"""The column-by-column check of large files accepts exactly what the row-by-row check accepts.

The row-by-row check (``read_table`` + ``parse_enterprise_months``) is the reference: it names
every problem. The fast path (``fastcsv.enterprise_csv_read``) may decline any file, but a file
it accepts must give the very same rows, to the yuan.
"""

import csv
import math
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.factories import enterprise_code
from yuanqu.indicators.fastcsv import EXACT_AS_FLOAT, enterprise_csv_read, enterprise_table_check
from yuanqu.indicators.importing import (
    AMOUNT_FIELDS,
    EnterpriseColumns,
    ImportRejected,
    amount_in_base_units,
    parse_enterprise_months,
)
from yuanqu.indicators.models import EnterpriseField
from yuanqu.indicators.services import enterprise_file_read
from yuanqu.indicators.tabular import read_table

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


def good(number: int, period: str = "2023-06", sales: str = "100.5", profit: str = "-5") -> list[str]:
    return [enterprise_code(number), f"企业{number}", period, "是", "110", sales, "120", profit, "3", "4.2", "C3841"]


def amounts_read(tmp_path: Path, texts: list[str], key: str) -> list[int | None] | None:
    """The fast path's reading of one amount column (all other cells plain), or None if declined."""
    column = 5 if key == SALES else 7
    rows = []
    for number, text in enumerate(texts, start=1):
        row = good(number)
        row[column] = text
        rows.append(row)
    columns = enterprise_csv_read(write_csv(tmp_path / "amounts.csv", rows))
    return None if columns is None else list(columns.amounts[key])


@given(texts=st.lists(amount_texts, min_size=1, max_size=6), key=st.sampled_from([SALES, PROFIT]))
@example(texts=["112589990684.2623"], key=SALES)  # just below 2**50 元
@example(texts=["112589990684.2624"], key=SALES)  # 2**50 元: declined, the row check takes it
@example(texts=["-.5", "5.", ".25"], key=PROFIT)
@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_column_of_amounts_reads_as_the_row_check_reads_each_cell(tmp_path: Path, texts: list[str], key: str) -> None:
    fast = amounts_read(tmp_path, texts, key)
    expected = [reference(text, key) for text in texts]
    if fast is None:
        return  # declined: the row-by-row check reads the file
    assert "error" not in expected
    assert fast == expected


def test_plain_amounts_are_read_exactly_up_to_the_bound(tmp_path: Path) -> None:
    texts = ["0.0001", "1234.5", "-7.25", "", "112589990684.2623", "100"]
    assert amounts_read(tmp_path, texts, PROFIT) == [1, 12_345_000, -72_500, None, EXACT_AS_FLOAT - 1, 1_000_000]
    assert amounts_read(tmp_path, ["112589990684.2624"], SALES) is None  # 2**50: left to the exact row check
    assert amounts_read(tmp_path, ["-1"], SALES) is None  # negative sales: the row check says why
    assert amounts_read(tmp_path, ["1.23456"], SALES) is None  # five decimals


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


def mostly(valid: list[str], odd: list[str]) -> st.SearchStrategy[str]:
    """Valid cells most of the time, so that whole files often pass; odd ones now and then."""
    return st.sampled_from(valid * 12 + odd)


codes = mostly([enterprise_code(1), enterprise_code(2), enterprise_code(3)], [f" {enterprise_code(4)}", "X"])
cells = {
    "name": mostly(["企业甲", "企业乙"], [" 企业甲", ""]),
    "period": mostly(["2023-05", "2023-06"], ["2023-6", "2023-06-01", "2023-13", "2023-H1"]),
    "scale": mostly(["是", "否"], ["Y", " 是", "也许"]),
    "amount": mostly(["12.5", "0", "100.25", "7"], ["", "-3", "1,000", "7.12345", " 8", "abc", ".5", "1e3"]),
    "industry": mostly(["C3841", ""], ["c3670", "X99", " D4415"]),
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
    fast = enterprise_csv_read(path)
    checked = enterprise_table_check(read_table(path))
    if issues:
        assert fast is None and checked is None
    for columns in (fast, checked):
        if columns is not None:
            assert expected is not None
            assert as_lists(columns) == as_lists(expected)
    event("fast path took the file" if fast is not None else "declined")
    # And the import's reader gives the row check's rows either way (or its errors).
    if expected is not None:
        assert as_lists(enterprise_file_read(path)) == as_lists(expected)


def test_a_clean_file_takes_the_fast_path(tmp_path: Path) -> None:
    fast = enterprise_csv_read(write_csv(tmp_path / "clean.csv", [good(number) for number in range(1, 30)]))
    assert fast is not None
    assert list(fast.rows) == list(range(2, 31))
    assert fast.amounts[SALES][0] == 1_005_000 and fast.amounts[PROFIT][0] == -50_000


@pytest.mark.parametrize(
    "text",
    [
        '"{code}",企业1,2023-06,是,1,1,1,1,1,1,C3841\n',  # quotes: the csv module reads them
        "\n{code},企业1,2023-06,是,1,1,1,1,1,1,C3841\n",  # a blank line: row numbers must stay the sheet's
        "{code},企业1,2023-06,是,1,1,1,1,1,1\n",  # a short row
    ],
)
def test_files_the_fast_path_declines_still_import_with_the_sheets_row_numbers(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes((",".join(HEADER) + "\n" + text.format(code=enterprise_code(1))).encode("utf-8"))
    assert enterprise_csv_read(path) is None
    expected, _ = row_path(path)
    if expected is not None:
        assert as_lists(enterprise_file_read(path)) == as_lists(expected)


def test_a_file_with_a_bom_and_windows_line_ends_takes_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    text = "\r\n".join(",".join(row) for row in [HEADER, good(1), good(2)]) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    fast = enterprise_csv_read(path)
    expected, _ = row_path(path)
    assert fast is not None and expected is not None
    assert as_lists(fast) == as_lists(expected)


def test_typical_two_decimal_amounts_are_exact(tmp_path: Path) -> None:
    texts = [f"{Decimal(n) / 100:.2f}" for n in range(-500, 500, 7)]
    assert amounts_read(tmp_path, texts, PROFIT) == [int(Decimal(text) * 10_000) for text in texts]


@given(data=st.binary(max_size=300), header=st.booleans())
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_bytes_are_read_or_rejected_with_reasons_never_crash(tmp_path: Path, data: bytes, header: bool) -> None:
    path = tmp_path / "upload.csv"
    path.write_bytes((",".join(HEADER) + "\n").encode("utf-8") + data if header else data)
    try:
        enterprise_file_read(path)
    except ImportRejected as rejected:
        assert rejected.issues and all(str(issue).startswith("upload.csv") for issue in rejected.issues)


@pytest.mark.django_db(transaction=True)
def test_foreign_key_checks_are_back_on_after_an_import_outside_a_transaction(tmp_path: Path) -> None:
    from django.db import connection

    from tests.factories import city_with_districts
    from yuanqu.indicators.models import EnterpriseMonth
    from yuanqu.indicators.services import enterprise_months_import

    _, (zone,) = city_with_districts("z")
    enterprise_months_import(path=write_csv(tmp_path / "june.csv", [good(1), good(2)]), zone=zone)
    with pytest.raises(ImportRejected):
        enterprise_months_import(path=write_csv(tmp_path / "bad.csv", [good(3, sales="abc")]), zone=zone)

    assert EnterpriseMonth.objects.filter(zone=zone).count() == 2
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1


def test_an_xlsx_file_is_checked_column_by_column_with_the_row_checks_result(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for number in range(1, 40):
        row: list[object] = good(number, period="2023-05" if number % 2 else "2023-06")
        row[5] = 100.5 + number / 4  # numbers as Excel stores them
        row[7] = -5.25
        sheet.append(row)
    sheet.append([])  # a blank row in the middle: row numbers must stay the sheet's
    sheet.append(good(40))
    path = tmp_path / "june.xlsx"
    book.save(path)

    checked = enterprise_table_check(read_table(path))
    expected, issues = row_path(path)
    assert checked is not None and expected is not None and not issues
    assert as_lists(checked) == as_lists(expected)
    assert list(checked.rows)[-1] == 42
    assert checked.amounts[SALES][0] == 1_007_500  # 100.75万元


@given(value=st.floats(allow_nan=True, allow_infinity=True))
def test_a_number_cell_reads_as_the_shortest_text_that_gives_it_back(value: float) -> None:
    from yuanqu.indicators.tabular import cell_text

    text = cell_text(value)
    if math.isfinite(value) and value.is_integer():
        assert text == str(int(value))  # whole numbers exactly as stored
    elif math.isfinite(value):
        assert "e" not in text.lower() and Decimal(text) == Decimal(repr(value))
    else:
        assert text in {"Infinity", "-Infinity", "NaN"}
