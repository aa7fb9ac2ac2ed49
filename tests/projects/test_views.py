import csv
import io
import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.factories import signed_in
from tests.projects.factory import a_project
from tests.projects.test_demo import SEED
from yuanqu.core.models import AuditEntry, Place
from yuanqu.projects.models import Project, Stage, StartClaim

pytestmark = pytest.mark.urls("tests.projects.urls")
TODAY = timezone.localdate().isoformat()


@pytest.fixture
def officer(demo: None) -> Client:
    return signed_in(factories.an_investment_officer())


@pytest.fixture
def supervisor(demo: None) -> Client:
    return signed_in(factories.person("persona-supervisor", "supervisor"))


def test_anonymous_visitors_go_to_the_login_page(demo: None) -> None:
    response = Client().get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_board_shows_the_pipeline_by_stage_with_overdue_colours(officer: Client) -> None:
    response = officer.get("/projects/")
    assert response.status_code == 200
    columns = {column.label: column for column in response.context["columns"]}
    assert list(columns) == ["在谈", "签约", "注册", "供地", "开工", "竣工", "投产", "搁置"]
    assert columns["在谈"].total == 12
    html = response.content.decode()
    assert 'class="project-card red"' in html and "严重超期" in html


def test_the_leader_sees_projects_and_the_statistics_with_the_seed_paragraph(leader: Client) -> None:
    assert leader.get("/projects/").status_code == 200
    response = leader.get("/projects/statistics/?period=2023-H1")
    assert response.status_code == 200
    assert response.context["paragraph"] == SEED
    html = response.content.decode()
    assert 'id="projects-data"' in html and "计数口径：累计口径" in html
    bands = leader.get("/projects/statistics/?period=2023-H1&rule=bands")
    assert "50亿元至百亿元项目1个" in bands.context["paragraph"]
    assert leader.get("/projects/statistics/?period=2023-13").status_code == 400


def test_the_supervisor_sees_the_overdue_list_but_not_the_projects(supervisor: Client) -> None:
    # The overdue list is a view of supervision now (the project-construction task's items).
    response = supervisor.get("/projects/overdue/", follow=True)
    assert response.redirect_chain == [("/supervision/overdue/", 301)]
    assert response.status_code == 200
    assert response.context["red"] > 0
    assert supervisor.get("/projects/").status_code == 403
    assert supervisor.get("/projects/statistics/").status_code == 403


def test_other_roles_are_refused(statistician: Client) -> None:
    pages = ["/projects/", "/projects/statistics/", "/projects/starts/", "/projects/ledger/", "/supervision/overdue/"]
    for url in pages:
        assert statistician.get(url).status_code == 403, url


def test_a_stage_move_from_the_project_page_is_recorded_and_a_forbidden_one_explained(officer: Client) -> None:
    project = Project.objects.filter(stage=Stage.NEGOTIATING).order_by("code").first()
    assert project is not None
    page = officer.get(f"/projects/{project.pk}/")
    assert page.status_code == 200
    assert [value for value, _ in page.context["form"].fields["to_stage"].choices] == [
        "signed",
        "on_hold",
        "terminated",
    ]
    refused = officer.post(f"/projects/{project.pk}/move/", {"to_stage": "registered", "on": TODAY})
    assert refused.status_code == 400
    assert "选择一个有效的选项" in refused.content.decode()  # not even offered
    evidence = SimpleUploadedFile("投资协议.pdf", b"%PDF-1.4", content_type="application/pdf")
    moved = officer.post(f"/projects/{project.pk}/move/", {"to_stage": "signed", "on": TODAY, "evidence": [evidence]})
    assert moved.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.signed_on) == (Stage.SIGNED, date.fromisoformat(TODAY))
    history = officer.get(f"/projects/{project.pk}/").content.decode()
    assert "在谈 → 签约" in history and "投资协议.pdf" in history
    link = re.search(r'href="(/projects/evidence/stage/\d+/)"', history)
    assert link and officer.get(link.group(1)).status_code == 200


def test_the_leader_cannot_move_stages(leader: Client) -> None:
    project = Project.objects.filter(stage=Stage.NEGOTIATING).first()
    assert project is not None
    assert leader.post(f"/projects/{project.pk}/move/", {"to_stage": "signed", "on": TODAY}).status_code == 403


def test_a_start_claim_goes_to_the_review_queue_and_only_another_person_confirms_it(demo: None) -> None:
    project = (
        Project.objects.filter(stage=Stage.LAND, category="manufacturing", start_claims__isnull=True)
        .order_by("code")
        .first()
    )
    assert project is not None
    claimant = signed_in(factories.an_investment_officer())
    form = claimant.get(f"/projects/{project.pk}/start-claim/").context["form"]
    fields = {name: "" for name in form.fields}
    fields.update(started_on=TODAY, completed_investment_pct="15")
    references = [name for name in fields if name.startswith("reference_")]
    incomplete = claimant.post(f"/projects/{project.pk}/start-claim/", {**fields, references[0]: "施工许可证 001"})
    assert incomplete.status_code == 400 and "实质性开工证明不全：桩基施工" in incomplete.content.decode()
    complete = claimant.post(
        f"/projects/{project.pk}/start-claim/", {**fields, **dict.fromkeys(references, "编号 001")}
    )
    assert complete.status_code == 302
    claim = StartClaim.objects.get(project=project, status=StartClaim.Status.SUBMITTED)

    queue = claimant.get("/projects/starts/")
    assert claim in list(queue.context["pending"])
    own = claimant.post(f"/projects/starts/{claim.pk}/confirm/", follow=True)
    assert "申报人不能认定自己的申报" in own.content.decode()
    claim.refresh_from_db()
    assert claim.status == StartClaim.Status.SUBMITTED

    reviewer = signed_in(factories.person("persona-reviewer", "investment_officer"))
    reviewer.post(f"/projects/starts/{claim.pk}/confirm/")
    project.refresh_from_db()
    assert project.stage == Stage.STARTED and project.substantive_start_on == date.fromisoformat(TODAY)


