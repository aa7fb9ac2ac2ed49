"""State changes of the service centre: cases step by step, ratings, the catalogue, windows, calendar.

Each public function is atomic, keyword-only, and writes its audit row. A refusal raises
``ServiceRefused`` with a message for the user, in Chinese, naming the field, and writes nothing.
Steps are dated by the server (today), never typed; ``on`` exists for the demo and the tests.
"""

import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu import uscc
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.indicators.importing import ImportIssue, ImportRejected
from yuanqu.indicators.tabular import UnreadableFile, read_table
from yuanqu.service import identity
from yuanqu.service.access import Viewer
from yuanqu.service.catalogue import ParsedCatalogue, catalogue_workbook, parse_catalogue
from yuanqu.service.models import (
    BAD_RATINGS,
    CalendarYear,
    Case,
    CasePause,
    CaseStep,
    CentreRules,
    Decision,
    Evaluation,
    Item,
    ItemKind,
    Presence,
    Rating,
    ServiceZone,
    Stage,
    StepAction,
    Window,
    WorkingDayOverride,
)
from yuanqu.service.selectors import CentreScorecard, centre_rules, zone_calendar
from yuanqu.service.spreadsheets import cases_workbook, scorecard_workbook
from yuanqu.service.workdays import CalendarError, WorkingCalendar

Actor = User | AnonymousUser | None
CASE_NUMBER = re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-]{3,39}$")
RATING_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RATING_CODE_LENGTH = 10


class ServiceRefused(ValueError):
    """A change the rules do not allow; the message is for the user, in Chinese."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _today() -> date:
    return timezone.localdate()


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label)


@dataclass(frozen=True)
class ApplicantIn:
    """An applicant as typed at the window; checked by ``applicant_check``."""

    kind: str
    name: str
    code: str
    contact_phone: str
    contact_name: str = ""


def applicant_check(applicant: ApplicantIn) -> ApplicantIn:
    """The applicant with its numbers normalised, or ServiceRefused naming the field."""
    name = applicant.name.strip()
    if applicant.kind not in ("enterprise", "person"):
        raise ServiceRefused(_("申请人类型应为企业或个人"), "applicant_kind")
    if not name:
        raise ServiceRefused(_("申请人：不能为空"), "applicant_name")
    if len(name) > 200:
        raise ServiceRefused(_("申请人：不超过200个字符"), "applicant_name")
    if applicant.kind == "enterprise":
        try:
            code = uscc.validate(applicant.code)
        except uscc.UsccError as exc:
            raise ServiceRefused(_("统一社会信用代码：%(reason)s") % {"reason": exc}, "applicant_code") from exc
    else:
        try:
            code = identity.validate_id_number(applicant.code)
        except identity.IdentityError as exc:
            raise ServiceRefused(_("居民身份证号码：%(reason)s") % {"reason": exc}, "applicant_code") from exc
    try:
        phone = identity.validate_phone(applicant.contact_phone)
    except identity.IdentityError as exc:
        raise ServiceRefused(_("联系电话：%(reason)s") % {"reason": exc}, "contact_phone") from exc
    contact = applicant.contact_name.strip()
    if len(contact) > 50:
        raise ServiceRefused(_("联系人：不超过50个字符"), "contact_name")
    return ApplicantIn(kind=applicant.kind, name=name, code=code, contact_phone=phone, contact_name=contact)


def _step(
    case: Case,
    action: str,
    on: date,
    actor: Actor,
    *,
    from_stage: str = "",
    window: Window | None = None,
    department: Department | None = None,
    note: str = "",
) -> CaseStep:
    return CaseStep.objects.create(
        case=case,
        action=action,
        from_stage=from_stage,
        to_stage=case.stage if case.stage != from_stage else "",
        on=on,
        actor=_user(actor),
        window=window,
        department=department,
        note=note[:300],
    )


def _check_clerk(window: Window, actor: Actor) -> None:
    user = _user(actor)
    if user is not None and not window.staff.filter(pk=user.pk).exists():
        raise ServiceRefused(_("您不是%(window)s的窗口人员") % {"window": window}, "window")


def _check_reviewer(case: Case, actor: Actor) -> None:
    """Only the department that owns the case's item reviews and decides it."""
    user = _user(actor)
    if user is not None and not case.department.members.filter(pk=user.pk).exists():
        raise ServiceRefused(
            _("办件%(number)s由%(department)s审批，您不是该部门的审批人员")
            % {"number": case.number, "department": case.department.name}
        )


def _check_day(case: Case, on: date, after: date | None, label: str) -> None:
    if on > _today():
        raise ServiceRefused(_("日期不能晚于今天"), "on")
    if after is not None and on < after:
        raise ServiceRefused(
            _("日期（%(on)s）不能早于%(label)s（%(after)s）") % {"on": on, "label": label, "after": after}, "on"
        )


def _set_due(case: Case, calendar: WorkingCalendar) -> None:
    """Due dates from acceptance, the limits and the closed pauses; provisional if a year is unknown."""
    assert case.accepted_on is not None
    pauses = [(pause.started_on, pause.ended_on) for pause in case.pauses.all() if pause.ended_on is not None]
    try:
        case.due_on = calendar.add_working_days(case.accepted_on, case.promised_limit_days, pauses)
        case.legal_due_on = calendar.add_working_days(case.accepted_on, case.legal_limit_days, pauses)
    except CalendarError as exc:
        raise ServiceRefused(str(exc)) from exc
    case.due_provisional = bool(calendar.unknown_years(case.accepted_on, case.legal_due_on))


