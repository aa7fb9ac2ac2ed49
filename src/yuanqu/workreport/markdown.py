"""The report as Markdown: headings, sentences with their numbers, tables with 合计 rows."""

from yuanqu.workreport.document import HEADING, NOTE, TABLE, Block, Document


def _cell(text: str) -> str:
    return text.replace("|", "｜").replace("\n", " ")


def _table(document: Document, block: Block) -> list[str]:
    lines = [f"**{block.title}**", ""]
    lines.append("| " + " | ".join(_cell(column.header) for column in block.columns) + " |")
    lines.append("|" + "|".join("---:" if column.kind != "text" else "---" for column in block.columns) + "|")
    for row in block.rows:
        lines.append("| " + " | ".join(_cell(document.cell_text(cell)) for cell in row) + " |")
    if block.total is not None:
        lines.append(
            "| "
            + " | ".join(
                f"**{_cell(document.cell_text(cell))}**" if document.cell_text(cell) else "" for cell in block.total
            )
            + " |"
        )
    return [*lines, ""]


def markdown_text(document: Document) -> str:
    lines = [f"# {document.title}", ""]
    for section in document.sections:
        lines += [f"## {section.heading}", ""]
        for block in section.blocks:
            if block.kind == TABLE:
                lines += _table(document, block)
            elif block.kind == HEADING:
                lines += [f"{'#' * (block.level + 1)} {document.text_of(block.segments)}", ""]
            elif block.kind == NOTE:
                lines += [f"> {document.text_of(block.segments)}", ""]
            else:
                lines += [document.text_of(block.segments), ""]
    for note in document.notes:
        lines += [f"> 注：{note}", ""]
    return "\n".join(lines).rstrip() + "\n"
