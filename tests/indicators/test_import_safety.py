"""Imports that cannot wipe a month, and same-scope growth a statistician signs off.

Every expected number is worked out by hand in the comments.
"""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import city_with_districts, enterprise_code
from yuanqu import figures
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.models import Enterprise, EnterpriseMonth, Indicator, MonthCoverage
from yuanqu.indicators.selectors import completeness, same_scope
from yuanqu.indicators.services import enterprise_months_import, new_production_mark
from yuanqu.periods import Period

pytestmark = pytest.mark.django_db

HEADER = ["统一社会信用代码", "企业名称", "所属期", "规上", "工业总产值（万元）", "工业开票销售（万元）",
          "营业收入（万元）", "利润总额（万元）", "税金总额（万元）", "用电量（万千瓦时）"]  # fmt: skip
PRIOR = "工业开票销售上年同期累计（万元）"
CUMULATIVE = "工业开票销售本年累计（万元）"


def row(number: int, period: str, sales: str, *, scope: str = "是", extra: list[str] | None = None) -> list[str]:
    return [enterprise_code(number), f"企业{number}", period, scope, "", sales, "", "", "", "", *(extra or [])]


def write(path: Path, rows: list[list[str]], extra_headers: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER + (extra_headers or []))
        writer.writerows(rows)
    return path


def sales_of(code: int, year: int, month: int) -> int | None:
    return (
        EnterpriseMonth.objects.filter(enterprise__uscc=enterprise_code(code), year=year, month=month)
        .values_list("industrial_invoiced_sales", flat=True)
        .first()
    )


def invoiced_sales() -> Indicator:
    return Indicator.objects.get(code="industrial_invoiced_sales")


