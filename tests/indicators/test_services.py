"""Imports: validate everything first, write nothing on error, never double count."""

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.factories import city_with_districts, enterprise_code
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.models import EnterpriseMonth, Observation, ScopeTotal
from yuanqu.indicators.services import enterprise_months_import, observations_import
from yuanqu.indicators.spreadsheets import write_template

pytestmark = pytest.mark.django_db

HEADER = [
    "统一社会信用代码", "企业名称", "所属期", "规上", "工业总产值（万元）", "工业开票销售（万元）",
    "营业收入（万元）", "利润总额（万元）", "税金总额（万元）", "用电量（万千瓦时）", "行业代码",
]  # fmt: skip


def good_row(number: int, period: str = "2023-06", sales: str = "100.5") -> list[str]:
    return [enterprise_code(number), f"企业{number}", period, "是", "110", sales, "120", "-5", "3", "4.2", "C3841"]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def database_state() -> tuple[int, int, int, int]:
    return (
        EnterpriseMonth.objects.count(),
        ScopeTotal.objects.count(),
        Observation.objects.count(),
        AuditEntry.objects.count(),
    )


def test_a_good_file_is_imported_with_amounts_in_yuan(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    report = enterprise_months_import(path=write_csv(tmp_path / "june.csv", [good_row(1), good_row(2)]), zone=zone)

    assert (report.added, report.enterprises_created, report.written) == (2, 2, True)
    row = EnterpriseMonth.objects.get(enterprise__uscc=enterprise_code(1))
    assert row.industrial_invoiced_sales == 1_005_000  # 100.5万元
    assert row.profit == -50_000
    assert row.electricity == 42_000  # 4.2万千瓦时
    assert row.source_row == 2
    assert AuditEntry.objects.filter(action="import.enterprise_months").count() == 1


@pytest.mark.parametrize(
    ("rows", "header", "expected"),
    [
        ([good_row(1)], HEADER[:5] + HEADER[6:], "june.csv 第1行“工业开票销售（万元）”列：缺少此列"),
        ([good_row(1, sales="一百")], HEADER, "june.csv 第2行“工业开票销售（万元）”列：“一百”不是数字"),
        (
            [[enterprise_code(1)[:-1] + "X", *good_row(1)[1:]]],
            HEADER,
            "june.csv 第2行“统一社会信用代码”列：",
        ),
        ([good_row(1), good_row(1)], HEADER, "june.csv 第3行“统一社会信用代码”列：与第2行重复（同一企业、同一所属期）"),
        ([good_row(1, period="2023-13")], HEADER, "june.csv 第2行“所属期”列：所属期“2023-13”无效"),
        ([good_row(1, period="2023-H1")], HEADER, "june.csv 第2行“所属期”列：“2023-H1”不是单月"),
    ],
)
def test_a_malformed_file_is_rejected_naming_row_and_column_and_writes_nothing(
    tmp_path: Path, rows: list[list[str]], header: list[str], expected: str
) -> None:
    _, (zone,) = city_with_districts("z")
    enterprise_months_import(path=write_csv(tmp_path / "may.csv", [good_row(9, "2023-05")]), zone=zone)
    before = database_state()

    with pytest.raises(ImportRejected) as rejected:
        enterprise_months_import(path=write_csv(tmp_path / "june.csv", rows, header), zone=zone)

    messages = [str(issue) for issue in rejected.value.issues]
    assert any(message.startswith(expected) for message in messages), messages
    assert database_state() == before


def test_one_bad_row_among_good_ones_writes_nothing(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    rows = [good_row(number) for number in range(1, 50)] + [good_row(50, sales="abc")]
    with pytest.raises(ImportRejected):
        enterprise_months_import(path=write_csv(tmp_path / "june.csv", rows), zone=zone)
    assert database_state() == (0, 0, 0, 0)


def test_reimporting_a_month_in_full_replaces_it_and_never_double_counts(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    enterprise_months_import(path=write_csv(tmp_path / "a.csv", [good_row(1), good_row(2)]), zone=zone)
    # The corrected June report sent again in full: enterprise 2 dropped, enterprise 1 corrected.
    report = enterprise_months_import(
        path=write_csv(tmp_path / "b.csv", [good_row(1, sales="200")]), zone=zone, replace_month=True
    )

    assert (report.changed, report.removed) == (1, 1)
    assert EnterpriseMonth.objects.count() == 1
    total = ScopeTotal.objects.get(
        zone=zone, year=2023, month=6, span="cumulative", field="industrial_invoiced_sales", industry=""
    )
    assert total.current == 2_000_000


def test_importing_the_same_data_again_changes_nothing(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    path = write_csv(tmp_path / "june.csv", [good_row(1), good_row(2)])
    enterprise_months_import(path=path, zone=zone)
    rows_before = list(EnterpriseMonth.objects.values_list("id", "source_id", "industrial_invoiced_sales"))

    report = enterprise_months_import(path=path, zone=zone)

    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 2)
    assert not report.written
    assert list(EnterpriseMonth.objects.values_list("id", "source_id", "industrial_invoiced_sales")) == rows_before


def test_a_dry_run_shows_what_would_change_and_writes_nothing(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    report = enterprise_months_import(path=write_csv(tmp_path / "june.csv", [good_row(1)]), zone=zone, dry_run=True)
    assert (report.added, report.written) == (1, False)
    assert "将新增 1" in report.summary
    assert database_state() == (0, 0, 0, 0)


def test_the_template_the_platform_writes_can_be_filled_in_and_imported(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    path = tmp_path / "template.xlsx"
    path.write_bytes(write_template("enterprise-monthly"))
    book = load_workbook(path)
    sheet = book["数据"]
    for column, value in enumerate(good_row(1), start=1):
        sheet.cell(row=2, column=column, value=float(value) if column == 6 else value)
    book.save(path)

    report = enterprise_months_import(path=path, zone=zone)

    assert report.added == 1
    assert EnterpriseMonth.objects.get().industrial_invoiced_sales == 1_005_000


def test_an_unreadable_file_is_rejected_in_chinese(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ImportRejected) as rejected:
        enterprise_months_import(path=path, zone=zone)
    assert "不是有效的 Excel 文件" in str(rejected.value.issues[0])


OBSERVATION_HEADER = ["指标", "地区", "所属期", "数值", "单位", "同比增长（%）", "价格口径", "数据版本", "来源"]


def test_reported_figures_import_and_a_changed_figure_is_a_revision(tmp_path: Path) -> None:
    city_with_districts("z")
    first = write_csv(
        tmp_path / "h1.csv",
        [["地区生产总值", "z区", "2023-H1", "375.3", "亿元", "8.3", "可比价", "快报", "成绩单"]],
        OBSERVATION_HEADER,
    )
    assert observations_import(path=first).added == 1
    assert observations_import(path=first).unchanged == 1  # same data again: no change
    revised = write_csv(
        tmp_path / "h1-final.csv",
        [["gdp", "z", "2023-01~06", "376.1", "亿元", "8.5", "可比价", "定报", "统计局定报"]],
        OBSERVATION_HEADER,
    )
    assert observations_import(path=revised).revised == 1

    rows = Observation.objects.order_by("recorded_at", "id")
    assert [(str(row.value), row.superseded_at is None) for row in rows] == [("375.3000", False), ("376.1000", True)]


def test_reported_figures_with_unknown_names_are_rejected(tmp_path: Path) -> None:
    city_with_districts("z")
    path = write_csv(
        tmp_path / "bad.csv",
        [["地区总产值", "火星", "2023-H1", "1", "亿元", "", "现价", "初报", ""]],
        OBSERVATION_HEADER,
    )
    with pytest.raises(ImportRejected) as rejected:
        observations_import(path=path)
    messages = {issue.column: issue.message for issue in rejected.value.issues}
    assert messages["指标"] == "未知指标“地区总产值”"
    assert messages["地区"] == "未知地区“火星”"
    assert messages["数据版本"] == "“初报”应为“快报”“定报”或“核实”"
    assert messages["来源"] == "请注明数据来源"
    assert Observation.objects.count() == 0
