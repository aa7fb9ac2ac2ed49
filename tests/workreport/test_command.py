import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document as read_word

from tests import factories
from yuanqu.core.models import AuditEntry, Place
from yuanqu.periods import Period
from yuanqu.workreport.formats import render
from yuanqu.workreport.services import draft_create, draft_issue

pytestmark = pytest.mark.usefixtures("demo")


def test_report_build_writes_the_word_report_with_the_seeds_paragraphs(tmp_path: Path) -> None:
    out = tmp_path / "h1.docx"
    stdout = io.StringIO()
    call_command("report", "build", "--zone", "yz-etdz", "--period", "2023-H1", "--format", "docx", "-o", str(out),
                 stdout=stdout)  # fmt: skip
    assert stdout.getvalue().startswith(f"已生成 {out}（扬州经济技术开发区2023年上半年工作报告，由当前数据生成")
    text = "\n".join(paragraph.text for paragraph in read_word(str(out)).paragraphs)
    assert "上半年，完成地区生产总值375.3亿元，增长8.3%；规模以上工业增加值增长11.5%；" in text
    assert "其中百亿元以上项目2个、50亿元以上项目3个；新签约现代服务业项目90个、总投资约120亿元" in text
    assert "新能源（含基础能源）：产值335.2亿元（规上企业105家）；年度目标600亿元" in text
    assert "超2000亿元，地区生产总值超1000亿元，综合财力过100亿元" in text
    entry = AuditEntry.objects.get(action="export.work_report")
    assert entry.actor_name == "命令行" and entry.detail["format"] == "docx"


def test_report_build_of_an_issued_version_gives_its_bytes(tmp_path: Path) -> None:
    author = factories.a_statistician()
    draft = draft_create(zone=Place.objects.get(code="yz-etdz"), period=Period(2023, 1, 6), actor=author)
    version = draft_issue(draft=draft, actor=author)
    out = tmp_path / "v1.xlsx"
    call_command("report", "build", "--period", "2023-H1", "--format", "xlsx", "-o", str(out), "--version", "1",
                 stdout=io.StringIO())  # fmt: skip
    assert out.read_bytes() == render(version.doc(), "xlsx", moment=version.issued_at)
    listing = io.StringIO()
    call_command("report", "list", stdout=listing)
    assert "2023-01~06\t第1版" in listing.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "2023-XX"], "无法识别所属期"),
        (["--period", "2023-H1", "--zone", "nowhere"], "未找到园区"),
        (["--period", "2023-H1", "--version", "7"], "没有第7版签发稿"),
        (["--period", "2023-H1", "--as-of", "七月"], "无法识别日期"),
    ],
)
def test_report_build_refuses_in_chinese(tmp_path: Path, arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", "build", *arguments, "-o", str(tmp_path / "x.md"), "--format", "md")
    assert not (tmp_path / "x.md").exists()
