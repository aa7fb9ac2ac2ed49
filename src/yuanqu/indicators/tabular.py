"""Reading the rows of an uploaded .xlsx or .csv file as text cells.

Cells come back as stripped strings (numbers without float noise, dates as YYYY-MM-DD),
each row with its 1-based row number as a spreadsheet shows it, so that every error
message can name the row a user sees.
"""

import csv
import gc
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Table:
    file_name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large file is turned into objects.

    Reading a million cells creates millions of objects without a single cycle; each
    collection pass would walk all of them again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def cell_text(value: object) -> str:
    # Texts and numbers first: a large sheet is a million of them.
    kind = type(value)
    if kind is str:
        return value.strip()  # type: ignore[attr-defined]
    if kind is float and not value.is_integer():  # type: ignore[attr-defined]
        text = repr(value)
        if "e" not in text and "n" not in text:
            return text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # repr gives the shortest string that round-trips, i.e. what the user typed; written
        # out without an exponent (1e-05 -> 0.00001) where it has one.
        text = repr(value)
        return text if "e" not in text and "n" not in text else format(Decimal(text), "f")
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes, file_name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{file_name}：无法识别文件编码（请使用 UTF-8 或 GB18030 编码的 CSV）")


def _rows(cells: Iterable[Sequence[object]]) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(cells, start=1):
        texts = [cell_text(value) for value in row]
        if any(texts):
            yield number, texts


def read_table(path: Path | str, *, file_name: str | None = None) -> Table:
    """Read the first sheet of an .xlsx/.xls/.ods file, or a .csv file."""
    source = Path(path)
    name = file_name or source.name
    suffix = Path(name).suffix.lower()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{name}：无法读取文件（{exc.strerror}）") from exc
    if suffix == ".csv" or (suffix == "" and not data.startswith(b"PK")):
        text = _decode(data, name)
        # CSV cells are text already: strip them, skip blank lines, keep the line numbers.
        try:
            rows = [
                (number, cells)
                for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
                if any(cells := [cell.strip() for cell in row])
            ]
        except csv.Error as exc:
            raise UnreadableFile(f"{name}：不是有效的 CSV 文件（{exc}）") from exc
    elif suffix in {".xlsx", ".xlsm", ".xls", ".ods", ""}:
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = workbook.get_sheet_by_index(0)
            rows = list(_rows(sheet.to_python(skip_empty_area=False)))
        except Exception as exc:  # calamine raises several error types for damaged files
            raise UnreadableFile(f"{name}：不是有效的 Excel 文件（{exc}）") from exc
    else:
        raise UnreadableFile(f"{name}：不支持的文件类型“{suffix}”，请上传 .xlsx 或 .csv 文件")
    if not rows:
        raise UnreadableFile(f"{name}：文件为空")
    # The first non-empty row is the header; rows keep the numbers the spreadsheet shows.
    _, header = rows[0]
    return Table(file_name=name, header=[cell.strip() for cell in header], rows=rows[1:])