def _next_number(zone: Place, on: date) -> str:
    prefix = f"FW{on:%Y%m%d}"
    last = (
        Case.objects.filter(zone=zone, number__startswith=prefix, number__regex=rf"^{prefix}\d{{4}}$")
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _materials(item: Item, received: Iterable[str]) -> tuple[list[str], list[str]]:
    """Received and missing materials, in the item's order; an unknown name is refused."""
    given = [name.strip() for name in received if name.strip()]
    unknown = [name for name in given if name not in item.materials]
    if unknown:
        raise ServiceRefused(
            _("材料“%(name)s”不在事项“%(item)s”的材料清单中") % {"name": unknown[0], "item": item.name}, "materials"
        )
    have = [name for name in item.materials if name in given]
    missing = [name for name in item.materials if name not in given]
    return have, missing


# -- cases --------------------------------------------------------------------------------------


class Outcome:
    ACCEPT = "accept"
    NOTIFY = "notify"
    REFUSE = "refuse"
    ALL = (ACCEPT, NOTIFY, REFUSE)


@transaction.atomic
def case_register(
    *,
    window: Window,
    item: Item,
    applicant: ApplicantIn,
    materials_received: Sequence[str],
    outcome: str,
    reason: str = "",
    number: str = "",
    actor: Actor = None,
    on: date | None = None,
    ip_address: str | None = None,
) -> Case:
    """Register an application at a window: 受理, 一次性告知补正 (the missing materials), or 不予受理.

    A 综合窗口 accepts any item in the centre; a 专窗 only its department's items.
    """
    day = on or _today()
    if outcome not in Outcome.ALL:
        raise ServiceRefused(_("办理结果应为受理、一次性告知补正或不予受理"), "outcome")
    _check_clerk(window, actor)
    zone = window.service_zone.zone
    if item.zone_id != zone.pk or not item.is_active:
        raise ServiceRefused(_("事项“%(item)s”不在本中心的事项清单中") % {"item": item.name}, "item")
    if not item.in_centre:
        raise ServiceRefused(
            _("事项“%(item)s”%(presence)s，请到%(department)s办理")
            % {"item": item.name, "presence": item.get_presence_display(), "department": item.department.name},
            "item",
        )
    if not window.is_comprehensive and window.department_id != item.department_id:
        raise ServiceRefused(
            _("%(window)s只受理%(department)s的事项；“%(item)s”请到综合窗口或%(owner)s专窗办理")
            % {
                "window": window,
                "department": window.department.name if window.department else "",
                "item": item.name,
                "owner": item.department.name,
            },
            "item",
        )
    if day > _today():
        raise ServiceRefused(_("日期不能晚于今天"), "on")
    checked = applicant_check(applicant)
    have, missing = _materials(item, materials_received)
    if outcome == Outcome.ACCEPT and missing:
        raise ServiceRefused(
            _("材料不全，不能受理：缺少%(missing)s。请一次性告知申请人补正。") % {"missing": "、".join(missing)},
            "materials",
        )
    if outcome == Outcome.NOTIFY and not missing:
        raise ServiceRefused(_("材料齐全，无须补正，请直接受理"), "materials")
    if outcome == Outcome.REFUSE and not reason.strip():
        raise ServiceRefused(_("不予受理理由：不能为空"), "reason")
    typed = number.strip()
    if typed:
        if not CASE_NUMBER.match(typed):
            raise ServiceRefused(_("办件编号：应为4至40位字母、数字或短横线"), "number")
        if Case.objects.filter(zone=zone, number=typed).exists():
            raise ServiceRefused(_("办件编号：“%(number)s”已存在，不能重复登记") % {"number": typed}, "number")
    stage = {Outcome.ACCEPT: Stage.REVIEWING, Outcome.NOTIFY: Stage.NOTIFIED, Outcome.REFUSE: Stage.REFUSED}[outcome]
    case = Case(
        zone=zone,
        number=typed,
        item=item,
        department=item.department,
        service_zone=window.service_zone,
        window=window,
        at_any_window=window.is_comprehensive,
        immediate=item.kind == "immediate",
        legal_limit_days=item.legal_limit_days,
        promised_limit_days=item.promised_limit_days,
        applicant_kind=checked.kind,
        applicant_name=checked.name,
        applicant_code=checked.code,
        contact_name=checked.contact_name,
        contact_phone=checked.contact_phone,
        materials_received=have,
        materials_missing=missing if outcome == Outcome.NOTIFY else [],
        stage=stage,
        reason=reason.strip()[:300] if outcome == Outcome.REFUSE else "",
        supplements=1 if outcome == Outcome.NOTIFY else 0,
        registered_by=_user(actor),
    )
    if day != _today():  # a past day (the demo, the tests): registered that morning
        case.registered_at = timezone.make_aware(datetime.combine(day, time(9)))
    if outcome == Outcome.ACCEPT:
        case.accepted_on = day
    for attempt in range(3):
        if not typed:
            case.number = _next_number(zone, day)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError as exc:
            if typed or attempt == 2:
                raise ServiceRefused(
                    _("办件编号：“%(number)s”已存在，不能重复登记") % {"number": case.number}, "number"
                ) from exc
    if outcome == Outcome.ACCEPT:
        _set_due(case, zone_calendar(zone))
        case.save(update_fields=["due_on", "legal_due_on", "due_provisional"])
    _step(case, StepAction.REGISTER, day, actor, window=window)
    action = {Outcome.ACCEPT: StepAction.ACCEPT, Outcome.NOTIFY: StepAction.NOTIFY, Outcome.REFUSE: StepAction.REFUSE}
    note = {Outcome.ACCEPT: "", Outcome.NOTIFY: "须补正：" + "、".join(missing), Outcome.REFUSE: case.reason}
    _step(case, action[outcome], day, actor, window=window, note=note[outcome])
    audit_record(
        action=f"service.case_{outcome}",
        summary=f"{window}登记办件 {case.number}（{item.name}）：{_stage_label(stage)}",
        actor=actor,
        detail={"case": case.pk, "item": item.code, "window": window.pk, "outcome": outcome},
        ip_address=ip_address,
    )
    return case


def _locked(case: Case) -> Case:
    return (
        Case.objects.select_for_update()
        .select_related("zone", "item", "department", "window__service_zone", "service_zone")
        .get(pk=case.pk)
    )


def _expect(case: Case, *stages: str) -> None:
    if case.stage not in stages:
        wanted = "、".join(_stage_label(stage) for stage in stages)
        raise ServiceRefused(
            _("办件%(number)s当前为“%(stage)s”，此操作只适用于“%(wanted)s”的办件")
            % {"number": case.number, "stage": _stage_label(case.stage), "wanted": wanted}
        )


@transaction.atomic
def case_accept(
    *,
    case: Case,
    materials_received: Sequence[str],
    actor: Actor = None,
    on: date | None = None,
    ip_address: str | None = None,
) -> Case:
    """The applicant came back with the missing materials: the window accepts, the clock starts."""
    case = _locked(case)
    day = on or _today()
    _expect(case, Stage.NOTIFIED)
    _check_clerk(case.window, actor)
    _check_day(case, day, timezone.localdate(case.registered_at), _("登记日期"))
    have, missing = _materials(case.item, [*case.materials_received, *materials_received])
    if missing:
        raise ServiceRefused(_("材料仍不全，不能受理：缺少%(missing)s") % {"missing": "、".join(missing)}, "materials")
    previous = case.stage
    case.stage = Stage.REVIEWING
    case.accepted_on = day
    case.materials_received, case.materials_missing = have, []
    _set_due(case, zone_calendar(case.zone))
    case.save(
        update_fields=[
            "stage",
            "accepted_on",
            "materials_received",
            "materials_missing",
            "due_on",
            "legal_due_on",
            "due_provisional",
        ]
    )
    _step(case, StepAction.ACCEPT, day, actor, from_stage=previous, window=case.window, note=_("补正后受理"))
    audit_record(
        action="service.case_accept",
        summary=f"受理办件 {case.number}（补正后）",
        actor=actor,
        detail={"case": case.pk},
        ip_address=ip_address,
    )
    return case


@transaction.atomic
def case_refuse(
    *, case: Case, reason: str, actor: Actor = None, on: date | None = None, ip_address: str | None = None
) -> Case:
    """不予受理 of an application waiting for its materials."""
    case = _locked(case)
    day = on or _today()
    _expect(case, Stage.NOTIFIED)
    _check_clerk(case.window, actor)
    if not reason.strip():
        raise ServiceRefused(_("不予受理理由：不能为空"), "reason")
    previous = case.stage
    case.stage = Stage.REFUSED
    case.reason = reason.strip()[:300]
    case.save(update_fields=["stage", "reason"])
    _step(case, StepAction.REFUSE, day, actor, from_stage=previous, window=case.window, note=case.reason)
    audit_record(
        action="service.case_refuse",
        summary=f"办件 {case.number} 不予受理：{case.reason}",
        actor=actor,
        detail={"case": case.pk},
        ip_address=ip_address,
    )
    return case


@transaction.atomic
def case_request_supplement(
    *,
    case: Case,
    missing: Sequence[str],
    actor: Actor = None,
    on: date | None = None,
    ip_address: str | None = None,
) -> CasePause:
    """The department asks for materials during review: the clock stops (补正 does not count)."""
    case = _locked(case)
    day = on or _today()
    _expect(case, Stage.REVIEWING)
    _check_reviewer(case, actor)
    _check_day(case, day, case.accepted_on, _("受理日期"))
    last_pause = case.pauses.exclude(ended_on=None).order_by("-ended_on").first()
    if last_pause is not None and last_pause.ended_on is not None and day < last_pause.ended_on:
        raise ServiceRefused(_("日期不能早于上次补正齐全的日期（%(day)s）") % {"day": last_pause.ended_on}, "on")
    names = [name.strip() for name in missing if name.strip()]
    if not names:
        raise ServiceRefused(_("须补正材料：请写明须补正的材料"), "missing")
    previous = case.stage
    pause = CasePause.objects.create(case=case, started_on=day, missing=names[:30])
    case.stage = Stage.SUSPENDED
    case.supplements += 1
    case.materials_missing = names[:30]
    # The due dates stay as they stood when the clock stopped: a case already late stays late.
    case.paused_on = day
    case.save(update_fields=["stage", "supplements", "materials_missing", "paused_on"])
    _step(case, StepAction.PAUSE, day, actor, from_stage=previous, department=case.department, note="、".join(names))
    audit_record(
        action="service.case_pause",
        summary=f"办件 {case.number} 告知补正，暂停计时：{'、'.join(names)}"[:500],
        actor=actor,
        detail={"case": case.pk, "pause": pause.pk},
        ip_address=ip_address,
    )
    return pause


@transaction.atomic
def case_supplement_received(
    *, case: Case, actor: Actor = None, on: date | None = None, ip_address: str | None = None
) -> Case:
    """The materials came in (at the window or to the department): the clock runs again."""
    case = _locked(case)
    day = on or _today()
    _expect(case, Stage.SUSPENDED)
    user = _user(actor)
    at_window = user is None or case.window.staff.filter(pk=user.pk).exists()
    if not at_window:
        _check_reviewer(case, actor)
    pause = case.pauses.filter(ended_on=None).order_by("-started_on").first()
    if pause is None:
        raise ServiceRefused(_("办件%(number)s没有未结束的补正") % {"number": case.number})
    if day < pause.started_on:
        raise ServiceRefused(
            _("补正齐全日期（%(end)s）不能早于告知补正日期（%(start)s）") % {"end": day, "start": pause.started_on},
            "on",
        )
    if day > _today():
        raise ServiceRefused(_("日期不能晚于今天"), "on")
    calendar = zone_calendar(case.zone)
    pause.ended_on = day
    pause.working_days = calendar.working_days_between(pause.started_on, day)
    pause.save(update_fields=["ended_on", "working_days"])
    previous = case.stage
    case.stage = Stage.REVIEWING
    case.paused_days += pause.working_days
    case.materials_missing = []
    case.paused_on = None
    _set_due(case, calendar)
    case.save(
        update_fields=[
            "stage",
            "paused_days",
            "materials_missing",
            "paused_on",
            "due_on",
            "legal_due_on",
            "due_provisional",
        ]
    )
    _step(
        case,
        StepAction.RESUME,
        day,
        actor,
        from_stage=previous,
        window=case.window if at_window else None,
        department=None if at_window else case.department,
        note=_("暂停%(days)d个工作日") % {"days": pause.working_days},
    )
    audit_record(
        action="service.case_resume",
        summary=f"办件 {case.number} 补正齐全，恢复计时（暂停{pause.working_days}个工作日）",
        actor=actor,
        detail={"case": case.pk, "pause": pause.pk},
        ip_address=ip_address,
    )
    return case


@transaction.atomic
def case_decide(
    *,
    case: Case,
    decision: str,
    reason: str = "",
    actor: Actor = None,
    on: date | None = None,
    ip_address: str | None = None,
) -> Case:
    """The department's decision (准予 / 不予); the case goes back to the window for issue."""
    case = _locked(case)
    day = on or _today()
    _expect(case, Stage.REVIEWING)
    _check_reviewer(case, actor)
    if decision not in Decision.values:
        raise ServiceRefused(_("审批决定应为准予或不予"), "decision")
    if decision == Decision.DENY and not reason.strip():
        raise ServiceRefused(_("不予许可理由：不能为空"), "reason")
    last_pause = case.pauses.exclude(ended_on=None).order_by("-ended_on").first()
    after = last_pause.ended_on if last_pause is not None else case.accepted_on
    _check_day(case, day, after, _("受理或补正齐全日期"))
    previous = case.stage
    case.stage = Stage.DECIDED
    case.decision = decision
    case.decided_on = day
    if decision == Decision.DENY:
        case.reason = reason.strip()[:300]
    case.save(update_fields=["stage", "decision", "decided_on", "reason"])
    _step(
        case,
        StepAction.DECIDE,
        day,
        actor,
        from_stage=previous,
        department=case.department,
        note=f"{Decision(decision).label}" + (f"：{case.reason}" if decision == Decision.DENY else ""),
    )
    audit_record(
        action="service.case_decide",
        summary=f"{case.department.name}决定办件 {case.number}：{Decision(decision).label}",
        actor=actor,
        detail={"case": case.pk, "decision": decision},
        ip_address=ip_address,
    )
    return case


def _rating_code() -> str:
    return "".join(secrets.choice(RATING_CODE_ALPHABET) for _ in range(RATING_CODE_LENGTH))


@transaction.atomic
def case_issue(*, case: Case, actor: Actor = None, on: date | None = None, ip_address: str | None = None) -> Case:
    """统一窗口出件 at the accepting window: the clock stops; the case gets its rating code."""
    case = _locked(case)
    day = on or _today()
    if case.stage == Stage.ISSUED:
        raise ServiceRefused(
            _("办件%(number)s已于%(day)s出件，不能重复出件") % {"number": case.number, "day": case.issued_on}
        )
    _expect(case, Stage.DECIDED)
    _check_clerk(case.window, actor)
    _check_day(case, day, case.decided_on, _("决定日期"))
    assert case.accepted_on is not None
    calendar = zone_calendar(case.zone)
    pauses = [(pause.started_on, pause.ended_on) for pause in case.pauses.all() if pause.ended_on is not None]
    previous = case.stage
    case.stage = Stage.ISSUED
    case.issued_on = day
    case.elapsed_days = calendar.elapsed(case.accepted_on, day, pauses)
    case.rating_code = _rating_code()
    case.save(update_fields=["stage", "issued_on", "elapsed_days", "rating_code"])
    _step(
        case,
        StepAction.ISSUE,
        day,
        actor,
        from_stage=previous,
        window=case.window,
        note=_("用时%(days)d个工作日") % {"days": case.elapsed_days},
    )
    audit_record(
        action="service.case_issue",
        summary=f"办件 {case.number} 出件（用时{case.elapsed_days}个工作日）",
        actor=actor,
        detail={"case": case.pk, "elapsed_days": case.elapsed_days},
        ip_address=ip_address,
    )
    return case


# -- ratings ------------------------------------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *,
    case: Case,
    rating: str,
    comment: str = "",
    channel: str = Evaluation.Channel.WINDOW,
    actor: Actor = None,
    on: date | None = None,
    ip_address: str | None = None,
) -> Evaluation:
    """The applicant's rating of an issued case (once); a 差评 gets its follow-up deadline."""
    case = _locked(case)
    day = on or _today()
    if case.stage != Stage.ISSUED:
        raise ServiceRefused(_("办件出件后才能评价"), "rating")
    if Evaluation.objects.filter(case=case).exists():
        raise ServiceRefused(_("办件%(number)s已评价，不能重复评价") % {"number": case.number}, "rating")
    if rating not in Rating.values:
        raise ServiceRefused(_("评价：请选择非常满意、满意、基本满意、不满意或非常不满意"), "rating")
    if channel not in Evaluation.Channel.values:
        raise ServiceRefused(_("评价渠道无效"), "channel")
    if channel == Evaluation.Channel.WINDOW:
        _check_clerk(case.window, actor)
    text = comment.strip()
    if len(text) > 500:
        raise ServiceRefused(_("意见：不超过500个字符"), "comment")
    is_bad = rating in BAD_RATINGS
    if is_bad and not text:
        raise ServiceRefused(_("意见：差评请写明不满意的原因，便于整改"), "comment")
    due = None
    if is_bad:
        due = zone_calendar(case.zone).add_working_days(day, centre_rules(case.zone).follow_up_days)
    evaluation = Evaluation.objects.create(
        case=case,
        zone=case.zone,
        rating=rating,
        comment=text,
        channel=channel,
        rated_on=day,
        entered_by=_user(actor),
        is_bad=is_bad,
        follow_up_due_on=due,
    )
    _step(
        case,
        StepAction.RATE,
        day,
        actor,
        from_stage=Stage.ISSUED,
        window=case.window if channel == Evaluation.Channel.WINDOW else None,
        note=str(Rating(rating).label),
    )
    audit_record(
        action="service.rating",
        summary=f"办件 {case.number} 评价：{Rating(rating).label}（{Evaluation.Channel(channel).label}）",
        actor=actor,
        actor_name="" if _user(actor) else "申请人（扫码评价）" if channel == Evaluation.Channel.CODE else "",
        detail={"case": case.pk, "rating": rating, "channel": channel},
        ip_address=ip_address,
    )
    return evaluation


