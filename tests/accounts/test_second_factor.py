"""Signing in with a second factor (TOTP, recovery codes), and the lockout that applies to it."""

import re
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from tests import factories
from yuanqu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the user's phone shows now (or a step later: each code is accepted once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def password_step(client: Client, username: str, path: str = "/accounts/login/", **extra: str) -> object:
    return client.post(
        path, {"username": username, "password": factories.PASSWORD, "next": "/accounts/audit/"}, **extra
    )


def enrolled(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="手机", confirmed=True)


def signed_in_as(client: Client) -> str | None:
    user = client.get("/accounts/security/").wsgi_request.user  # type: ignore[attr-defined]
    return user.get_username() if user.is_authenticated else None


def test_an_administrator_is_not_signed_in_by_the_password_alone() -> None:
    factories.an_audit_admin()
    client = Client()
    response = password_step(client, "persona-auditor")
    assert response["Location"] == "/accounts/login/enrol/"  # type: ignore[index]
    assert client.get("/accounts/audit/").status_code == 302
    assert signed_in_as(client) is None
    assert not AuditEntry.objects.filter(action="auth.login").exists()


def test_enrolling_shows_a_qr_code_and_the_secret_and_gives_ten_recovery_codes(settings: Settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a right code at once after a wrong one
    factories.an_audit_admin()
    client = Client()
    password_step(client, "persona-auditor")
    page = client.get("/accounts/login/enrol/").content.decode()
    device = TOTPDevice.objects.get(user__username="persona-auditor", confirmed=False)
    assert "<svg" in page and "<path" in page
    secret = re.search(r'class="secret">([A-Z2-7 ]+)<', page)
    assert secret is not None and len(secret.group(1).replace(" ", "")) == 32
    wrong = client.post("/accounts/login/enrol/", {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode()
    response = client.post("/accounts/login/enrol/", {"code": code_for(device)})
    html = response.content.decode()
    codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", html)
    assert len(codes) == 10 and "两步验证已启用" in html
    assert client.get("/accounts/audit/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.second_factor_enrol", actor_name="persona-auditor").exists()
    assert AuditEntry.objects.get(action="auth.login").detail == {"second_factor": True}


def test_the_next_login_asks_for_the_code_and_accepts_it() -> None:
    device = enrolled(factories.an_audit_admin())
    client = Client()
    assert password_step(client, "persona-auditor")["Location"] == "/accounts/login/verify/"  # type: ignore[index]
    assert signed_in_as(client) is None
    response = client.post("/accounts/login/verify/", {"code": code_for(device)})
    assert response["Location"] == "/accounts/audit/"
    assert signed_in_as(client) == "persona-auditor"


def test_knowing_the_password_does_not_let_anyone_enrol_another_authenticator() -> None:
    enrolled(factories.an_audit_admin())
    client = Client()
    password_step(client, "persona-auditor")
    assert client.get("/accounts/login/enrol/")["Location"] == "/accounts/login/verify/"
    assert client.post("/accounts/login/enrol/", {"code": "123456"})["Location"] == "/accounts/login/verify/"
    assert TOTPDevice.objects.filter(user__username="persona-auditor").count() == 1


def test_wrong_codes_count_towards_the_lockout_and_are_audited(settings: Settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own delay between tries is not what is tested here
    device = enrolled(factories.an_audit_admin())
    client = Client()
    password_step(client, "persona-auditor")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        response = client.post("/accounts/login/verify/", {"code": wrong})
        assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    response = client.post("/accounts/login/verify/", {"code": wrong})
    assert response.status_code == 429 and "登录已暂时锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.second_factor_failed").count() == 4
    assert AuditEntry.objects.filter(action="auth.login_locked", actor_name="persona-auditor").exists()
    # Locked: neither the password nor a right code gets in now.
    again = Client()
    assert password_step(again, "persona-auditor").status_code == 429  # type: ignore[attr-defined]
    assert signed_in_as(again) is None


def test_a_recovery_code_signs_in_once() -> None:
    user = factories.an_audit_admin()
    from yuanqu.accounts.services import recovery_codes_renew

    enrolled(user)
    code = recovery_codes_renew(user=user, ip_address=None)[0]
    client = Client()
    password_step(client, "persona-auditor")
    response = client.post("/accounts/login/verify/", {"code": f"{code[:4]}-{code[4:]}".upper()})
    assert response.status_code == 302 and signed_in_as(client) == "persona-auditor"
    assert AuditEntry.objects.get(action="auth.recovery_code_used").detail["left"] == 9
    other = Client()
    password_step(other, "persona-auditor")
    assert "验证码不正确" in other.post("/accounts/login/verify/", {"code": code}).content.decode()


def test_the_admin_login_page_is_the_same_login_and_its_failures_are_audited() -> None:
    factories.a_system_admin()
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "persona-sysadmin", "password": "wrong-password"})
    assert response.status_code == 200
    failure = AuditEntry.objects.get(action="auth.login_failed")
    assert failure.actor_name == "persona-sysadmin" and "管理后台" in failure.summary
    response = client.post(
        "/admin/login/", {"username": "persona-sysadmin", "password": factories.PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/accounts/login/enrol/"
    assert client.get("/admin/").status_code == 302


def test_a_session_of_an_administrator_without_the_second_factor_is_ended() -> None:
    client = Client()
    client.force_login(factories.an_audit_admin())
    response = client.get("/accounts/audit/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert signed_in_as(client) is None
    assert client.get("/api/v1/me").status_code == 401


def test_every_user_needs_a_second_factor_when_the_setting_says_so(settings: Settings) -> None:
    factories.a_leader()
    client = Client()
    assert password_step(client, "persona-leader")["Location"] == "/accounts/audit/"  # type: ignore[index]
    settings.YUANQU_SECOND_FACTOR_FOR_ALL = True
    other = Client()
    assert password_step(other, "persona-leader")["Location"] == "/accounts/login/enrol/"  # type: ignore[index]
    assert client.get("/accounts/security/").status_code == 302  # the earlier session without it ends


def test_a_user_may_enrol_from_the_account_page_and_is_then_asked_at_login() -> None:
    client = factories.signed_in(factories.a_leader())
    assert "未启用" in client.get("/accounts/security/").content.decode()
    client.get("/accounts/login/enrol/")
    device = TOTPDevice.objects.get(user__username="persona-leader")
    assert client.post("/accounts/login/enrol/", {"code": code_for(device)}).status_code == 200
    assert "已启用" in client.get("/accounts/security/").content.decode()
    other = Client()
    assert password_step(other, "persona-leader")["Location"] == "/accounts/login/verify/"  # type: ignore[index]


def test_the_pending_login_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    device = enrolled(factories.an_audit_admin())
    client = Client()
    password_step(client, "persona-auditor")
    later = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post("/accounts/login/verify/", {"code": code_for(device, steps_ahead=0)})
    assert response["Location"] == "/accounts/login/"
    assert AccessAttempt.objects.count() == 0
