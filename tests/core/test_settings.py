import pytest

from yuanqu.settings import database_from_url


@pytest.mark.parametrize("url", ["sqlite:///var/x.sqlite3", "postgres://user@localhost/yuanqu"])
def test_database_connections_persist_for_a_minute_by_default(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    # Opening a SQLite connection costs more than a cached API request: it must not happen per request.
    monkeypatch.delenv("DATABASE_CONN_MAX_AGE", raising=False)
    database = database_from_url(url)
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True


def test_persistent_connections_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_CONN_MAX_AGE", "0")
    assert database_from_url("sqlite:///var/x.sqlite3")["CONN_MAX_AGE"] == 0
