"""A case from the window to the department and back, and everything the rules refuse."""

from datetime import date

import pytest

from tests.service.factory import Centre, a_clerk, a_manager, a_person, a_reviewer, an_enterprise
from yuanqu.core.models import AuditEntry
from yuanqu.service.models import Case, CasePause, CaseStep, Evaluation, Stage, StepAction
from yuanqu.service.services import (
    ServiceRefused,
    case_accept,
    case_decide,
    case_issue,
    case_refuse,
    case_register,
    case_request_supplement,
    case_supplement_received,
    evaluation_follow_up,
    evaluation_record,
)

ACCEPTED = date(2023, 9, 27)


def accepted_case(centre: Centre, clerk: object, **overrides: object) -> Case:
    values: dict[str, object] = {
        "window": centre.any_window,
        "item": centre.food,
        "applicant": an_enterprise(),
        "materials_received": ["申请表", "营业执照"],
        "outcome": "accept",
        "actor": clerk,
        "on": ACCEPTED,
    }
    values.update(overrides)
    return case_register(**values)  # type: ignore[arg-type]


def test_a_comprehensive_window_accepts_another_departments_item_and_the_department_decides(centre: Centre) -> None:
    clerk, reviewer = a_clerk(centre), a_reviewer(centre.market)
    case = accepted_case(centre, clerk)
    assert case.stage == Stage.REVIEWING and case.at_any_window and case.department == centre.market
    # 3 working days promised from Wednesday 27 September 2023: 28 Sep, 7 Oct (worked Saturday), 8 Oct.
    assert case.due_on == date(2023, 10, 8)
    # 20 legal working days: 28 Sep, 7–13 Oct (7 days: 7, 8, 9, 10, 11, 12, 13), 16–20, 23–27, 30, 31 Oct.
    assert case.legal_due_on == date(2023, 10, 31)
    assert case.number.startswith("FW20230927")
    case_decide(case=case, decision="approve", actor=reviewer, on=date(2023, 10, 7))
    issued = case_issue(case=case, actor=clerk, on=date(2023, 10, 8))
    assert issued.stage == Stage.ISSUED and issued.elapsed_days == 3 and not issued.overdue_on(date(2023, 10, 9))
    actions = list(CaseStep.objects.filter(case=case).values_list("action", flat=True))
    assert actions == [StepAction.REGISTER, StepAction.ACCEPT, StepAction.DECIDE, StepAction.ISSUE]
    assert AuditEntry.objects.filter(action__startswith="service.case").count() == 3
    step = CaseStep.objects.get(case=case, action=StepAction.ISSUE)
    assert step.actor == clerk and step.window == centre.any_window


def test_a_supplement_pause_of_three_working_days_moves_the_due_date_by_three(centre: Centre) -> None:
    clerk, reviewer = a_clerk(centre), a_reviewer(centre.market)
    case = accepted_case(centre, clerk)
    # Day 1 is Thursday 28 September; asked for materials that day, they came on Monday 9 October:
    # 7, 8 and 9 October (the worked weekend and the Monday) are not counted.
    case_request_supplement(case=case, missing=["场所平面图"], actor=reviewer, on=date(2023, 9, 28))
    case.refresh_from_db()
    assert case.stage == Stage.SUSPENDED and case.paused_on == date(2023, 9, 28)
    assert case.due_on == date(2023, 10, 8)  # kept as it stood when the clock stopped
    resumed = case_supplement_received(case=case, actor=clerk, on=date(2023, 10, 9))
    # Due 8 October without the pause; three working days later with it.
    assert resumed.due_on == date(2023, 10, 11) and resumed.paused_days == 3
    assert resumed.legal_due_on == date(2023, 11, 3)  # 31 October + 3 working days
    assert CasePause.objects.get(case=case).working_days == 3


