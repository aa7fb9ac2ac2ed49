"""Every user changes their own password under the password rules; the user menu says who is signed in."""

import pytest
from django.test import Client

from tests import factories
from yuanqu.accounts.models import AccountSecurity
from yuanqu.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW = "Slender-Lake-2024"


def change(client: Client, old: str, new: str, again: str | None = None) -> object:
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post("/accounts/password/", data)


@pytest.mark.parametrize(
    "persona", [factories.a_leader, factories.a_window_clerk, factories.an_outsider, factories.an_audit_admin]
)
def test_every_user_can_change_their_own_password(persona: object) -> None:
    user = persona()  # type: ignore[operator]
    client = factories.signed_in(user)
    assert client.get("/accounts/password/").status_code == 200
    response = change(client, factories.PASSWORD, NEW)
    assert response.status_code == 302  # type: ignore[attr-defined]
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEntry.objects.get(action="auth.password_change").actor_name == user.username
    assert client.get("/accounts/password/").status_code == 200  # this session stays signed in


def test_the_password_rules_apply_and_the_field_is_named() -> None:
    client = factories.signed_in(factories.a_leader())
    cases = [
        (factories.PASSWORD, "short1A", "新密码确认：这个密码太短了，至少要有 10 个字符。"),
        (factories.PASSWORD, "password123", "新密码确认：这个密码太常见了"),
        (factories.PASSWORD, "3141592653589", "新密码确认：密码只包含数字"),
        (factories.PASSWORD, "persona-leader1", "新密码确认：密码跟 用户名 太相似了"),
        ("not-my-password", NEW, "旧密码：你的旧密码不正确"),
    ]
    for old, new, field in cases:
        response = change(client, old, new)
        assert response.status_code == 200, new  # type: ignore[attr-defined]
        assert field in response.content.decode(), new  # type: ignore[attr-defined]
    assert "新密码确认：输入的两个密码不一致" in change(client, factories.PASSWORD, NEW, NEW + "x").content.decode()  # type: ignore[attr-defined]
    assert not AuditEntry.objects.filter(action="auth.password_change").exists()


def test_changing_the_password_ends_the_other_sessions() -> None:
    user = factories.a_leader()
    here, elsewhere = factories.signed_in(user), factories.signed_in(user)
    change(here, factories.PASSWORD, NEW)
    assert elsewhere.get("/accounts/password/").status_code == 302


def test_a_required_change_is_done_by_changing_the_password() -> None:
    user = factories.a_leader()
    AccountSecurity.objects.create(user=user, password_change_required=True)
    client = Client()
    login = client.post("/accounts/login/", {"username": user.username, "password": factories.PASSWORD})
    assert login["Location"].startswith("/accounts/password/")
    assert client.get("/")["Location"].startswith("/accounts/password/")
    assert "临时密码" in client.get("/accounts/password/").content.decode()
    change(client, factories.PASSWORD, NEW)
    assert not AccountSecurity.objects.get(user=user).password_change_required
    assert client.get("/accounts/security/").status_code == 200


def test_the_user_menu_shows_who_is_signed_in_and_their_roles_in_chinese() -> None:
    user = factories.person("persona-two", "leadership", "statistician")
    user.first_name = "李主任"
    user.save(update_fields=["first_name"])
    html = factories.signed_in(user).get("/accounts/password/").content.decode()
    assert "已登录：李主任（用户名 persona-two）" in html
    assert "角色：领导、统计员" in html
    assert 'href="/accounts/password/"' in html and 'href="/accounts/security/"' in html