def ledger_csv(rows: list[list[str]]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["项目编号", "项目名称", "投资方", "项目类别", "计划总投资（亿元）", "所处阶段"], *rows]
    )
    return SimpleUploadedFile("台账.csv", buffer.getvalue().encode(), content_type="text/csv")


def test_a_bad_ledger_shows_its_errors_and_a_good_one_imports_after_confirmation(officer: Client) -> None:
    before = Project.objects.count()
    bad = officer.post("/projects/ledger/", {"file": ledger_csv([["N-1", "项目", "某公司", "农业", "x", "在谈"]])})
    assert bad.status_code == 400
    issues = [(issue.row, issue.column) for issue in bad.context["rejected"].issues]
    assert issues == [(2, "项目类别"), (2, "计划总投资（亿元）")]
    assert Project.objects.count() == before

    preview = officer.post(
        "/projects/ledger/", {"file": ledger_csv([["N-1", "新项目", "某公司", "技改", "1.5", "在谈"]])}
    )
    assert preview.status_code == 200 and preview.context["preview"].created == 1
    assert Project.objects.count() == before
    done = officer.post("/projects/ledger/confirm/", {"token": preview.context["token"]})
    assert done.status_code == 200 and done.context["done"].created == 1
    assert Project.objects.count() == before + 1


def test_the_ledger_downloads_as_xlsx_and_the_export_is_audited(leader: Client) -> None:
    response = leader.get("/projects/ledger/export.xlsx?category=urban")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert AuditEntry.objects.filter(action="export.project_ledger").exists()


def test_credit_is_shared_from_the_project_page_and_must_sum_to_one_hundred(officer: Client) -> None:
    project = Project.objects.filter(stage=Stage.NEGOTIATING).order_by("-code").first()
    assert project is not None
    zhang, sun = User.objects.get(username="investment"), User.objects.get(username="investment2")
    rows = {"officer_0": zhang.pk, "share_0": "60", "officer_1": sun.pk, "share_1": "30"}
    refused = officer.post(f"/projects/{project.pk}/credit/", rows)
    assert refused.status_code == 400 and "业绩比例之和为90%，应为100%" in refused.content.decode()
    done = officer.post(f"/projects/{project.pk}/credit/", {**rows, "share_1": "40"})
    assert done.status_code == 302
    assert sorted(project.credits.values_list("officer__username", "share_pct")) == [
        ("investment", 60),
        ("investment2", 40),
    ]


def test_the_board_is_searched_by_name_code_or_investor(officer: Client) -> None:
    project = Project.objects.filter(zone__code="yz-etdz", stage=Stage.SIGNED).order_by("code").first()
    assert project is not None
    for query in (project.name, project.code.lower(), project.investor):
        columns = officer.get("/projects/", {"q": query}).context["columns"]
        found = [card.project.code for column in columns for card in column.cards]
        assert project.code in found, query
        assert all(query.lower() in f"{card.project.name}{card.project.code}{card.project.investor}".lower()
                   for column in columns for card in column.cards)  # fmt: skip
    empty = officer.get("/projects/", {"q": "没有这个项目"})
    assert sum(column.total for column in empty.context["columns"]) == 0


def test_a_stage_shows_all_its_projects_in_pages_instead_of_hiding_them(officer: Client) -> None:
    zone = Place.objects.get(code="yz-etdz")
    talks = Project.objects.filter(zone=zone, stage=Stage.NEGOTIATING).count()  # 12 in the demo
    for number in range(70):
        a_project(zone, f"TALK-{number:03d}", name=f"洽谈中项目{number:03d}")
    total = talks + 70
    html = officer.get("/projects/").content.decode()
    assert "见导出台账" not in html and f"查看本阶段全部{total}个项目" in html
    first = officer.get("/projects/", {"stage": "negotiating"})
    columns, page = first.context["columns"], first.context["page"]
    assert [column.stage for column in columns] == ["negotiating"]
    assert len(columns[0].cards) == 60 and page.paginator.count == total and page.paginator.num_pages == 2
    second = officer.get("/projects/", {"stage": "negotiating", "page": "2"}).context["columns"][0]
    assert len(second.cards) == total - 60
    searched = officer.get("/projects/", {"stage": "negotiating", "q": "洽谈中项目06"}).context["columns"][0]
    assert [card.project.code for card in searched.cards] == [f"TALK-{number:03d}" for number in range(60, 70)]
    assert officer.get("/projects/", {"stage": "nonsense"}).context["stage"] == ""