def test_a_pause_cannot_end_before_it_starts(centre: Centre) -> None:
    clerk, reviewer = a_clerk(centre), a_reviewer(centre.market)
    case = accepted_case(centre, clerk)
    case_request_supplement(case=case, missing=["场所平面图"], actor=reviewer, on=date(2023, 10, 9))
    with pytest.raises(ServiceRefused, match="不能早于告知补正日期"):
        case_supplement_received(case=case, actor=clerk, on=date(2023, 10, 8))
    assert CasePause.objects.get(case=case).ended_on is None
    assert Case.objects.get(pk=case.pk).stage == Stage.SUSPENDED


def test_only_the_department_that_owns_the_item_decides(centre: Centre) -> None:
    clerk = a_clerk(centre)
    police_reviewer = a_reviewer(centre.police, username="persona-police")
    case = accepted_case(centre, clerk)
    with pytest.raises(ServiceRefused, match="由市场监督管理局审批"):
        case_decide(case=case, decision="approve", actor=police_reviewer, on=date(2023, 9, 28))
    assert Case.objects.get(pk=case.pk).stage == Stage.REVIEWING


def test_a_case_cannot_skip_a_step_or_go_back_after_issue(centre: Centre) -> None:
    clerk, reviewer = a_clerk(centre), a_reviewer(centre.market)
    case = accepted_case(centre, clerk)
    with pytest.raises(ServiceRefused, match="只适用于“待出件”"):
        case_issue(case=case, actor=clerk, on=date(2023, 9, 28))
    case_decide(case=case, decision="approve", actor=reviewer, on=date(2023, 9, 28))
    case_issue(case=case, actor=clerk, on=date(2023, 9, 28))
    with pytest.raises(ServiceRefused, match="不能重复出件"):
        case_issue(case=case, actor=clerk, on=date(2023, 9, 28))
    with pytest.raises(ServiceRefused, match="当前为“已办结”"):
        case_request_supplement(case=case, missing=["x"], actor=reviewer, on=date(2023, 9, 28))
    with pytest.raises(ServiceRefused, match="当前为“已办结”"):
        case_decide(case=case, decision="deny", reason="x", actor=reviewer, on=date(2023, 9, 28))


def test_a_dedicated_window_accepts_only_its_departments_items(centre: Centre) -> None:
    clerk = a_clerk(centre, centre.police_window)
    with pytest.raises(ServiceRefused, match="只受理公安分局的事项") as refused:
        accepted_case(centre, clerk, window=centre.police_window)
    assert refused.value.field == "item"
    assert not Case.objects.exists()
    seal = accepted_case(centre, clerk, window=centre.police_window, item=centre.seal, materials_received=["营业执照"])
    assert seal.due_on == ACCEPTED and seal.immediate and not seal.at_any_window  # 即办件: due the same day


def test_an_item_exempt_from_the_centre_is_not_registered(centre: Centre) -> None:
    with pytest.raises(ServiceRefused, match="经批准不进驻，请到公安分局办理"):
        accepted_case(centre, a_clerk(centre), item=centre.blasting, materials_received=["申请表"])


def test_a_clerk_registers_only_at_their_own_windows(centre: Centre) -> None:
    clerk = a_clerk(centre, centre.police_window)
    with pytest.raises(ServiceRefused, match="窗口人员"):
        accepted_case(centre, clerk)


def test_missing_materials_mean_a_one_time_notice_and_acceptance_when_they_come(centre: Centre) -> None:
    clerk = a_clerk(centre)
    with pytest.raises(ServiceRefused, match="缺少营业执照"):
        accepted_case(centre, clerk, materials_received=["申请表"])
    case = accepted_case(centre, clerk, materials_received=["申请表"], outcome="notify", on=date(2023, 9, 25))
    assert case.stage == Stage.NOTIFIED and case.materials_missing == ["营业执照"] and case.due_on is None
    accepted = case_accept(case=case, materials_received=["营业执照"], actor=clerk, on=ACCEPTED)
    assert accepted.accepted_on == ACCEPTED and accepted.due_on == date(2023, 10, 8) and accepted.supplements == 1


