"""The chain workbench in a real browser: headless Debian Chromium against a live server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import factories

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test body
# (loading the demo) are synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.urls("tests.chains.urls"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make pytest installs it)"),
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: object) -> Iterator[Page]:
    from yuanqu.accounts.demo import DEMO_PASSWORD
    from yuanqu.chains.demo import demo_load
    from yuanqu.core.demo import demo_load_all

    # A transactional test before this one flushed the tables, what the data migrations write
    # included; put it back as the migrations do.
    factories.restore_migration_data()
    demo_load_all()
    demo_load()
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems  # type: ignore[attr-defined]
    page.base = str(live_server)  # type: ignore[attr-defined]
    # 赵链长, 链长 of 新能源 in the demo.
    page.goto(f"{live_server}/accounts/login/")
    page.fill("#id_username", "chainleader")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_the_chain_map_renders_and_a_node_opens_its_enterprises(page: Page) -> None:
    page.goto(f"{page.base}/chains/new-energy/?period=2023-H1")  # type: ignore[attr-defined]
    page.wait_for_load_state("networkidle")
    drawn = page.eval_on_selector("#chain-map canvas", "canvas => canvas.width > 0 && canvas.toDataURL().length > 5000")
    assert drawn
    shoot(page, "chains-workbench.png")
    # Click the node 光伏电站 (a leaf, so its label sits to the right of its dot).
    position = page.evaluate(
        """() => {
          const chart = echarts.getInstanceByDom(document.getElementById('chain-map'));
          const model = chart.getModel().getSeriesByIndex(0).getData();
          for (let i = 0; i < model.count(); i++) {
            if (model.getName(i).startsWith('光伏电站')) {
              // The symbol group's computed transform places its centre in canvas pixels.
              const matrix = model.getItemGraphicEl(i).getComputedTransform();
              const box = document.getElementById('chain-map').getBoundingClientRect();
              return { x: box.left + matrix[4], y: box.top + matrix[5] };
            }
          }
          return null;
        }"""
    )
    assert position is not None
    page.mouse.click(position["x"], position["y"])
    page.wait_for_selector("#node-enterprises")
    assert page.inner_text("#node-panel h2").startswith("光伏电站")
    assert page.locator("#node-enterprises tbody tr").count() >= 1
    shoot(page, "chains-node.png")
    assert page.problems == []  # type: ignore[attr-defined]


def test_a_request_goes_from_raised_to_closed(page: Page) -> None:
    base = page.base  # type: ignore[attr-defined]
    page.goto(f"{base}/chains/new-energy/requests/new/")
    # The enterprise is picked by typing: the list offers “name（统一社会信用代码）”.
    first = page.eval_on_selector("#id_enterprise-choices option", "option => option.value")
    page.fill("#id_enterprise", first)
    page.select_option("#id_category", "talent")
    page.fill("#id_title", "浏览器测试：技工招聘")
    page.click("#request-form button[type=submit]")
    page.wait_for_selector("#assign-form")
    assert page.inner_text("#request-status") == "已提出"
    page.select_option("#id_department", index=1)
    assert page.input_value("#id_deadline")  # the default deadline, in a form the browser accepts
    page.fill("#id_deadline", "2099-06-30")
    page.click("#assign-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#request-status") == "已交办"
    page.fill("#id_text", "已联系人社局组织专场招聘")
    page.click("#reply-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#request-status") == "已答复"
    page.select_option("#id_satisfaction", "satisfied")
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.inner_text("#request-status") == "已办结"
    assert page.inner_text("#request-satisfaction") == "满意"
    shoot(page, "chains-request-closed.png")
    assert page.problems == []  # type: ignore[attr-defined]
