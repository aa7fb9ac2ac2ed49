"""The idle session timeout, now that activity moves the session's expiry at most once a minute."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories
from yuanqu.accounts.sessions import SessionStore, refresh_interval

pytestmark = pytest.mark.django_db

AUDIT_LOG = "/accounts/audit/"
IDLE = timedelta(seconds=settings.SESSION_COOKIE_AGE)
SECOND = timedelta(seconds=1)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def signed_in() -> Client:
    return factories.signed_in(factories.an_audit_admin())


def stored_expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def session_writes(client: Client, url: str = AUDIT_LOG) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum('UPDATE "django_session"' in query["sql"] for query in queries.captured_queries)


def test_the_timeout_is_thirty_minutes_and_the_store_is_ours() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert isinstance(Client().session, SessionStore)


def test_an_idle_session_ends_after_thirty_minutes(clock: Clock) -> None:
    client = signed_in()
    assert client.get(AUDIT_LOG).status_code == 200
    clock.advance(IDLE + SECOND)
    response = client.get(AUDIT_LOG)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/me").status_code == 401


def test_activity_keeps_a_session_alive_for_hours(clock: Clock) -> None:
    client = signed_in()
    for _ in range(12):  # two hours, a request every ten minutes
        clock.advance(timedelta(minutes=10))
        assert client.get(AUDIT_LOG).status_code == 200
    assert stored_expiry(client) == clock.now + IDLE


def test_requests_within_a_minute_do_not_write_the_session(clock: Clock) -> None:
    client = signed_in()
    written = stored_expiry(client)
    clock.advance(timedelta(seconds=30))
    assert session_writes(client) == (200, 0)
    assert session_writes(client, "/api/v1/me") == (200, 0)
    assert stored_expiry(client) == written
    clock.advance(timedelta(seconds=31))
    response = client.get(AUDIT_LOG)
    assert response.status_code == 200
    assert stored_expiry(client) == clock.now + IDLE
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE  # the cookie's lifetime moves with the row's
    clock.advance(SECOND)
    assert settings.SESSION_COOKIE_NAME not in client.get(AUDIT_LOG).cookies


@pytest.mark.parametrize("pause_seconds", [1, 30, 59, 60, 61, 119, 600])
def test_a_session_never_outlives_the_idle_timeout_and_ends_at_most_a_minute_early(
    clock: Clock, pause_seconds: int
) -> None:
    client = signed_in()
    clock.advance(timedelta(seconds=pause_seconds))
    assert client.get(AUDIT_LOG).status_code == 200  # the user's last request
    last = clock.now
    assert last + IDLE - timedelta(seconds=60) <= stored_expiry(client) <= last + IDLE
    clock.advance(IDLE + SECOND)
    assert client.get(AUDIT_LOG).status_code == 302


def test_a_short_timeout_is_refreshed_within_a_tenth_of_it() -> None:
    assert refresh_interval(30 * 60) == timedelta(seconds=60)
    assert refresh_interval(60) == timedelta(seconds=6)


def test_logging_out_still_ends_the_session_at_once(clock: Clock) -> None:
    client = signed_in()
    key = client.session.session_key
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(AUDIT_LOG).status_code == 302


def test_a_cookie_for_a_session_that_is_gone_is_deleted(clock: Clock) -> None:
    client = signed_in()
    Session.objects.all().delete()
    response = client.get(AUDIT_LOG)
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""
