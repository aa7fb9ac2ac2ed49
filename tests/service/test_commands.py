"""`yuanqu service summary`, `yuanqu service calendar`, `yuanqu service catalogue import|export`."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.service.factory import Centre, a_clerk, an_enterprise
from yuanqu.service.models import WorkingDayOverride
from yuanqu.service.services import case_register


def run(*args: str) -> str:
    out = StringIO()
    call_command("service", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_calendar_prints_the_date_that_many_working_days_later(centre: Centre) -> None:
    assert run("calendar", "--from", "2023-09-27", "--add", "5").strip() == "2023-09-27起5个工作日：2023-10-10"


def test_calendar_follows_the_zones_overrides(centre: Centre) -> None:
    WorkingDayOverride.objects.create(zone=centre.zone, day="2023-10-09", is_working_day=False, note="调休")
    assert "2023-10-11" in run("calendar", "--from", "2023-09-27", "--add", "5")


def test_calendar_says_when_a_year_is_provisional(centre: Centre) -> None:
    from yuanqu.service.workdays import package_years

    year = package_years().stop
    output = run("calendar", "--from", f"{year - 1}-12-28", "--add", "5")
    assert f"暂定：{year}年节假日安排尚未录入" in output


def test_summary_prints_the_sentence_then_the_figures(centre: Centre) -> None:
    lines = run("summary", "--zone", "yz-etdz", "--period", "2023-H1").splitlines()
    assert lines[0] == (
        "全区依申请六类行政权力事项和公共服务事项进驻率75.0%，1项经批准暂不进驻；"
        "2个服务专区中1个设综合窗口“无差别”受理。"
    )
    assert lines[1] == "上半年无受理和办结的办件。"
    assert any(line.startswith("  进驻率：75.0%（3/4）") for line in lines)
    data = json.loads(run("summary", "--period", "2023-H1", "--format", "json"))
    assert data["figures"]["entry_rate"]["numerator"] == 3 and data["period"] == "2023-01~06"


def test_summary_lists_the_exemptions_and_the_overdue_by_department_after_the_figures(centre: Centre) -> None:
    # 食品经营许可 accepted Monday 9 October 2023, promised 3: due 12 October; open at the end of October.
    case_register(
        window=centre.any_window,
        item=centre.food,
        applicant=an_enterprise(),
        materials_received=["申请表", "营业执照"],
        outcome="accept",
        actor=a_clerk(centre),
        on=date(2023, 10, 9),
    )
    lines = run("summary", "--period", "2023-10").splitlines()
    figures_end = max(index for index, line in enumerate(lines) if line.startswith("  差评待整改："))
    rest = lines[figures_end + 1 :]
    assert rest[:2] == [
        "经批准不进驻及尚未进驻事项（1项）：",
        "  T-004 爆破作业单位许可证核发（公安分局）：批准文件扬开管发〔2023〕7号，2023-01-10批准",
    ]
    assert rest[2:4] == ["超期办件（按审批部门）：", "  市场监督管理局：超期办结0件、超期未办结1件，合计1件"]


def test_bad_arguments_are_clear_errors(centre: Centre) -> None:
    with pytest.raises(CommandError, match="无法识别所属期"):
        run("summary", "--period", "上年")
    with pytest.raises(CommandError, match="不是日期"):
        run("calendar", "--from", "2023-13-01", "--add", "1")
    with pytest.raises(CommandError, match="未找到园区"):
        run("summary", "--zone", "nowhere", "--period", "2023-H1")


def test_catalogue_export_then_import_changes_nothing(centre: Centre, tmp_path: Path) -> None:
    path = tmp_path / "catalogue.xlsx"
    assert run("catalogue", "export", str(path)).startswith("已导出")
    assert (
        run("catalogue", "import", str(path), "--dry-run").strip()
        == "（试运行）catalogue.xlsx：4 项事项，与清单相同，无变化"
    )
    broken = tmp_path / "broken.csv"
    broken.write_text("事项编码\nT-1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="未写入任何数据"):
        run("catalogue", "import", str(broken))
