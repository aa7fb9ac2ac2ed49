"""The service-centre API: the catalogue, cases step by step, the scorecard, the calendar.

The same role checks as the pages (``yuanqu.service.access``); applicants' personal data is
masked for callers who do not handle the case, as on the pages.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from yuanqu.accounts.access import api_require_role, client_ip
from yuanqu.core.models import Place
from yuanqu.periods import Period, PeriodError
from yuanqu.service.access import (
    CASE_READERS,
    CATALOGUE_READERS,
    CLERKS,
    DASHBOARD_READERS,
    MANAGERS,
    REVIEWERS,
    SERVICE_ROLES,
    Viewer,
    applicant_of,
    viewer_of,
)
from yuanqu.service.models import Case, Evaluation, Item, Stage, Window
from yuanqu.service.selectors import centre_scorecard, zone_calendar
from yuanqu.service.services import (
    ApplicantIn,
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
from yuanqu.service.workdays import CalendarError
from yuanqu.service.writing import as_data

router = Router(tags=["政务服务"])
MAX_LIMIT = 2000


def _zone(code: str | None) -> Place:
    wanted = (code or settings.YUANQU_DEFAULT_ZONE)[:40]
    zone = Place.objects.filter(code=wanted, level=Place.Level.ZONE).first()
    if zone is None:
        raise HttpError(404, f"未找到园区“{wanted}”")
    return zone


def _period(text: str) -> Period:
    try:
        return Period.parse(text[:40])
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc


class ItemOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str
    department: str
    legal_limit_days: int
    promised_limit_days: int
    kind: str
    fee_yuan: Decimal
    materials: list[str]
    presence: str
    presence_label: str
    exemption_document: str
    exemption_approved_on: date | None
    service_zone: str | None
    is_active: bool
    is_sample: bool


class ApplicantOut(Schema):
    kind: str
    name: str
    code: str
    contact_name: str
    contact_phone: str
    masked: bool


class CaseOut(Schema):
    id: int
    number: str
    item_code: str
    item: str
    department: str
    service_zone: str
    window: str
    at_any_window: bool
    applicant: ApplicantOut
    stage: str
    stage_label: str
    decision: str
    accepted_on: date | None
    due_on: date | None
    legal_due_on: date | None
    due_provisional: bool
    issued_on: date | None
    elapsed_days: int | None
    supplements: int
    overdue: bool


class StepOut(Schema):
    action: str
    action_label: str
    on: date
    actor: str
    window: str
    department: str
    note: str


class CaseDetailOut(CaseOut):
    materials_received: list[str]
    materials_missing: list[str]
    steps: list[StepOut]
    rating: str | None


class RegisterIn(Schema):
    window: str  # 窗口号, e.g. I01
    item: str  # 事项编码
    applicant_kind: str
    applicant_name: str
    applicant_code: str
    contact_phone: str
    contact_name: str = ""
    materials_received: list[str] = []
    outcome: str = "accept"
    reason: str = ""
    number: str = ""


class MaterialsIn(Schema):
    materials_received: list[str] = []


class ReasonIn(Schema):
    reason: str


class SupplementIn(Schema):
    missing: list[str]


class DecisionIn(Schema):
    decision: str
    reason: str = ""


class RatingIn(Schema):
    rating: str
    comment: str = ""


class FollowUpIn(Schema):
    note: str


class FigureOut(Schema):
    """One figure of the scorecard with its provenance; ``value`` is the unrounded decimal as text."""

    code: str
    label: str
    value: str | None
    text: str | None
    unit: str
    numerator: int | None
    denominator: int | None
    rule: str
    source: str


class CategoryLineOut(Schema):
    category: str
    label: str
    items: int
    in_centre: int
    any_window: int
    exempt: int
    pending: int


class ExemptItemOut(Schema):
    code: str
    name: str
    department: str
    presence: str
    document: str
    approved_on: date | None


class ItemTimeOut(Schema):
    code: str
    name: str
    department: str
    legal_limit_days: int
    promised_limit_days: int
    completed: int
    average_days: str | None
    p90_days: int | None
    late: int
    promise_compression_pct: str | None
    actual_compression_pct: str | None


class DepartmentOverdueOut(Schema):
    department: str
    completed_late: int
    open_overdue: int
    total: int


class OverdueCaseOut(Schema):
    number: str
    item: str
    department: str
    due_on: date | None
    open: bool
    stage: str
    over_days: int


class ScorecardOut(Schema):
    """The centre's scorecard (``yuanqu.service.writing.as_data``): no applicant data."""

    zone: str
    zone_name: str
    period: str
    period_label: str
    first_day: date
    last_day: date
    as_of: date
    sentence: str
    figures_sentence: str
    figures: dict[str, FigureOut]
    categories: list[CategoryLineOut]
    exempt_items: list[ExemptItemOut]
    item_times: list[ItemTimeOut]
    departments: list[DepartmentOverdueOut]
    overdue_cases: list[OverdueCaseOut]
    ratings: dict[str, int]
    notes: list[str]


