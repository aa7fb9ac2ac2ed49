import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from yuanqu.exports import Column, OfficeWorkbook, download, export_file_name


def _book() -> bytes:
    book = OfficeWorkbook()
    sheet = book.sheet(
        name="企业明细",
        title="扬州经开区工业开票销售企业明细",
        subtitle="2023年上半年",
        columns=[Column("企业名称"), Column("本期（亿元）", "yi", total=True), Column("日期", "date")],
    )
    sheet.row(['=HYPERLINK("http://example.invalid","点我")', Decimal("1.25"), date(2023, 6, 30)])
    sheet.row(["@SUM(1+1)", Decimal("2.5"), None])
    sheet.total_row()
    return book.to_bytes()


def test_user_text_that_looks_like_a_formula_is_stored_as_text() -> None:
    sheet = load_workbook(io.BytesIO(_book())).active
    assert sheet["A4"].data_type == "s" and sheet["A4"].value.startswith("=HYPERLINK")
    assert sheet["A5"].data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_a_sheet_has_title_header_frozen_panes_formats_and_a_total_row() -> None:
    sheet = load_workbook(io.BytesIO(_book())).active
    assert sheet.title == "企业明细"
    assert sheet["A1"].value == "扬州经开区工业开票销售企业明细" and sheet["A1"].font.bold
    assert sheet["A2"].value.startswith("2023年上半年　导出时间：")
    assert sheet["B3"].font.bold and sheet.freeze_panes == "B4"
    assert sheet["B4"].number_format == "#,##0.0"
    assert sheet["C4"].number_format == "yyyy-mm-dd"
    assert (sheet["A6"].value, sheet["B6"].value) == ("合计", 3.75)
    assert sheet.print_title_rows == "$3:$3"


def test_file_names_are_chinese_with_an_ascii_fallback_in_the_header() -> None:
    name = export_file_name("扬州经开区", "招商项目台账", "2023年上半年")
    assert name == "扬州经开区_招商项目台账_2023年上半年.xlsx"
    response = download(b"x", file_name=name, fallback="project-ledger-2023-H1.xlsx")
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename=\"project-ledger-2023-H1.xlsx\"; filename*=UTF-8''")
    assert "%E6%89%AC" in header  # 扬, percent-encoded