@transaction.atomic
def evaluation_follow_up(
    *,
    evaluation: Evaluation,
    note: str,
    actor: Actor = None,
    on: date | None = None,
    ip_address: str | None = None,
) -> Evaluation:
    """The centre's follow-up (整改) of a 差评, recorded once."""
    evaluation = Evaluation.objects.select_for_update().select_related("case").get(pk=evaluation.pk)
    day = on or _today()
    if not evaluation.is_bad:
        raise ServiceRefused(_("只有差评需要整改"))
    if evaluation.followed_up_on is not None:
        raise ServiceRefused(_("该差评已于%(day)s登记整改") % {"day": evaluation.followed_up_on})
    if not note.strip():
        raise ServiceRefused(_("整改情况：不能为空"), "note")
    if day < evaluation.rated_on:
        raise ServiceRefused(_("整改日期不能早于评价日期（%(day)s）") % {"day": evaluation.rated_on}, "on")
    if day > _today():
        raise ServiceRefused(_("日期不能晚于今天"), "on")
    evaluation.followed_up_on = day
    evaluation.follow_up_note = note.strip()[:500]
    evaluation.followed_up_by = _user(actor)
    evaluation.save(update_fields=["followed_up_on", "follow_up_note", "followed_up_by"])
    _step(evaluation.case, StepAction.FOLLOW_UP, day, actor, note=evaluation.follow_up_note)
    audit_record(
        action="service.follow_up",
        summary=f"办件 {evaluation.case.number} 差评整改：{evaluation.follow_up_note}"[:500],
        actor=actor,
        detail={"case": evaluation.case_id, "evaluation": evaluation.pk},
        ip_address=ip_address,
    )
    return evaluation


