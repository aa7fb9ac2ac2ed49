"""A case already late when the department asks for materials stays overdue during the pause."""

from datetime import date

from tests import factories
from tests.service.factory import Centre, a_clerk, a_manager, a_reviewer, an_enterprise
from yuanqu.periods import Period
from yuanqu.service.models import Case, Stage
from yuanqu.service.selectors import centre_scorecard, queue_counts
from yuanqu.service.services import case_register, case_request_supplement, case_supplement_received

ACCEPTED = date(2023, 9, 27)  # food: promised 3 → due Sunday 8 October (a worked day), legal 20 → 31 October
LATER = date(2023, 10, 20)


def a_case(centre: Centre) -> Case:
    return case_register(
        window=centre.any_window,
        item=centre.food,
        applicant=an_enterprise(),
        materials_received=["申请表", "营业执照"],
        outcome="accept",
        actor=a_clerk(centre),
        on=ACCEPTED,
    )


def test_paused_after_the_due_date_counts_as_overdue_everywhere(centre: Centre) -> None:
    reviewer = a_reviewer(centre.market)
    late = a_case(centre)
    # Asked for materials on Monday 9 October, the day after the due date: already late.
    case_request_supplement(case=late, missing=["场所平面图"], actor=reviewer, on=date(2023, 10, 9))
    late.refresh_from_db()
    assert late.stage == Stage.SUSPENDED
    assert (late.paused_on, late.due_on) == (date(2023, 10, 9), date(2023, 10, 8))
    assert late.overdue_on(LATER)
    assert not late.due_soon_on(date(2023, 10, 8), date(2023, 10, 9))  # a paused clock is not "due soon"
    cases = Case.objects.in_zone(centre.zone)
    assert list(cases.overdue_on(LATER)) == [late]
    assert queue_counts(cases, day=LATER, due_soon_until=LATER).overdue == 1

    card = centre_scorecard(zone=centre.zone, period=Period.month(2023, 10), as_of=LATER)
    assert card.count("open_overdue") == 1
    assert [(line.department, line.open_overdue) for line in card.departments] == [("市场监督管理局", 1)]
    # One working day late when the clock stopped (9 October), however long the pause lasts.
    assert [(row.number, row.over_days, row.open) for row in card.overdue_cases] == [(late.number, 1, True)]


def test_paused_in_time_is_not_overdue_and_resuming_moves_the_due_date(centre: Centre) -> None:
    reviewer = a_reviewer(centre.market)
    case = a_case(centre)
    # Asked on Thursday 28 September, day 1: in time; the clock stands still until the materials come.
    case_request_supplement(case=case, missing=["场所平面图"], actor=reviewer, on=date(2023, 9, 28))
    case.refresh_from_db()
    assert case.due_on == date(2023, 10, 8) and not case.overdue_on(LATER)
    cases = Case.objects.in_zone(centre.zone)
    assert not cases.overdue_on(LATER).exists()
    assert centre_scorecard(zone=centre.zone, period=Period.month(2023, 10), as_of=LATER).count("open_overdue") == 0
    # Back on Monday 9 October: 7, 8, 9 October not counted, due 11 October; paused_on cleared.
    resumed = case_supplement_received(case=case, actor=reviewer, on=date(2023, 10, 9))
    assert (resumed.due_on, resumed.paused_on) == (date(2023, 10, 11), None)
    assert resumed.overdue_on(LATER) and cases.overdue_on(LATER).count() == 1


def test_the_manager_list_and_the_api_show_the_paused_late_case_as_overdue(centre: Centre) -> None:
    late = a_case(centre)
    case_request_supplement(case=late, missing=["场所平面图"], actor=a_reviewer(centre.market), on=date(2023, 10, 9))
    manager = factories.signed_in(a_manager())
    page = manager.get("/service/cases/?stage=overdue").content.decode()
    assert late.number in page and "暂停计时" in page
    assert manager.get(f"/api/v1/service/cases/{late.pk}").json()["overdue"] is True
