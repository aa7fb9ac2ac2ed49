"""The work report as a structured document: sections of headings, sentences and tables whose
numbers are linked fields.

Django-free. A sentence is a list of segments: plain text, or a reference to a field. A field
is one number of the report: its key, its figure (a Decimal written exactly, or none), the
text it is written as in a sentence and in a table, and its provenance (the lines that say
which observation, enterprise set or project set it comes from, as ``--explain`` does). The
same field may appear in a sentence and in a table; a change of the data changes both.

Drafts and issued versions store a document as JSON (``to_data``/``from_data``). An issued
version's document is frozen: every output is rendered from it alone.
"""

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

Segment = str | dict[str, str]  # text, or {"field": key}
HEADING = "heading"
PARAGRAPH = "paragraph"
TABLE = "table"
NOTE = "note"
BLOCK_KINDS = (HEADING, PARAGRAPH, TABLE, NOTE)
COLUMN_KINDS = ("text", "int", "yi", "rate", "pp", "share")
SUPPRESSED = "—（保密）"  # as yuanqu.disclosed writes a withheld figure


@dataclass
class Field:
    key: str
    label: str  # what the number is: 地区生产总值 本期累计
    text: str  # as a sentence writes it: 375.3亿元, 增长8.3%, 41个
    value: str | None = None  # the figure, exactly (Decimal as text), None for none
    unit: str = ""
    cell: str = ""  # as a table writes it: 375.3, 8.3 (defaults to ``text``)
    provenance: list[str] = field(default_factory=list)
    enterprise_level: bool = False
    withheld: str = ""  # why readers without enterprise access may not see it (disclosure control)
    members: list[str] = field(default_factory=list)  # the enterprise set behind it (统一社会信用代码)

    @property
    def cell_text(self) -> str:
        return self.cell or self.text

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "text": self.text,
            "value": self.value,
            "unit": self.unit,
            "cell": self.cell,
            "provenance": list(self.provenance),
            "enterprise_level": self.enterprise_level,
            "withheld": self.withheld,
            "members": list(self.members),
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Field":
        return cls(
            key=str(data["key"]),
            label=str(data.get("label", "")),
            text=str(data["text"]),
            value=data.get("value"),
            unit=str(data.get("unit", "")),
            cell=str(data.get("cell", "")),
            provenance=[str(line) for line in data.get("provenance", [])],
            enterprise_level=bool(data.get("enterprise_level", False)),
            withheld=str(data.get("withheld", "")),
            members=[str(code) for code in data.get("members", [])],
        )


@dataclass
class Column:
    header: str
    kind: str = "text"  # how the annex writes it (see COLUMN_KINDS)

    def to_data(self) -> dict[str, str]:
        return {"header": self.header, "kind": self.kind}


Cell = str | dict[str, str]  # text, or {"field": key}


@dataclass
class Block:
    id: str
    kind: str
    level: int = 0  # headings: 1 一、 2 （一） 3 1.
    segments: list[Segment] = field(default_factory=list)
    # tables
    title: str = ""
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: list[Cell] | None = None
    enterprise_level: bool = False
    name: str = ""  # a table's short name (its sheet in the annex)
    editable: bool = False  # a sentence the author may rewrite

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "kind": self.kind}
        if self.kind == TABLE:
            data.update(
                title=self.title,
                columns=[column.to_data() for column in self.columns],
                rows=[list(row) for row in self.rows],
                total=list(self.total) if self.total is not None else None,
                enterprise_level=self.enterprise_level,
                name=self.name,
            )
        else:
            data.update(level=self.level, segments=list(self.segments), editable=self.editable)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Block":
        kind = str(data["kind"])
        if kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {kind!r}")
        if kind == TABLE:
            return cls(
                id=str(data["id"]),
                kind=kind,
                title=str(data.get("title", "")),
                columns=[Column(str(c["header"]), str(c.get("kind", "text"))) for c in data.get("columns", [])],
                rows=[list(row) for row in data.get("rows", [])],
                total=list(data["total"]) if data.get("total") is not None else None,
                enterprise_level=bool(data.get("enterprise_level", False)),
                name=str(data.get("name", "")),
            )
        return cls(
            id=str(data["id"]),
            kind=kind,
            level=int(data.get("level", 0)),
            segments=list(data.get("segments", [])),
            editable=bool(data.get("editable", False)),
        )

    def field_keys(self) -> Iterator[str]:
        cells: Iterable[Any] = self.segments
        if self.kind == TABLE:
            cells = [cell for row in [*self.rows, *([self.total] if self.total else [])] for cell in row]
        for item in cells:
            if isinstance(item, dict) and "field" in item:
                yield item["field"]


