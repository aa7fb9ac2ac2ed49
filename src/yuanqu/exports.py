"""Excel workbooks and downloads the way offices expect them, for every export of the platform.

One helper, so that every export (drill-down, ledger, chains, service centre, supervision,
reports) has the same shape: a bold title row, a line with the zone, period and export time,
a styled header row with frozen panes under it, column widths fitted to Chinese text, number
formats by kind of figure, an optional 合计 row, a Chinese sheet name and print setup
(landscape when wide, header rows repeated, fit to width).

User text is always written as text: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return would otherwise be a formula that Excel runs when the file is opened
(CSV/formula injection), so such strings are stored as typed strings, never as formulas.
"""

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FILL = PatternFill("solid", fgColor="E8EEF5")
THIN = Side(style="thin", color="B7C4D1")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
TOTAL_LABEL = "合计"

# Number formats by kind of figure: amounts in 亿元 to one decimal, 万元 to one decimal with
# separators, rates to one decimal (as numbers, e.g. 8.3 meaning 8.3%), shares as Excel percents.
FORMATS = {
    "text": "@",
    "int": "#,##0",
    "yi": "#,##0.0",
    "yi2": "#,##0.00",
    "wan": "#,##0.0",
    "wan2": "#,##0.00",
    "rate": "0.0",
    "pp": "0.00",
    "share": "0.0%",
    "decimal": "#,##0.00##",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel's limit for a sheet name, and the characters it forbids in one.
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = str.maketrans({char: "－" for char in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    """One column of an export: its header (unit in brackets if any), kind and optional width."""

    header: str
    kind: str = "text"
    width: float | None = None
    total: bool = False  # summed in the 合计 row

    def __post_init__(self) -> None:
        if self.kind not in FORMATS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def display_width(text: str) -> int:
    """Columns as Excel counts them: a CJK character is two wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def safe_text(cell: Cell, value: str) -> None:
    """Write user text as a string cell even when it looks like a formula."""
    cell.value = value
    if value.startswith(FORMULA_STARTS):
        cell.data_type = "s"


def sheet_name(text: str) -> str:
    return text.translate(SHEET_NAME_FORBIDDEN)[:SHEET_NAME_LIMIT] or "Sheet"


class OfficeSheet:
    """A titled table on its own sheet. Add rows, then (optionally) a 合计 row."""

    def __init__(
        self,
        sheet: Worksheet,
        *,
        title: str,
        columns: Sequence[Column],
        subtitle: str = "",
        exported_at: datetime | None = None,
        landscape: bool | None = None,
        frozen_columns: int = 1,
    ) -> None:
        self.sheet = sheet
        self.columns = list(columns)
        self._widths = [display_width(column.header) for column in self.columns]
        self._totals: list[Decimal | int] = [0 for _ in self.columns]
        self.data_rows = 0
        moment = timezone.localtime(exported_at or timezone.now())
        last = get_column_letter(max(1, len(self.columns)))
        sheet.merge_cells(f"A1:{last}1")
        safe_text(sheet["A1"], title)  # a title names a zone, a chain, a document: user text too
        sheet["A1"].font = Font(bold=True, size=16)
        sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
        sheet.row_dimensions[1].height = 30
        sheet.merge_cells(f"A2:{last}2")
        line = "　".join(part for part in (subtitle, f"导出时间：{moment:%Y年%m月%d日 %H:%M}") if part)
        safe_text(sheet["A2"], line)
        sheet["A2"].alignment = Alignment(horizontal="right")
        for index, column in enumerate(self.columns, start=1):
            cell = sheet.cell(row=3, column=index)
            safe_text(cell, column.header)
            cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.row_dimensions[3].height = 32
        sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}4"
        wide = landscape if landscape is not None else len(self.columns) > 7
        sheet.page_setup.orientation = "landscape" if wide else "portrait"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "3:3"
        sheet.print_options.horizontalCentered = True

    @property
    def next_row(self) -> int:
        return 4 + self.data_rows

    def row(self, values: Sequence[Any], *, bold: bool = False, kinds: dict[int, str] | None = None) -> None:
        """Append a data row; numbers go into the 合计 of columns marked ``total``.

        ``kinds`` gives a cell its own kind of figure where one column holds several (a column of
        indicators whose values are counts, rates and days), by column index.
        """
        number = self.next_row
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            kind = (kinds or {}).get(index)
            cell_column = column if kind is None else Column(column.header, kind, column.width, column.total)
            self._write(number, index, cell_column, value, bold=bold)
            if column.total and isinstance(value, int | Decimal) and not isinstance(value, bool):
                self._totals[index] += value
        self.data_rows += 1

    def rows(self, rows: Iterable[Sequence[Any]]) -> None:
        for values in rows:
            self.row(values)

    def total_row(self, label: str = TOTAL_LABEL, values: dict[int, Any] | None = None) -> None:
        """The 合计 row: the sums of ``total`` columns, or the given values by column index."""
        number = self.next_row
        given = values or {}
        for index, column in enumerate(self.columns):
            if index == 0:
                value: Any = label
            elif index in given:
                value = given[index]
            elif column.total:
                value = self._totals[index]
            else:
                value = None
            cell = self._write(number, index, column, value, bold=True)
            cell.fill = TOTAL_FILL
        self.data_rows += 1

    def _write(self, row: int, index: int, column: Column, value: Any, *, bold: bool) -> Cell:
        cell = self.sheet.cell(row=row, column=index + 1)
        if isinstance(value, str):
            safe_text(cell, value)
            text = value
        elif isinstance(value, bool):
            cell.value = "是" if value else "否"
            text = "是"
        elif isinstance(value, datetime):
            cell.value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            text = "2026-12-01 00:00"
        else:
            cell.value = value
            text = "2026-12-01" if isinstance(value, date) else _number_text(value)
        if value is not None and not isinstance(value, str | bool):
            cell.number_format = FORMATS[column.kind] if column.kind != "text" else "General"
            if isinstance(value, datetime):
                cell.number_format = FORMATS["datetime"]
            elif isinstance(value, date):
                cell.number_format = FORMATS["date"]
        elif column.kind == "text":
            cell.number_format = "@"
        cell.border = BORDER
        if bold:
            cell.font = Font(bold=True)
        if column.kind == "text":
            cell.alignment = Alignment(vertical="center", wrap_text=display_width(text) > 40)
        self._widths[index] = max(self._widths[index], min(display_width(text), 60))
        self._fit(index, column)
        return cell

    def _fit(self, index: int, column: Column) -> None:
        width = column.width if column.width is not None else max(8, self._widths[index] + 2)
        self.sheet.column_dimensions[get_column_letter(index + 1)].width = min(width, 62)


def _number_text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return "" if value is None else str(value)


class OfficeWorkbook:
    """A workbook of ``OfficeSheet`` tables."""

    def __init__(self) -> None:
        self.book = Workbook()
        self._first = True

    def sheet(
        self,
        *,
        name: str,
        title: str,
        columns: Sequence[Column],
        subtitle: str = "",
        exported_at: datetime | None = None,
        landscape: bool | None = None,
        frozen_columns: int = 1,
    ) -> OfficeSheet:
        if self._first:
            worksheet = self.book.active
            assert worksheet is not None
            worksheet.title = sheet_name(name)
            self._first = False
        else:
            worksheet = self.book.create_sheet(sheet_name(name))
        return OfficeSheet(
            worksheet,
            title=title,
            columns=columns,
            subtitle=subtitle,
            exported_at=exported_at,
            landscape=landscape,
            frozen_columns=frozen_columns,
        )

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def export_file_name(*parts: str, suffix: str = ".xlsx") -> str:
    """扬州经开区_招商项目台账_2023年上半年.xlsx: the parts joined by underscores, no path characters."""
    cleaned = ["".join("_" if char in '\\/:*?"<>|\r\n\t' else char for char in part).strip() for part in parts]
    return "_".join(part for part in cleaned if part) + suffix


def download(content: bytes, *, file_name: str, fallback: str, content_type: str = XLSX) -> HttpResponse:
    """A download with its Chinese name (RFC 6266 ``filename*``) and an ASCII fallback name."""
    ascii_name = "".join(char for char in fallback if char.isascii() and (char.isalnum() or char in "-_.")) or "export"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
    return response
