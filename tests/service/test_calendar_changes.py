"""A change of the zone's calendar re-dates the open cases it touches, and says how many."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from tests import factories
from tests.service.factory import Centre, a_clerk, a_manager, an_enterprise
from yuanqu.core.models import AuditEntry
from yuanqu.service.models import Case, WorkingDayOverride
from yuanqu.service.services import (
    calendar_year_enter,
    case_register,
    override_remove,
    override_set,
)
from yuanqu.service.workdays import package_years


def accepted(centre: Centre, clerk: User, on: date) -> Case:
    return case_register(
        window=centre.any_window,
        item=centre.food,
        applicant=an_enterprise(),
        materials_received=["申请表", "营业执照"],
        outcome="accept",
        actor=clerk,
        on=on,
    )


def test_a_day_off_inside_a_span_moves_the_open_case_and_removing_it_moves_it_back(centre: Centre) -> None:
    clerk = a_clerk(centre)
    case = accepted(centre, clerk, date(2023, 9, 27))
    # Promised 3 from Wednesday 27 September 2023: 28 Sep, 7 Oct (worked Saturday), 8 Oct.
    # Legal 20: 28 Sep, 7–13 Oct (5), 16–20, 23–27, 30, 31 Oct.
    assert (case.due_on, case.legal_due_on) == (date(2023, 10, 8), date(2023, 10, 31))
    # A case accepted on 1 November 2023 does not span 28 September and is left alone.
    later = accepted(centre, clerk, date(2023, 11, 1))
    later_due = later.due_on
    change = override_set(zone=centre.zone, day=date(2023, 9, 28), is_working_day=False, note="园区调休")
    assert change.cases_moved == 1
    case.refresh_from_db()
    # Without 28 September: 7, 8, 9 October; legal one working day later, 1 November.
    assert (case.due_on, case.legal_due_on) == (date(2023, 10, 9), date(2023, 11, 1))
    later.refresh_from_db()
    assert later.due_on == later_due
    entry = AuditEntry.objects.get(action="service.calendar_override")
    assert entry.detail["cases_moved"] == 1 and "1件在办办件" in entry.summary

    removed = override_remove(override=WorkingDayOverride.objects.get(zone=centre.zone))
    assert removed.cases_moved == 1
    case.refresh_from_db()
    assert (case.due_on, case.legal_due_on) == (date(2023, 10, 8), date(2023, 10, 31))
    assert AuditEntry.objects.get(action="service.calendar_override_remove").detail["cases_moved"] == 1


def test_a_working_day_added_after_the_span_moves_nothing(centre: Centre) -> None:
    clerk = a_clerk(centre)
    case = accepted(centre, clerk, date(2023, 9, 27))
    # Saturday 4 November 2023 is after the legal due date (31 October).
    change = override_set(zone=centre.zone, day=date(2023, 11, 4), is_working_day=True, note="园区加班")
    assert change.cases_moved == 0
    case.refresh_from_db()
    assert case.legal_due_on == date(2023, 10, 31)


def test_a_closed_case_keeps_its_dates(centre: Centre) -> None:
    clerk = a_clerk(centre)
    case = accepted(centre, clerk, date(2023, 9, 27))
    Case.objects.filter(pk=case.pk).update(stage="refused")
    change = override_set(zone=centre.zone, day=date(2023, 9, 28), is_working_day=False, note="园区调休")
    assert change.cases_moved == 0
    case.refresh_from_db()
    assert case.due_on == date(2023, 10, 8)


@pytest.mark.skipif(2027 in package_years(), reason="the installed chinese-calendar knows 2027")
def test_entering_next_years_holidays_moves_a_provisional_case_to_its_real_date(centre: Centre) -> None:
    clerk = a_clerk(centre)
    centre.food.legal_limit_days = 60
    centre.food.promised_limit_days = 60
    centre.food.save()
    case = accepted(centre, clerk, date(2026, 12, 1))
    # 60 working days from Tuesday 1 December 2026: 22 in December (2–31), 20 in January 2027 (less
    # 1 January, provisionally a holiday), 5 in 1–5 February, 5 in 8–12, 5 in 15–19: 57 on
    # 19 February; 22, 23, 24 February: 60.
    assert case.due_on == date(2027, 2, 24) and case.due_provisional
    override_set(zone=centre.zone, day=date(2027, 1, 1), is_working_day=False, note="2027年元旦")
    moved = [
        override_set(zone=centre.zone, day=date(2027, 2, day), is_working_day=False, note="2027年春节").cases_moved
        for day in range(8, 13)
    ]
    assert moved == [1, 1, 1, 1, 1]
    case.refresh_from_db()
    # 8–12 February off: 47 on 5 February, 52 on 19, 57 on 26, then 1, 2, 3 March.
    assert case.due_on == date(2027, 3, 3) and case.due_provisional
    change = calendar_year_enter(zone=centre.zone, year=2027, note="国办发明电〔2026〕X号")
    assert change.cases_moved == 1  # the same dates, no longer provisional
    case.refresh_from_db()
    assert case.due_on == date(2027, 3, 3) and not case.due_provisional
    assert AuditEntry.objects.get(action="service.calendar_year").detail["cases_moved"] == 1


def test_the_calendar_page_says_how_many_cases_were_re_dated(centre: Centre) -> None:
    accepted(centre, a_clerk(centre), date(2023, 9, 27))
    manager = factories.signed_in(a_manager())
    response = manager.post(
        "/service/calendar/",
        {"what": "override", "day": "2023-09-28", "is_working_day": "0", "note": "园区调休"},
        follow=True,
    )
    assert "1件在办办件的办结期限已按新日历重新计算" in response.content.decode()
