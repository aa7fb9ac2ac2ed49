"""The pages in headless Chromium (Debian's, never a downloaded browser) against a live server."""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.projects.factory import a_department, a_project, an_officer
from yuanqu.core.models import Place
from yuanqu.projects.models import Category, Project, ProjectCredit, Stage, StartClaim
from yuanqu.projects.services import EvidenceItem, rules_ensure_defaults, start_claim_submit

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.projects.urls")]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()
        # ORM calls made while Playwright's loop ran opened connections of their own context.
        connections.close_all()


@pytest.fixture
def zone(transactional_db: None) -> Place:
    zone = Place.objects.create(
        code="yz-etdz", name="扬州经济技术开发区", short_name="扬州经开区", level=Place.Level.ZONE
    )
    rules_ensure_defaults(zone=zone)
    today = timezone.localdate()
    bureau = a_department(zone)
    zhang = an_officer("zhang", "张招商")
    rows = [
        ("B-01", "华扬动力电池项目", "120", {Stage.SIGNED: today - timedelta(days=400)}),
        ("B-02", "润江光伏组件项目", "12", {Stage.SIGNED: today - timedelta(days=100)}),
        ("B-03", "维扬智能装备项目", "3.5", {Stage.SIGNED: today - timedelta(days=10)}),
        (
            "B-04",
            "运河汽车零部件项目",
            "8",
            {Stage.SIGNED: date(2023, 2, 1), Stage.REGISTERED: today - timedelta(days=30)},
        ),
        (
            "B-05",
            "江淮储能系统项目",
            "6",
            {
                Stage.SIGNED: date(2023, 2, 1),
                Stage.REGISTERED: date(2023, 3, 1),
                Stage.LAND: today - timedelta(days=20),
            },
        ),
    ]
    for code, name, amount, reached in rows:
        project = a_project(zone, code, investment=amount, reached=reached, name=name)
        ProjectCredit.objects.create(project=project, officer=zhang, department=bureau, share_pct=Decimal(100))
    a_project(zone, "B-06", investment="2", name="邗沟研发中心项目", category=Category.MODERN_SERVICES)
    return zone


def page_for(browser: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.errors = errors
    return page


def test_the_board_renders_the_stages_with_overdue_cards(browser: Any, live_server: Any, zone: Place) -> None:
    page = page_for(browser, live_server, factories.an_investment_officer())
    page.goto(f"{live_server.url}/projects/")
    columns = page.locator(".board-column h2").all_inner_texts()
    assert columns == ["在谈", "签约", "注册", "供地", "开工", "竣工", "投产", "搁置"]
    signed = page.locator('.board-column[data-stage="signed"] .project-card')
    assert signed.count() == 3
    assert page.locator('.project-card.red[data-code="B-01"]').is_visible()  # 400 days > 180
    assert page.locator('.project-card.yellow[data-code="B-02"]').is_visible()  # 100 days > 90
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "projects-board.png"), full_page=True)
    assert page.errors == []


def test_a_stage_move_on_the_project_page(browser: Any, live_server: Any, zone: Place) -> None:
    page = page_for(browser, live_server, factories.an_investment_officer())
    page.goto(f"{live_server.url}/projects/")
    page.click('.project-card[data-code="B-03"]')
    assert page.locator("#current-stage").inner_text().startswith("签约")
    page.select_option("#id_to_stage", "registered")
    # The date the server filled in is one the browser accepts: no need to type it again.
    assert page.input_value("#id_on") == timezone.localdate().isoformat()
    assert page.eval_on_selector("#stage-move", "form => form.checkValidity()")
    page.set_input_files(
        "#id_evidence", files=[{"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 licence"}]
    )
    page.click("#stage-move button[type=submit]")
    page.wait_for_selector(".flash li")
    assert page.locator("#current-stage").inner_text().startswith("注册")
    history = page.locator("#history").inner_text()
    assert "签约 → 注册" in history and timezone.localdate().isoformat() in history
    assert page.locator("#history a", has_text="营业执照.pdf").count() == 1
    assert page.errors == []


def test_the_start_review_confirms_another_officers_claim(browser: Any, live_server: Any, zone: Place) -> None:
    project = zone.projects.get(code="B-05")
    claimant = User.objects.get(username="zhang")
    evidence = [
        EvidenceItem(item, reference="编号 0001")
        for item in project.zone.start_requirements.filter(category=project.category, kind="document")
    ]
    claim = start_claim_submit(
        project=project,
        started_on=timezone.localdate(),
        evidence=evidence,
        completed_investment_pct=Decimal(20),
        actor=claimant,
    )
    page = page_for(browser, live_server, factories.an_investment_officer())
    page.goto(f"{live_server.url}/projects/starts/")
    row = page.locator(f'#pending-claims tr[data-claim="{claim.pk}"]')
    assert "江淮储能系统项目" in row.inner_text()
    row.locator("button", has_text="认定").click()
    page.wait_for_selector(".flash li")
    assert "已认定“江淮储能系统项目”实质性开工" in page.locator(".flash").inner_text()
    assert page.locator(f'#pending-claims tr[data-claim="{claim.pk}"]').count() == 0
    claim.refresh_from_db()
    assert claim.status == StartClaim.Status.CONFIRMED
    project.refresh_from_db()
    assert project.stage == Stage.STARTED
    assert page.errors == []


def test_a_project_is_created_on_the_page(browser: Any, live_server: Any, zone: Place) -> None:
    page = page_for(browser, live_server, factories.an_investment_officer())
    page.goto(f"{live_server.url}/projects/")
    page.click("#new-project")
    page.fill("#id_code", "B-07")
    page.fill("#id_name", "瑞丰科技固态电池项目")
    page.fill("#id_investor", "瑞丰科技有限公司")
    page.select_option("#id_category", "manufacturing")
    page.fill("#id_total_investment_yi", "12.34567")
    page.click("#project-form button[type=submit]")
    assert "“12.34567”小数位过多（最多4位）" in page.locator("#project-form").inner_text()
    assert page.input_value("#id_name") == "瑞丰科技固态电池项目"  # what was typed is kept
    page.fill("#id_total_investment_yi", "12.5")
    page.fill("#id_land_mu", "150")
    page.click("#project-form button[type=submit]")
    page.wait_for_selector(".flash li")
    assert "已登记项目“瑞丰科技固态电池项目”（在谈）" in page.locator(".flash").inner_text()
    assert page.locator("#current-stage").inner_text().startswith("在谈")
    assert "12.5亿元" in page.locator(".facts").inner_text()
    project = Project.objects.get(zone=zone, code="B-07")
    assert (project.stage, project.total_investment_yi) == (Stage.NEGOTIATING, Decimal("12.5"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "project-created.png"), full_page=True)
    # The refused first attempt is answered 400 on purpose; the browser reports it as an error.
    assert [error for error in page.errors if "status of 400" not in error] == []
