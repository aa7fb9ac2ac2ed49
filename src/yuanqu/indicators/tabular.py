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
from itertools import repeat
from pathlib import Path

from python_calamine import CalamineWorkbook


class UnreadableFile(ValueError):
    """The file cannot be read at all; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class Table:
    file_name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class Columns:
    """A CSV file column by column, cells as they are in the file (not stripped).

    ``numbers`` holds the row number of each data row; ``columns[i][j]`` is the cell of
    column ``i`` in data row ``j``.
    """

    file_name: str
    header: list[str]
    numbers: list[int]
    columns: list[tuple[str, ...]]


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
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # repr gives the shortest string that round-trips, i.e. what the user typed.
        return format(Decimal(repr(value)), "f")
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


def read_csv_columns(path: Path | str, *, file_name: str | None = None) -> Columns | None:
    """A .csv file whose data rows all have exactly the header's width, column by column.

    None for anything else (another file type, an unreadable or ragged file): ``read_table``
    reads those row by row and says what is wrong. Blank rows are skipped, as there.
    """
    source = Path(path)
    name = file_name or source.name
    if Path(name).suffix.lower() != ".csv":
        return None
    try:
        data = source.read_bytes()
        text = _decode(data, name)
    except (OSError, UnreadableFile):
        return None
    with gc_paused():
        if '"' not in text and "\x00" not in text:
            lines = text.replace("\r\n", "\n") if "\r" in text else text
            plain = _plain_csv_columns(lines, name) if "\r" not in lines else None
            if plain is not None:
                return plain
        records = list(csv.reader(io.StringIO(text)))
        numbers = [number for number, record in enumerate(records, start=1) if any(record)]
        if not numbers:
            return None
        if len(numbers) != len(records):
            records = [records[number - 1] for number in numbers]
        header = records[0]
        if set(map(len, records)) != {len(header)}:
            return None
        columns = list(zip(*records[1:], strict=True)) if len(records) > 1 else [() for _ in header]
    return Columns(file_name=name, header=[cell.strip() for cell in header], numbers=numbers[1:], columns=columns)


def _plain_csv_columns(text: str, name: str) -> Columns | None:
    """A CSV text without quotes or carriage returns: every line is its cells joined by commas.

    That is exactly how the csv module reads such a text, so the columns can be cut out
    of one list of all cells by slicing, without a Python step per cell. None when a line
    is blank or has another width (the csv module's reading then decides).
    """
    lines = text.split("\n")
    while lines and not lines[-1]:
        lines.pop()
    if not lines or not all(map(str.strip, lines, repeat(","))):  # a blank row somewhere
        return None
    commas = set(map(str.count, lines, repeat(",")))
    if len(commas) != 1:
        return None
    width = commas.pop() + 1
    cells = ",".join(lines[1:]).split(",") if len(lines) > 1 else []
    return Columns(
        file_name=name,
        header=[cell.strip() for cell in lines[0].split(",")],
        numbers=list(range(2, len(lines) + 1)),
        columns=[tuple(cells[index::width]) for index in range(width)],
    )


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
        rows = [
            (number, cells)
            for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
            if any(cells := [cell.strip() for cell in row])
        ]
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
