"""The report in Word, laid out as GB/T 9704 (党政机关公文格式) asks.

A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (版心 156 × 225 mm); the title in
方正小标宋简体 二号 (22 pt); the body in 仿宋_GB2312 三号 (16 pt), 一、 headings in 黑体, （一） in
楷体_GB2312, 1. in bold 仿宋; 28 characters × 22 lines on the document grid (line pitch 28.95 pt);
page numbers “— 1 —” in 宋体 四号 at the foot, odd pages on the right and even pages on the left,
one character in from the edge. The East Asian font names are written in ``w:eastAsia``, as
offices' own templates do: their PCs have these fonts.
"""

import io
from datetime import UTC, datetime

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from yuanqu.workreport.document import HEADING, NOTE, TABLE, Block, Document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312"}
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(12)  # 小四
CAPTION_SIZE = Pt(14)  # 四号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
PAGE_MM = (210, 297)


def _text_area_pt() -> tuple[float, float]:
    width = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
    height = PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]
    return width * 72 / 25.4, height * 72 / 25.4


def grid() -> tuple[int, int]:
    """(line pitch in twips, character spacing in 1/4096 pt) for 22 lines × 28 characters."""
    width, height = _text_area_pt()
    line_pitch = int(height / LINES_PER_PAGE * 20)  # 225 mm / 22 = 28.95 pt = 579 twips
    char_space = round((width / CHARS_PER_LINE - BODY_SIZE.pt) * 4096)  # 15.79 pt per character
    return line_pitch, char_space


def _fonts(run: Run, east_asia: str, *, size: Pt | None = None, bold: bool | None = None) -> None:
    run.font.name = LATIN_FONT if east_asia != TITLE_FONT else east_asia
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold


def _exact_lines(paragraph: Paragraph, pitch_twips: int) -> None:
    form = paragraph.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Pt(pitch_twips / 20)
    form.space_before = Pt(0)
    form.space_after = Pt(0)


def _indent_two_characters(paragraph: Paragraph) -> None:
    paragraph.paragraph_format.first_line_indent = Pt(BODY_SIZE.pt * 2)
    indent = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if indent is not None:
        indent.set(qn("w:firstLineChars"), "200")


def _page_number(paragraph: Paragraph) -> None:
    """— PAGE — as a field, in 宋体 四号."""

    def run(text: str = "") -> Run:
        made = paragraph.add_run(text)
        _fonts(made, PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE)
        return made

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        made = run()
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            made._r.append(char)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            made._r.append(instruction)
        else:
            made.text = text or ""
    run(" —")


def _setup(word: WordDocument, document: Document, moment: datetime) -> int:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(15)
    section.footer_distance = Mm(24)  # the page number about 7 mm below the text area
    line_pitch, char_space = grid()
    sect = section._sectPr
    doc_grid = sect.find(qn("w:docGrid"))
    if doc_grid is None:
        doc_grid = OxmlElement("w:docGrid")
        sect.append(doc_grid)
    doc_grid.set(qn("w:type"), "linesAndChars")
    doc_grid.set(qn("w:linePitch"), str(line_pitch))
    doc_grid.set(qn("w:charSpace"), str(char_space))

    normal = word.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    word.settings.odd_and_even_pages_header_footer = True
    for footer, alignment, side in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        # 单页码居右空一字，双页码居左空一字.
        setattr(paragraph.paragraph_format, f"{side}_indent", PAGE_NUMBER_SIZE)
        _page_number(paragraph)

    properties = word.core_properties
    stamp = moment.astimezone(UTC).replace(tzinfo=None)
    properties.title = document.title
    properties.subject = f"{document.zone_name}{document.period_label}"
    properties.author = "园区运营平台"
    properties.last_modified_by = "园区运营平台"
    properties.created = stamp
    properties.modified = stamp
    properties.last_printed = stamp
    properties.revision = 1
    properties.category = "工作报告"
    properties.keywords = "工作报告"
    properties.comments = f"数据截至{document.as_of or document.generated_at}"
    properties.language = "zh-CN"
    properties.identifier = f"{document.zone_code}:{document.period_code}"
    properties.content_status = ""
    properties.version = ""
    return line_pitch


def _paragraph(word: WordDocument, text: str, pitch: int, *, font: str = BODY_FONT, bold: bool = False) -> Paragraph:
    paragraph = word.add_paragraph()
    _exact_lines(paragraph, pitch)
    _indent_two_characters(paragraph)
    _fonts(paragraph.add_run(text), font, size=BODY_SIZE, bold=bold)
    return paragraph


def _cell_text(cell: _Cell, text: str, *, bold: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    _fonts(paragraph.add_run(text), BODY_FONT, size=TABLE_SIZE, bold=bold)


def _table(word: WordDocument, document: Document, block: Block) -> None:
    caption = word.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.keep_with_next = True
    _fonts(caption.add_run(block.title), "黑体", size=CAPTION_SIZE)
    rows = [*block.rows, *([block.total] if block.total is not None else [])]
    table = word.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = word.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    header_props = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for index, column in enumerate(block.columns):
        _cell_text(header.cells[index], column.header, bold=True, right=False)
    for number, row in enumerate(rows, start=1):
        is_total = block.total is not None and number == len(rows)
        cells = table.rows[number].cells
        for index, (column, cell) in enumerate(zip(block.columns, row, strict=True)):
            _cell_text(cells[index], document.cell_text(cell), bold=is_total, right=column.kind != "text")
    spacer = word.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)


def word_document(document: Document, *, moment: datetime) -> bytes:
    word = new_word_document()
    pitch = _setup(word, document, moment)
    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact_lines(title, pitch * 3 // 2)
    _fonts(title.add_run(document.title), TITLE_FONT, size=TITLE_SIZE)
    _exact_lines(word.add_paragraph(), pitch)  # one empty line under the title
    for section in document.sections:
        _paragraph(word, section.heading, pitch, font=HEADING_FONTS[1])
        for block in section.blocks:
            if block.kind == TABLE:
                _table(word, document, block)
            elif block.kind == HEADING:
                level = min(max(block.level, 1), 3)
                _paragraph(word, document.text_of(block.segments), pitch, font=HEADING_FONTS[level], bold=level == 3)
            elif block.kind == NOTE:
                _paragraph(word, f"（{document.text_of(block.segments)}）", pitch)
            else:
                _paragraph(word, document.text_of(block.segments), pitch)
    for note in document.notes:
        _paragraph(word, f"注：{note}", pitch)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