def test_refusal_needs_a_reason(centre: Centre) -> None:
    clerk = a_clerk(centre)
    with pytest.raises(ServiceRefused, match="不予受理理由") as refused:
        accepted_case(centre, clerk, outcome="refuse")
    assert refused.value.field == "reason"
    case = accepted_case(centre, clerk, materials_received=["申请表"], outcome="notify")
    refused_case = case_refuse(case=case, reason="不属于本机关职权范围", actor=clerk, on=ACCEPTED)
    assert refused_case.stage == Stage.REFUSED


def test_a_duplicate_case_number_is_refused_and_nothing_is_written(centre: Centre) -> None:
    clerk = a_clerk(centre)
    accepted_case(centre, clerk, number="SQ-2023-0001")
    audit_rows = AuditEntry.objects.count()
    with pytest.raises(ServiceRefused, match="“SQ-2023-0001”已存在") as refused:
        accepted_case(centre, clerk, number="SQ-2023-0001")
    assert refused.value.field == "number"
    assert Case.objects.count() == 1 and AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize(
    ("applicant", "field", "message"),
    [
        ({"code": "91321091MA1T000010"}, "applicant_code", "统一社会信用代码：校验位应为"),
        ({"contact_phone": "12345"}, "contact_phone", "联系电话"),
        ({"name": " "}, "applicant_name", "申请人：不能为空"),
    ],
)
def test_bad_applicant_data_names_the_field(
    centre: Centre, applicant: dict[str, str], field: str, message: str
) -> None:
    from dataclasses import replace

    with pytest.raises(ServiceRefused, match=message) as refused:
        accepted_case(centre, a_clerk(centre), applicant=replace(an_enterprise(), **applicant))
    assert refused.value.field == field
    assert not Case.objects.exists()


def test_a_persons_id_number_is_checked(centre: Centre) -> None:
    from dataclasses import replace

    with pytest.raises(ServiceRefused, match="居民身份证号码：校验位"):
        accepted_case(
            centre, a_clerk(centre), item=centre.company, applicant=replace(a_person(), code="321002199001011230")
        )
    case = accepted_case(
        centre, a_clerk(centre, username="persona-window-2"), item=centre.company, applicant=a_person()
    )
    assert case.applicant_kind == "person"


def test_a_bad_rating_needs_a_comment_and_gets_its_follow_up_deadline(centre: Centre) -> None:
    clerk, reviewer = a_clerk(centre), a_reviewer(centre.market)
    case = accepted_case(centre, clerk)
    with pytest.raises(ServiceRefused, match="出件后才能评价"):
        evaluation_record(case=case, rating="5", actor=clerk, on=ACCEPTED)
    case_decide(case=case, decision="approve", actor=reviewer, on=date(2023, 9, 28))
    case_issue(case=case, actor=clerk, on=date(2023, 9, 28))
    with pytest.raises(ServiceRefused, match="差评请写明"):
        evaluation_record(case=case, rating="2", actor=clerk, on=date(2023, 9, 28))
    evaluation = evaluation_record(case=case, rating="2", comment="等候时间长", actor=clerk, on=date(2023, 9, 28))
    # 15 working days from Thursday 28 September: 7–13 Oct (7), 16–20 (5), 23, 24, 25 Oct.
    assert evaluation.is_bad and evaluation.follow_up_due_on == date(2023, 10, 25)
    with pytest.raises(ServiceRefused, match="不能重复评价"):
        evaluation_record(case=case, rating="5", actor=clerk, on=date(2023, 9, 28))
    followed = evaluation_follow_up(
        evaluation=evaluation, note="已回访并增设叫号提醒", actor=a_manager(), on=date(2023, 10, 9)
    )
    assert followed.followed_up_on == date(2023, 10, 9)
    with pytest.raises(ServiceRefused, match="已于2023-10-09登记整改"):
        evaluation_follow_up(evaluation=evaluation, note="再次", on=date(2023, 10, 10))
    assert Evaluation.objects.count() == 1
