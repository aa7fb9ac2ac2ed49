"""Reading the rows of an uploaded .xlsx or .csv file as text cells.

Cells come back as stripped strings (numbers without float noise, dates as YYYY-MM-DD),
each row with its 1-based row number as a spreadsheet shows it, so that every error
message can name the row a user sees.

Before any parser sees a file it is checked against ``FileLimits``: an .xlsx file as a zip
(entries, what it unpacks to, compression ratios, each part's real size against the size
its directory claims) and as sheets (the dimension, every cell's address, the number of
cells and the rectangle they span, which is what the reader allocates); a .csv file by its
lines and cells. A file over a limit is refused with a message naming the limit, so a small
hostile file cannot make a server process allocate without bound.
"""

import csv
import gc
import io
import re
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.parsers import expat
from zipfile import ZIP_DEFLATED, ZIP_STORED, BadZipFile, LargeZipFile, ZipFile, ZipInfo

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


# -- limits checked before a file is parsed -------------------------------------------------

MB = 1024 * 1024
# Parts this small are never refused for their compression ratio: styles, an empty sheet and
# other small regular XML compress far better than data does.
RATIO_FLOOR_BYTES = 1 * MB
CHUNK = 4 * MB
# A zip directory entry is 46 bytes plus the part's name and extras; OOXML part names are short.
DIRECTORY_BYTES_PER_ENTRY = 1024


@dataclass(frozen=True)
class FileLimits:
    """What an import file may hold, checked before any parser sees it.

    ``max_rows`` and ``max_columns`` bound a sheet's addresses (the header row included),
    ``max_cells`` both the number of cells and the rectangle from A1 to the last row and
    column used, which is what the reader allocates. The other three bound an .xlsx file as
    a zip. From the settings ``YUANQU_IMPORT_MAX_*`` and ``YUANQU_XLSX_MAX_*``.
    """

    max_rows: int = 300_000
    max_columns: int = 200
    max_cells: int = 4_000_000
    max_unpacked_mb: int = 300
    max_ratio: int = 100
    max_entries: int = 200

    @classmethod
    def from_settings(cls) -> "FileLimits":
        from django.conf import settings

        if not settings.configured:
            return cls()
        return cls(
            max_rows=settings.YUANQU_IMPORT_MAX_ROWS,
            max_columns=settings.YUANQU_IMPORT_MAX_COLUMNS,
            max_cells=settings.YUANQU_IMPORT_MAX_CELLS,
            max_unpacked_mb=settings.YUANQU_XLSX_MAX_UNPACKED_MB,
            max_ratio=settings.YUANQU_XLSX_MAX_RATIO,
            max_entries=settings.YUANQU_XLSX_MAX_ENTRIES,
        )

    @property
    def shape(self) -> str:
        return f"上限为{self.max_rows}行、{self.max_columns}列、{self.max_cells}个单元格"


def csv_check(data: bytes, name: str, limits: FileLimits) -> None:
    """A .csv file's lines and cells against the limits (a comma in quotes counts as a cell too)."""
    lines = max(data.count(b"\n"), data.count(b"\r")) + (0 if data.endswith((b"\n", b"\r")) else 1)
    if lines > limits.max_rows:
        raise UnreadableFile(f"{name}：文件有{lines}行，超过{limits.max_rows}行的上限；请分成几个文件导入")
    cells = data.count(b",") + lines
    if cells > limits.max_cells:
        raise UnreadableFile(
            f"{name}：文件约有{cells}个单元格，超过{limits.max_cells}个单元格的上限；请分成几个文件导入"
        )


