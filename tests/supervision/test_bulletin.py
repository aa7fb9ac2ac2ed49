"""The monthly bulletin as Word and Excel: it opens, and holds the hand-computed counts and items."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from tests import factories
from tests.supervision.factory import a_department, a_measure, a_member, a_task, a_zone
from yuanqu.supervision.bulletin import bulletin_docx, bulletin_xlsx, chinese_number, text_lines
from yuanqu.supervision.selectors import bulletin
from yuanqu.supervision.services import ACCEPT, report_review, report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def july():
    """End of July 2023: one measure 11 days overdue (red), one 11.7 points behind (yellow), one closed."""
    zone = a_zone()
    economy, investment = a_department(zone), a_department(zone, "investment", "招商局")
    staff = a_member(economy)
    task = a_task(zone, economy)
    a_measure(task, investment, deadline=date(2023, 7, 20), title="开展专题招商")
    behind = a_measure(task, economy, deadline=date(2023, 12, 31), title="用地报批")
    report_submit(measure=behind, actor=staff, text="选址", reported_on=date(2023, 7, 25), progress_pct=Decimal(5))
    closed = a_measure(task, economy, deadline=date(2023, 7, 30), title="拿地即开工")
    asked = report_submit(
        measure=closed,
        actor=staff,
        text="完成",
        reported_on=date(2023, 7, 26),
        requests_completion=True,
        attachments=[SimpleUploadedFile("验收.pdf", b"%PDF-1.4")],
    )
    report_review(report=asked, decision=ACCEPT, actor=factories.a_supervisor())
    return bulletin(zone=zone, year=2023, month=7, today=date(2023, 12, 1))


def test_the_word_bulletin_opens_and_holds_the_counts_and_the_red_items(july) -> None:
    document = Document(io.BytesIO(bulletin_docx(july)))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "测试区重点任务督查通报" and texts[1] == "（2023年7月）"
    assert (
        "截至2023年7月31日，2023年下半年共有重点任务1项、具体举措3项。按督查规则计算，绿色（正常推进）1项、"
        "蓝色（临近时限）0项、黄色（滞后）1项、红色（严重滞后或超期）1项；本月办结1项，累计办结1项。"
    ) in texts
    assert "二、红色事项（严重滞后或超期，1项）" in texts
    assert (
        "（一）项目建设：1.1 开展专题招商（责任部门：招商局）。已超过完成时限11天（时限2023年7月20日）；尚未填报进度。"
        in texts
    )
    assert "三、黄色事项（滞后，1项）" in texts
    assert "（一）项目建设：1.2 用地报批（责任部门：经济发展局）。落后序时进度11.7个百分点。" in texts
    assert "（一）项目建设：1.3 拿地即开工（经济发展局，2023年7月26日办结）。" in texts


def test_the_word_bulletin_is_a4_with_the_fonts_of_government_documents(july) -> None:
    document = Document(io.BytesIO(bulletin_docx(july)))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.top_margin.cm, 1), round(section.left_margin.cm, 1)) == (3.7, 2.8)

    def east_asian(paragraph_index: int, run_index: int = 0) -> str:
        run = document.paragraphs[paragraph_index].runs[run_index]
        return run._element.rPr.rFonts.get(qn("w:eastAsia"))

    texts = [paragraph.text for paragraph in document.paragraphs]
    heading = texts.index("一、总体情况")
    item = next(i for i, text in enumerate(texts) if text.startswith("（一）项目建设：1.1"))
    assert east_asian(0) == "方正小标宋简体"
    assert document.paragraphs[0].runs[0].font.size.pt == 22
    assert east_asian(heading) == "黑体"
    assert east_asian(heading + 1) == "仿宋_GB2312"
    assert (east_asian(item, 0), east_asian(item, 1)) == ("楷体_GB2312", "仿宋_GB2312")
    assert document.paragraphs[heading + 1].runs[0].font.size.pt == 16


def test_the_excel_bulletin_has_the_counts_and_the_items(july) -> None:
    book = load_workbook(io.BytesIO(bulletin_xlsx(july)))
    assert book.sheetnames == ["汇总", "红黄事项", "临近时限", "本月办结"]
    summary = book["汇总"]
    rows = [[cell.value for cell in row] for row in summary.iter_rows(min_row=4, max_row=8)]
    assert rows == [
        ["红色", "严重滞后或超期", 1],
        ["黄色", "滞后", 1],
        ["蓝色", "临近时限", 0],
        ["绿色", "正常推进", 1],
        ["合计", None, 3],
    ]
    items = [[cell.value for cell in row][:5] for row in book["红黄事项"].iter_rows(min_row=4)]
    assert items == [
        ["1.1", "项目建设", "开展专题招商", "招商局", "红色"],
        ["1.2", "项目建设", "用地报批", "经济发展局", "黄色"],
    ]


def test_the_bulletin_text_numbers_its_sections() -> None:
    assert [chinese_number(n) for n in (1, 2, 9, 10, 11, 20, 35)] == ["一", "二", "九", "十", "十一", "二十", "三十五"]


def test_the_bulletin_text_is_the_same_as_the_document(july) -> None:
    lines = text_lines(july)
    document = Document(io.BytesIO(bulletin_docx(july)))
    texts = [paragraph.text for paragraph in document.paragraphs if paragraph.text]
    assert lines == texts[: len(lines)]