# -- windows and the calendar -----------------------------------------------------------------


@transaction.atomic
def window_staff_set(
    *, window: Window, staff: Sequence[User], actor: Actor = None, ip_address: str | None = None
) -> Window:
    window.staff.set(staff)
    audit_record(
        action="service.window_staff",
        summary=f"{window}窗口人员：{'、'.join(user.get_full_name() or user.get_username() for user in staff) or '无'}",
        actor=actor,
        detail={"window": window.pk, "staff": [user.pk for user in staff]},
        ip_address=ip_address,
    )
    return window


WINDOW_NUMBER = re.compile(r"^[0-9A-Za-z\-]{1,20}$")


def _window_values(window: Window) -> dict[str, Any]:
    return {
        "service_zone": window.service_zone.name,
        "number": window.number,
        "kind": window.kind,
        "department": window.department.name if window.department else None,
    }


@transaction.atomic
def window_save(
    *,
    zone: Place,
    service_zone: ServiceZone | None,
    kind: str,
    department: Department | None,
    window: Window | None = None,
    number: str = "",
    actor: Actor = None,
    ip_address: str | None = None,
) -> tuple[Window, dict[str, list[Any]]]:
    """Add a window to a service zone, or change a window's kind, department and service zone.

    A 专窗 needs its department (of the zone); a 综合窗口 has none. A window's number is unique in
    its service zone. Returns the window and the changes {field: [old, new]}; nothing is written
    (and nothing audited) on a refusal or when nothing changed. Cases keep the zone, window kind
    and department they were registered with.
    """
    if service_zone is None:
        raise ServiceRefused(_("服务专区：请选择服务专区"), "service_zone")
    if service_zone.zone_id != zone.pk:
        raise ServiceRefused(_("服务专区：不是本中心的服务专区"), "service_zone")
    if kind not in Window.Kind.values:
        raise ServiceRefused(_("窗口类型：应为综合窗口或专窗"), "kind")
    if kind == Window.Kind.DEDICATED:
        if department is None:
            raise ServiceRefused(_("部门：专窗须指定所属部门"), "department")
        if department.zone_id != zone.pk:
            raise ServiceRefused(_("部门：不是本园区的部门"), "department")
    else:
        department = None
    if window is None:
        number = number.strip()
        if not number:
            raise ServiceRefused(_("窗口号：不能为空"), "number")
        if not WINDOW_NUMBER.match(number):
            raise ServiceRefused(_("窗口号：应为1至20位字母、数字或短横线"), "number")
    else:
        window = (
            Window.objects.select_for_update(of=("self",))
            .select_related("service_zone", "department")
            .get(pk=window.pk)
        )
        if window.service_zone.zone_id != zone.pk:
            raise ServiceRefused(_("窗口不属于本中心"), "window")
        number = window.number
    clash = Window.objects.filter(service_zone=service_zone, number=number)
    if window is not None:
        clash = clash.exclude(pk=window.pk)
    if clash.exists():
        raise ServiceRefused(
            _("窗口号：%(zone)s已有%(number)s号窗口") % {"zone": service_zone.name, "number": number}, "number"
        )
    created = window is None
    before = {} if window is None else _window_values(window)
    if window is None:
        last = Window.objects.filter(service_zone=service_zone).order_by("-sort_order").first()
        window = Window(service_zone=service_zone, number=number, sort_order=(last.sort_order + 1) if last else 1)
    window.service_zone, window.kind, window.department = service_zone, kind, department
    after = _window_values(window)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    if not created and not changes:
        return window, {}
    window.save()
    kinds = dict(Window.Kind.choices)

    def shown(key: str, value: Any) -> str:
        return str(kinds.get(value, value)) if key == "kind" else str(value or "无")

    labels = {"service_zone": "服务专区", "kind": "窗口类型", "department": "部门"}
    described = "；".join(
        f"{labels[key]}：{shown(key, old)} → {shown(key, new)}" for key, (old, new) in changes.items() if key in labels
    )
    audit_record(
        action="service.window_create" if created else "service.window_update",
        summary=(f"新增窗口：{window}" if created else f"修改窗口 {window}：{described}")[:500],
        actor=actor,
        detail={"window": window.pk, "zone": zone.code, "changes": changes},
        ip_address=ip_address,
    )
    return window, changes