def column_number(letters: str) -> int:
    """A column's number from its letters: A → 1, Z → 26, AA → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


_ADDRESS = re.compile(r"([A-Za-z]{0,3})([0-9]{1,7})")


def _address(text: str, name: str) -> tuple[int, int]:
    """(row, column), 1-based, of a cell address such as "K12"; a bare row number has column 0."""
    match = _ADDRESS.fullmatch(text.strip())
    if match is None or int(match.group(2)) == 0:
        raise UnreadableFile(f"{name}：单元格地址“{text[:20]}”无效，文件已损坏")
    return int(match.group(2)), column_number(match.group(1).upper())


@dataclass
class _SheetExtent:
    """What one part's cells span: the last row and column used, how many cells and strings it has.

    ``rows`` and ``columns`` may be upper bounds (see ``_extent_plain``).
    """

    rows: int = 0
    columns: int = 0
    cells: int = 0
    strings: int = 0
    dimension: str = ""

    def problem(self, name: str, limits: FileLimits) -> str:
        """What is over a limit, in Chinese; empty when nothing is."""
        if self.dimension:
            first, _, last = self.dimension.partition(":")
            row, column = _address(last or first, name)
            if row > limits.max_rows or column > limits.max_columns or row * max(column, 1) > limits.max_cells:
                return f"{name}：工作表声明的范围 {self.dimension[:40]} 过大，{limits.shape}"
        if self.rows > limits.max_rows or self.columns > limits.max_columns:
            return f"{name}：工作表用到第{self.rows}行、第{self.columns}列，{limits.shape}；请分成几个文件导入"
        if self.cells > limits.max_cells or self.rows * self.columns > limits.max_cells:
            return (
                f"{name}：工作表的范围有{self.rows * self.columns}个单元格（{self.cells}个有内容），"
                f"{limits.shape}；请删去多余的行列或分成几个文件导入"
            )
        if self.strings > limits.max_cells:
            return f"{name}：共享字符串有{self.strings}个，超过{limits.max_cells}个的上限"
        return ""


# A cell written as every spreadsheet program writes it starts with its address: <c r="K12".
_PLAIN_CELL = b'<c r="'
# Any other cell tag sends the part to the exact reading (each pattern starts with a literal,
# which the regular-expression engine finds fast).
_OTHER_CELL = re.compile(rb'<c(?=[\s/>])(?! r=")')
_PREFIXED_CELL = re.compile(rb":c(?=[\s/>])")
# An address in another form (lower case, a leading zero) than the letters and digits above.
_ODD_ADDRESS = re.compile(rb'<c r="(?![A-Z]{1,3}[1-9][0-9]{0,6}")')
_WIDE_CELL = re.compile(rb'<c r="[A-Z]{2}')
_CELL_LETTERS = re.compile(rb'<c r="([A-Z]{1,3})[1-9][0-9]{0,6}"')
_CELL_ROWS = re.compile(rb'<c r="[A-Z]{1,3}([1-9][0-9]{0,6})"')
# An attribute written otherwise than name="value": a space or quote after "=", a space before it.
_LOOSE_ATTRIBUTE = re.compile(rb"=[\s']")
_LINE_BREAKS = b"\t\n\r"
_BROKEN_ADDRESS = re.compile(rb"[\t\n\r]r[\s=]|[\t\n\r]=")
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
LAST_COLUMN = 18_278  # ZZZ


class _Unusual(Exception):
    """The part is not written the usual way: read it with an XML parser instead."""


@dataclass
class _PlainScan:
    """The state of ``_extent_plain`` between chunks."""

    exact: bool
    long_rows: re.Pattern[bytes]
    extent: _SheetExtent = field(default_factory=_SheetExtent)
    letters: set[bytes] = field(default_factory=set)
    rows: set[bytes] = field(default_factory=set)
    wide: bool = False
    strings: bool | None = None  # the shared strings part, told by its first chunk

    def add(self, buffer: bytes) -> None:
        extent = self.extent
        if self.strings is None:
            self.strings = b"sst" in buffer[:4096]
        if self.strings:
            extent.strings += buffer.count(b"<si") + buffer.count(b":si")
            return
        if _OTHER_CELL.search(buffer) or _PREFIXED_CELL.search(buffer) or _ODD_ADDRESS.search(buffer):
            raise _Unusual
        # A second address in a tag, or an address written in another form, would go unseen here.
        plain = buffer.count(_PLAIN_CELL)
        if buffer.count(b' r="') != plain + buffer.count(b'<row r="'):
            raise _Unusual
        if _LOOSE_ATTRIBUTE.search(buffer) or b" =" in buffer:
            raise _Unusual
        if len(buffer.translate(None, _LINE_BREAKS)) != len(buffer) and _BROKEN_ADDRESS.search(buffer):
            raise _Unusual
        if plain:
            extent.cells += plain
            if self.exact:
                found = _CELL_LETTERS.findall(buffer)
                if len(found) != plain:
                    raise _Unusual
                self.letters.update(found)
                self.rows.update(_CELL_ROWS.findall(buffer))
            else:
                self.wide = self.wide or bool(_WIDE_CELL.search(buffer))
                self.rows.update(self.long_rows.findall(buffer))
        if not extent.dimension and b"dimension" in buffer:
            match = _DIMENSION.search(buffer)
            if match:
                extent.dimension = match.group(1).decode("ascii", "replace")

    def result(self, row_digits: int) -> _SheetExtent:
        extent = self.extent
        if self.exact:
            extent.rows = max((int(row) for row in self.rows), default=0)
            extent.columns = max((column_number(letter.decode()) for letter in self.letters), default=0)
        elif extent.cells:
            # Bounds: rows of fewer digits than the limit's are below 10**(digits - 1); a sheet
            # without a two-letter column uses at most 26.
            extent.rows = max((int(row) for row in self.rows), default=10 ** (row_digits - 1) - 1)
            extent.columns = LAST_COLUMN if self.wide else 26
        return extent


def _extent_plain(chunks: Iterable[bytes], *, exact: bool, max_rows: int) -> _SheetExtent:
    """The extent of a part written the usual way, from its bytes (no parser: several times faster).

    Not ``exact``, the last row and column are upper bounds found without looking at every
    address (only rows with as many digits as ``max_rows`` are read). Raises _Unusual when a
    cell tag does not start with its address, or anything else is out of the ordinary, so
    that the exact reading takes over.
    """
    row_digits = len(str(max_rows))
    long_rows = re.compile(rb'<c r="[A-Z]{1,3}([1-9][0-9]{%d,6})"' % (row_digits - 1))
    scan = _PlainScan(exact=exact, long_rows=long_rows)
    carry = b""
    for chunk in chunks:
        buffer = carry + chunk
        # A tag never contains "<": everything before the last "<" holds whole tags only.
        cut = buffer.rfind(b"<")
        if cut < 0:
            buffer, carry = b"", b""
        else:
            buffer, carry = buffer[:cut], buffer[cut:]
        if len(carry) > CHUNK:
            raise _Unusual
        scan.add(buffer)
    scan.add(carry)
    return scan.result(row_digits)


def _extent_parsed(chunks: Iterable[bytes], name: str) -> _SheetExtent:
    """The extent of a part read with an XML parser, placing cells as the reader does.

    A cell without an address is the one after the previous cell of its row, a row without
    an address the one after the previous row. Cells written as empty elements are counted
    too (the reader skips them: counting them can only make the extent larger).
    """
    extent = _SheetExtent()
    position = {"row": 0, "column": 0}

    def start(tag: str, attributes: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        if local == "row":
            if "r" in attributes:
                position["row"] = _address(attributes["r"], name)[0] - 1
        elif local == "c":
            if "r" in attributes:
                row, column = _address(attributes["r"], name)
                row, column = row - 1, max(column - 1, 0)
            else:
                row, column = position["row"], position["column"]
            position["column"] = column + 1
            extent.rows = max(extent.rows, row + 1)
            extent.columns = max(extent.columns, column + 1)
            extent.cells += 1
        elif local == "si":
            extent.strings += 1
        elif local == "dimension" and "ref" in attributes and not extent.dimension:
            extent.dimension = attributes["ref"]

    def end(tag: str) -> None:
        if tag.rpartition(":")[2] == "row":
            position["row"] += 1
            position["column"] = 0

    def refuse(*_: object) -> None:
        raise UnreadableFile(f"{name}：文件含有文档类型声明，不是正常的 Excel 文件")

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise UnreadableFile(f"{name}：文件内容不是有效的 XML（{expat.ErrorString(exc.code)}），文件已损坏") from exc
    return extent


def _end_of_directory(data: bytes, name: str) -> tuple[int, int]:
    """(entries, directory size) as the zip's end record states them, before any entry is read."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))
    if at < 0 or at + 22 > len(data):
        raise UnreadableFile(f"{name}：不是有效的 Excel 文件（文件不完整或已损坏）")
    entries, size = struct.unpack_from("<HL", data, at + 10)
    locator = at - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if data[offset : offset + 4] == b"PK\x06\x06" and offset + 56 <= len(data):
            entries, size = struct.unpack_from("<QQ", data, offset + 32)
    return entries, size


