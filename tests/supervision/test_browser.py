"""The supervision cycle in a real browser (Debian's headless Chromium against a live server):
a department reports, the office returns it, the department reports again asking to close,
the office accepts the closing."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.utils import timezone

from tests import factories
from tests.supervision.factory import a_department, a_measure, a_member, a_task
from yuanqu.core.models import AuditEntry, Place
from yuanqu.periods import Period
from yuanqu.supervision.models import Measure, ProgressReport

pytestmark = [pytest.mark.browser]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The font family a drawn chart writes its text in.
CHART_FONT = "(selector) => echarts.getInstanceByDom(document.querySelector(selector)).getOption().textStyle.fontFamily"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls stay synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()
        connections.close_all()


@pytest.fixture
def measure(transactional_db: None) -> Measure:
    """A measure of the current half year, so that today's report counts."""
    zone = Place.objects.create(
        code="yz-etdz", name="扬州经济技术开发区", short_name="扬州经开区", level=Place.Level.ZONE
    )
    today = timezone.localdate()
    half = Period(today.year, 1, 6) if today.month <= 6 else Period(today.year, 7, 12)
    planning = a_department(zone, "planning", "自然资源和规划分局")
    a_member(planning, "planner", "高规划")
    task = a_task(zone, planning, period=half)
    return a_measure(task, planning, deadline=task.ends_on, title="重点工业项目用地报批和供地")


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


def test_a_report_is_returned_then_the_closing_is_accepted(browser: Any, live_server: Any, measure: Measure) -> None:
    url = f"{live_server.url}/supervision/measures/{measure.pk}/"
    department = page_for(browser, live_server, User.objects.get(username="planner"))
    office = page_for(browser, live_server, factories.a_supervisor())

    department.goto(f"{live_server.url}/supervision/mine/")
    assert "交办：1.1 重点工业项目用地报批和供地" in department.locator("#reminders").inner_text()
    department.click("text=重点工业项目用地报批和供地 >> nth=-1")
    department.fill("#id_text", "完成3宗地块勘测定界。")
    department.fill("#id_progress_pct", "30")
    department.click("#report-form button[type=submit]")
    department.wait_for_selector(".flash li")
    assert "进展已报送" in department.locator(".flash").inner_text()

    office.goto(url)
    pending = office.locator('.report[data-status="submitted"]')
    assert pending.count() == 1
    pending.locator('input[name="note"]').fill("请附勘测定界图")
    pending.locator("button", has_text="退回").click()
    office.wait_for_selector(".flash li")
    assert office.locator('.report[data-status="returned"]').count() == 1
    assert "请附勘测定界图" in office.locator("#reports").inner_text()

    department.goto(url)
    department.fill("#id_text", "3宗地块已供地，附供地合同。")
    department.check("#id_requests_completion")
    department.set_input_files(
        "#id_attachments",
        files=[{"name": "供地合同.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 contract"}],
    )
    department.click("#report-form button[type=submit]")
    department.wait_for_selector(".flash li")
    assert "已提交办结申请，待督查室审核" in department.locator(".flash").inner_text()
    assert department.locator("#measure-status").inner_text() == "待审核办结"

    office.goto(url)
    closing = office.locator('.report[data-status="submitted"]')
    assert "供地合同.pdf" in closing.inner_text()
    closing.locator("button", has_text="审核通过，办结").click()
    office.wait_for_selector(".flash li")
    assert office.locator("#measure-status").inner_text() == "已办结"
    assert office.locator("#measure-colour").get_attribute("data-colour") == "green"
    ARTIFACTS.mkdir(exist_ok=True)
    office.screenshot(path=str(ARTIFACTS / "supervision-measure.png"), full_page=True)

    measure.refresh_from_db()
    assert (measure.status, measure.completed_on) == ("done", timezone.localdate())
    assert list(ProgressReport.objects.order_by("id").values_list("status", flat=True)) == ["returned", "accepted"]
    assert AuditEntry.objects.filter(action="supervision.close").count() == 1
    assert department.errors == [] and office.errors == []


def test_the_board_draws_its_charts_with_their_tables(browser: Any, live_server: Any, measure: Measure) -> None:
    office = page_for(browser, live_server, factories.a_supervisor())
    office.goto(f"{live_server.url}/supervision/")
    office.wait_for_selector("#colour-history-chart canvas")
    office.wait_for_selector("#task-progress-chart canvas")
    office.wait_for_selector('body[data-charts-drawn="2"]')
    for chart in ("#colour-history-chart", "#task-progress-chart"):  # the platform's web font
        family = office.evaluate(CHART_FONT, chart)
        assert family.startswith('"Noto Sans SC"'), family
    assert office.locator("#colour-counts li").count() == 4
    office.click("text=数据表 >> nth=1")
    assert "1 项目建设" in office.locator("#task-progress-table").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    office.screenshot(path=str(ARTIFACTS / "supervision-board.png"), full_page=True)
    assert office.errors == []