def _redate_open_cases(zone: Place, first: date, last: date) -> int:
    """Recompute the due dates of the zone's open cases whose span can include a day in [first, last].

    Called after the calendar changed on those days. A case's span is (accepted_on, legal_due_on]:
    a day off added inside it moves the dates later, a working day added inside it moves them
    earlier, a day outside it changes neither. Returns how many cases got new dates.
    """
    calendar = zone_calendar(zone)
    moved: list[Case] = []
    cases = (
        Case.objects.in_zone(zone)
        .open()
        .filter(accepted_on__lt=last, legal_due_on__gte=first)
        .order_by()
        .prefetch_related("pauses")
    )
    for case in cases:
        before = (case.due_on, case.legal_due_on, case.due_provisional)
        _set_due(case, calendar)
        if (case.due_on, case.legal_due_on, case.due_provisional) != before:
            moved.append(case)
    Case.objects.bulk_update(moved, ["due_on", "legal_due_on", "due_provisional"], batch_size=500)
    return len(moved)


@dataclass(frozen=True)
class CalendarChange:
    """What a change of the calendar did: the row written (if any) and the open cases re-dated."""

    override: WorkingDayOverride | CalendarYear | None
    cases_moved: int


@transaction.atomic
def override_set(
    *,
    zone: Place,
    day: date,
    is_working_day: bool,
    note: str,
    actor: Actor = None,
    ip_address: str | None = None,
) -> CalendarChange:
    """Make a day a working day or a day off on the zone's calendar; open cases are re-dated."""
    if not note.strip():
        raise ServiceRefused(_("说明：请写明调整依据，如“2027年元旦放假”"), "note")
    override, created = WorkingDayOverride.objects.update_or_create(
        zone=zone,
        day=day,
        defaults={"is_working_day": is_working_day, "note": note.strip()[:200], "created_by": _user(actor)},
    )
    moved = _redate_open_cases(zone, day, day)
    audit_record(
        action="service.calendar_override",
        summary=f"工作日历{'新增' if created else '修改'}：{day} {'上班' if is_working_day else '休息'}"
        f"（{override.note}），{moved}件在办办件的办结期限重新计算",
        actor=actor,
        detail={"zone": zone.code, "day": day.isoformat(), "working": is_working_day, "cases_moved": moved},
        ip_address=ip_address,
    )
    return CalendarChange(override, moved)


