import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.factories import signed_in
from tests.projects.test_demo import SEED
from tests.projects.test_services import evidence_for
from yuanqu.accounts.services import token_create
from yuanqu.projects.models import Project, Stage, StartClaim
from yuanqu.projects.services import start_claim_submit

pytestmark = pytest.mark.urls("tests.projects.urls")


def test_anonymous_calls_are_unauthorised(demo: None) -> None:
    assert Client().get("/api/v1/projects").status_code == 401
    assert Client().get("/api/v1/projects/statistics?period=2023-H1").status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/projects",
        "/api/v1/projects/statistics?period=2023-H1",
        "/api/v1/projects/start-claims",
        "/api/v1/projects/overdue",
    ],
)
def test_a_role_without_access_is_refused(demo: None, url: str) -> None:
    statistician = signed_in(factories.a_statistician())
    response = statistician.get(url)
    assert response.status_code == 403 and response.json()["detail"] == "您的角色无权访问此接口"


def test_the_statistics_give_the_seed_paragraph_and_its_figures(demo: None) -> None:
    leader = signed_in(factories.a_leader())
    data = leader.get("/api/v1/projects/statistics?period=2023-H1").json()
    assert data["paragraph"] == SEED
    assert data["categories"][0]["floor_investment_yi"] == "465.0000"
    assert leader.get("/api/v1/projects/statistics?period=2023-H1&rule=overlap").status_code == 400


def test_a_machine_client_with_a_token_reads_the_pipeline(demo: None) -> None:
    user = factories.an_investment_officer()
    _, raw = token_create(user=user)
    response = Client().get("/api/v1/projects?stage=negotiating", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and len(response.json()) == 12


def test_the_supervisor_reads_the_overdue_list_only(demo: None) -> None:
    supervisor = signed_in(factories.person("persona-supervisor", "supervisor"))
    overdue = supervisor.get("/api/v1/projects/overdue")
    assert overdue.status_code == 200 and {row["colour"] for row in overdue.json()} <= {"yellow", "red"}
    assert supervisor.get("/api/v1/projects").status_code == 403


def test_stage_moves_follow_the_map_and_only_officers_make_them(demo: None) -> None:
    project = Project.objects.filter(stage=Stage.NEGOTIATING).order_by("code").first()
    assert project is not None
    today = timezone.localdate().isoformat()
    leader = signed_in(factories.a_leader())
    url = f"/api/v1/projects/{project.pk}/stage"
    assert leader.post(url, {"to_stage": "signed", "on": today}, content_type="application/json").status_code == 403
    officer = signed_in(factories.an_investment_officer())
    refused = officer.post(url, {"to_stage": "land", "on": today}, content_type="application/json")
    assert refused.status_code == 400 and "不能变更为“供地”" in refused.json()["detail"]
    moved = officer.post(url, {"to_stage": "signed", "on": today}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["to_stage"] == "signed"
    detail = officer.get(f"/api/v1/projects/{project.pk}").json()
    assert [event["to_stage"] for event in detail["events"]][-1] == "signed"


def test_a_claim_cannot_be_confirmed_by_its_claimant_through_the_api(demo: None) -> None:
    project = (
        Project.objects.filter(stage=Stage.LAND, category="manufacturing", start_claims__isnull=True)
        .order_by("code")
        .first()
    )
    assert project is not None
    claimant = factories.an_investment_officer()
    claim = start_claim_submit(
        project=project,
        started_on=timezone.localdate(),
        evidence=evidence_for(project, "施工许可证", "桩基施工"),
        completed_investment_pct=Decimal(30),
        actor=claimant,
    )
    url = f"/api/v1/projects/start-claims/{claim.pk}/confirm"
    refused = signed_in(claimant).post(url)
    assert refused.status_code == 400 and "申报人不能认定自己的申报" in refused.json()["detail"]
    assert signed_in(factories.an_outsider()).post(url).status_code == 403
    confirmed = signed_in(factories.a_leader()).post(url)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == StartClaim.Status.CONFIRMED
    project.refresh_from_db()
    assert project.substantive_start_on == timezone.localdate() and isinstance(project.started_on, date)


def test_a_ledger_with_errors_is_answered_with_its_issues_and_nothing_is_written(demo: None) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            ["项目编号", "项目名称", "投资方", "项目类别", "计划总投资（亿元）", "所处阶段"],
            ["A-1", "", "某公司", "技改", "1", "开工"],
        ]
    )
    upload = SimpleUploadedFile("台账.csv", buffer.getvalue().encode())
    before = Project.objects.count()
    officer = signed_in(factories.an_investment_officer())
    response = officer.post("/api/v1/projects/ledger", {"file": upload, "dry_run": "false"})
    assert response.status_code == 422
    assert [(issue["row"], issue["column"]) for issue in response.json()["issues"]] == [
        (2, "项目名称"),
        (2, "开工日期"),
        (2, "签约日期"),
    ]
    assert Project.objects.count() == before
    upload.seek(0)
    assert signed_in(factories.a_leader()).post("/api/v1/projects/ledger", {"file": upload}).status_code == 403


def test_an_officer_registers_a_project_and_shares_its_credit(demo: None) -> None:
    officer = signed_in(factories.an_investment_officer())
    payload = {
        "code": "API-001",
        "name": "氢能装备项目",
        "investor": "某氢能公司",
        "category": "manufacturing",
        "total_investment_yi": "15.5",
        "on": timezone.localdate().isoformat(),
    }
    assert (
        signed_in(factories.a_leader()).post("/api/v1/projects", payload, content_type="application/json").status_code
        == 403
    )
    created = officer.post("/api/v1/projects", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["stage"] == "negotiating"
    again = officer.post("/api/v1/projects", payload, content_type="application/json")
    assert again.status_code == 400
    wrong = officer.post(
        "/api/v1/projects", {**payload, "code": "API-002", "category": "mining"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and "项目类别" in wrong.json()["detail"]

    url = f"/api/v1/projects/{created.json()['id']}/credit"
    short = [{"officer": "investment", "share_pct": "60"}, {"officer": "investment2", "share_pct": "30"}]
    refused = officer.put(url, short, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"] == "业绩比例之和为90%，应为100%"
    shared = [
        {"officer": "investment", "department": "etdz-investment", "share_pct": "60"},
        {"officer": "investment2", "department": "etdz-investment", "share_pct": "40"},
    ]
    response = officer.put(url, shared, content_type="application/json")
    assert response.status_code == 200
    assert [(line["officer"], line["share_pct"]) for line in response.json()] == [("张招商", "60"), ("孙招商", "40")]


def test_the_ledger_exports_through_the_api_for_readers_only(demo: None) -> None:
    response = signed_in(factories.a_leader()).get("/api/v1/projects/ledger.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert (
        signed_in(factories.person("persona-supervisor", "supervisor")).get("/api/v1/projects/ledger.xlsx").status_code
        == 403
    )
