"""The centre in headless Chromium (Debian's, never a downloaded browser) against a live server:
register at a 综合窗口 → the department decides → the window issues → the applicant rates; the
manager's dashboard draws its charts."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client

from tests.factories import restore_migration_data
from tests.service.factory import ENTERPRISE_CODE, Centre, a_centre, a_clerk, a_manager, a_reviewer
from yuanqu.service.models import Case, Stage

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The font family a drawn chart writes its text in.
# Whether a horizontal bar chart's category labels fit between the chart's left edge and the axis.
LABELS_FIT = """(selector) => {
  const chart = echarts.getInstanceByDom(document.querySelector(selector));
  const axis = chart.getOption().yAxis[0];
  const context = document.createElement("canvas").getContext("2d");
  context.font = "12px " + chart.getOption().textStyle.fontFamily;
  const widest = Math.max(...axis.data.map((name) => context.measureText(name).width));
  return chart.convertToPixel({xAxisIndex: 0}, 0) - 8 >= widest;
}"""
CHART_FONT = "(selector) => echarts.getInstanceByDom(document.querySelector(selector)).getOption().textStyle.fontFamily"


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield launched
        launched.close()
        connections.close_all()


@pytest.fixture
def live_centre(transactional_db: None) -> Centre:
    return a_centre()


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


def test_register_decide_issue_and_rate(browser: Any, live_server: Any, live_centre: Centre) -> None:
    clerk_user = a_clerk(live_centre)
    reviewer_user = a_reviewer(live_centre.market)
    clerk = page_for(browser, live_server, clerk_user)
    clerk.goto(f"{live_server.url}/service/window/")
    clerk.select_option("#id_window", str(live_centre.any_window.pk))
    clerk.select_option("#id_item", str(live_centre.food.pk))  # another department's item
    clerk.wait_for_selector('#materials input[value="营业执照"]')
    clerk.check('#materials input[value="申请表"]')
    clerk.check('#materials input[value="营业执照"]')
    clerk.fill("#id_applicant_name", "扬州运河新能源科技有限公司")
    clerk.fill("#id_applicant_code", ENTERPRISE_CODE)
    clerk.fill("#id_contact_phone", "13812345678")
    ARTIFACTS.mkdir(exist_ok=True)
    clerk.screenshot(path=str(ARTIFACTS / "service-workbench.png"), full_page=True)
    clerk.click("#register-form button[type=submit]")
    clerk.wait_for_selector(".flash li")
    assert clerk.locator("#current-stage").inner_text().startswith("审查中")
    case = Case.objects.get()
    assert case.at_any_window and case.department == live_centre.market

    reviewer = page_for(browser, live_server, reviewer_user)
    reviewer.goto(f"{live_server.url}/service/review/")
    reviewer.click(f'#pending a:has-text("{case.number}")')
    reviewer.check('#decide input[value="approve"]')
    reviewer.click("#decide form:first-of-type button[type=submit]")
    reviewer.wait_for_selector(".flash li")
    assert reviewer.locator("#current-stage").inner_text().startswith("待出件")

    clerk.goto(f"{live_server.url}/service/cases/{case.pk}/")
    clerk.click("#issue button[type=submit]")
    clerk.wait_for_selector("#rate")
    clerk.check('#rate input[value="5"]')
    clerk.click("#rate button[type=submit]")
    clerk.wait_for_selector("#evaluation")
    assert "非常满意" in clerk.locator("#evaluation").inner_text()
    assert "出件" in clerk.locator("#history").inner_text()
    clerk.screenshot(path=str(ARTIFACTS / "service-case.png"), full_page=True)
    case.refresh_from_db()
    assert case.stage == Stage.ISSUED and case.evaluation.rating == "5"
    assert clerk.errors == [] and reviewer.errors == []


def test_the_dashboard_draws_its_charts(browser: Any, live_server: Any, live_centre: Centre) -> None:
    from django.utils import timezone

    from tests.service.factory import an_enterprise
    from yuanqu.service.services import case_decide, case_issue, case_register

    clerk, reviewer = a_clerk(live_centre), a_reviewer(live_centre.market)
    for _ in range(3):
        case = case_register(
            window=live_centre.any_window,
            item=live_centre.food,
            applicant=an_enterprise(),
            materials_received=["申请表", "营业执照"],
            outcome="accept",
            actor=clerk,
        )
    case_decide(case=case, decision="approve", actor=reviewer)
    case_issue(case=case, actor=clerk)
    page = page_for(browser, live_server, a_manager())
    month = timezone.localdate().strftime("%Y-%m")
    page.goto(f"{live_server.url}/service/dashboard/?period={month}")
    page.wait_for_selector('body[data-charts-drawn="3"]')
    for chart in ("#chart-zone-day", "#chart-elapsed", "#chart-overdue"):
        assert page.locator(f"{chart} canvas").count() >= 1
        family = page.evaluate(CHART_FONT, chart)
        assert family.startswith('"Noto Sans SC"'), family  # the platform's web font, not the viewer's
    assert "受理办件3件、办结1件" in page.locator("#figures-sentence").inner_text()
    page.screenshot(path=str(ARTIFACTS / "service-dashboard.png"), full_page=True)
    assert page.errors == []


def test_the_demo_centre_as_the_readme_shows_it(browser: Any, live_server: Any, transactional_db: None) -> None:
    """The window's workbench and the dashboard on the demo zone (the README's screenshots)."""
    from yuanqu.core.demo import demo_load_all

    restore_migration_data()
    demo_load_all()
    ARTIFACTS.mkdir(exist_ok=True)
    clerk = page_for(browser, live_server, User.objects.get(username="window"))
    clerk.goto(f"{live_server.url}/service/window/")
    clerk.wait_for_load_state("networkidle")
    assert clerk.locator("#queue tr, table.data tbody tr").count() > 5
    clerk.screenshot(path=str(ARTIFACTS / "readme-service-window.png"), full_page=True)
    manager = page_for(browser, live_server, User.objects.get(username="centre"))
    manager.goto(f"{live_server.url}/service/dashboard/?period=2023-06")
    manager.wait_for_selector('body[data-charts-drawn="3"]')
    manager.wait_for_load_state("networkidle")
    assert manager.evaluate(CHART_FONT, "#chart-overdue").startswith('"Noto Sans SC"')
    # Every department name on the overdue chart is drawn whole, inside the chart left of its axis.
    assert manager.evaluate(LABELS_FIT, "#chart-overdue"), "a department name is cut off"
    manager.screenshot(path=str(ARTIFACTS / "readme-service-dashboard.png"), full_page=True)
    assert clerk.errors == [] and manager.errors == []
