"""The document made ready for templates: sentences as pieces (text or a linked number), table cells as text."""

from dataclasses import dataclass, field

from yuanqu.workreport.document import HEADING, NOTE, PARAGRAPH, TABLE, Block, Cell, Document, Field


@dataclass(frozen=True)
class Piece:
    text: str
    field: Field | None = None
    new_text: str = ""  # the number the data now give, where it differs from the draft's


@dataclass(frozen=True)
class CellView:
    text: str
    numeric: bool
    field: Field | None = None
    new_text: str = ""


@dataclass
class BlockView:
    id: str
    kind: str
    level: int = 0
    pieces: list[Piece] = field(default_factory=list)
    editable: bool = False
    title: str = ""
    headers: list[CellView] = field(default_factory=list)
    rows: list[list[CellView]] = field(default_factory=list)
    total: list[CellView] | None = None
    enterprise_level: bool = False

    @property
    def is_paragraph(self) -> bool:
        return self.kind == PARAGRAPH

    @property
    def is_note(self) -> bool:
        return self.kind == NOTE

    @property
    def is_heading(self) -> bool:
        return self.kind == HEADING

    @property
    def is_table(self) -> bool:
        return self.kind == TABLE

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)


@dataclass
class SectionView:
    key: str
    heading: str
    blocks: list[BlockView]


def _cell(document: Document, cell: Cell, numeric: bool, cell_changes: dict[str, str]) -> CellView:
    if isinstance(cell, dict):
        key = cell.get("field", "")
        found = document.fields.get(key)
        return CellView(found.cell_text if found else "", numeric, found, cell_changes.get(key, ""))
    return CellView(cell, numeric)


def _block(document: Document, block: Block, changes: dict[str, str], cell_changes: dict[str, str]) -> BlockView:
    if block.kind == TABLE:
        numeric = [column.kind != "text" for column in block.columns]
        return BlockView(
            id=block.id,
            kind=block.kind,
            title=block.title,
            headers=[CellView(column.header, flag) for column, flag in zip(block.columns, numeric, strict=True)],
            rows=[
                [_cell(document, cell, flag, cell_changes) for cell, flag in zip(row, numeric, strict=True)]
                for row in block.rows
            ],
            total=(
                [_cell(document, cell, flag, cell_changes) for cell, flag in zip(block.total, numeric, strict=True)]
                if block.total is not None
                else None
            ),
            enterprise_level=block.enterprise_level,
        )
    pieces = [
        Piece(
            document.field_text(item),
            document.fields.get(item.get("field", "")),
            changes.get(item.get("field", ""), ""),
        )
        if isinstance(item, dict)
        else Piece(item)
        for item in block.segments
    ]
    return BlockView(id=block.id, kind=block.kind, level=block.level, pieces=pieces, editable=block.editable)


def present(
    document: Document, changes: dict[str, str] | None = None, cell_changes: dict[str, str] | None = None
) -> list[SectionView]:
    """The sections for a template; ``changes`` maps a field to the text the data now give it.

    ``cell_changes`` is the same as a table writes it.
    """
    changed, in_cells = changes or {}, cell_changes or {}
    return [
        SectionView(
            section.key, section.heading, [_block(document, block, changed, in_cells) for block in section.blocks]
        )
        for section in document.sections
    ]
