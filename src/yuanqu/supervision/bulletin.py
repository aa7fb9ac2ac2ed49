"""The monthly supervision bulletin (督查通报): its text, and the same as Word and Excel.

The Word document follows the layout government documents use (GB/T 9704): A4, margins of
3.7/3.5/2.8/2.6 cm, the title in 方正小标宋简体 二号, the body in 仿宋_GB2312 三号 on a fixed 28.9pt
line, first-level headings “一、” in 黑体 and second-level “（一）” in 楷体_GB2312. Chinese font
names are set on ``w:eastAsia`` of each run's fonts, which is what Word uses for Chinese text.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from yuanqu.exports import Column, OfficeWorkbook
from yuanqu.supervision.colours import Colour
from yuanqu.supervision.selectors import Bulletin, BulletinItem
from yuanqu.supervision.writing import COLOUR_MEANINGS, COLOUR_NAMES, colour_name, day_text

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
DIGITS = "零一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (up to 99, as section numbers need)."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
    return text + (DIGITS[ones] if ones else "")


@dataclass
class Section:
    heading: str  # without its number
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # numbered （一）（二）…


def title(bulletin: Bulletin) -> str:
    return _("%(zone)s重点任务督查通报") % {"zone": bulletin.zone.display_name}


def subtitle(bulletin: Bulletin) -> str:
    return _("（%(month)s）") % {"month": bulletin.month_label}


def _item_text(item: BulletinItem) -> str:
    return _("%(area)s：%(code)s %(title)s（责任部门：%(department)s）。%(reason)s。") % {
        "area": item.area,
        "code": item.code,
        "title": item.title,
        "department": item.department,
        "reason": item.reason,
    }


def _done_text(item: BulletinItem) -> str:
    return _("%(area)s：%(code)s %(title)s（%(department)s，%(day)s办结）。") % {
        "area": item.area,
        "code": item.code,
        "title": item.title,
        "department": item.department,
        "day": day_text(item.completed_on) if item.completed_on else "",
    }


def sections(bulletin: Bulletin) -> list[Section]:
    counts = bulletin.counts
    periods = "、".join(period.full_label for period in bulletin.periods)
    overview = _(
        "截至%(day)s，%(periods)s共有重点任务%(tasks)s项、具体举措%(measures)s项。按督查规则计算，"
        "绿色（正常推进）%(green)s项、蓝色（临近时限）%(blue)s项、黄色（滞后）%(yellow)s项、"
        "红色（严重滞后或超期）%(red)s项；本月办结%(closed)s项，累计办结%(done)s项。"
    ) % {
        "day": day_text(bulletin.on),
        "periods": periods,
        "tasks": bulletin.tasks,
        "measures": bulletin.measures,
        "green": counts[Colour.GREEN],
        "blue": counts[Colour.BLUE],
        "yellow": counts[Colour.YELLOW],
        "red": counts[Colour.RED],
        "closed": len(bulletin.completed),
        "done": bulletin.done_total,
    }
    result = [Section(_("总体情况"), [overview])]
    for colour, items in ((Colour.RED, bulletin.red), (Colour.YELLOW, bulletin.yellow)):
        heading = _("%(colour)s事项（%(meaning)s，%(count)s项）") % {
            "colour": COLOUR_NAMES[colour],
            "meaning": COLOUR_MEANINGS[colour],
            "count": len(items),
        }
        empty = _("本月没有%(colour)s事项。") % {"colour": COLOUR_NAMES[colour]}
        result.append(Section(heading, [] if items else [empty], [_item_text(item) for item in items]))
    closed_heading = _("本月办结事项（%(count)s项）") % {"count": len(bulletin.completed)}
    result.append(
        Section(
            closed_heading,
            [] if bulletin.completed else [_("本月没有办结事项。")],
            [_done_text(item) for item in bulletin.completed],
        )
    )
    result.append(
        Section(
            _("工作要求"),
            [
                _(
                    "请各责任部门对红色、黄色事项逐项分析原因，明确整改措施和完成时限，于下月5日前将整改情况"
                    "报送督查室；蓝色事项须按时限完成并及时申请办结。"
                ),
                _("督查室将对红色事项跟踪督办，连续两个月为红色的事项提请分管领导约谈责任部门。"),
            ],
        )
    )
    return result


def text_lines(bulletin: Bulletin) -> list[str]:
    """The bulletin as plain lines, for the command line and tests."""
    lines = [title(bulletin), subtitle(bulletin)]
    for number, section in enumerate(sections(bulletin), start=1):
        lines.append(f"{chinese_number(number)}、{section.heading}")
        lines.extend(section.paragraphs)
        lines.extend(f"（{chinese_number(index)}）{item}" for index, item in enumerate(section.items, start=1))
    return lines


# -- Word ---------------------------------------------------------------------------------------------


def _font(paragraph: Paragraph, text: str, font: str, size: float, *, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)


def _spacing(paragraph: Paragraph, *, indent: bool) -> None:
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(28.9)
    layout.space_before = layout.space_after = Pt(0)
    if indent:
        layout.first_line_indent = Pt(32)  # two characters of 三号


def bulletin_docx(bulletin: Bulletin) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(heading, title(bulletin), TITLE_FONT, 22)
    _spacing(heading, indent=False)
    heading.paragraph_format.line_spacing = Pt(36)
    issue = document.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(issue, subtitle(bulletin), SUBHEADING_FONT, 16)
    _spacing(issue, indent=False)
    document.add_paragraph()

    for number, part in enumerate(sections(bulletin), start=1):
        line = document.add_paragraph()
        _font(line, f"{chinese_number(number)}、{part.heading}", HEADING_FONT, 16)
        _spacing(line, indent=True)
        for text in part.paragraphs:
            body = document.add_paragraph()
            _font(body, text, BODY_FONT, 16)
            _spacing(body, indent=True)
        for index, text in enumerate(part.items, start=1):
            item = document.add_paragraph()
            _font(item, f"（{chinese_number(index)}）", SUBHEADING_FONT, 16)
            _font(item, text, BODY_FONT, 16)
            _spacing(item, indent=True)

    document.add_paragraph()
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(signature, _("督查室"), BODY_FONT, 16)
    _spacing(signature, indent=False)
    dated = document.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(dated, day_text(bulletin.on), BODY_FONT, 16)
    _spacing(dated, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- Excel -----------------------------------------------------------------------------------------------


def bulletin_xlsx(bulletin: Bulletin) -> bytes:
    book = OfficeWorkbook()
    subtitle_line = _("%(zone)s　截至%(day)s") % {"zone": bulletin.zone.name, "day": day_text(bulletin.on)}
    summary = book.sheet(
        name=_("汇总"),
        title=title(bulletin) + subtitle(bulletin),
        columns=[Column(_("颜色")), Column(_("含义")), Column(_("举措数（项）"), "int", total=True)],
        subtitle=subtitle_line,
    )
    for colour in (Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.GREEN):
        summary.row([str(COLOUR_NAMES[colour]), str(COLOUR_MEANINGS[colour]), bulletin.counts[colour]])
    summary.total_row()
    columns = [
        Column(_("编号")),
        Column(_("重点任务")),
        Column(_("具体举措"), width=40),
        Column(_("责任部门")),
        Column(_("颜色")),
        Column(_("原因"), width=50),
        Column(_("完成时限"), "date"),
    ]
    for name, items in ((_("红黄事项"), bulletin.red + bulletin.yellow), (_("临近时限"), bulletin.blue)):
        sheet = book.sheet(name=name, title=title(bulletin) + "·" + name, columns=columns, subtitle=subtitle_line)
        sheet.rows(
            [item.code, item.area, item.title, item.department, colour_name(item.colour), item.reason, item.deadline]
            for item in items
        )
    done = book.sheet(
        name=_("本月办结"),
        title=title(bulletin) + "·" + _("本月办结"),
        columns=[*columns[:4], Column(_("办结日期"), "date")],
        subtitle=subtitle_line,
    )
    done.rows([item.code, item.area, item.title, item.department, item.completed_on] for item in bulletin.completed)
    return book.to_bytes()
