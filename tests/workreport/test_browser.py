"""The editor in a real browser: rewrite a sentence, accept a changed number, issue, download the Word file."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from docx import Document as read_word
from playwright.sync_api import Browser, Page, sync_playwright

from tests import factories
from tests.workreport.conftest import revise_gdp_growth

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test body are synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo() -> None:
    """Overrides the package's demo: a live server needs committed data."""
    from yuanqu.core.demo import demo_load_all

    # A transactional test before this one may have flushed what the data migrations write.
    factories.restore_migration_data()
    demo_load_all()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live_server: object, demo: None) -> Iterator[Page]:
    client = Client()
    client.force_login(factories.a_statistician())
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN", accept_downloads=True)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": str(live_server)}])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


def test_edit_a_sentence_accept_a_changed_number_issue_and_download(page: Page, live_server: object) -> None:
    page.goto(f"{live_server}/reports/")
    page.click("#new-draft button[type=submit]")
    page.wait_for_selector("#report")
    first = page.locator('[data-block="indicators.p1"]')
    assert first.inner_text().startswith("上半年，完成地区生产总值375.3亿元")

    # The chip opens its source beside the report.
    first.locator('[data-field="ind.gdp.value"]').click()
    page.wait_for_selector("#source .provenance")
    assert "观测值#" in page.locator("#source").inner_text()

    # Rewrite the opening words: the cursor at the start of the sentence, then type.
    first.click(position={"x": 40, "y": 12})  # on the words, left of the first chip
    page.keyboard.press("Home")
    page.keyboard.type("今年以来，")
    page.click("#rewrite-form button[type=submit]")
    page.wait_for_selector(".flash li")
    assert "已保存1段修改" in page.locator(".flash").inner_text()
    assert page.locator('[data-block="indicators.p1"]').inner_text().startswith("今年以来，上半年，完成地区生产总值")

    # The bureau revises GDP growth after drafting: the changed numbers are marked.
    revise_gdp_growth("8.5")
    page.reload()
    assert page.locator("#changes tr[data-change]").count() == 2
    assert page.locator(".chip.changed").count() >= 2
    assert page.locator("#issue-form button").is_disabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workreport-editor.png"))
    page.click('#changes tr[data-change="ind.gdp.growth"] button.accept')
    page.wait_for_selector(".flash li")
    page.click('#changes tr[data-change="ind.gdp.gap"] button.accept')
    page.wait_for_selector(".flash li")
    assert page.locator("#changes").count() == 0
    assert "增长8.5%" in page.locator('[data-block="indicators.p1"]').inner_text()

    # Issue (the confirmation is accepted), then download the Word file of the version.
    page.click("#issue-form button[type=submit]")
    page.wait_for_selector(".downloads")
    assert "签发稿 第1版" in page.locator(".page-head h1").inner_text()
    with page.expect_download() as download:
        page.click('.downloads a[data-format="docx"]')
    assert download.value.suggested_filename == "扬州经开区_工作报告_2023年上半年_第1版.docx"
    path = ARTIFACTS / "workreport-v1.docx"
    download.value.save_as(str(path))
    paragraphs = [paragraph.text for paragraph in read_word(str(path)).paragraphs]
    assert paragraphs[0] == "扬州经济技术开发区2023年上半年工作报告"
    assert any(text.startswith("今年以来，上半年，完成地区生产总值375.3亿元，增长8.5%；") for text in paragraphs)
    assert page.problems == []  # type: ignore[attr-defined]


def test_the_dashboard_prints_without_navigation_with_its_chart_tables_and_a_header_on_every_page(
    page: Page, live_server: object
) -> None:
    import io
    import unicodedata

    from pypdf import PdfReader

    page.goto(f"{live_server}/")
    page.wait_for_selector("#chart-ranking canvas")
    page.emulate_media(media="print")
    assert not page.locator(".sidenav").is_visible()
    assert not page.locator("#selection").is_visible()
    assert page.locator(".ranking-table").first.is_visible()  # inside a closed <details> on screen
    context = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--print-context')")
    assert context.strip() == '"扬州经开区 · 2023年上半年 · 经济运行成绩单"'
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    content = page.pdf(prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "dashboard-print.pdf").write_bytes(content)
    # NFKC: Chromium's PDF maps some glyphs back to the Kangxi radicals that share them (⾏ for 行).
    pages = [
        unicodedata.normalize("NFKC", text).replace(" ", "")
        for text in (p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    ]
    assert len(pages) >= 2
    assert all(
        "扬州经开区·2023年上半年·经济运行成绩单" in text and "打印时间:" in text for text in pages
    )  # NFKC: ：→ :
    assert not any("接口文档" in text for text in pages)  # the side menu is not printed
    assert page.problems == []  # type: ignore[attr-defined]
