"""Creating and editing a project on its page: the ledger's checks, the services, the audit."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.factories import signed_in
from yuanqu.chains.models import ChainNode
from yuanqu.core.models import AuditEntry, Department
from yuanqu.projects.ledger import check_fields
from yuanqu.projects.models import Project, ProjectCredit, Stage

pytestmark = pytest.mark.urls("tests.projects.urls")
TODAY = timezone.localdate().isoformat()
NEW = {
    "code": "YZKF-2026-0901",
    "name": "瑞丰科技固态电池项目",
    "investor": "瑞丰科技有限公司",
    "investor_nature": "domestic",
    "category": "manufacturing",
    "industry_code": "C3841",
    "total_investment_yi": "12.5",
    "land_mu": "150",
    "land_kind": "new_land",
    "expected_sales_yi": "30",
    "expected_jobs": "400",
    "lead_source": "staff",
    "on": TODAY,
}


@pytest.fixture
def officer(demo: None) -> Client:
    return signed_in(User.objects.get(username="investment"))


def test_an_officer_registers_a_project_on_the_page(officer: Client) -> None:
    page = officer.get("/projects/new/")
    assert page.status_code == 200
    assert f'value="{TODAY}"' in page.content.decode()  # the first talk defaults to today, ISO
    department = Department.objects.get(code="etdz-investment")
    node = ChainNode.objects.get(chain__code="new-energy", name="动力/储能电池电芯")
    response = officer.post(
        "/projects/new/",
        {
            **NEW,
            "department": department.pk,
            "officer": User.objects.get(username="investment").pk,
            "chain_node": node.pk,
        },
    )
    project = Project.objects.get(code="YZKF-2026-0901")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert (project.stage, project.total_investment_yi, project.land_mu) == (Stage.NEGOTIATING, Decimal("12.5"), 150)
    assert project.chain_node == node and project.expected_jobs == 400
    credit = ProjectCredit.objects.get(project=project)
    assert (credit.officer.username, credit.department, credit.share_pct) == ("investment", department, 100)  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="project.create", detail__project=project.pk).exists()


def test_the_page_refuses_what_the_ledger_refuses_with_the_same_message(officer: Client) -> None:
    bad = {**NEW, "total_investment_yi": "12.34567", "industry_code": "3841", "expected_jobs": "四百"}
    before = Project.objects.count()
    response = officer.post("/projects/new/", bad)
    assert response.status_code == 400 and Project.objects.count() == before
    errors = response.context["form"].errors
    cells = {**bad, "category": "先进制造业"}
    _, ledger_problems = check_fields(lambda key: cells.get(key, ""))
    assert {key: [message] for key, message in ledger_problems} == {
        "total_investment_yi": errors["total_investment_yi"],
        "industry_code": errors["industry_code"],
        "expected_jobs": errors["expected_jobs"],
    }
    html = response.content.decode()
    assert "计划总投资（亿元）：“12.34567”小数位过多（最多4位）" in html


def test_a_code_already_used_in_the_zone_is_refused(officer: Client) -> None:
    taken = Project.objects.filter(zone__code="yz-etdz").first()
    assert taken is not None
    response = officer.post("/projects/new/", {**NEW, "code": taken.code})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [f"本园区已有编号为“{taken.code}”的项目"]


def test_a_future_first_talk_and_missing_names_are_refused(officer: Client) -> None:
    response = officer.post("/projects/new/", {**NEW, "on": "2999-01-01", "name": "", "total_investment_yi": ""})
    errors = response.context["form"].errors
    assert errors["on"] == ["日期不能晚于今天"]
    assert "total_investment_yi" in errors and "name" in errors


def test_editing_changes_only_the_projects_own_fields_and_audits_what_changed(officer: Client) -> None:
    project = Project.objects.filter(zone__code="yz-etdz", stage=Stage.SIGNED).order_by("code").first()
    assert project is not None
    page = officer.get(f"/projects/{project.pk}/edit/")
    assert page.status_code == 200 and "code" not in page.context["form"].fields
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items() if value is not False}
    unchanged = officer.post(f"/projects/{project.pk}/edit/", data)
    assert unchanged.status_code == 302
    assert not AuditEntry.objects.filter(action="project.update", detail__project=project.pk).exists()
    changed = officer.post(
        f"/projects/{project.pk}/edit/", {**data, "investor": "新投资方有限公司", "expected_jobs": "88"}
    )
    assert changed.status_code == 302
    project.refresh_from_db()
    assert (project.investor, project.expected_jobs, project.stage) == ("新投资方有限公司", 88, Stage.SIGNED)
    entry = AuditEntry.objects.get(action="project.update", detail__project=project.pk)
    assert sorted(entry.detail["fields"]) == ["expected_jobs", "investor"]
    assert "投资方" in entry.summary and "预计用工" in entry.summary


def test_the_edit_form_prefills_figures_as_typed_not_padded_to_the_stored_decimals(officer: Client) -> None:
    project = Project.objects.filter(zone__code="yz-etdz", stage=Stage.SIGNED).order_by("code").first()
    assert project is not None
    Project.objects.filter(pk=project.pk).update(
        total_investment_yi=Decimal("10.3"), fixed_asset_investment_yi=Decimal("8.24"), land_mu=Decimal(100)
    )
    html = officer.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'name="total_investment_yi" value="10.3"' in html
    assert 'name="fixed_asset_investment_yi" value="8.24"' in html
    assert 'name="land_mu" value="100"' in html


def test_only_investment_officers_create_or_edit(demo: None) -> None:
    leader = signed_in(factories.a_leader())
    project = Project.objects.first()
    assert project is not None
    assert leader.get("/projects/new/").status_code == 403
    assert leader.get(f"/projects/{project.pk}/edit/").status_code == 403
    assert leader.post("/projects/new/", NEW).status_code == 403