@transaction.atomic
def override_remove(
    *, override: WorkingDayOverride, actor: Actor = None, ip_address: str | None = None
) -> CalendarChange:
    """Remove a correction of the calendar; open cases are re-dated."""
    zone, day, note = override.zone, override.day, override.note
    override.delete()
    moved = _redate_open_cases(zone, day, day)
    audit_record(
        action="service.calendar_override_remove",
        summary=f"工作日历删除调整：{day}（{note}），{moved}件在办办件的办结期限重新计算",
        actor=actor,
        detail={"zone": zone.code, "day": day.isoformat(), "cases_moved": moved},
        ip_address=ip_address,
    )
    return CalendarChange(None, moved)


@transaction.atomic
def calendar_year_enter(
    *, zone: Place, year: int, note: str, actor: Actor = None, ip_address: str | None = None
) -> CalendarChange:
    """Mark a year's holiday arrangement as entered in full: open cases across it are re-dated
    (its fixed-date provisional holidays give way to the overrides) and stop being provisional."""
    if not note.strip():
        raise ServiceRefused(_("依据：请写明国务院办公厅通知的文号"), "note")
    entered, _created = CalendarYear.objects.update_or_create(
        zone=zone, year=year, defaults={"note": note.strip()[:200], "entered_by": _user(actor)}
    )
    moved = _redate_open_cases(zone, date(year, 1, 1), date(year, 12, 31))
    audit_record(
        action="service.calendar_year",
        summary=f"工作日历：{year}年节假日安排已录入（{entered.note}），{moved}件在办办件的办结期限重新计算",
        actor=actor,
        detail={"zone": zone.code, "year": year, "cases_moved": moved},
        ip_address=ip_address,
    )
    return CalendarChange(entered, moved)


@transaction.atomic
def rules_set(
    *, zone: Place, follow_up_days: int, due_soon_days: int, actor: Actor = None, ip_address: str | None = None
) -> CentreRules:
    if not 1 <= follow_up_days <= 60:
        raise ServiceRefused(_("差评整改时限：应为1至60个工作日"), "follow_up_days")
    if not 0 <= due_soon_days <= 10:
        raise ServiceRefused(_("即将超期提醒：应为0至10个工作日"), "due_soon_days")
    rules, _created = CentreRules.objects.update_or_create(
        zone=zone, defaults={"follow_up_days": follow_up_days, "due_soon_days": due_soon_days}
    )
    audit_record(
        action="service.rules",
        summary=f"政务服务规则：差评整改{follow_up_days}个工作日，即将超期提醒{due_soon_days}个工作日",
        actor=actor,
        detail={"zone": zone.code, "follow_up_days": follow_up_days, "due_soon_days": due_soon_days},
        ip_address=ip_address,
    )
    return rules


def presence_of(value: str) -> Presence:
    return Presence(value)


