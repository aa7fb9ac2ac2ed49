"""The auditor's audit log: every row, filters by date range, user and kind, Chinese labels, Excel export."""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests import factories
from tests.spreadsheets import assert_office_sheet, opened
from yuanqu.core.audit_actions import ACTION_LABELS, action_label
from yuanqu.core.models import AuditEntry

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE = Path(__file__).resolve().parents[2] / "src" / "yuanqu"


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


@pytest.fixture
def rows() -> None:
    # Audit rows are append-only, so the dated rows are created with their time directly.
    for when, action, actor, summary in [
        (at("2024-03-01", 0), "auth.login", "leader", "三月一日零点登录"),
        (at("2024-03-15"), "import.enterprise_months", "statistician", "三月导入"),
        (at("2024-03-31", 23), "admin.roles_change", "secadmin", "三月底调整角色"),
        (at("2024-04-01", 0), "auth.login", "statistician", "四月一日登录"),
    ]:
        AuditEntry.objects.create(at=when, action=action, actor_name=actor, summary=summary)


@pytest.fixture
def auditor() -> Client:
    return factories.signed_in(factories.an_audit_admin())


def shown(client: Client, query: str) -> list[str]:
    response = client.get(f"/accounts/audit/?{query}")
    assert response.status_code == 200
    return [entry.summary for entry in response.context["page"]]


def test_it_filters_by_a_date_range_in_local_days_both_ends_included(rows: None, auditor: Client) -> None:
    assert shown(auditor, "start=2024-03-01&end=2024-03-31") == ["三月底调整角色", "三月导入", "三月一日零点登录"]
    assert shown(auditor, "start=2024-04-01") == ["四月一日登录"]
    assert shown(auditor, "end=2024-02-29") == []


def test_it_filters_by_user_and_by_event_type(rows: None, auditor: Client) -> None:
    assert shown(auditor, "user=statistician") == ["四月一日登录", "三月导入"]
    assert shown(auditor, "action=auth.login&user=statistician") == ["四月一日登录"]
    assert shown(auditor, "action=admin.") == ["三月底调整角色"]


def test_it_names_the_field_of_a_bad_date_and_shows_no_rows(rows: None, auditor: Client) -> None:
    response = auditor.get("/accounts/audit/?start=2024-04-02&end=2024-04-01")
    html = response.content.decode()
    assert response.status_code == 200 and "截止日期：截止日期不能早于起始日期" in html
    assert list(response.context["page"]) == []
    html = auditor.get("/accounts/audit/?start=2024-13-01").content.decode()
    assert "起始日期：" in html


def test_event_types_are_shown_in_chinese_with_the_code_kept(rows: None, auditor: Client) -> None:
    html = auditor.get("/accounts/audit/").content.decode()
    assert "企业月度数据导入" in html and 'title="import.enterprise_months"' in html
    assert AuditEntry.objects.filter(action="import.enterprise_months").exists()


def test_an_unknown_code_falls_back_to_its_group_then_to_itself() -> None:
    assert action_label("import.enterprise_months") == "企业月度数据导入"
    assert action_label("import.something_new") == "数据导入（import.something_new）"
    assert action_label("mystery") == "mystery"


def test_every_action_code_written_in_the_source_has_a_label() -> None:
    codes: set[str] = set()
    prefixes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "action=" not in line or "add_argument" in line:
                continue
            expression = line.split("action=", 1)[1]
            codes.update(re.findall(r'(?<!f)"([a-z_]+\.[a-z_.]+)"', expression))
            prefixes.update(re.findall(r'f"([a-z_]+\.[a-z_.]*)\{', expression))
    assert codes, "no action codes found"
    assert sorted(codes - set(ACTION_LABELS)) == []
    for prefix in prefixes:
        assert any(code.startswith(prefix) for code in ACTION_LABELS), prefix


def test_the_export_is_the_filtered_rows_in_excel_and_is_audited(rows: None, auditor: Client) -> None:
    response = auditor.get("/accounts/audit/export/?start=2024-03-01&end=2024-03-31")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition and "%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97" in disposition  # 审计日志
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert [row[4] for row in body] == ["三月一日零点登录", "三月导入", "三月底调整角色"]
    assert body[1][2:4] == ["企业月度数据导入", "import.enterprise_months"]
    assert body[0][0] == datetime(2024, 3, 1, 0, 0)
    assert "2024-03-01至2024-03-31" in str(sheet["A2"].value)
    export = AuditEntry.objects.get(action="export.audit_log")
    assert export.actor_name == "persona-auditor" and export.detail["rows"] == 3


def test_the_export_is_for_the_auditor_only(rows: None) -> None:
    assert factories.signed_in(factories.a_statistician()).get("/accounts/audit/export/").status_code == 403
    assert Client().get("/accounts/audit/export/").status_code == 302


def test_a_bad_filter_gives_no_export_but_a_message(auditor: Client) -> None:
    response = auditor.get("/accounts/audit/export/?start=2024-05-01&end=2024-04-01")
    assert response.status_code == 400
    assert "截止日期不能早于起始日期" in response.content.decode()
    assert not AuditEntry.objects.filter(action="export.audit_log").exists()


def test_the_export_is_an_office_sheet(rows: None, auditor: Client) -> None:
    response = auditor.get("/accounts/audit/export/?start=2024-03-01&end=2024-03-31")
    sheet = opened(response.content).active
    assert sheet is not None
    # The login names and the event codes are what an auditor searches by: kept on purpose.
    assert_office_sheet(
        sheet,
        title_contains="审计日志",
        formats={"时间": "yyyy-mm-dd hh:mm"},
        frozen="B4",
        code_columns=("操作人", "操作代码"),
    )
