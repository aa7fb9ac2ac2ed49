"""The fast path of the enterprise import: files checked column by column.

A file of a zone's five years holds over a hundred thousand rows. Apache Arrow's CSV reader
splits a clean .csv into columns in C++ (``enterprise_csv_read``); a file that must be read
row by row (.xlsx, a .csv with quotes) is turned into the same columns of texts after reading
(``enterprise_table_check``). Each distinct code, name, period, 规上 mark and industry code is
then checked once, and each amount column at once, with arrays instead of a Python step per
cell.

The row-by-row check (``importing.parse_enterprise_months``) stays the reference: it names
every problem by row and column. Both functions return None for any file they do not take in
whole: ``enterprise_csv_read`` for another type, quotes or blank lines (the row numbers would
need the csv module's reading), both for anything wrong or unusual in a cell. A file they
accept gives exactly the rows the row-by-row check gives (the tests compare them on generated
files).
"""

import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as arrow_csv

from yuanqu import uscc
from yuanqu.indicators.importing import (
    AMOUNT_FIELDS,
    CUMULATIVE_PREFIX,
    ENTERPRISE_COLUMNS,
    ENTERPRISE_OPTIONAL_COLUMNS,
    INDUSTRY_CODE,
    NEGATIVE_ALLOWED,
    NO,
    PRIOR_PREFIX,
    YES,
    EnterpriseColumns,
    amount_field_of,
    header_key,
    month_of,
    name_problem,
)
from yuanqu.indicators.tabular import FileLimits, Table, UnreadableFile, csv_check
from yuanqu.periods import PeriodError

UTF8_BOM = b"\xef\xbb\xbf"
_LONE_CARRIAGE_RETURN = re.compile(rb"\r(?!\n)")  # old Mac line ends: left to the csv module
# Below 2**50 a number with at most four decimals, read as the nearest double and times 10 000,
# lies within a quarter of its exact integer: each of the two roundings is off by at most 2**-53
# of the value, 2**-52 in all, and 2**50 * 2**-52 = 1/4. Rounding then gives it exactly.
EXACT_AS_FLOAT = 2**50


class Declined(Exception):
    """The file needs the row-by-row check (it may well be fine)."""


def enterprise_csv_read(path: Path | str, *, file_name: str | None = None) -> EnterpriseColumns | None:
    """The file's rows, checked, or None to leave the file to the row-by-row check."""
    name = file_name or Path(path).name
    if Path(name).suffix.lower() != ".csv":
        return None
    try:
        data = Path(path).read_bytes()
        csv_check(data, name, FileLimits.from_settings())  # over a limit: the row-by-row reading refuses it
        return _columns(_table(data), name)
    except (OSError, Declined, pa.ArrowException, UnreadableFile):
        return None


def enterprise_table_check(table: Table) -> EnterpriseColumns | None:
    """A file already read row by row (an .xlsx, a .csv with quotes), checked column by column.

    Reading such a file cell by cell is unavoidable; checking it need not be. None when the
    row-by-row check must run (to say what is wrong, or because something is unusual).
    """
    if not table.rows or any(len(cells) != len(table.header) for _, cells in table.rows):
        return None
    if len(set(table.header)) != len(table.header):
        return None
    cells_by_column = zip(*(cells for _, cells in table.rows), strict=True)
    arrow = pa.table(
        {name: pa.array(column, pa.string()) for name, column in zip(table.header, cells_by_column, strict=True)}
    )
    try:
        return _columns(arrow, table.file_name, [number for number, _ in table.rows])
    except (Declined, pa.ArrowException):
        return None


def _columns(table: pa.Table, file_name: str, numbers: Sequence[int] | None = None) -> EnterpriseColumns:
    """The rows of a table of texts, checked; ``numbers`` are the rows' numbers in the sheet
    (by default the data rows follow the header line by line)."""
    header = table.column_names
    positions = _positions(header)
    count = table.num_rows

    def text_column(key: str) -> tuple[list[str], npt.NDArray[np.int64]]:
        """The distinct texts of a column and, for each row, the index of its text."""
        encoded = pc.dictionary_encode(table.column(positions[key]).combine_chunks())
        return encoded.dictionary.to_pylist(), encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    # 统一社会信用代码: each distinct text a valid code (texts that differ only in spaces or
    # case are the same code).
    texts, at = text_column("uscc")
    try:
        code_texts = [uscc.validate(text) for text in texts]
    except uscc.UsccError:
        raise Declined from None
    codes, code_index = _canonical(code_texts, at)

    # 企业名称: never empty, one name per code.
    texts, at = text_column("name")
    names, name_index = _canonical([text.strip() for text in texts], at)
    if any(name_problem(name) for name in names) or _distinct(code_index, name_index, len(names)) != len(codes):
        raise Declined

    # 所属期: single months, one row per enterprise and month.
    texts, at = text_column("period")
    try:
        months_of_text = [month_of(text.strip()) for text in texts]
    except PeriodError:
        raise Declined from None
    months, month_index = _canonical(months_of_text, at)
    if _distinct(code_index, month_index, len(months)) != count:
        raise Declined

    # 规上: 是/否.
    texts, at = text_column("above_scale")
    words = [text.strip().lower() for text in texts]
    if any(word not in YES and word not in NO for word in words):
        raise Declined
    above_scale = np.array([word in YES for word in words], dtype=np.bool_)[at]

    # 行业代码: empty or a GB/T 4754 code.
    industries: list[str] = [""] * count
    if "industry_code" in positions:
        texts, at = text_column("industry_code")
        industry_texts = [text.strip().upper() for text in texts]
        if any(code and not INDUSTRY_CODE.match(code) for code in industry_texts):
            raise Declined
        industries = _taken(industry_texts, at)

    amounts: dict[str, Sequence[int | None]] = {
        key: _amounts(table.column(positions[key]).combine_chunks(), key) for key in AMOUNT_FIELDS
    }
    # 上年同期累计 and 本年累计, where the file has them.
    extra = {
        key: _amounts(table.column(positions[key]).combine_chunks(), amount_field_of(key))
        for key in positions
        if key.startswith((PRIOR_PREFIX, CUMULATIVE_PREFIX))
    }
    month_pairs = np.array(months, dtype=np.int64).reshape(-1, 2)[month_index]
    return EnterpriseColumns(
        file_name=file_name,
        rows=numbers if numbers is not None else range(2, count + 2),
        uscc=_taken(codes, code_index),
        name=_taken(names, name_index),
        year=month_pairs[:, 0].tolist(),
        month=month_pairs[:, 1].tolist(),
        above_scale=above_scale.tolist(),
        industry_code=industries,
        amounts=amounts,
        prior={key: extra[PRIOR_PREFIX + key] for key in AMOUNT_FIELDS if PRIOR_PREFIX + key in extra},
        cumulative={key: extra[CUMULATIVE_PREFIX + key] for key in AMOUNT_FIELDS if CUMULATIVE_PREFIX + key in extra},
    )


