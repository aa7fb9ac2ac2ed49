"""Enterprise requests (诉求): raised, assigned, replied, closed; deadlines turn red when missed."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.chains import factories as f
from tests.factories import a_chain_leader
from yuanqu.chains.models import Chain
from yuanqu.chains.rules import request_colour, task_colour
from yuanqu.chains.services import ChainError, request_assign, request_close, request_raise, request_reply
from yuanqu.core.models import AuditEntry
from yuanqu.indicators.models import Enterprise

TODAY = date(2023, 7, 10)


@pytest.fixture
def chain(db: None) -> Chain:
    zone = f.a_zone()
    enterprises = f.load(
        zone,
        f.output_rows(1, months={2023: ["100"]}),
        f.output_rows(2, months={2023: ["10"]}),
        f.output_rows(3, months={2023: ["10"]}),
    )
    chain = f.a_chain(zone, "a", leader=a_chain_leader())
    node = f.a_node(chain, "电芯")
    f.place(node, enterprises[1], "master")
    f.place(node, enterprises[2])
    f.a_department(zone)
    return chain


def enterprise(number: int) -> Enterprise:
    return Enterprise.objects.get(name=f"链上企业{number}")


def test_a_request_goes_from_raised_to_closed_with_an_audit_row_for_each_step(chain: Chain) -> None:
    leader = chain.leader
    assert leader is not None
    request = request_raise(chain=chain, enterprise=enterprise(2), category="power", title="变压器增容", actor=leader)
    assert request.status == "raised" and request.raised_by == enterprise(2)
    department = chain.zone.department_set.get()
    request = request_assign(request=request, department=department, deadline=timezone.localdate(), actor=leader)
    assert request.status == "assigned"
    request_reply(request=request, text="已协调供电公司", author=leader)
    request.refresh_from_db()
    assert request.status == "replied" and request.replies.get().department == department
    request = request_close(request=request, satisfaction="satisfied", note="已送电", actor=leader)
    assert request.status == "closed" and request.closed_at is not None
    actions = list(
        AuditEntry.objects.filter(action__startswith="chain.request", detail__request=request.pk).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(
        ["chain.request_raise", "chain.request_assign", "chain.request_reply", "chain.request_close"]
    )


def test_the_chain_master_may_raise_a_request_for_its_supplier(chain: Chain) -> None:
    request = request_raise(
        chain=chain, enterprise=enterprise(2), raised_by=enterprise(1), category="supply", title="隔膜保供"
    )
    assert request.raised_by == enterprise(1)
    entry = AuditEntry.objects.get(action="chain.request_raise", detail__request=request.pk)
    assert "由链主链上企业1代为提出" in entry.summary


def test_only_a_chain_master_may_raise_for_another_enterprise(chain: Chain) -> None:
    with pytest.raises(ChainError, match="只有a链的链主可以代配套企业提出诉求"):
        request_raise(chain=chain, enterprise=enterprise(1), raised_by=enterprise(2), category="land", title="用地")
    assert not chain.requests.exists()


def test_an_enterprise_off_the_chain_cannot_raise_on_it(chain: Chain) -> None:
    with pytest.raises(ChainError, match="不是a链的链上企业"):
        request_raise(chain=chain, enterprise=enterprise(3), category="land", title="用地")


def test_a_request_needs_a_title_and_a_known_category(chain: Chain) -> None:
    with pytest.raises(ChainError, match="请填写诉求"):
        request_raise(chain=chain, enterprise=enterprise(2), category="land", title="  ")
    with pytest.raises(ChainError, match="请选择诉求类别"):
        request_raise(chain=chain, enterprise=enterprise(2), category="bribes", title="x")


def test_a_closed_request_stays_closed(chain: Chain) -> None:
    request = request_raise(chain=chain, enterprise=enterprise(2), category="land", title="用地")
    request_close(request=request, satisfaction="basically")
    with pytest.raises(ChainError, match="已办结"):
        request_reply(request=request, text="再答复", author=chain.leader)  # type: ignore[arg-type]
    with pytest.raises(ChainError, match="已办结"):
        request_close(request=request, satisfaction="satisfied")


def test_closing_needs_the_enterprises_satisfaction(chain: Chain) -> None:
    request = request_raise(chain=chain, enterprise=enterprise(2), category="land", title="用地")
    with pytest.raises(ChainError, match="请选择企业满意度"):
        request_close(request=request, satisfaction="")


def test_an_open_request_past_its_deadline_turns_red(chain: Chain) -> None:
    today = timezone.localdate()
    request = request_raise(chain=chain, enterprise=enterprise(2), category="land", title="用地")
    department = chain.zone.department_set.get()
    request = request_assign(request=request, department=department, deadline=today + timedelta(days=5))
    deadline = request.deadline
    assert request_colour(deadline=deadline, closed_on=None, today=today) == ("green", "正常推进")
    assert request_colour(deadline=deadline, closed_on=None, today=today + timedelta(days=2))[0] == "blue"
    assert request_colour(deadline=deadline, closed_on=None, today=today + timedelta(days=5))[0] == "blue"
    assert request_colour(deadline=deadline, closed_on=None, today=today + timedelta(days=6)) == ("red", "超期")
    assert request.is_overdue(today + timedelta(days=6)) and not request.is_overdue(today + timedelta(days=5))
    assert list(chain.requests.overdue(today + timedelta(days=6))) == [request]
    assert not chain.requests.overdue(today + timedelta(days=5)).exists()


def test_a_deadline_before_the_request_was_raised_is_refused(chain: Chain) -> None:
    request = request_raise(chain=chain, enterprise=enterprise(2), category="land", title="用地")
    with pytest.raises(ChainError, match="办理时限不能早于诉求提出日期"):
        request_assign(request=request, department=chain.zone.department_set.get(), deadline=TODAY)


def test_a_request_closed_after_its_deadline_was_late_not_overdue() -> None:
    deadline = TODAY
    assert request_colour(deadline=deadline, closed_on=TODAY + timedelta(days=1), today=TODAY + timedelta(days=9)) == (
        "closed-late",
        "超期办结",
    )
    assert request_colour(deadline=deadline, closed_on=TODAY, today=TODAY + timedelta(days=9))[0] == "closed"
    assert request_colour(deadline=None, closed_on=None, today=TODAY) == ("", "未定时限")


@pytest.mark.parametrize(
    ("progress", "today", "colour"),
    [
        (100, date(2023, 12, 1), "done"),  # finished, even after the deadline
        (80, date(2023, 11, 1), "red"),  # deadline passed, not finished
        (10, date(2023, 6, 30), "red"),  # 59% of the time gone, 10% done: 49 points behind
        (30, date(2023, 6, 30), "yellow"),  # 29 points behind
        (55, date(2023, 6, 30), "green"),  # 4 points behind
        (95, date(2023, 10, 30), "blue"),  # on time, deadline in a day
    ],
)
def test_a_task_is_coloured_by_its_progress_against_its_time(progress: int, today: date, colour: str) -> None:
    # 2023-01-01 to 2023-10-31 is 303 days; 2023-06-30 is 180 days in: 59% of the time.
    starts, deadline = date(2023, 1, 1), date(2023, 10, 31)
    assert task_colour(starts_on=starts, deadline=deadline, progress_pct=progress, today=today)[0] == colour
