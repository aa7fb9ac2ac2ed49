"""The supervision API: the same roles as the pages, the same refusals, OpenAPI schemas."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.supervision.factory import a_department, a_member, a_task
from yuanqu.accounts.services import token_create
from yuanqu.core.models import Place
from yuanqu.supervision.models import Measure, ProgressReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    zone = Place.objects.create(
        code="yz-etdz", name="扬州经济技术开发区", short_name="扬州经开区", level=Place.Level.ZONE
    )
    economy, investment = a_department(zone), a_department(zone, "investment", "招商局")
    factories.target("industrial_invoiced_sales", zone, 2023, kind="annual", value=Decimal(1200), unit="亿元")
    task = a_task(zone, economy)
    staff = a_member(economy)
    return {
        "zone": zone,
        "task": task,
        "economy": economy,
        "investment": investment,
        "staff": staff,
        "supervisor": factories.signed_in(factories.a_supervisor()),
    }


def post(client: Client, url: str, data: dict) -> object:
    return client.post(url, json.dumps(data, default=str), content_type="application/json")


def test_anonymous_calls_are_unauthorised() -> None:
    assert Client().get("/api/v1/supervision/tasks").status_code == 401


def test_a_role_without_access_is_refused(world) -> None:
    statistician = factories.signed_in(factories.a_statistician())
    response = statistician.get("/api/v1/supervision/tasks")
    assert response.status_code == 403 and response.json()["detail"] == "您的角色无权访问此接口"
    leader = factories.signed_in(factories.a_leader())
    assert post(leader, "/api/v1/supervision/tasks", {}).status_code in (403, 422)
    assert leader.get("/api/v1/supervision/reminders").status_code == 403


def test_the_office_assigns_a_linked_measure_and_reads_its_colour(world) -> None:
    supervisor = world["supervisor"]
    url = f"/api/v1/supervision/tasks/{world['task'].pk}/measures"
    refused = post(
        supervisor,
        url,
        {
            "title": "开票",
            "department": "economy",
            "deadline": "2023-12-31",
            "link": "indicator",
            "link_params": {"indicator": "trade_total"},
        },
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == "关联数据：扬州经开区没有“进出口总额”2023年的年度目标，不能关联（请先登记目标）"
    early = post(supervisor, url, {"title": "开票", "department": "economy", "deadline": "2023-06-30"})
    assert early.json()["detail"] == "“完成时限”（2023-06-30）不能早于任务的开始日期（2023-07-01）"
    assert (
        post(supervisor, url, {"title": "开票", "department": "nowhere", "deadline": "2023-12-31"}).status_code == 400
    )
    made = post(
        supervisor,
        url,
        {
            "title": "工业开票销售完成年度目标",
            "department": "economy",
            "deadline": "2023-12-31",
            "link": "indicator",
            "link_params": {"indicator": "industrial_invoiced_sales"},
            "milestones": [{"title": "三季度过七成", "due_on": "2023-09-30"}],
        },
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["code"], body["link_kind"], body["link_summary"]) == ("1.1", "indicator", "2023年尚无工业开票销售数据")
    unlinked = post(supervisor, f"/api/v1/supervision/measures/{body['id']}/link", {"link": ""})
    assert unlinked.status_code == 200 and unlinked.json()["link_kind"] == ""
    relinked = post(
        supervisor,
        f"/api/v1/supervision/measures/{body['id']}/link",
        {"link": "indicator", "link_params": {"indicator": "gdp"}},
    )
    assert relinked.status_code == 400 and "没有“地区生产总值”2023年的年度目标" in relinked.json()["detail"]
    again = {"link": "indicator", "link_params": {"indicator": "industrial_invoiced_sales"}}
    assert post(supervisor, f"/api/v1/supervision/measures/{body['id']}/link", again).json()["link_kind"] == "indicator"
    board = supervisor.get("/api/v1/supervision/tasks?period=2023-H2&on=2023-07-31").json()
    assert board["on"] == "2023-07-31" and board["tasks"][0]["measures"][0]["colour"] == "green"


def test_the_office_creates_a_task(world) -> None:
    supervisor = world["supervisor"]
    body = {
        "period": "2023-H2",
        "number": 2,
        "area": "产业集群",
        "lever": "以强链补链为重点",
        "outcome": "在产业集群上再现新跨越",
        "lead_department": "economy",
        "co_departments": ["investment"],
    }
    created = post(supervisor, "/api/v1/supervision/tasks", body)
    assert created.status_code == 201 and created.json()["wording"] == "以强链补链为重点，在产业集群上再现新跨越"
    assert post(supervisor, "/api/v1/supervision/tasks", body).json()["detail"] == "2023年下半年已有序号为2的重点任务"
    huge = post(supervisor, "/api/v1/supervision/tasks", {**body, "number": 10**9})
    assert huge.json()["detail"] == "“序号”须为1到999之间的整数"
    wrong = post(supervisor, "/api/v1/supervision/tasks", {**body, "number": 3, "co_departments": ["nowhere"]})
    assert wrong.status_code == 400 and "co_departments" in wrong.json()["detail"]


def test_a_department_reports_through_the_api_with_a_token_and_the_office_reviews(world) -> None:
    measure = Measure.objects.create(
        task=world["task"],
        number=1,
        title="用地报批",
        department=world["economy"],
        starts_on=date(2023, 7, 1),
        deadline=date(2023, 12, 31),
    )
    _, raw = token_create(user=world["staff"])
    machine = Client(headers={"Authorization": f"Bearer {raw}"})
    url = f"/api/v1/supervision/measures/{measure.pk}/reports"
    refused = machine.post(url, {"text": "完成", "reported_on": "2023-09-01", "requests_completion": "true"})
    assert refused.status_code == 400 and refused.json()["detail"] == "申请办结须上传“佐证材料”"
    sent = machine.post(
        url,
        {
            "text": "完成",
            "reported_on": "2023-09-01",
            "requests_completion": "true",
            "files": [SimpleUploadedFile("验收.pdf", b"%PDF-1.4")],
        },
    )
    assert sent.status_code == 201 and sent.json()["requests_completion"] is True
    report = ProgressReport.objects.get()
    assert report.attachments.count() == 1
    other = factories.signed_in(a_member(world["investment"], "other"))
    assert other.get(f"/api/v1/supervision/measures/{measure.pk}").status_code == 404
    review = f"/api/v1/supervision/reports/{report.pk}/review"
    assert post(machine, review, {"decision": "accept"}).status_code == 403
    accepted = post(world["supervisor"], review, {"decision": "accept", "note": "同意"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    detail = machine.get(f"/api/v1/supervision/measures/{measure.pk}").json()
    assert detail["measure"]["status"] == "done" and detail["reports"][0]["review_note"] == "同意"
    reminders = machine.get("/api/v1/supervision/reminders?unread=false").json()
    assert [item["kind"] for item in reminders] == []  # created directly, never assigned through the service


def test_the_bulletin_and_the_link_kinds(world) -> None:
    supervisor = world["supervisor"]
    data = supervisor.get("/api/v1/supervision/bulletin?month=2023-07").json()
    assert data["month"] == "2023-07" and data["text"][0] == "扬州经开区重点任务督查通报"
    assert supervisor.get("/api/v1/supervision/bulletin?month=July").status_code == 400
    kinds = [kind["code"] for kind in supervisor.get("/api/v1/supervision/link-kinds").json()]
    assert kinds == ["indicator", "chain_output", "chain_task", "projects", "service"]


def test_the_openapi_schema_lists_the_supervision_endpoints(world) -> None:
    schema = world["supervisor"].get("/api/v1/openapi.json").json()
    paths = [path for path in schema["paths"] if path.startswith("/api/v1/supervision/")]
    assert "/api/v1/supervision/tasks" in paths and "/api/v1/supervision/reports/{report_id}/review" in paths
    assert "MeasureOut" in schema["components"]["schemas"]
