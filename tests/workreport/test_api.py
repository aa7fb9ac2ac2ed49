import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests import factories
from yuanqu.accounts.services import token_create
from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.workreport.models import ReportVersion
from yuanqu.workreport.services import draft_create, draft_issue

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def version() -> ReportVersion:
    author = factories.a_statistician()
    draft = draft_create(zone=Place.objects.get(code="yz-etdz"), period=Period(2023, 1, 6), actor=author)
    return draft_issue(draft=draft, actor=author)


def test_the_list_needs_a_reader(version: ReportVersion) -> None:
    assert Client().get("/api/v1/reports").status_code == 401
    assert factories.signed_in(factories.an_outsider()).get("/api/v1/reports").status_code == 403
    listed = factories.signed_in(factories.an_investment_officer()).get("/api/v1/reports?period=2023-H1").json()
    assert [(item["number"], item["period"], item["issued_by"]) for item in listed] == [
        (1, "2023-01~06", "persona-statistician")
    ]
    assert listed[0]["downloads"]["pdf"] == f"/api/v1/reports/{version.pk}/download?format=pdf"


def test_the_document_has_enterprise_tables_only_for_the_statistician(version: ReportVersion) -> None:
    leader = factories.signed_in(factories.a_leader()).get(f"/api/v1/reports/{version.pk}").json()
    fields = leader["document"]["fields"]
    assert "ind.gdp.value" in fields and fields["ind.gdp.value"]["text"] == "375.3亿元"
    assert not [key for key, item in fields.items() if item["enterprise_level"]]
    assert leader["document"]["audience"] == "aggregate"
    statistician = factories.signed_in(factories.person("second-statistician", "statistician"))
    full = statistician.get(f"/api/v1/reports/{version.pk}").json()["document"]["fields"]
    assert full["contribution.industrial_invoiced_sales.total.pp"]["enterprise_level"] is True


def test_a_token_client_downloads_the_annex_without_enterprise_sheets(version: ReportVersion) -> None:
    _, raw = token_create(user=factories.a_leader())
    response = Client().get(
        f"/api/v1/reports/{version.pk}/download?format=xlsx", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200
    sheets = load_workbook(io.BytesIO(response.content)).sheetnames
    assert "一、主要经济指标" in sheets and "一、分行业拉动" not in sheets


def test_build_writes_the_report_from_the_current_data_for_those_who_issue() -> None:
    statistician = factories.signed_in(factories.a_statistician())
    response = statistician.post(
        "/api/v1/reports/build",
        {"zone": "yz-etdz", "period": "2023-H1", "format": "md"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert "上半年签约亿元以上先进制造业重点项目41个，总投资约465亿元" in response.content.decode()
    reader = factories.signed_in(factories.an_investment_officer())
    assert reader.post("/api/v1/reports/build", {"zone": "yz-etdz", "period": "2023-H1"},
                       content_type="application/json").status_code == 403  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "status", "message"),
    [
        ({"zone": "yz-etdz", "period": "2023-13"}, 400, "所属期"),
        ({"zone": "nowhere", "period": "2023-H1"}, 404, "未找到园区"),
        ({"zone": "yz-etdz", "period": "2023-H1", "format": "exe"}, 400, "不支持的格式"),
        ({"zone": "yz-etdz", "period": "2023-H1", "as_of": "2999-01-01"}, 400, "不能晚于今天"),
    ],
)
def test_build_refuses_what_it_cannot_make_in_chinese(payload: dict[str, str], status: int, message: str) -> None:
    response = factories.signed_in(factories.a_statistician()).post(
        "/api/v1/reports/build", payload, content_type="application/json"
    )
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_a_missing_version_is_a_chinese_404() -> None:
    response = factories.signed_in(factories.a_leader()).get("/api/v1/reports/999999/download?format=docx")
    assert response.status_code == 404 and response.json()["detail"] == "未找到这份签发稿"
