"""The workspace in a real browser: headless Debian Chromium against a live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import factories
from tests.factories import restore_migration_data

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from the
# test body (fixtures, factories) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make pytest installs it)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def canvas_is_drawn(page: Page, selector: str) -> bool:
    return bool(
        page.eval_on_selector(
            f"{selector} canvas",
            "canvas => canvas.width > 0 && canvas.toDataURL().length > 5000",
        )
    )


def test_a_statistician_reads_the_dashboard_and_switches_the_period(page: Page, live_server: object) -> None:
    from yuanqu.core.demo import demo_load_all

    restore_migration_data()
    demo_load_all()
    factories.a_statistician()
    base = str(live_server)
    log_in(page, base, "persona-statistician")
    page.goto(f"{base}/?zone=yz-etdz&period=2023-H1")
    page.wait_for_load_state("networkidle")
    for chart in ["#chart-ranking", "#chart-troika", "#chart-goals", "#chart-trend"]:
        assert canvas_is_drawn(page, chart), chart
    assert page.inner_text("[data-indicator=gdp] .value").startswith("375.3")
    page.click("#chart-troika + details summary")
    assert page.is_visible("text=全社会固定资产投资")
    shoot(page, "dashboard.png")

    sales_before = page.inner_text("[data-indicator=industrial_invoiced_sales] .value")
    page.select_option("#period", "2023-01~03")
    page.wait_for_function("() => location.search.includes('2023-01~03')")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("[data-indicator=industrial_invoiced_sales] .value") != sales_before
    assert "2023年一季度" in page.inner_text(".summary h2")
    assert canvas_is_drawn(page, "#chart-trend")
    shoot(page, "dashboard-q1.png")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{base}/screen/?zone=yz-etdz&period=2023-H1")
    page.wait_for_load_state("networkidle")
    assert canvas_is_drawn(page, "#screen-ranking")
    page.screenshot(path=str(ARTIFACTS / "screen.png"))
    assert page.problems == []  # type: ignore[attr-defined]


def test_an_outsider_is_refused_the_enterprise_drilldown(page: Page, live_server: object) -> None:
    restore_migration_data()
    factories.an_investment_officer()
    base = str(live_server)
    log_in(page, base, "persona-investment")
    response = page.goto(f"{base}/indicators/industrial_invoiced_sales/enterprises/?period=2023-H1")
    assert response is not None and response.status == 403
    assert page.is_visible("text=无权访问")
    shoot(page, "drilldown-refused.png")


def test_a_statistician_searches_and_filters_the_drilldown(page: Page, live_server: object) -> None:
    from yuanqu.core.demo import demo_load_all
    from yuanqu.indicators.models import Enterprise

    restore_migration_data()
    demo_load_all()
    factories.a_statistician()
    base = str(live_server)
    log_in(page, base, "persona-statistician")
    page.goto(f"{base}/indicators/industrial_invoiced_sales/enterprises/?period=2023-H1")
    assert page.locator("#enterprises tbody tr").count() == 50
    assert page.locator("#enterprise-total").inner_text().startswith("合计（307家")
    wanted = Enterprise.objects.filter(zone__code="yz-etdz").order_by("uscc").first()
    assert wanted is not None
    page.fill("#q", wanted.uscc[-8:])
    page.press("#q", "Enter")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#enterprises tbody tr")
    assert rows.count() >= 1 and wanted.name in rows.first.inner_text()
    assert "清除筛选" in page.inner_text("#enterprise-filter")
    page.click("text=清除筛选")
    page.wait_for_load_state("networkidle")
    page.check("input[name=new]")
    page.click("#enterprise-filter button[type=submit]")
    page.wait_for_load_state("networkidle")
    new_rows = page.locator("#enterprises tbody tr")
    assert new_rows.count() > 0
    assert new_rows.count() == page.locator("#enterprises tbody tr.new-entrant").count()
    assert "新入库" in page.locator("#enterprise-total").inner_text()
    shoot(page, "drilldown-new-entrants.png")
    assert page.problems == []  # type: ignore[attr-defined]


def test_a_statistician_uploads_a_district_report_and_reviews_each_figure_in_its_sentence(
    page: Page, live_server: object, tmp_path: Path
) -> None:
    from yuanqu.core.demo import demo_load_all

    restore_migration_data()
    demo_load_all()
    factories.a_statistician()
    base = str(live_server)
    report = tmp_path / "江都区前三季度.txt"
    report.write_text(
        "2023年1—9月，江都区实现地区生产总值738.6亿元，同比增长5.7%；社会消费品零售总额312.40亿元，增长6.10%。",
        encoding="utf-8",
    )
    log_in(page, base, "persona-statistician")
    page.goto(f"{base}/imports/")
    page.select_option("#id_report_zone", "yz-jiangdu")
    page.set_input_files("#id_report_file", str(report))
    page.click("#report-upload button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/imports/reports/")
    marks = page.locator("#pending td.excerpt mark").all_inner_texts()
    assert marks == ["738.6亿元，同比增长5.7%", "312.40亿元，增长6.10%"]
    assert page.locator("#pending td.num").all_inner_texts() == ["738.6亿元", "5.7%", "312.4亿元", "6.1%"]
    shoot(page, "report-review.png")
    assert page.problems == []  # type: ignore[attr-defined]
