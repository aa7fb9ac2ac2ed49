"""The outputs: Word after GB/T 9704, the PDF's text and fonts, the Excel annex, and the same bytes every time."""

import io
import re
import subprocess
import time
import zipfile
from datetime import datetime

import pytest
from django.utils import timezone
from docx import Document as read_word
from fontTools.ttLib import TTCollection
from openpyxl import load_workbook
from pypdf import PdfReader

from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.workreport.document import Document
from yuanqu.workreport.formats import normalise_zip, render
from yuanqu.workreport.selectors import report_document

pytestmark = pytest.mark.usefixtures("demo")
MOMENT = timezone.make_aware(datetime(2023, 7, 20, 9, 30, 0))
ENTERPRISE_TABLES = ("分行业拉动", "产业链节点产值")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def document() -> Document:
    return report_document(zone=Place.objects.get(code="yz-etdz"), period=Period(2023, 1, 6))


def word_text(content: bytes) -> str:
    word = read_word(io.BytesIO(content))
    parts = [paragraph.text for paragraph in word.paragraphs]
    parts += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_word_document_has_the_official_page_and_grid(document: Document) -> None:
    word = read_word(io.BytesIO(render(document, "docx", moment=MOMENT)))
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm, 1) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)] == [37.0, 35.0, 28.0, 26.0]  # fmt: skip
    grid = section._sectPr.find(f"{W}docGrid")
    # 225 mm of text area / 22 lines = 28.99 pt, 579 twips (28.95 pt); 156 mm = 442.20 pt / 28
    # characters = 15.793 pt, 0.207 pt under the 16 pt body size: −0.20697 × 4096 = −847.8 → −848.
    assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch"), grid.get(f"{W}charSpace")) == (
        "linesAndChars",
        "579",
        "-848",
    )
    normal = word.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.rFonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    title = word.paragraphs[0]
    assert title.text == "扬州经济技术开发区2023年上半年工作报告"
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._r.rPr.rFonts.get(f"{W}eastAsia") == "方正小标宋简体"
    heading = next(p for p in word.paragraphs if p.text == "一、主要经济指标")
    assert heading.runs[0]._r.rPr.rFonts.get(f"{W}eastAsia") == "黑体"
    assert word.settings.odd_and_even_pages_header_footer
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "— " in xml and " —" in xml


def test_word_tables_have_their_total_rows_and_repeat_their_headers(document: Document) -> None:
    word = read_word(io.BytesIO(render(document, "docx", moment=MOMENT)))
    projects = next(table for table in word.tables if table.rows[0].cells[0].text == "类别")
    assert [cell.text for cell in projects.rows[-1].cells][:3] == ["合计", "179", "648.6"]
    assert projects.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None


def test_word_core_properties_and_zip_members_carry_the_given_moment(document: Document) -> None:
    content = render(document, "docx", moment=MOMENT)
    word = read_word(io.BytesIO(content))
    assert word.core_properties.created == MOMENT  # 2023-07-20 01:30 UTC
    assert word.core_properties.modified == MOMENT
    assert {info.date_time for info in zipfile.ZipFile(io.BytesIO(content)).infolist()} == {(2023, 7, 20, 9, 30, 0)}


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "md"])
def test_an_output_is_the_same_bytes_when_made_again_later(document: Document, fmt: str) -> None:
    first = render(document, fmt, moment=MOMENT)
    time.sleep(1.1)  # the zip clock has two-second steps, the core properties one-second ones
    assert render(document, fmt, moment=MOMENT) == first


def test_normalising_an_archive_twice_changes_nothing(document: Document) -> None:
    content = render(document, "xlsx", moment=MOMENT)
    assert normalise_zip(content, MOMENT) == content


def test_the_annex_has_a_sheet_per_table_named_by_its_section(document: Document) -> None:
    book = load_workbook(io.BytesIO(render(document, "xlsx", moment=MOMENT)))
    assert book.sheetnames[:5] == [
        "一、主要经济指标",
        "一、分行业拉动",
        "二、项目招引与建设",
        "三、营商环境与政务服务",
        "三、事项进驻",
    ]
    assert "五、战略目标" in book.sheetnames
    sheet = book["二、项目招引与建设"]
    assert sheet.freeze_panes == "B4"
    assert sheet["A3"].value == "类别" and sheet["A3"].font.bold
    last = sheet.max_row
    assert sheet.cell(last, 1).value == "合计"
    assert sheet.cell(last, 2).value == 179
    assert sheet.cell(4, 3).value == 468.6  # 先进制造业签约总投资, rounded as printed
    assert book.properties.modified == datetime(2023, 7, 20, 1, 30, 0)


def test_a_reader_without_enterprise_access_gets_no_enterprise_table_in_any_format(document: Document) -> None:
    shown = document.for_audience(enterprise=False)
    word = word_text(render(shown, "docx", moment=MOMENT))
    markdown = render(shown, "md", moment=MOMENT).decode()
    sheets = load_workbook(io.BytesIO(render(shown, "xlsx", moment=MOMENT))).sheetnames
    for title in ENTERPRISE_TABLES:
        assert title not in word
        assert title not in markdown
    assert not [name for name in sheets if "拉动" in name or "节点产值" in name]
    full = word_text(render(document, "docx", moment=MOMENT))
    assert all(title in full for title in ENTERPRISE_TABLES)


def _family_cmap(family: str) -> set[int]:
    path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True, check=True).stdout
    collection = TTCollection(path) if path.endswith(".ttc") else None
    fonts = collection.fonts if collection else []
    for font in fonts:
        names = {record.toUnicode() for record in font["name"].names if record.nameID in (1, 16)}
        if family in names:
            return set(font.getBestCmap())
    raise AssertionError(f"{family} not in {path}")


def test_the_pdf_holds_the_report_text_in_embedded_fonts_that_cover_it(document: Document) -> None:
    shown = document.for_audience(enterprise=False)
    reader = PdfReader(io.BytesIO(render(shown, "pdf", moment=MOMENT)))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert reader.metadata.title == "扬州经济技术开发区2023年上半年工作报告"
    for sentence in (
        "上半年，完成地区生产总值375.3亿元，增长8.3%；规模以上工业增加值增长11.5%；工业开票销售564.4亿元，增长7.4%",
        "上半年签约亿元以上先进制造业重点项目41个，总投资约465亿元，其中百亿元以上项目2个、50亿元以上项目3个",
        "新能源（含基础能源）：产值335.2亿元",
        "到2025年，实现工业开票销售、规模以上工业总产值超2000亿元，地区生产总值超1000亿元，综合财力过100亿元",
        "以强链补链为重点，在产业集群上再现新跨越",
    ):
        assert sentence in text
    assert "— 1 —".replace(" ", "") in text
    assert not any(title in text for title in ENTERPRISE_TABLES)
    fonts: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+", 1)[1])
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "AR-PL-UKai-CN"} <= fonts
    chinese = {ord(char) for char in text if "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"}
    covered = _family_cmap("Noto Serif CJK SC")
    assert chinese - covered == set()


def test_the_pdf_is_the_same_bytes_when_made_again_later(document: Document) -> None:
    shown = document.for_audience(enterprise=False)
    first = render(shown, "pdf", moment=MOMENT)
    time.sleep(1.1)
    assert render(shown, "pdf", moment=MOMENT) == first