def _part_chunks(data: bytes, info: ZipInfo, name: str) -> Iterator[bytes]:
    """A part's content in chunks, never more than the directory says it holds.

    Decompressed here rather than by ``zipfile``, which stops at the stated size without
    saying that more would follow: a part larger than stated, or different from its
    checksum, is refused.
    """
    damaged = UnreadableFile(f"{name}：文件中的“{info.filename[:60]}”与文件目录不符，文件已损坏或被篡改")
    header = data[info.header_offset : info.header_offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise damaged
    flags, _, _, _, _, stated_packed, stated_size, name_length, extra_length = struct.unpack_from(
        "<HHHHLLLHH", header, 6
    )
    if not flags & 0x08 and (stated_packed, stated_size) not in {
        (info.compress_size, info.file_size),
        (0xFFFFFFFF, 0xFFFFFFFF),
    }:
        raise damaged
    start = info.header_offset + 30 + name_length + extra_length
    packed = memoryview(data)[start : start + info.compress_size]
    if len(packed) != info.compress_size:
        raise damaged
    checksum = 0
    produced = 0
    if info.compress_type == ZIP_STORED:
        if info.compress_size != info.file_size:
            raise damaged
        for offset in range(0, len(packed), CHUNK):
            chunk = bytes(packed[offset : offset + CHUNK])
            checksum = zlib.crc32(chunk, checksum)
            yield chunk
    else:
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        for offset in range(0, len(packed), 1 << 16):
            pending = bytes(packed[offset : offset + (1 << 16)])
            while pending and not decompressor.eof:
                try:
                    chunk = decompressor.decompress(pending, CHUNK)
                except zlib.error as exc:
                    raise damaged from exc
                pending = decompressor.unconsumed_tail
                produced += len(chunk)
                if produced > info.file_size:
                    raise damaged
                checksum = zlib.crc32(chunk, checksum)
                yield chunk
        if not decompressor.eof or produced != info.file_size:
            raise damaged
    if checksum != info.CRC:
        raise damaged


def workbook_check(data: bytes, name: str, limits: FileLimits) -> None:
    """An .xlsx file against the limits, as a zip and as sheets, before the reader opens it."""
    entries, directory = _end_of_directory(data, name)
    if entries > limits.max_entries or directory > limits.max_entries * DIRECTORY_BYTES_PER_ENTRY:
        raise UnreadableFile(
            f"{name}：文件由{entries}个部分组成，超过{limits.max_entries}个的上限，不像正常的 Excel 文件"
        )
    try:
        archive = ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (BadZipFile, LargeZipFile, ValueError, struct.error) as exc:
        raise UnreadableFile(f"{name}：不是有效的 Excel 文件（{exc}）") from exc
    if len(parts) > limits.max_entries:
        raise UnreadableFile(
            f"{name}：文件由{len(parts)}个部分组成，超过{limits.max_entries}个的上限，不像正常的 Excel 文件"
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_unpacked_mb * MB:
        raise UnreadableFile(
            f"{name}：文件解压后有{unpacked / MB:.0f}MB，超过{limits.max_unpacked_mb}MB的上限；请分成几个文件导入"
        )
    for part in parts:
        if part.flag_bits & 0x01:
            raise UnreadableFile(f"{name}：文件已加密，请取消密码后重新上传")
        if part.compress_type not in (ZIP_STORED, ZIP_DEFLATED):
            raise UnreadableFile(f"{name}：文件使用了不支持的压缩方式，请用 Excel 另存为 .xlsx 后重新上传")
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
            raise UnreadableFile(
                f"{name}：文件中的“{part.filename[:60]}”压缩比为{ratio:.0f}:1，超过{limits.max_ratio}:1的上限"
                "，不像正常的 Excel 文件"
            )
    for part in parts:
        try:
            extent = _extent_plain(_part_chunks(data, part, name), exact=False, max_rows=limits.max_rows)
            if extent.problem(name, limits):  # perhaps only the bounds are: look at every address
                extent = _extent_plain(_part_chunks(data, part, name), exact=True, max_rows=limits.max_rows)
        except _Unusual:
            extent = _extent_parsed(_part_chunks(data, part, name), name)
        if problem := extent.problem(name, limits):
            raise UnreadableFile(problem)


def read_table(path: Path | str, *, file_name: str | None = None, limits: FileLimits | None = None) -> Table:
    """Read the first sheet of an .xlsx file, or a .csv file, once it is within the limits.

    ``limits`` default to the settings. Binary .xls and OpenDocument .ods files are refused:
    their sheets cannot be checked before the reader allocates them.
    """
    source = Path(path)
    name = file_name or source.name
    suffix = Path(name).suffix.lower()
    limits = limits or FileLimits.from_settings()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"{name}：无法读取文件（{exc.strerror}）") from exc
    if suffix == ".csv" or (suffix == "" and not data.startswith(b"PK")):
        csv_check(data, name, limits)
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
    elif suffix in {".xlsx", ".xlsm", ""}:
        if not data.startswith(b"PK"):
            raise UnreadableFile(f"{name}：不是有效的 Excel 文件（不是 .xlsx 格式）")
        workbook_check(data, name, limits)
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = workbook.get_sheet_by_index(0)
            rows = list(_rows(sheet.to_python(skip_empty_area=False)))
        except Exception as exc:  # calamine raises several error types for damaged files
            raise UnreadableFile(f"{name}：不是有效的 Excel 文件（{exc}）") from exc
    elif suffix in {".xls", ".ods"}:
        raise UnreadableFile(f"{name}：不接受 {suffix} 文件，请用 Excel 另存为 .xlsx 后重新上传")
    else:
        raise UnreadableFile(f"{name}：不支持的文件类型“{suffix}”，请上传 .xlsx 或 .csv 文件")
    if not rows:
        raise UnreadableFile(f"{name}：文件为空")
    # The first non-empty row is the header; rows keep the numbers the spreadsheet shows.
    _, header = rows[0]
    return Table(file_name=name, header=[cell.strip() for cell in header], rows=rows[1:])