@pytest.fixture
def zone_with_june(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A zone whose June 2023 holds enterprises 1–10 (100万元 each)."""
    _, (zone,) = city_with_districts("z")
    enterprise_months_import(
        path=write(tmp_path / "june.csv", [row(n, "2023-06", "100") for n in range(1, 11)]), zone=zone
    )
    return zone


def test_a_one_row_file_for_a_stored_month_updates_that_row_and_removes_nothing(zone_with_june, tmp_path: Path) -> None:
    report = enterprise_months_import(path=write(tmp_path / "one.csv", [row(3, "2023-06", "130")]), zone=zone_with_june)

    assert (report.added, report.changed, report.removed, report.kept) == (0, 1, 0, 9)
    assert EnterpriseMonth.objects.filter(year=2023, month=6).count() == 10
    assert sales_of(3, 2023, 6) == 1_300_000
    # The preview warned that the file is partial: 1 of the 10 stored enterprises (10.0%).
    diff = report.month_diffs[0]
    assert (diff.in_file, diff.stored, diff.unchanged) == (1, 10, 0)
    assert any("文件只含库中 10 家企业中的 1 家（10.0%），是部分数据" in warning for warning in report.warnings)
    # Nothing stored is emptied: the other amounts were empty before as well.
    assert not any("清空" in warning for warning in report.warnings)
    # The month's total moves from 1,000 to 1,030万元: 3.0%, under the 10% warning.
    assert not any("月度合计" in warning for warning in report.warnings)
    [change] = report.changed_rows
    assert change.amount_changes() == [("工业开票销售（万元）", "100.0", "130.0")]


def test_replacing_a_month_removes_exactly_the_missing_enterprises_and_the_preview_names_them(
    zone_with_june, tmp_path: Path
) -> None:
    path = write(tmp_path / "full.csv", [row(n, "2023-06", "100") for n in range(1, 9)] + [row(11, "2023-06", "50")])

    preview = enterprise_months_import(path=path, zone=zone_with_june, replace_month=True, dry_run=True)
    assert [(change.name, change.amount_changes()) for change in preview.removed_rows] == [
        ("企业10", [("规上", "是", "—"), ("工业开票销售（万元）", "100.0", "—")]),
        ("企业9", [("规上", "是", "—"), ("工业开票销售（万元）", "100.0", "—")]),
    ]
    assert EnterpriseMonth.objects.filter(year=2023, month=6).count() == 10  # a preview writes nothing

    report = enterprise_months_import(path=path, zone=zone_with_june, replace_month=True)
    assert (report.added, report.changed, report.removed, report.unchanged) == (1, 0, 2, 8)
    stored = set(EnterpriseMonth.objects.filter(year=2023, month=6).values_list("enterprise__uscc", flat=True))
    assert stored == {enterprise_code(n) for n in [*range(1, 9), 11]}
    entry = AuditEntry.objects.filter(action="import.enterprise_months").latest("id")
    assert entry.detail["removed"] == 2 and entry.detail["replace_month"] is True
    assert {item["uscc"] for item in entry.detail["rows"] if item["kind"] == "removed"} == {
        enterprise_code(9),
        enterprise_code(10),
    }


def test_a_total_moving_by_more_than_ten_percent_is_warned(zone_with_june, tmp_path: Path) -> None:
    # Enterprise 1 from 100 to 250万元: the month's total goes from 1,000 to 1,150, +15.0%.
    report = enterprise_months_import(
        path=write(tmp_path / "big.csv", [row(1, "2023-06", "250")]), zone=zone_with_june, dry_run=True
    )
    assert "2023年6月：月度合计变动超过10%，请核对：工业开票销售增加15.0%" in report.warnings


def test_the_same_file_twice_changes_nothing(zone_with_june, tmp_path: Path) -> None:
    path = write(tmp_path / "one.csv", [row(3, "2023-06", "130")])
    enterprise_months_import(path=path, zone=zone_with_june)
    again = enterprise_months_import(path=path, zone=zone_with_june)
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, 1)
    assert not again.written


def three_enterprises(tmp_path: Path, zone, *, prior_for_new: str | None) -> None:  # type: ignore[no-untyped-def]
    """Enterprise 1 规上 both years (2022-06 100, 2023-06 110); enterprise 2 likewise (200 → 190);
    enterprise 3 enters scope in 2023 with no 2022 row (2023-06 60), with or without a reported
    上年同期累计 (1—6月)."""
    rows = [row(1, "2022-06", "100", extra=[""]), row(2, "2022-06", "200", extra=[""])]
    rows += [row(1, "2023-06", "110", extra=[""]), row(2, "2023-06", "190", extra=[""])]
    rows.append(row(3, "2023-06", "60", extra=[prior_for_new or ""]))
    enterprise_months_import(path=write(tmp_path / "data.csv", rows, [PRIOR]), zone=zone)


def test_a_new_entrant_with_a_reported_prior_enters_the_base_at_that_amount(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    three_enterprises(tmp_path, zone, prior_for_new="40")

    # 1—6月: (110 + 190 + 60) against (100 + 200 + the reported 40): 360 / 340 − 1 = 5.88…%.
    cumulative = same_scope(zone, invoiced_sales(), Period(2023, 1, 6))
    assert cumulative is not None
    assert (cumulative.current_yuan, cumulative.base_yuan) == (3_600_000, 3_400_000)
    assert (cumulative.enterprises_with_base, cumulative.reported_base_enterprises) == (3, 1)
    assert figures.rate(cumulative.growth_pct) == "5.9"
    # Without the 新入库 enterprise: (110 + 190) / (100 + 200) − 1 = 0.0%.
    assert figures.rate(cumulative.continuing_growth_pct) == "0.0"
    assert cumulative.continuing_differs


def test_an_enterprise_without_a_base_is_left_out_and_counted(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    three_enterprises(tmp_path, zone, prior_for_new=None)

    figure = same_scope(zone, invoiced_sales(), Period(2023, 1, 6))
    assert figure is not None
    # The level counts all three (360万元); the growth leaves out enterprise 3: 300 / 300 − 1.
    assert figure.current_yuan == 3_600_000
    assert (figure.current_with_base_yuan, figure.base_yuan) == (3_000_000, 3_000_000)
    assert figures.rate(figure.growth_pct) == "0.0"
    assert (figure.excluded_enterprises, figure.excluded_yuan) == (1, 600_000)
    assert figure.exclusion_note == "另有1家在库企业缺上年同期数据（本期60.0万元），未计入增速"


def test_a_new_production_mark_makes_the_base_zero_and_leaves_an_audit_row(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    three_enterprises(tmp_path, zone, prior_for_new=None)

    new_production_mark(enterprise=Enterprise.objects.get(uscc=enterprise_code(3)), year=2023, reason="2023年3月投产")

    figure = same_scope(zone, invoiced_sales(), Period(2023, 1, 6))
    assert figure is not None
    # Enterprise 3 now counts against a zero base: 360 / 300 − 1 = 20.0%.
    assert (figure.current_with_base_yuan, figure.base_yuan, figure.new_production_enterprises) == (
        3_600_000,
        3_000_000,
        1,
    )
    assert figures.rate(figure.growth_pct) == "20.0"
    entry = AuditEntry.objects.get(action="scope.new_production")
    assert "2023年3月投产" in entry.summary and entry.detail["after"] == "新投产"


def test_a_new_production_mark_needs_a_reason(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    three_enterprises(tmp_path, zone, prior_for_new=None)
    with pytest.raises(ValueError, match="请填写"):
        new_production_mark(enterprise=Enterprise.objects.get(uscc=enterprise_code(3)), year=2023, reason="  ")


def test_in_month_growth_compares_june_with_june_over_the_same_enterprises(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    rows = [
        # Enterprise 1: May and June of both years.
        row(1, "2022-05", "80"), row(1, "2022-06", "100"), row(1, "2023-05", "90"), row(1, "2023-06", "120"),
        # Enterprise 2: 规上 both years; June 2022 50, June 2023 45.
        row(2, "2022-06", "50"), row(2, "2023-06", "45"),
        # Enterprise 3: was 规上 in June 2023 only and not in 2022 at all: no base, left out.
        row(3, "2023-06", "30"),
    ]  # fmt: skip
    enterprise_months_import(path=write(tmp_path / "m.csv", rows), zone=zone)

    june = same_scope(zone, invoiced_sales(), Period.month(2023, 6))
    assert june is not None
    # (120 + 45) / (100 + 50) − 1 = 10.0%, enterprise 3's 30万元 in the level only.
    assert (june.current_yuan, june.current_with_base_yuan, june.base_yuan) == (1_950_000, 1_650_000, 1_500_000)
    assert figures.rate(june.growth_pct) == "10.0"
    assert june.span == "in_month"


def test_a_reported_prior_that_differs_from_the_stored_year_is_a_revision_and_counts(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    enterprise_months_import(path=write(tmp_path / "a.csv", [row(1, "2022-06", "100")]), zone=zone)
    # The bureau's report for June 2023 gives 1—6月 of 2022 as 105万元 (the stored June 2022 row is 100).
    report = enterprise_months_import(
        path=write(tmp_path / "b.csv", [row(1, "2023-06", "126", extra=["105"])], [PRIOR]), zone=zone
    )
    [revision] = report.revisions
    assert (revision.own_yuan, revision.reported_yuan) == (1_000_000, 1_050_000)
    figure = same_scope(zone, invoiced_sales(), Period(2023, 1, 6))
    assert figure is not None and figures.rate(figure.growth_pct) == "20.0"  # 126 / 105 − 1


def test_a_reported_cumulative_that_differs_from_the_months_is_listed(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    enterprise_months_import(path=write(tmp_path / "may.csv", [row(1, "2023-05", "40")]), zone=zone)
    report = enterprise_months_import(
        path=write(tmp_path / "june.csv", [row(1, "2023-06", "50", extra=["95"])], [CUMULATIVE]), zone=zone
    )
    [mismatch] = report.mismatches  # 40 + 50 = 90, not 95
    assert (mismatch.months_yuan, mismatch.reported_yuan, mismatch.row) == (900_000, 950_000, 2)
    assert "与1—6月各月合计90.0万元不符" in mismatch.text


def test_a_month_with_few_reports_is_incomplete_and_labelled(zone_with_june, tmp_path: Path) -> None:
    # July: 3 of the 10 enterprises 规上 in June reported.
    enterprise_months_import(
        path=write(tmp_path / "july.csv", [row(n, "2023-07", "100") for n in (1, 2, 3)]), zone=zone_with_june
    )

    coverage = MonthCoverage.objects.get(zone=zone_with_june, year=2023, month=7)
    assert (coverage.reported, coverage.expected, coverage.reported_of_expected) == (3, 10, 3)
    assert completeness(zone_with_june, Period.month(2023, 7)).label == "数据不完整：已报 3 家 / 应报 10 家"
    assert completeness(zone_with_june, Period.month(2023, 6)).complete  # the zone's first month
    # 1—7月 of a zone whose reports start in June lacks January to May as well.
    assert completeness(zone_with_june, Period(2023, 1, 7)).label == (
        "数据不完整：7月已报 3 家 / 应报 10 家；"
        "1月无企业数据；2月无企业数据；3月无企业数据；4月无企业数据；5月无企业数据"
    )


def test_a_name_too_long_or_with_control_characters_is_refused_at_the_preview(tmp_path: Path) -> None:
    _, (zone,) = city_with_districts("z")
    long_name = row(1, "2023-06", "1")
    long_name[1] = "企" * 201
    nul_name = row(2, "2023-06", "1")
    nul_name[1] = "企业\x00二"
    with pytest.raises(ImportRejected) as rejected:
        enterprise_months_import(path=write(tmp_path / "names.csv", [long_name, nul_name]), zone=zone, dry_run=True)
    messages = [str(issue) for issue in rejected.value.issues]
    assert "names.csv 第2行“企业名称”列：过长（201个字符，最多200个）" in messages
    assert any(message.startswith("names.csv 第3行“企业名称”列：含有控制字符") for message in messages)


def test_the_command_prints_the_months_and_warnings_and_replaces_only_when_told(zone_with_june, tmp_path: Path) -> None:
    path = write(tmp_path / "two.csv", [row(1, "2023-06", "100"), row(2, "2023-06", "100")])
    out = io.StringIO()
    call_command("import", "enterprise-monthly", str(path), "--zone", "z", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "2023年6月　2　10　0　0　0　2　8" in text
    assert "警告：2023年6月：文件只含库中 10 家企业中的 2 家（20.0%）" in text
    out = io.StringIO()
    call_command("import", "enterprise-monthly", str(path), "--zone", "z", "--replace-month", stdout=out)
    assert "已新增 0、更新 0、删除 8" in out.getvalue()
    assert f"已删除：2023-06 企业10（{enterprise_code(10)}）：规上是，工业开票销售（万元）100.0" in out.getvalue()
    assert EnterpriseMonth.objects.filter(year=2023, month=6).count() == 2


def test_the_preview_workbook_lists_every_change(zone_with_june, tmp_path: Path) -> None:
    from yuanqu.indicators.import_diff import import_diff_workbook

    report = enterprise_months_import(
        path=write(tmp_path / "x.csv", [row(1, "2023-06", "120"), row(12, "2023-06", "7")]),
        zone=zone_with_june,
        dry_run=True,
    )
    book = load_workbook(io.BytesIO(import_diff_workbook(report, zone=zone_with_june)))
    assert book.sheetnames[:2] == ["各月汇总", "逐行变化"]
    changes = [[cell.value for cell in line] for line in book["逐行变化"].iter_rows(min_row=4)]
    assert ["更新", "2023-06", "企业1", enterprise_code(1), 2, "工业开票销售（万元）", "100.0", "120.0"] in changes
    assert ["新增", "2023-06", "企业12", enterprise_code(12), 3, "工业开票销售（万元）", "—", "7.0"] in changes
    assert EnterpriseMonth.objects.filter(year=2023, month=6).count() == 10


def test_scope_refresh_recomputes_the_totals_and_names_the_wrong_ones(zone_with_june, tmp_path: Path) -> None:
    from yuanqu.indicators.models import ScopeTotal

    ScopeTotal.objects.filter(
        zone=zone_with_june, year=2023, month=6, span="cumulative", field="industrial_invoiced_sales", industry=""
    ).update(current=1)
    out = io.StringIO()
    call_command("scope", "refresh", "--zone", "z", stdout=out)
    text = out.getvalue()
    assert "不同：2023年1—6月 工业开票销售 合计：库中 本期1元" in text
    assert "重算 本期10000000元" in text  # 10 enterprises × 100万元
    assert "1 处与库中不同" in text
    total = ScopeTotal.objects.get(
        zone=zone_with_june, year=2023, month=6, span="cumulative", field="industrial_invoiced_sales", industry=""
    )
    assert total.current == 10_000_000


def test_a_blank_cell_that_would_empty_a_stored_amount_is_warned(zone_with_june, tmp_path: Path) -> None:
    stored = row(1, "2023-06", "100")
    stored[6] = "120"  # 营业收入
    enterprise_months_import(path=write(tmp_path / "a.csv", [stored]), zone=zone_with_june)
    report = enterprise_months_import(
        path=write(tmp_path / "b.csv", [row(1, "2023-06", "100")]), zone=zone_with_june, dry_run=True
    )
    assert (
        "2023年6月：1 家企业已有的数据将被清空（文件中相应单元格为空）；如只是未填报，请补全后再导入" in report.warnings
    )
