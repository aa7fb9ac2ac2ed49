import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.projects.factory import a_department, a_zone, an_officer
from tests.spreadsheets import assert_office_sheet, column, opened
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.importing import ImportRejected
from yuanqu.projects.models import Project, ProjectCredit, Stage, StageEvent
from yuanqu.projects.services import ledger_export, ledger_import

pytestmark = pytest.mark.django_db
HEADER = [
    "项目编号",
    "项目名称",
    "投资方",
    "项目类别",
    "计划总投资（亿元）",
    "所处阶段",
    "签约日期",
    "注册日期",
    "供地日期",
    "招商人员",
    "责任部门",
    "用地（亩）",
]
GOOD = [
    [
        "XM-001",
        "动力电池项目",
        "某电池公司",
        "先进制造业",
        "120",
        "注册",
        "2023-02-01",
        "2023-03-01",
        "",
        "zhang",
        "招商局",
        "300",
    ],
    [
        "XM-002",
        "研发中心项目",
        "某科技公司",
        "现代服务业",
        "2.5",
        "签约",
        "2023/4/8",
        "",
        "",
        "zhang:60；孙招商:40",
        "",
        "",
    ],
    ["XM-003", "道路改造项目", "区城建集团", "城建", "3", "在谈", "", "", "", "", "", ""],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


@pytest.fixture
def zone():  # type: ignore[no-untyped-def]
    zone = a_zone()
    a_department(zone)
    an_officer("zhang", "张招商")
    an_officer("sun", "孙招商")
    return zone


def test_a_ledger_with_errors_is_rejected_by_row_and_column_and_nothing_is_written(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = [
        GOOD[0],
        ["", "无编号项目", "某公司", "先进制造业", "5", "签约", "2023-02-01", "", "", "", "", ""],
        ["XM-004", "项目四", "某公司", "高新技术", "五亿", "签约", "2023-02-01", "", "", "", "", ""],
        ["XM-005", "项目五", "某公司", "技改", "1", "注册", "2023-02-01", "", "", "", "", ""],
        ["XM-006", "项目六", "某公司", "技改", "1", "注册", "2023-05-01", "2023-04-01", "", "", "", ""],
        ["XM-001", "重复项目", "某公司", "技改", "1", "在谈", "", "", "", "", "", ""],
        ["XM-007", "项目七", "某公司", "技改", "1", "在谈", "", "", "", "zhang:50；sun:40", "", ""],
    ]
    path = write_csv(tmp_path / "台账.csv", bad)
    with pytest.raises(ImportRejected) as rejected:
        ledger_import(path=path, zone=zone)
    messages = [str(issue) for issue in rejected.value.issues]
    assert messages == [
        "台账.csv 第3行“项目编号”列：不能为空",
        "台账.csv 第4行“项目类别”列：“高新技术”应为先进制造业、现代服务业、技改或城建",
        "台账.csv 第4行“计划总投资（亿元）”列：“五亿”不是数字",
        "台账.csv 第5行“注册日期”列：阶段为“注册”时不能为空",
        "台账.csv 第6行“注册日期”列：早于签约日期（2023-05-01）",
        "台账.csv 第7行“项目编号”列：与第2行重复",
        "台账.csv 第8行“招商人员”列：各人比例之和为90%，应为100%",
    ]
    assert not Project.objects.exists() and not StageEvent.objects.exists()
    assert not AuditEntry.objects.filter(action="import.project_ledger").exists()


def test_unknown_people_and_departments_are_named_and_nothing_is_written(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [GOOD[0], ["XM-009", "项目九", "某公司", "技改", "1", "在谈", "", "", "", "wang", "外事局", ""]]
    with pytest.raises(ImportRejected) as rejected:
        ledger_import(path=write_csv(tmp_path / "l.csv", rows), zone=zone)
    assert [str(issue) for issue in rejected.value.issues] == [
        "l.csv 第3行“责任部门”列：本园区没有部门“外事局”",
        "l.csv 第3行“招商人员”列：未找到用户“wang”",
    ]
    assert not Project.objects.exists()


def test_a_text_too_long_or_with_a_control_character_is_refused_not_cut(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = [*HEADER, "国别地区", "联系人", "搁置终止原因"]

    def project(number: int, **changes: str) -> list[str]:
        cells = dict(zip(header, [f"XM-{number:03d}", f"项目{number}", "某公司", "技改", "1", "在谈"], strict=False))
        cells.update(changes)
        return [cells.get(name, "") for name in header]

    rows = [
        project(1, 项目名称="项" * 201),
        project(2, 项目名称="项目\x00二"),
        project(3, 投资方="某" * 201),
        project(4, 国别地区="美" * 61),
        project(5, 所处阶段="搁置", 签约日期="2023-02-01", 搁置终止原因="因" * 301),
        project(6, 联系人="王五\x07经理"),
        project(7, 责任部门="招商\x00局"),
        project(8, 招商人员="zhang\x00"),
        project(9, 项目名称="项" * 200, 联系人="张三 经理 13800000000\n李四 主任"),  # at the limit; two lines
    ]
    path = tmp_path / "台账.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    with pytest.raises(ImportRejected) as rejected:
        ledger_import(path=path, zone=zone, dry_run=True)
    control = "含有控制字符（如换行、制表符或空字符），请删除后重试"
    assert [str(issue) for issue in rejected.value.issues] == [
        "台账.csv 第2行“项目名称”列：过长（201个字符，最多200个）",
        f"台账.csv 第3行“项目名称”列：{control}",
        "台账.csv 第4行“投资方”列：过长（201个字符，最多200个）",
        "台账.csv 第5行“国别地区”列：过长（61个字符，最多60个）",
        "台账.csv 第6行“搁置终止原因”列：过长（301个字符，最多300个）",
        "台账.csv 第7行“联系人”列：含有控制字符（如空字符），请删除后重试",
        f"台账.csv 第8行“责任部门”列：{control}",
        "台账.csv 第9行“招商人员”列：含有控制字符（如空字符），请删除后重试",
    ]
    assert not Project.objects.exists() and not AuditEntry.objects.exists()

    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, rows[-1]])
    ledger_import(path=path, zone=zone)
    stored = Project.objects.get()
    assert (stored.name, stored.contacts) == ("项" * 200, "张三 经理 13800000000\n李四 主任")


def test_a_good_ledger_imports_and_importing_it_again_changes_nothing(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(tmp_path / "台账.csv", GOOD)
    preview = ledger_import(path=path, zone=zone, dry_run=True)
    assert (preview.created, preview.written) == (3, False) and not Project.objects.exists()

    report = ledger_import(path=path, zone=zone)
    assert (report.created, report.updated, report.written) == (3, 0, True)
    battery = Project.objects.get(code="XM-001")
    assert (battery.stage, battery.signed_on, battery.registered_on) == (
        Stage.REGISTERED,
        date(2023, 2, 1),
        date(2023, 3, 1),
    )
    assert battery.signed_investment_yi == Decimal(120) and battery.land_mu == Decimal(300)
    assert [event.to_stage for event in battery.events.all()] == [Stage.NEGOTIATING, Stage.SIGNED, Stage.REGISTERED]
    assert sorted(
        ProjectCredit.objects.filter(project__code="XM-002").values_list("officer__username", "share_pct")
    ) == [
        ("sun", Decimal(40)),
        ("zhang", Decimal(60)),
    ]

    again = ledger_import(path=path, zone=zone)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert StageEvent.objects.count() == 3 + 2 + 1


def test_a_ledger_moves_projects_forward_but_never_back(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger_import(path=write_csv(tmp_path / "a.csv", GOOD), zone=zone)
    forward = [[*GOOD[0][:8], "2023-04-01", *GOOD[0][9:]]]
    forward[0][5] = "供地"
    report = ledger_import(path=write_csv(tmp_path / "b.csv", forward), zone=zone)
    assert (report.updated, report.events) == (1, 1)
    assert Project.objects.get(code="XM-001").stage == Stage.LAND
    back = [[*GOOD[0][:5], "签约", "2023-02-01", "", "", *GOOD[0][9:]]]
    with pytest.raises(ImportRejected, match="1 处错误") as rejected:
        ledger_import(path=write_csv(tmp_path / "c.csv", back), zone=zone)
    assert "阶段不能回退" in rejected.value.issues[0].message
    assert Project.objects.get(code="XM-001").stage == Stage.LAND


def test_the_exported_ledger_has_title_header_and_totals_and_imports_back_unchanged(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ledger_import(path=write_csv(tmp_path / "a.csv", GOOD), zone=zone)
    content = ledger_export(zone=zone, projects=Project.objects.order_by("code"))
    out = tmp_path / "导出.xlsx"
    out.write_bytes(content)
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "测试开发区招商项目台账"
    assert sheet["A3"].value == "项目编号" and sheet["E3"].value == "计划总投资（亿元）"
    assert [sheet.cell(row=row, column=1).value for row in (4, 5, 6, 7)] == ["XM-001", "XM-002", "XM-003", "合计"]
    assert sheet["B7"].value == "共3个项目" and Decimal(str(sheet["E7"].value)) == Decimal("125.5")
    assert AuditEntry.objects.filter(action="export.project_ledger").count() == 1
    report = ledger_import(path=out, zone=zone)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_the_exported_ledger_is_an_office_sheet_naming_people_and_departments_in_chinese(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    economy = a_department(zone, code="economic-bureau", name="经济发展局")
    ledger_import(path=write_csv(tmp_path / "a.csv", GOOD), zone=zone)
    shared = Project.objects.get(code="XM-002")
    ProjectCredit.objects.filter(project=shared, officer__username="sun").update(department=economy)
    sheet = opened(ledger_export(zone=zone, projects=Project.objects.order_by("code"))).active
    assert sheet is not None
    assert_office_sheet(
        sheet,
        title_contains="招商项目台账",
        formats={"计划总投资（亿元）": "#,##0.00", "签约日期": "yyyy-mm-dd", "用地（亩）": "#,##0.00"},
        frozen="C4",
    )
    people, department = column(sheet, "招商人员"), column(sheet, "责任部门")
    assert (sheet.cell(row=4, column=people).value, sheet.cell(row=4, column=department).value) == ("张招商", "招商局")
    assert sheet.cell(row=5, column=people).value == "张招商:60；孙招商（经济发展局）:40"
    assert not sheet.cell(row=5, column=department).value
    assert sheet.cell(row=4, column=column(sheet, "项目类别")).value == "先进制造业"
    assert sheet.cell(row=4, column=column(sheet, "所处阶段")).value == "注册"
    assert sheet.page_setup.orientation == "landscape"
    out = tmp_path / "台账.xlsx"
    sheet.parent.save(out)
    report = ledger_import(path=out, zone=zone)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_a_ledger_with_user_names_and_department_codes_still_imports(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    old_style = [[*GOOD[0][:9], "zhang", "investment-bureau", "300"]]
    report = ledger_import(path=write_csv(tmp_path / "old.csv", old_style), zone=zone)
    assert report.created == 1
    credit = ProjectCredit.objects.get(project__code="XM-001")
    assert (credit.officer.username, credit.department.name) == ("zhang", "招商局")  # type: ignore[union-attr]


def test_a_display_name_two_people_share_is_exported_as_the_user_name(zone, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    an_officer("zhang2", "张招商")
    ledger_import(path=write_csv(tmp_path / "a.csv", [GOOD[0]]), zone=zone)
    sheet = opened(ledger_export(zone=zone, projects=Project.objects.all())).active
    assert sheet is not None
    assert sheet.cell(row=4, column=column(sheet, "招商人员")).value == "zhang"