@dataclass
class Section:
    key: str  # indicators | projects | service | chains | goals | tasks
    number: str  # 一
    title: str  # 主要经济指标
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "number": self.number,
            "title": self.title,
            "blocks": [block.to_data() for block in self.blocks],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Section":
        return cls(
            key=str(data["key"]),
            number=str(data["number"]),
            title=str(data["title"]),
            blocks=[Block.from_data(item) for item in data.get("blocks", [])],
        )


@dataclass
class Document:
    title: str
    zone_code: str
    zone_name: str
    period_code: str
    period_label: str  # 2023年上半年
    generated_at: str  # ISO moment the engines were read
    as_of: str = ""  # ISO moment of the published figures ("" for the newest)
    sections: list[Section] = field(default_factory=list)
    fields: dict[str, Field] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. a section omitted and why
    audience: str = "full"  # full | aggregate (enterprise-level tables removed)

    def to_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "zone_code": self.zone_code,
            "zone_name": self.zone_name,
            "period_code": self.period_code,
            "period_label": self.period_label,
            "generated_at": self.generated_at,
            "as_of": self.as_of,
            "sections": [section.to_data() for section in self.sections],
            "fields": {key: self.fields[key].to_data() for key in sorted(self.fields)},
            "notes": list(self.notes),
            "audience": self.audience,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "Document":
        return cls(
            title=str(data["title"]),
            zone_code=str(data["zone_code"]),
            zone_name=str(data["zone_name"]),
            period_code=str(data["period_code"]),
            period_label=str(data["period_label"]),
            generated_at=str(data.get("generated_at", "")),
            as_of=str(data.get("as_of", "")),
            sections=[Section.from_data(item) for item in data.get("sections", [])],
            fields={key: Field.from_data(item) for key, item in data.get("fields", {}).items()},
            notes=[str(note) for note in data.get("notes", [])],
            audience=str(data.get("audience", "full")),
        )

    def blocks(self) -> Iterator[Block]:
        for section in self.sections:
            yield from section.blocks

    def block(self, block_id: str) -> Block | None:
        return next((block for block in self.blocks() if block.id == block_id), None)

    def text_of(self, segments: Iterable[Segment]) -> str:
        """A sentence as the report prints it."""
        return "".join(self.field_text(item) if isinstance(item, dict) else item for item in segments)

    def field_text(self, ref: dict[str, str]) -> str:
        found = self.fields.get(ref.get("field", ""))
        return found.text if found is not None else ""

    def cell_text(self, cell: Cell) -> str:
        if isinstance(cell, dict):
            found = self.fields.get(cell.get("field", ""))
            return found.cell_text if found is not None else ""
        return cell

    def used_keys(self) -> set[str]:
        return {key for block in self.blocks() for key in block.field_keys()}

    def for_audience(self, *, enterprise: bool) -> "Document":
        """The document a reader may see.

        Without enterprise access: no enterprise-level table, and every field the disclosure plan
        withholds (it would give an enterprise away) reads “—（保密）” with its reason, no figure.
        """
        result = copy.deepcopy(self)
        if enterprise:
            return result
        for section in result.sections:
            section.blocks = [block for block in section.blocks if not block.enterprise_level]
        used = result.used_keys()
        result.fields = {key: item for key, item in result.fields.items() if key in used and not item.enterprise_level}
        for item in result.fields.values():
            item.members = []  # which enterprises: enterprise-level
            if item.withheld:
                item.text = item.cell = SUPPRESSED
                item.value = None
                item.provenance = [f"不向本角色公开：{item.withheld}（企业级统计数据依法保密）"]
        result.audience = "aggregate"
        return result


def merged(segments: Iterable[Segment]) -> list[Segment]:
    """Adjacent texts joined, empty ones dropped: the one form a sentence is stored and compared in."""
    result: list[Segment] = []
    for item in segments:
        if isinstance(item, str):
            if not item:
                continue
            if result and isinstance(result[-1], str):
                result[-1] += item
                continue
        result.append(item)
    return result


_BOUNDARY = r"(?<![\d.])"


def link(text: str, candidates: Iterable[Field]) -> list[Segment]:
    """A sentence an engine wrote, with the given fields' texts turned into field references.

    The fields are looked for in the order given, each after the previous one, and only where
    the text is not the tail of a longer number (“4个” is not found inside “44个”). A field not
    found is left out: the sentence stays exactly the engine's, with that number as plain text.
    """
    segments: list[Segment] = []
    cursor = 0
    for item in candidates:
        if not item.text:
            continue
        found = re.compile(_BOUNDARY + re.escape(item.text)).search(text, cursor)
        if found is None:
            continue
        if found.start() > cursor:
            segments.append(text[cursor : found.start()])
        segments.append({"field": item.key})
        cursor = found.end()
    if cursor < len(text):
        segments.append(text[cursor:])
    return merged(segments)
