"""Checks every exported workbook must pass: the office's layout, formats and Chinese text."""

import io
import re
from collections.abc import Iterable
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = 3
# A code in Latin letters where a Chinese name exists: snake_case words, dashed slugs, or
# one of the choice values the platform writes in Chinese.
ENGLISH_CODE = re.compile(r"(?<![A-Za-z0-9])[a-z]+(?:[_-][a-z0-9]+)+(?![A-Za-z0-9])")
WORDS = re.compile(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])")


def opened(content: bytes) -> Workbook:
    assert content.startswith(b"PK"), "not an .xlsx file"
    return load_workbook(io.BytesIO(content))


def header(sheet: Worksheet) -> list[str]:
    return [str(cell.value) for cell in sheet[HEADER_ROW] if cell.value is not None]


def column(sheet: Worksheet, title: str) -> int:
    return header(sheet).index(title) + 1


def english_codes(sheet: Worksheet, *, code_columns: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[str]:
    """The English codes in a sheet's text, except under ``code_columns`` (headers of columns that
    hold codes on purpose, an audit log's 操作代码) and in the ``ignore`` texts (a file's name)."""
    skipped = {column(sheet, title) for title in code_columns}
    found = []
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and not (cell.row > HEADER_ROW and cell.column in skipped):
                text = cell.value
                for each in ignore:
                    text = text.replace(each, "")
                found += ENGLISH_CODE.findall(text) + WORDS.findall(text)
    return found


def assert_office_sheet(
    sheet: Worksheet,
    *,
    title_contains: str,
    formats: dict[str, str],
    frozen: str,
    code_columns: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> None:
    """Title and subtitle above a bold, filled header; panes frozen under it; number formats
    by column; print setup; a Chinese sheet name; no English code anywhere (but under
    ``code_columns`` and in the ``ignore`` texts, see ``english_codes``)."""
    assert re.search(r"[\u4e00-\u9fff]", sheet.title), sheet.title
    assert title_contains in str(sheet["A1"].value) and sheet["A1"].font.bold
    assert "导出时间" in str(sheet["A2"].value)
    for cell in sheet[HEADER_ROW]:
        if cell.value is not None:
            assert cell.font.bold and cell.fill.fgColor.rgb.endswith("1F4E79"), cell.coordinate
    assert sheet.freeze_panes == frozen
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    for title, number_format in formats.items():
        index = column(sheet, title)
        values = [
            cell
            for cell in next(sheet.iter_cols(min_col=index, max_col=index, min_row=HEADER_ROW + 1))
            if isinstance(cell.value, int | float | datetime) and not isinstance(cell.value, bool)
        ]
        assert values, f"no numbers under {title}"
        assert {cell.number_format for cell in values} == {number_format}, title
    assert english_codes(sheet, code_columns=code_columns, ignore=ignore) == []


def texts(sheet: Worksheet) -> Iterable[str]:
    for row in sheet.iter_rows(values_only=True):
        for value in row:
            if isinstance(value, str):
                yield value