class CalendarOut(Schema):
    start: date
    days: int
    day: date
    provisional: bool
    unknown_years: list[int]


def item_out(item: Item) -> ItemOut:
    return ItemOut(
        id=item.pk,
        code=item.code,
        name=item.name,
        category=item.category,
        category_label=item.get_category_display(),
        department=item.department.name,
        legal_limit_days=item.legal_limit_days,
        promised_limit_days=item.promised_limit_days,
        kind=item.kind,
        fee_yuan=item.fee_yuan,
        materials=list(item.materials),
        presence=item.presence,
        presence_label=item.get_presence_display(),
        exemption_document=item.exemption_document,
        exemption_approved_on=item.exemption_approved_on,
        service_zone=item.service_zone.name if item.service_zone else None,
        is_active=item.is_active,
        is_sample=item.is_sample,
    )


def case_out(case: Case, viewer: Viewer, today: date) -> dict[str, Any]:
    evaluation = getattr(case, "evaluation", None)
    applicant = applicant_of(case, viewer, bad_rating=bool(evaluation and evaluation.is_bad))
    return {
        "id": case.pk,
        "number": case.number,
        "item_code": case.item.code,
        "item": case.item.name,
        "department": case.department.name,
        "service_zone": case.service_zone.name,
        "window": case.window.number,
        "at_any_window": case.at_any_window,
        "applicant": ApplicantOut(
            kind=applicant.kind,
            name=applicant.name,
            code=applicant.code,
            contact_name=applicant.contact_name,
            contact_phone=applicant.contact_phone,
            masked=applicant.masked,
        ),
        "stage": case.stage,
        "stage_label": case.get_stage_display(),
        "decision": case.decision,
        "accepted_on": case.accepted_on,
        "due_on": case.due_on,
        "legal_due_on": case.legal_due_on,
        "due_provisional": case.due_provisional,
        "issued_on": case.issued_on,
        "elapsed_days": case.elapsed_days,
        "supplements": case.supplements,
        "overdue": case.overdue_on(today),
    }


def _detail(case: Case, viewer: Viewer) -> CaseDetailOut:
    from django.utils import timezone

    fresh = (
        Case.objects.select_related("item", "department", "service_zone", "window", "evaluation")
        .prefetch_related("steps__actor", "steps__window", "steps__department")
        .get(pk=case.pk)
    )
    evaluation = getattr(fresh, "evaluation", None)
    return CaseDetailOut(
        **case_out(fresh, viewer, timezone.localdate()),
        materials_received=list(fresh.materials_received),
        materials_missing=list(fresh.materials_missing),
        steps=[
            StepOut(
                action=step.action,
                action_label=step.get_action_display(),
                on=step.on,
                actor=(step.actor.get_full_name() or step.actor.get_username()) if step.actor else "",
                window=step.window.number if step.window else "",
                department=step.department.name if step.department else "",
                note=step.note,
            )
            for step in fresh.steps.all()
        ],
        rating=evaluation.rating if evaluation else None,
    )


