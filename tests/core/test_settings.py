import re
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from yuanqu.settings import database_from_url, supervision_thresholds


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


def test_the_supervision_colour_thresholds_default_to_10_and_30_points(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("YELLOW_PP", "RED_PP", "DUE_SOON_DAYS", "MILESTONE_GRACE_DAYS"):
        monkeypatch.delenv(f"YUANQU_SUPERVISION_{name}", raising=False)
    assert supervision_thresholds() == {
        "yellow_pp": Decimal(10),
        "red_pp": Decimal(30),
        "due_soon_days": 7,
        "milestone_grace_days": 7,
    }
    monkeypatch.setenv("YUANQU_SUPERVISION_YELLOW_PP", "5.5")
    monkeypatch.setenv("YUANQU_SUPERVISION_RED_PP", "20")
    assert supervision_thresholds()["yellow_pp"] == Decimal("5.5")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("YUANQU_SUPERVISION_YELLOW_PP", "30", "黄色阈值（30个百分点）与红色阈值（30个百分点）须满足 0 < 黄色 < 红色"),
        ("YUANQU_SUPERVISION_YELLOW_PP", "0", "黄色阈值（0个百分点）与红色阈值（30个百分点）须满足 0 < 黄色 < 红色"),
        ("YUANQU_SUPERVISION_RED_PP", "8", "黄色阈值（10个百分点）与红色阈值（8个百分点）须满足 0 < 黄色 < 红色"),
        ("YUANQU_SUPERVISION_RED_PP", "ten", "must be a number"),
        ("YUANQU_SUPERVISION_RED_PP", "NaN", "must be a finite number"),
        ("YUANQU_SUPERVISION_DUE_SOON_DAYS", "-1", "临近时限天数不能为负数（-1）"),
        ("YUANQU_SUPERVISION_MILESTONE_GRACE_DAYS", "0", "节点逾期转红天数至少为1（0）"),
    ],
)
def test_bad_supervision_thresholds_fail_loudly(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    for other in ("YELLOW_PP", "RED_PP", "DUE_SOON_DAYS", "MILESTONE_GRACE_DAYS"):
        monkeypatch.delenv(f"YUANQU_SUPERVISION_{other}", raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=re.escape(message)) as refused:
        supervision_thresholds()
    assert name in str(refused.value)