def item_fields_check(values: dict[str, Any]) -> None:
    """Cross-field rules of an item, naming the field."""
    legal, promised = values.get("legal_limit_days"), values.get("promised_limit_days")
    if legal is not None and promised is not None and promised > legal:
        raise ServiceRefused(
            _("承诺办结时限：不能超过法定办结时限（%(legal)d个工作日）") % {"legal": legal}, "promised_limit_days"
        )
    # The import's rule (``catalogue.parse_catalogue``): a 即办件 is done on the spot.
    if values.get("kind") == ItemKind.IMMEDIATE and promised not in (None, 0):
        raise ServiceRefused(_("承诺办结时限：即办件的承诺时限应为0（当场办结）"), "promised_limit_days")
    if values.get("presence") == Presence.EXEMPT:
        if not str(values.get("exemption_document") or "").strip():
            raise ServiceRefused(_("不进驻批准文件：经批准不进驻的事项须填写批准文件"), "exemption_document")
        if values.get("exemption_approved_on") is None:
            raise ServiceRefused(_("不进驻批准日期：经批准不进驻的事项须填写批准日期"), "exemption_approved_on")
    if values.get("presence") in (Presence.WINDOW, Presence.ANY_WINDOW) and values.get("service_zone") is None:
        raise ServiceRefused(_("受理专区：进驻中心的事项须指定受理专区"), "service_zone")


# -- the catalogue ------------------------------------------------------------------------------

ITEM_FIELDS = (
    "name",
    "category",
    "department",
    "legal_limit_days",
    "promised_limit_days",
    "kind",
    "fee_yuan",
    "materials",
    "presence",
    "exemption_document",
    "exemption_approved_on",
    "service_zone",
    "is_active",
    "is_sample",
)


def _field_label(name: str) -> str:
    return str(getattr(Item._meta.get_field(name), "verbose_name", name))


def _item_changes(item: Item, values: dict[str, Any]) -> list[str]:
    return [_field_label(key) for key in ITEM_FIELDS if key in values and getattr(item, key) != values[key]]


def _audit_value(value: Any) -> Any:
    """A field's value as the audit row keeps it (JSON): a department or zone by name, dates as ISO."""
    if isinstance(value, Department | ServiceZone):
        return value.name
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _audit_text(name: str, value: Any) -> str:
    """A field's value as the auditor reads it: the label of a choice, a list joined, 是/否, （空）."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(part) for part in value)
    field = Item._meta.get_field(name)
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}  # type: ignore[union-attr]
    return str(choices.get(value, value))


def _item_value_changes(item: Item, values: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} of the fields that change, as the audit row keeps them."""
    return {
        key: [_audit_value(getattr(item, key)), _audit_value(values[key])]
        for key in ITEM_FIELDS
        if key in values and getattr(item, key) != values[key]
    }


@transaction.atomic
def item_save(
    *,
    zone: Place,
    code: str,
    values: dict[str, Any],
    actor: Actor = None,
    ip_address: str | None = None,
) -> tuple[Item, list[str]]:
    """Create or update an item by its code; returns the item and the labels of the fields changed."""
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"item_save() got unexpected fields: {sorted(unknown)}")
    code = code.strip()
    if not code:
        raise ServiceRefused(_("事项编码：不能为空"), "code")
    item_fields_check(values)
    if values.get("presence") != Presence.EXEMPT:
        values = {**values, "exemption_document": "", "exemption_approved_on": None}
    department = values.get("department")
    if department is not None and department.zone_id != zone.pk:
        raise ServiceRefused(_("实施部门：不是本园区的部门"), "department")
    service_zone = values.get("service_zone")
    if service_zone is not None and service_zone.zone_id != zone.pk:
        raise ServiceRefused(_("受理专区：不是本中心的服务专区"), "service_zone")
    item = Item.objects.select_for_update().filter(zone=zone, code=code).first()
    created = item is None
    if item is None:
        item = Item(zone=zone, code=code)
        changed = [_field_label(key) for key in values]
    else:
        changed = _item_changes(item, values)
        if not changed:
            return item, []
    changes = {} if created else _item_value_changes(item, values)
    for key, value in values.items():
        setattr(item, key, value)
    item.updated_at = timezone.now()
    try:
        item.full_clean()
    except Exception as exc:
        messages = getattr(exc, "message_dict", None)
        if messages:
            name, errors = next(iter(messages.items()))
            label = _field_label(name) if name != "__all__" else ""
            raise ServiceRefused(f"{label}：{'；'.join(errors)}" if label else "；".join(errors), name) from exc
        raise
    item.save()
    described = "；".join(
        f"{_field_label(key)}：{_audit_text(key, old)} → {_audit_text(key, new)}" for key, (old, new) in changes.items()
    )
    audit_record(
        action="service.item_create" if created else "service.item_update",
        summary=(f"新增事项 {item.code} {item.name}" if created else f"修改事项 {item.code}：{described}")[:500],
        actor=actor,
        detail={"item": item.pk, "zone": zone.code, "fields": changed, "changes": changes},
        ip_address=ip_address,
    )
    return item, changed


@dataclass
class CatalogueReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[str] | None = None

    @property
    def summary(self) -> str:
        verb = "将" if self.dry_run else "已"
        if not (self.created or self.updated):
            return f"{self.file_name}：{self.rows} 项事项，与清单相同，无变化"
        return (
            f"{self.file_name}：{self.rows} 项事项，{verb}新增 {self.created}、更新 {self.updated}、"
            f"不变 {self.unchanged}"
        )


def catalogue_import(
    *,
    path: Path,
    zone: Place,
    actor: Actor = None,
    dry_run: bool = False,
    file_name: str | None = None,
    ip_address: str | None = None,
) -> CatalogueReport:
    """Check a catalogue file; if it has no error, create or update its items by 事项编码.

    Items the file does not name are left as they are. Raises ``ImportRejected`` naming every
    problem by file, row and column, having written nothing.
    """

    name = file_name or path.name
    try:
        table = read_table(path, file_name=name)
    except UnreadableFile as exc:
        raise ImportRejected([ImportIssue(name, 0, "", str(exc))]) from exc
    parsed = parse_catalogue(table)
    if parsed.issues:
        raise ImportRejected(parsed.issues)
    return _catalogue_rows_import(parsed, zone=zone, actor=actor, dry_run=dry_run, ip_address=ip_address)