def _table(data: bytes) -> pa.Table:
    """Every cell as text; declined unless each data row is one line of the file (no quotes,
    no blank lines), so that row numbers are those of the sheet."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if b'"' in data or b"\x00" in data or _LONE_CARRIAGE_RETURN.search(data):
        raise Declined
    end = data.find(b"\n")
    try:
        header = data[: end if end >= 0 else len(data)].decode("utf-8").rstrip("\r").split(",")
    except UnicodeDecodeError:
        raise Declined from None
    if len(set(header)) != len(header):
        raise Declined
    try:
        # A blank line becomes a row of another width, which Arrow refuses: so each data row is
        # one line, and its number in the sheet is its index + 2.
        table = arrow_csv.read_csv(
            io.BytesIO(data),
            parse_options=arrow_csv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        raise Declined from None
    if table.num_rows == 0:
        raise Declined
    return table


def _positions(header: Sequence[str]) -> dict[str, int]:
    by_key = {header_key(text.strip()): index for index, text in enumerate(header)}
    if len(by_key) != len(header):
        raise Declined
    positions = {
        key: by_key[text] for text, key, _ in [*ENTERPRISE_COLUMNS, *ENTERPRISE_OPTIONAL_COLUMNS] if text in by_key
    }
    if any(key not in positions for _, key, _ in ENTERPRISE_COLUMNS):
        raise Declined
    return positions


def _canonical(values: list[Any], at: npt.NDArray[np.int64]) -> tuple[list[Any], npt.NDArray[np.int64]]:
    """Distinct texts that mean the same value merged: the values, and each row's index."""
    index_of: dict[Any, int] = {}
    merged = np.array([index_of.setdefault(value, len(index_of)) for value in values], dtype=np.int64)
    return list(index_of), merged[at]


def _distinct(first: npt.NDArray[np.int64], second: npt.NDArray[np.int64], second_size: int) -> int:
    """How many distinct (first, second) pairs the rows hold."""
    pairs = first * max(second_size, 1) + second
    if not len(pairs):
        return 0
    size = int(pairs.max()) + 1
    if size > 64 * len(pairs):  # sparse: sort instead of marking
        return int(np.unique(pairs).size)
    seen = np.zeros(size, dtype=np.bool_)
    seen[pairs] = True
    return int(np.count_nonzero(seen))


def _taken(values: list[Any], at: npt.NDArray[np.int64]) -> list[Any]:
    """The value of each row, as a list of Python objects."""
    return np.array(values, dtype=np.object_)[at].tolist() if values else []


# Plain amounts only: digits, a point, a minus, at most four decimals (a pattern in Arrow's
# RE2 syntax). Arrow reads those as Python's float() does; anything else it cannot read is
# an error.
_NOT_PLAIN = r"[^0-9.\-]|\.[0-9]{5}"


def _amounts(texts: pa.StringArray, key: str) -> list[int | None]:
    """A column in 万元 (万千瓦时) as integers in 元 (kWh), an empty cell as None."""
    if pc.any(pc.match_substring_regex(texts, _NOT_PLAIN)).as_py():
        raise Declined
    if key not in NEGATIVE_ALLOWED and pc.any(pc.match_substring(texts, "-")).as_py():
        raise Declined
    present = pc.if_else(pc.equal(texts, ""), pa.scalar(None, pa.string()), texts)
    try:
        scaled = pc.round(pc.multiply(pc.cast(present, pa.float64()), 10_000.0))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # '1-2', '1.2.3', '--5', '.', '-'
        raise Declined from None
    largest = pc.max(pc.abs(scaled)).as_py()
    if largest is not None and largest >= EXACT_AS_FLOAT:
        raise Declined
    values: list[int | None] = pc.cast(scaled, pa.int64()).to_pylist()
    return values
