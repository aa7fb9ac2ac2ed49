import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import factories
from yuanqu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def log_in(client: Client, username: str, password: str, next_url: str = "") -> object:
    return client.post("/accounts/login/", {"username": username, "password": password, "next": next_url})


def test_the_login_page_is_in_chinese() -> None:
    html = Client().get("/accounts/login/").content.decode()
    assert "用户名" in html and "密码" in html and 'lang="zh-hans"' in html


def test_logging_in_goes_to_the_page_asked_for_and_is_audited() -> None:
    factories.a_leader()
    client = Client()
    response = log_in(client, "persona-leader", factories.PASSWORD, next_url="/screen/")
    assert response.status_code == 302 and response["Location"] == "/screen/"  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor is not None and entry.actor.username == "persona-leader"
    assert entry.ip_address == "127.0.0.1"


def test_a_next_url_on_another_site_is_ignored() -> None:
    factories.a_leader()
    response = log_in(Client(), "persona-leader", factories.PASSWORD, next_url="https://evil.example/")
    assert response["Location"] == "/"  # type: ignore[index]


def test_a_wrong_password_is_refused_in_chinese_and_audited() -> None:
    factories.a_leader()
    response = log_in(Client(), "persona-leader", "wrong-password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "请输入一个正确的" in response.content.decode()  # type: ignore[attr-defined]
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert entry.actor is None and entry.actor_name == "persona-leader"


def test_five_failures_lock_the_login_even_with_the_right_password() -> None:
    factories.a_leader()
    client = Client()
    for _ in range(5):
        log_in(client, "persona-leader", "wrong-password")
    response = log_in(client, "persona-leader", factories.PASSWORD)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert "登录已暂时锁定" in response.content.decode()  # type: ignore[attr-defined]
    assert not AuditEntry.objects.filter(action="auth.login").exists()
    assert AuditEntry.objects.filter(action="auth.login_locked").exists()


def test_the_lockout_ends_after_the_cool_off_time(settings: object) -> None:
    from datetime import timedelta

    from axes.models import AccessAttempt

    factories.a_leader()
    client = Client()
    for _ in range(5):
        log_in(client, "persona-leader", "wrong-password")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(hours=1))
    assert log_in(client, "persona-leader", factories.PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_a_lockout_of_one_user_does_not_lock_another() -> None:
    factories.a_leader()
    factories.a_statistician()
    client = Client()
    for _ in range(5):
        log_in(client, "persona-leader", "wrong-password")
    assert log_in(client, "persona-statistician", factories.PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_logging_out_needs_a_post_and_is_audited() -> None:
    client = Client()
    client.force_login(factories.a_leader())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert AuditEntry.objects.filter(action="auth.logout", actor_name="persona-leader").exists()
    assert client.get("/").status_code == 302


def test_logging_in_without_a_csrf_token_is_refused() -> None:
    factories.a_leader()
    client = Client(enforce_csrf_checks=True)
    response = log_in(client, "persona-leader", factories.PASSWORD)
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_a_signed_in_user_visiting_the_login_page_goes_home() -> None:
    client = Client()
    client.force_login(factories.a_leader())
    assert client.get("/accounts/login/")["Location"] == "/"


def test_an_inactive_user_cannot_log_in() -> None:
    user = factories.a_leader()
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert log_in(Client(), "persona-leader", factories.PASSWORD).status_code == 200  # type: ignore[attr-defined]


def log_in_from(address: str, username: str, password: str) -> object:
    return Client(REMOTE_ADDR=address).post("/accounts/login/", {"username": username, "password": password})


def test_failures_for_one_user_name_from_many_addresses_lock_it() -> None:
    factories.a_leader()
    for index in range(10):  # four addresses would each stay under the five of one address
        log_in_from(f"10.0.0.{index % 4 + 1}", "persona-leader", "wrong-password")
    assert log_in_from("10.0.9.9", "persona-leader", factories.PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_nine_failures_from_many_addresses_do_not_lock_a_user_name() -> None:
    factories.a_leader()
    for index in range(9):
        log_in_from(f"10.0.0.{index % 4 + 1}", "persona-leader", "wrong-password")
    assert log_in_from("10.0.9.9", "persona-leader", factories.PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_failures_from_one_address_over_many_user_names_lock_the_address() -> None:
    factories.a_leader()
    for index in range(20):  # seven user names, under five failures each
        log_in_from("10.0.0.7", f"guess-{index % 7}", "wrong-password")
    assert log_in_from("10.0.0.7", "persona-leader", factories.PASSWORD).status_code == 429  # type: ignore[attr-defined]
    assert log_in_from("10.0.0.8", "persona-leader", factories.PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_a_successful_login_forgives_only_its_own_failures() -> None:
    factories.a_leader()
    factories.a_statistician()
    for _ in range(4):
        log_in_from("10.0.0.7", "persona-leader", "wrong-password")
    for index in range(15):
        log_in_from("10.0.0.7", f"guess-{index % 5}", "wrong-password")
    # The statistician's success from the same address does not wipe the others' 19 failures.
    assert log_in_from("10.0.0.7", "persona-statistician", factories.PASSWORD).status_code == 302  # type: ignore[attr-defined]
    log_in_from("10.0.0.7", "guess-9", "wrong-password")
    assert log_in_from("10.0.0.7", "persona-statistician", factories.PASSWORD).status_code == 429  # type: ignore[attr-defined]