def _case(request: HttpRequest, case_id: int) -> tuple[Case, Viewer]:
    case = (
        Case.objects.select_related("zone", "item", "department", "service_zone", "window", "evaluation")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise HttpError(404, "未找到该办件")
    viewer = viewer_of(request.auth or request.user)  # type: ignore[attr-defined]
    if not viewer.can_open(case):
        raise HttpError(403, "您无权查看该办件")
    return case, viewer


def _actor(request: HttpRequest) -> Any:
    return request.auth or request.user  # type: ignore[attr-defined]


@router.get("/service/items", response=list[ItemOut], summary="政务服务事项清单")
def items(request: HttpRequest, zone: str | None = None, category: str | None = None) -> list[ItemOut]:
    api_require_role(request, *CATALOGUE_READERS)
    rows = Item.objects.in_zone(_zone(zone)).select_related("department", "service_zone").order_by("code")
    if category:
        rows = rows.filter(category=category[:20])
    return [item_out(item) for item in rows]


@router.get("/service/cases", response=list[CaseOut], summary="办件列表（本人可见的办件；个人信息按角色脱敏）")
def cases(
    request: HttpRequest, zone: str | None = None, stage: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    from django.utils import timezone

    api_require_role(request, *CASE_READERS)
    viewer = viewer_of(_actor(request))
    rows = viewer.cases(_zone(zone)).select_related("item", "department", "service_zone", "window", "evaluation")
    if stage:
        if stage not in Stage.values:
            raise HttpError(400, f"未知办理状态“{stage[:20]}”")
        rows = rows.filter(stage=stage)
    today = timezone.localdate()
    return [case_out(case, viewer, today) for case in rows.order_by("-registered_at")[: max(1, min(limit, MAX_LIMIT))]]


@router.get("/service/cases/{int:case_id}", response=CaseDetailOut, summary="办件详情及办理过程")
def case_detail(request: HttpRequest, case_id: int) -> CaseDetailOut:
    api_require_role(request, *CASE_READERS)
    case, viewer = _case(request, case_id)
    return _detail(case, viewer)


@router.post("/service/cases", response={201: CaseDetailOut, 400: dict[str, str]}, summary="窗口登记办件")
def register(request: HttpRequest, payload: RegisterIn, zone: str | None = None) -> Status[CaseDetailOut]:
    api_require_role(request, *CLERKS)
    place = _zone(zone)
    window = (
        Window.objects.select_related("service_zone__zone", "department")
        .filter(service_zone__zone=place, number=payload.window[:20])
        .first()
    )
    if window is None:
        raise HttpError(400, f"受理窗口：没有窗口“{payload.window[:20]}”")
    item = Item.objects.select_related("department").filter(zone=place, code=payload.item[:40]).first()
    if item is None:
        raise HttpError(400, f"事项：没有编码为“{payload.item[:40]}”的事项")
    actor = _actor(request)
    try:
        case = case_register(
            window=window,
            item=item,
            applicant=ApplicantIn(
                kind=payload.applicant_kind,
                name=payload.applicant_name,
                code=payload.applicant_code,
                contact_phone=payload.contact_phone,
                contact_name=payload.contact_name,
            ),
            materials_received=payload.materials_received,
            outcome=payload.outcome,
            reason=payload.reason,
            number=payload.number,
            actor=actor,
            ip_address=client_ip(request),
        )
    except ServiceRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _detail(case, viewer_of(actor)))


def _step(request: HttpRequest, case_id: int, roles: tuple[Any, ...], run: Any) -> CaseDetailOut:
    api_require_role(request, *roles)
    case, viewer = _case(request, case_id)
    try:
        run(case, _actor(request), client_ip(request))
    except ServiceRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return _detail(case, viewer)


STEP = {200: CaseDetailOut, 400: dict[str, str]}


@router.post("/service/cases/{int:case_id}/accept", response=STEP, summary="补正后受理")
def accept(request: HttpRequest, case_id: int, payload: MaterialsIn) -> CaseDetailOut:
    return _step(
        request,
        case_id,
        CLERKS,
        lambda case, actor, ip: case_accept(
            case=case, materials_received=payload.materials_received, actor=actor, ip_address=ip
        ),
    )


@router.post("/service/cases/{int:case_id}/refuse", response=STEP, summary="不予受理（待补正的申请）")
def refuse(request: HttpRequest, case_id: int, payload: ReasonIn) -> CaseDetailOut:
    return _step(
        request,
        case_id,
        CLERKS,
        lambda case, actor, ip: case_refuse(case=case, reason=payload.reason, actor=actor, ip_address=ip),
    )


@router.post("/service/cases/{int:case_id}/supplement-request", response=STEP, summary="告知补正，暂停计时（审批部门）")
def supplement_request(request: HttpRequest, case_id: int, payload: SupplementIn) -> CaseDetailOut:
    return _step(
        request,
        case_id,
        REVIEWERS,
        lambda case, actor, ip: case_request_supplement(case=case, missing=payload.missing, actor=actor, ip_address=ip),
    )


@router.post("/service/cases/{int:case_id}/supplement-received", response=STEP, summary="补正齐全，恢复计时")
def supplement_received(request: HttpRequest, case_id: int) -> CaseDetailOut:
    return _step(
        request,
        case_id,
        (*CLERKS, *REVIEWERS),
        lambda case, actor, ip: case_supplement_received(case=case, actor=actor, ip_address=ip),
    )


@router.post("/service/cases/{int:case_id}/decide", response=STEP, summary="审批决定（准予 / 不予；仅事项所属部门）")
def decide(request: HttpRequest, case_id: int, payload: DecisionIn) -> CaseDetailOut:
    return _step(
        request,
        case_id,
        REVIEWERS,
        lambda case, actor, ip: case_decide(
            case=case, decision=payload.decision, reason=payload.reason, actor=actor, ip_address=ip
        ),
    )


@router.post("/service/cases/{int:case_id}/issue", response=STEP, summary="窗口出件（办结）")
def issue(request: HttpRequest, case_id: int) -> CaseDetailOut:
    return _step(request, case_id, CLERKS, lambda case, actor, ip: case_issue(case=case, actor=actor, ip_address=ip))


@router.post("/service/cases/{int:case_id}/rating", response=STEP, summary="好差评（窗口评价器录入）")
def rating(request: HttpRequest, case_id: int, payload: RatingIn) -> CaseDetailOut:
    return _step(
        request,
        case_id,
        CLERKS,
        lambda case, actor, ip: evaluation_record(
            case=case, rating=payload.rating, comment=payload.comment, actor=actor, ip_address=ip
        ),
    )


@router.post("/service/cases/{int:case_id}/follow-up", response=STEP, summary="差评整改（中心管理员）")
def follow_up(request: HttpRequest, case_id: int, payload: FollowUpIn) -> CaseDetailOut:
    def run(case: Case, actor: Any, ip: str | None) -> None:
        evaluation = Evaluation.objects.filter(case=case).first()
        if evaluation is None:
            raise ServiceRefused("该办件尚未评价")
        evaluation_follow_up(evaluation=evaluation, note=payload.note, actor=actor, ip_address=ip)

    return _step(request, case_id, MANAGERS, run)


@router.get(
    "/service/scorecard",
    response=ScorecardOut,
    summary="政务服务中心成绩单：综述句、各项指标及其口径与来源、明细表",
)
def scorecard(request: HttpRequest, period: str, zone: str | None = None) -> dict[str, Any]:
    api_require_role(request, *DASHBOARD_READERS)
    return as_data(centre_scorecard(zone=_zone(zone), period=_period(period)))


@router.get("/service/calendar/add", response=CalendarOut, summary="工作日推算：起算日（当日不计）加若干工作日")
def calendar_add(request: HttpRequest, start: date, days: int, zone: str | None = None) -> CalendarOut:
    api_require_role(request, *SERVICE_ROLES)
    if not 0 <= days <= 365:
        raise HttpError(400, "工作日数应为0至365")
    calendar = zone_calendar(_zone(zone))
    try:
        day = calendar.add_working_days(start, days)
    except CalendarError as exc:
        raise HttpError(400, str(exc)) from exc
    unknown = calendar.unknown_years(start, day)
    return CalendarOut(start=start, days=days, day=day, provisional=bool(unknown), unknown_years=unknown)
