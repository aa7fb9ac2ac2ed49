"""The report's tables as one Excel workbook: a sheet per table, named by its section.

Through ``yuanqu.exports.OfficeWorkbook``: bold header with frozen panes, number formats, 合计
rows, Chinese sheet names. A section with two tables has two sheets (一、主要经济指标, 一、分行业拉动):
a sheet has one header row, which is what freezing panes and repeating it on every printed page
need. Figures are written rounded as the report prints them, so the annex adds up to its text.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yuanqu import figures
from yuanqu.exports import Column, OfficeWorkbook
from yuanqu.workreport.document import TABLE, Block, Cell, Document

PLACES = {"rate": 1, "pp": 2, "yi": 1, "int": 0}


def _value(document: Document, cell: Cell, kind: str) -> Any:
    if isinstance(cell, dict):
        found = document.fields.get(cell.get("field", ""))
        if found is None:
            return None
        if kind in PLACES and found.value is not None:
            rounded = figures.round_half_up(Decimal(found.value), PLACES[kind])
            return int(rounded) if kind == "int" else rounded
        return found.cell_text
    return cell or None


def _sheet(book: OfficeWorkbook, document: Document, name: str, block: Block, moment: datetime) -> None:
    kinds = [column.kind if column.kind in PLACES else "text" for column in block.columns]
    as_of = document.as_of or document.generated_at
    sheet = book.sheet(
        name=name,
        title=block.title,
        columns=[Column(column.header, kind) for column, kind in zip(block.columns, kinds, strict=True)],
        subtitle=f"{document.zone_name}　{document.period_label}　数据截至{_moment_text(as_of)}",
        exported_at=moment,
    )
    for row in block.rows:
        sheet.row([_value(document, cell, kind) for cell, kind in zip(row, kinds, strict=True)])
    if block.total is not None:
        values = {
            index: _value(document, cell, kind)
            for index, (cell, kind) in enumerate(zip(block.total, kinds, strict=True))
            if index > 0
        }
        label = document.cell_text(block.total[0]) or "合计"
        sheet.total_row(label, values)


def _moment_text(iso: str) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso)
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if timezone.is_aware(moment) else iso


def annex_workbook(document: Document, *, moment: datetime) -> bytes:
    book = OfficeWorkbook()
    for section in document.sections:
        tables = [block for block in section.blocks if block.kind == TABLE]
        for index, block in enumerate(tables):
            name = section.heading if index == 0 else f"{section.number}、{block.name or block.title}"
            _sheet(book, document, name, block, moment)
    if not any(block.kind == TABLE for block in document.blocks()):
        sheet = book.sheet(name="说明", title=document.title, columns=[Column("说明")], exported_at=moment)
        sheet.row(["本报告没有表格"])
    properties = book.book.properties
    stamp = moment.astimezone(UTC).replace(tzinfo=None) if timezone.is_aware(moment) else moment
    properties.created = stamp
    properties.modified = stamp
    properties.creator = "园区运营平台"
    properties.lastModifiedBy = "园区运营平台"
    properties.title = f"{document.title}（附表）"
    return book.to_bytes()
