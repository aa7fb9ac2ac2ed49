"""Changing a password and enrolling a second factor in a real browser (headless Debian Chromium)."""

import re

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page

from tests import factories
from tests.web.test_browser import CHROMIUM, browser, page, restore_migration_data, shoot

__all__ = ["browser", "page"]  # the fixtures, shared with the workspace's browser tests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make pytest installs it)"),
]

NEW_PASSWORD = "Slender-Lake-2024"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_a_user_changes_their_password_from_the_user_menu(page: Page, live_server: object) -> None:
    from yuanqu.core.demo import demo_load_all

    restore_migration_data()
    demo_load_all()  # the scorecard the user lands on
    user = factories.a_window_clerk()
    user.first_name = "陈窗口"
    user.save(update_fields=["first_name"])
    base = str(live_server)
    sign_in(page, base, "persona-window", factories.PASSWORD)
    page.click(".account-menu summary")
    panel = page.inner_text(".account-panel")
    assert "已登录：陈窗口（用户名 persona-window）" in panel and "角色：窗口人员" in panel
    shoot(page, "user-menu.png")
    page.click("text=修改密码")
    page.wait_for_url(re.compile(r"/accounts/password/"))
    page.fill("#id_old_password", factories.PASSWORD)
    page.fill("#id_new_password1", "short")
    page.fill("#id_new_password2", "short")
    page.click(".login-box form button[type=submit]")
    assert page.is_visible("text=这个密码太短了，至少要有 10 个字符。")
    shoot(page, "password-change.png")
    page.fill("#id_old_password", factories.PASSWORD)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click(".login-box form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.click(".logout button")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    sign_in(page, base, "persona-window", factories.PASSWORD)
    assert page.is_visible("text=请输入一个正确的")
    sign_in(page, base, "persona-window", NEW_PASSWORD)
    assert "/accounts/login/" not in page.url and page.is_visible("[data-indicator=gdp]")
    assert page.problems == []  # type: ignore[attr-defined]  # no script error, no CSP refusal


def test_an_administrator_enrols_an_authenticator_at_the_first_login(page: Page, live_server: object) -> None:
    restore_migration_data()
    factories.an_audit_admin()
    base = str(live_server)
    sign_in(page, base, "persona-auditor", factories.PASSWORD)
    assert page.url.endswith("/accounts/login/enrol/")
    assert page.is_visible(".qr svg")
    shoot(page, "second-factor-enrol.png")
    device = TOTPDevice.objects.get(user__username="persona-auditor")
    page.fill("#id_code", f"{TOTP(device.bin_key).token():06d}")
    page.click(".login-box form button[type=submit]")
    assert len(page.query_selector_all(".recovery-codes li")) == 10
    page.click("text=我已保存，继续")
    page.wait_for_load_state("networkidle")
    assert page.is_visible("h1:has-text('审计日志')")
    shoot(page, "audit-log.png")
    assert page.problems == []  # type: ignore[attr-defined]
