"""`yuanqu supervision board` and `yuanqu supervision bulletin`."""

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from tests.supervision.factory import a_department, a_measure, a_member, a_task, a_zone
from yuanqu.core.models import AuditEntry
from yuanqu.supervision.models import ColourChange
from yuanqu.supervision.services import report_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = a_zone("yz-test")
    economy = a_department(zone)
    task = a_task(zone, economy)
    behind = a_measure(task, economy, deadline=date(2023, 12, 31), title="用地报批")
    report_submit(
        measure=behind, actor=a_member(economy), text="选址", reported_on=date(2023, 7, 25), progress_pct=Decimal(5)
    )
    a_measure(task, economy, deadline=date(2023, 7, 20), title="专题招商")
    return zone


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("supervision", *args, stdout=out)
    return out.getvalue()


def test_the_board_prints_every_measure_with_its_colour_reason_and_progress_as_of_a_date(zone) -> None:
    lines = run("board", "--zone", "yz-test", "--date", "2023-07-31").splitlines()
    assert lines[0] == "测试开发区2023年下半年重点任务督查情况（截至2023-07-31）"
    assert lines[2] == (
        "  1.1 用地报批（经济发展局，时限2023-12-31）［黄色］落后序时进度11.7个百分点；进度5.0%，序时进度16.7%"
    )
    assert lines[3].startswith("  1.2 专题招商（经济发展局，时限2023-07-20）［红色］已超过完成时限11天")
    assert lines[-1] == "合计：红色1项，黄色1项，蓝色0项，绿色0项"
    assert not ColourChange.objects.exists()  # a date other than the period's status date is not recorded


def test_the_board_as_json_and_for_the_status_date_records_the_colours(zone) -> None:
    data = json.loads(run("board", "--zone", "yz-test", "--format", "json"))
    assert data["on"] == "2023-12-31"
    first = data["tasks"][0]["measures"][0]
    assert (first["code"], first["colour"], first["progress_pct"], first["time_progress_pct"]) == (
        "1.1",
        "red",
        "5.00",
        "100.00",
    )
    assert ColourChange.objects.count() == 2


def test_the_bulletin_is_written_as_a_word_document(zone, tmp_path: Path) -> None:
    target = tmp_path / "通报.docx"
    out = run("bulletin", "--zone", "yz-test", "--month", "2023-07", "-o", str(target))
    assert out.startswith(f"已写入 {target}：测试区重点任务督查通报（2023年7月），红色1项、黄色1项、本月办结0项")
    texts = [paragraph.text for paragraph in Document(str(target)).paragraphs]
    assert (
        "（一）项目建设：1.2 专题招商（责任部门：经济发展局）。已超过完成时限11天（时限2023年7月20日）；尚未填报进度。"
        in texts
    )
    # Audited as the page's download is, by the command line.
    (entry,) = AuditEntry.objects.filter(action="export.supervision_bulletin")
    assert (entry.summary, entry.actor_name) == ("导出督查通报（2023年7月，docx）", "命令行")
    assert entry.detail == {"zone": "yz-test", "month": "2023-07", "format": "docx", "file": "通报.docx"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("board", "--zone", "nowhere"), "未找到园区“nowhere”"),
        (("board", "--zone", "yz-test", "--date", "31/07/2023"), "--date 应为 YYYY-MM-DD"),
        (("board", "--zone", "yz-test", "--period", "2023-H3"), "--period："),
        (("board", "--zone", "yz-test", "--period", "2022-H2"), "测试开发区2022年下半年没有督查任务"),
        (("bulletin", "--zone", "yz-test", "--month", "2023-7-1", "-o", "x.docx"), "--month 应为 YYYY-MM"),
        (("bulletin", "--zone", "yz-test", "--month", "2023-07", "-o", "x.pdf"), "-o 须为 .docx 或 .xlsx 文件"),
        (("bulletin", "--zone", "yz-test", "--month", "2023-03", "-o", "x.docx"), "测试区2023年3月没有督查任务"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(zone, args, message) -> None:
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        run(*args)