def _departments_by_code_and_name(zone: Place) -> tuple[dict[str, Department], set[str]]:
    """A zone's departments by code, and by name where the name is unique; the names that are not."""
    found: dict[str, Department] = {}
    names: dict[str, list[Department]] = {}
    for department in Department.objects.filter(zone=zone):
        found[department.code] = department
        names.setdefault(department.name, []).append(department)
    ambiguous = {name for name, matches in names.items() if len(matches) > 1}
    for name, matches in names.items():
        if len(matches) == 1 and name not in found:
            found[name] = matches[0]
    return found, ambiguous


def department_label(department: Department, ambiguous: set[str]) -> str:
    """What the catalogue file says for a department: its name, or its code where the name is shared."""
    return department.code if department.name in ambiguous else department.name


@transaction.atomic
def _catalogue_rows_import(
    parsed: ParsedCatalogue, *, zone: Place, actor: Actor, dry_run: bool, ip_address: str | None
) -> CatalogueReport:

    report = CatalogueReport(parsed.file_name, dry_run, rows=len(parsed.rows), changes=[])
    departments, ambiguous = _departments_by_code_and_name(zone)
    service_zones: dict[str, ServiceZone] = {}
    for service_zone in ServiceZone.objects.filter(zone=zone):
        service_zones[service_zone.code] = service_zone
        service_zones[service_zone.name] = service_zone
    existing = {item.code: item for item in Item.objects.filter(zone=zone, code__in=[row.code for row in parsed.rows])}
    issues: list[ImportIssue] = []
    plans: list[tuple[str, dict[str, Any], Item | None]] = []
    for row in parsed.rows:
        values = dict(row.values)
        found_department = departments.get(row.department)
        if row.department in ambiguous:
            issues.append(
                ImportIssue(
                    parsed.file_name,
                    row.row,
                    parsed.headers.get("department", "实施部门"),
                    f"部门名称“{row.department}”对应多个部门，请改填部门代码",
                )
            )
            continue
        if found_department is None:
            issues.append(
                ImportIssue(
                    parsed.file_name,
                    row.row,
                    parsed.headers.get("department", "实施部门"),
                    f"本园区没有部门“{row.department}”",
                )
            )
            continue
        values["department"] = found_department
        values["service_zone"] = None
        if row.service_zone:
            found = service_zones.get(row.service_zone)
            if found is None:
                issues.append(
                    ImportIssue(
                        parsed.file_name,
                        row.row,
                        parsed.headers.get("service_zone", "受理专区"),
                        f"本中心没有服务专区“{row.service_zone}”",
                    )
                )
                continue
            values["service_zone"] = found
        plans.append((row.code, values, existing.get(row.code)))
    if issues:
        raise ImportRejected(issues)
    for code, values, item in plans:
        if item is None:
            report.created += 1
            assert report.changes is not None
            report.changes.append(f"新增 {code} {values['name']}")
        elif _item_changes(item, values):
            report.updated += 1
            assert report.changes is not None
            report.changes.append(f"更新 {code}：{'、'.join(_item_changes(item, values))}")
        else:
            report.unchanged += 1
    if not dry_run:
        for code, values, _item in plans:
            item_save(zone=zone, code=code, values=values, actor=actor, ip_address=ip_address)
        audit_record(
            action="import.service_catalogue",
            summary=report.summary,
            actor=actor,
            detail={"file": parsed.file_name, "zone": zone.code, "created": report.created, "updated": report.updated},
            ip_address=ip_address,
        )
    return report


@transaction.atomic
def catalogue_export(*, zone: Place, actor: Actor = None, ip_address: str | None = None) -> bytes:
    """The catalogue as an .xlsx in the platform's template (audited: data leaves)."""
    items = list(Item.objects.in_zone(zone).select_related("department", "service_zone").order_by("code"))
    _found, ambiguous = _departments_by_code_and_name(zone)
    labels = {item.pk: department_label(item.department, ambiguous) for item in items}
    content = catalogue_workbook(zone_name=zone.name, items=items, exported_at=timezone.now(), departments=labels)
    audit_record(
        action="export.service_catalogue",
        summary=f"导出{zone.display_name}政务服务事项清单（{len(items)} 项）",
        actor=actor,
        detail={"zone": zone.code, "items": len(items)},
        ip_address=ip_address,
    )
    return content


# -- exports ------------------------------------------------------------------------------------


@transaction.atomic
def cases_export(
    *,
    zone: Place,
    cases: Iterable[Case],
    viewer: Viewer,
    period_label: str,
    actor: Actor = None,
    ip_address: str | None = None,
) -> bytes:
    """The cases a viewer may see as an .xlsx, masked where the viewer does not handle them (audited)."""
    content, count, masked = cases_workbook(
        zone_name=zone.name, period_label=period_label, cases=cases, viewer=viewer, exported_at=timezone.now()
    )
    audit_record(
        action="export.service_cases",
        summary=f"导出{zone.display_name}政务服务办件明细（{period_label}，{count} 件，其中脱敏 {masked} 件）",
        actor=actor,
        detail={"zone": zone.code, "period": period_label, "cases": count, "masked": masked},
        ip_address=ip_address,
    )
    return content


@transaction.atomic
def scorecard_export(*, card: CentreScorecard, actor: Actor = None, ip_address: str | None = None) -> bytes:
    content = scorecard_workbook(card=card, exported_at=timezone.now())
    audit_record(
        action="export.service_scorecard",
        summary=f"导出{card.zone.display_name}政务服务中心成绩单（{card.period.full_label}）",
        actor=actor,
        detail={"zone": card.zone.code, "period": card.period.code},
        ip_address=ip_address,
    )
    return content
