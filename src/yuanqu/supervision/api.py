"""The supervision API (督查督办): tasks with their measures and colours, 交办, 填报, 审核, the bulletin.

The same rules as the pages: the supervision office manages everything, leadership read
everything, department staff read and report on their own departments' measures.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from yuanqu.accounts.access import api_require_role, client_ip
from yuanqu.core.models import Department, Place
from yuanqu.periods import Period, PeriodError
from yuanqu.supervision import access
from yuanqu.supervision.access import ANY_ROLE, DEPARTMENT_STAFF, MANAGERS, READERS
from yuanqu.supervision.bulletin import text_lines
from yuanqu.supervision.links import available_kinds
from yuanqu.supervision.models import ColourChange, Measure, ProgressReport, Reminder, Task
from yuanqu.supervision.selectors import (
    BulletinItem,
    BulletinRefused,
    MeasureStatus,
    ReportLine,
    TaskStatus,
    bulletin,
    colour_history,
    default_date,
    default_period,
    seen_with,
    task_statuses,
)
from yuanqu.supervision.services import (
    MilestoneInput,
    SupervisionRefused,
    measure_assign,
    measure_link_set,
    report_review,
    report_submit,
    statuses_refresh,
    task_create,
)

router = Router(tags=["督查督办"])


def _user(request: HttpRequest) -> Any:
    return request.auth or request.user  # type: ignore[attr-defined]


def _zone(code: str | None) -> Place:
    wanted = (code or settings.YUANQU_DEFAULT_ZONE)[:40]
    zone = Place.objects.filter(code=wanted, level=Place.Level.ZONE).first()
    if zone is None:
        raise HttpError(404, f"未找到园区“{wanted}”")
    return zone


def _period(zone: Place, text: str | None) -> Period:
    if text:
        try:
            return Period.parse(text[:40])
        except PeriodError as exc:
            raise HttpError(400, f"period：{exc}") from exc
    period = default_period(zone)
    if period is None:
        raise HttpError(404, f"{zone.display_name}尚未立项督查任务")
    return period


class MilestoneOut(Schema):
    title: str
    due_on: date
    done_on: date | None
    state: str


class ReportOut(Schema):
    id: int
    reported_on: date
    text: str
    progress_pct: Decimal | None
    requests_completion: bool
    status: str
    status_label: str
    department: str
    reporter: str
    review_note: str

    @staticmethod
    def of(line: ReportLine) -> "ReportOut":
        return ReportOut(**line.__dict__)


class MeasureOut(Schema):
    id: int
    code: str
    title: str
    department: str
    starts_on: date
    deadline: date
    target_text: str
    link_kind: str
    link_label: str
    link_summary: str
    status: str
    status_label: str
    completed_on: date | None
    colour: str
    colour_label: str
    rule: str
    reason: str
    progress_pct: Decimal | None
    time_progress_pct: Decimal | None
    behind_pp: Decimal | None
    milestones: list[MilestoneOut]
    latest_report: ReportOut | None
    is_sample: bool

    @staticmethod
    def of(measure: MeasureStatus) -> "MeasureOut":
        return MeasureOut(
            id=measure.id,
            code=measure.code,
            title=measure.title,
            department=measure.department,
            starts_on=measure.starts_on,
            deadline=measure.deadline,
            target_text=measure.target_text,
            link_kind=measure.link_kind,
            link_label=measure.link_label,
            link_summary=measure.link_summary,
            status=measure.status,
            status_label=measure.status_label,
            completed_on=measure.completed_on,
            colour=measure.colour.value,
            colour_label=measure.colour_label,
            rule=measure.rule.value,
            reason=measure.reason,
            progress_pct=measure.progress_pct,
            time_progress_pct=measure.expected_pct,
            behind_pp=measure.behind_pp,
            milestones=[MilestoneOut(**milestone.__dict__) for milestone in measure.milestones],
            latest_report=ReportOut.of(measure.latest_report) if measure.latest_report else None,
            is_sample=measure.is_sample,
        )


class TaskOut(Schema):
    id: int
    number: int
    wording: str
    lever: str
    outcome: str
    area: str
    period: str
    leader: str
    lead_department: str
    co_departments: list[str]
    starts_on: date
    ends_on: date
    colour: str
    colour_label: str
    reason: str
    progress_pct: Decimal | None
    time_progress_pct: Decimal | None
    is_sample: bool
    measures: list[MeasureOut]

    @staticmethod
    def of(task: TaskStatus) -> "TaskOut":
        return TaskOut(
            id=task.id,
            number=task.number,
            wording=task.wording,
            lever=task.lever,
            outcome=task.outcome,
            area=task.area,
            period=task.period.code,
            leader=task.leader,
            lead_department=task.lead_department,
            co_departments=list(task.co_departments),
            starts_on=task.starts_on,
            ends_on=task.ends_on,
            colour=task.colour.value,
            colour_label=task.colour_label,
            reason=task.reason,
            progress_pct=task.progress_pct,
            time_progress_pct=task.expected_pct,
            is_sample=task.is_sample,
            measures=[MeasureOut.of(measure) for measure in task.measures],
        )


class BoardOut(Schema):
    zone: str
    period: str
    period_label: str
    on: date
    counts: dict[str, int]
    tasks: list[TaskOut]


class ColourChangeOut(Schema):
    status_on: date
    colour: str
    previous: str
    reason: str
    recorded_at: datetime


class MeasureDetailOut(Schema):
    task: int
    measure: MeasureOut
    reports: list[ReportOut]
    history: list[ColourChangeOut]


class TaskIn(Schema):
    zone: str | None = None
    period: str
    number: int
    area: str
    lever: str
    outcome: str
    leader: str | None = None  # user name of the 分管领导
    lead_department: str  # department code
    co_departments: list[str] = []
    starts_on: date | None = None
    ends_on: date | None = None
    tracks_project_stages: bool = False


class MilestoneIn(Schema):
    title: str
    due_on: date


class MeasureIn(Schema):
    title: str
    department: str  # department code
    deadline: date
    starts_on: date | None = None
    target_text: str = ""
    target_value: Decimal | None = None
    target_unit: str = ""
    report_cycle: str = Measure.Cycle.MONTHLY
    link: str = ""
    link_params: dict[str, Any] = {}
    milestones: list[MilestoneIn] = []


class LinkIn(Schema):
    link: str  # "" to unlink: the department reports progress again
    link_params: dict[str, Any] = {}


class ReportIn(Schema):
    text: str
    reported_on: date | None = None
    progress_pct: Decimal | None = None
    requests_completion: bool = False
    milestones: list[int] = []


class ReviewIn(Schema):
    decision: str  # accept | return
    note: str = ""


class BulletinItemOut(Schema):
    code: str
    area: str
    title: str
    department: str
    colour: str
    reason: str
    deadline: date
    completed_on: date | None

    @staticmethod
    def of(item: BulletinItem) -> "BulletinItemOut":
        return BulletinItemOut(**{**item.__dict__, "colour": item.colour.value})


class BulletinOut(Schema):
    zone: str
    month: str
    on: date
    tasks: int
    measures: int
    counts: dict[str, int]
    done_total: int
    red: list[BulletinItemOut]
    yellow: list[BulletinItemOut]
    completed: list[BulletinItemOut]
    text: list[str]


class ReminderOut(Schema):
    id: int
    kind: str
    kind_label: str
    measure: int
    department: str
    due_on: date
    message: str
    created_at: datetime
    read: bool


class LinkKindOut(Schema):
    code: str
    label: str


def _seen(request: HttpRequest, task: TaskStatus) -> TaskStatus:
    """The task as the user may see it: a department's staff see their own measures only, and the
    task's colour, reason and progress are those of these measures."""
    user = _user(request)
    if access.reads_all(user):
        return task
    mine = access.department_ids(user)
    return seen_with(task, tuple(measure for measure in task.measures if measure.department_id in mine))


@router.get("/supervision/tasks", response=BoardOut, summary="一期重点任务及其举措、颜色、原因和进度")
def tasks(request: HttpRequest, zone: str | None = None, period: str | None = None, on: date | None = None) -> BoardOut:
    api_require_role(request, *ANY_ROLE)
    place = _zone(zone)
    chosen = _period(place, period)
    live = default_date(chosen)
    day = on or live
    statuses = task_statuses(zone=place, period=chosen, on=day)
    statuses_refresh(tasks=statuses, on=day, live=day == live)
    shown = [_seen(request, task) for task in statuses]
    shown = [task for task in shown if task.measures or access.reads_all(_user(request))]
    counts = {"red": 0, "yellow": 0, "blue": 0, "green": 0}
    for task in shown:
        for measure in task.measures:
            counts[measure.colour.value] += 1
    return BoardOut(
        zone=place.code,
        period=chosen.code,
        period_label=chosen.full_label,
        on=day,
        counts=counts,
        tasks=[TaskOut.of(task) for task in shown],
    )


@router.get("/supervision/tasks/{task_id}", response=TaskOut, summary="一项重点任务")
def task_detail(request: HttpRequest, task_id: int, on: date | None = None) -> TaskOut:
    api_require_role(request, *ANY_ROLE)
    task = Task.objects.select_related("zone").filter(pk=task_id).first()
    if task is None:
        raise HttpError(404, "未找到该重点任务")
    (status,) = task_statuses(zone=task.zone, period=task.period_obj, on=on, task_ids=[task.pk])
    seen = _seen(request, status)
    if not seen.measures and not access.reads_all(_user(request)):
        raise HttpError(404, "未找到该重点任务")
    return TaskOut.of(seen)


@router.post("/supervision/tasks", response={201: TaskOut}, summary="立项：新建重点任务（督查人员）")
def task_new(request: HttpRequest, payload: TaskIn) -> Status[TaskOut]:
    api_require_role(request, *MANAGERS)
    place = _zone(payload.zone)
    period = _period(place, payload.period)
    departments = {d.code: d for d in Department.objects.filter(zone=place)}
    lead = departments.get(payload.lead_department)
    if lead is None:
        raise HttpError(400, f"lead_department：未找到部门“{payload.lead_department}”")
    missing = [code for code in payload.co_departments if code not in departments]
    if missing:
        raise HttpError(400, f"co_departments：未找到部门“{'、'.join(missing)}”")
    leader = None
    if payload.leader:
        leader = User.objects.filter(username=payload.leader).first()
        if leader is None:
            raise HttpError(400, f"leader：未找到用户“{payload.leader}”")
    try:
        task = task_create(
            zone=place,
            period=period,
            number=payload.number,
            area=payload.area,
            lever=payload.lever,
            outcome=payload.outcome,
            leader=leader,
            lead_department=lead,
            co_departments=[departments[code] for code in payload.co_departments],
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            tracks_project_stages=payload.tracks_project_stages,
            actor=_user(request),
            ip_address=client_ip(request),
        )
    except SupervisionRefused as exc:
        raise HttpError(400, str(exc)) from exc
    (status,) = task_statuses(zone=place, period=period, task_ids=[task.pk])
    return Status(201, TaskOut.of(status))


@router.post("/supervision/tasks/{task_id}/measures", response={201: MeasureOut}, summary="交办举措（督查人员）")
def measure_new(request: HttpRequest, task_id: int, payload: MeasureIn) -> Status[MeasureOut]:
    api_require_role(request, *MANAGERS)
    task = Task.objects.select_related("zone").filter(pk=task_id).first()
    if task is None:
        raise HttpError(404, "未找到该重点任务")
    department = Department.objects.filter(zone=task.zone, code=payload.department).first()
    if department is None:
        raise HttpError(400, f"department：未找到部门“{payload.department}”")
    try:
        measure = measure_assign(
            task=task,
            title=payload.title,
            department=department,
            deadline=payload.deadline,
            starts_on=payload.starts_on,
            target_text=payload.target_text,
            target_value=payload.target_value,
            target_unit=payload.target_unit,
            report_cycle=payload.report_cycle,
            link=payload.link,
            link_params=payload.link_params,
            milestones=[MilestoneInput(item.title, item.due_on) for item in payload.milestones],
            actor=_user(request),
            ip_address=client_ip(request),
        )
    except SupervisionRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _measure_status(measure))


def _measure(request: HttpRequest, measure_id: int) -> Measure:
    measure = Measure.objects.select_related("task__zone", "department").filter(pk=measure_id).first()
    if measure is None or not access.can_see(_user(request), measure):
        raise HttpError(404, "未找到该举措")
    return measure


def _measure_status(measure: Measure) -> MeasureOut:
    (task,) = task_statuses(zone=measure.task.zone, period=measure.task.period_obj, task_ids=[measure.task_id])
    return MeasureOut.of(next(item for item in task.measures if item.id == measure.pk))


@router.post("/supervision/measures/{measure_id}/link", response=MeasureOut, summary="关联数据或取消关联（督查人员）")
def measure_link(request: HttpRequest, measure_id: int, payload: LinkIn) -> MeasureOut:
    api_require_role(request, *MANAGERS)
    measure = _measure(request, measure_id)
    try:
        measure_link_set(
            measure=measure,
            link=payload.link,
            link_params=payload.link_params,
            actor=_user(request),
            ip_address=client_ip(request),
        )
    except SupervisionRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return _measure_status(measure)


@router.get("/supervision/measures/{measure_id}", response=MeasureDetailOut, summary="一项举措：填报记录和颜色变化")
def measure_detail(request: HttpRequest, measure_id: int) -> MeasureDetailOut:
    api_require_role(request, *ANY_ROLE)
    measure = _measure(request, measure_id)
    reports = (
        ProgressReport.objects.filter(measure=measure)
        .select_related("department", "reported_by")
        .order_by("-reported_on", "-id")
    )
    history: list[ColourChange] = colour_history([measure.pk])
    return MeasureDetailOut(
        task=measure.task_id,
        measure=_measure_status(measure),
        reports=[_report_out(report) for report in reports],
        history=[
            ColourChangeOut(
                status_on=change.status_on,
                colour=change.colour,
                previous=change.previous,
                reason=change.reason,
                recorded_at=change.recorded_at,
            )
            for change in history
        ],
    )


@router.post(
    "/supervision/measures/{measure_id}/reports",
    response={201: ReportOut},
    summary="进展填报或申请办结（责任部门人员；multipart，可附佐证材料 files）",
)
def report_new(
    request: HttpRequest,
    measure_id: int,
    payload: Form[ReportIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[ReportOut]:
    api_require_role(request, *DEPARTMENT_STAFF)
    measure = _measure(request, measure_id)
    try:
        report = report_submit(
            measure=measure,
            actor=_user(request),
            text=payload.text,
            reported_on=payload.reported_on,
            progress_pct=payload.progress_pct,
            requests_completion=payload.requests_completion,
            milestones_reached=payload.milestones,
            attachments=list(files or []),
            ip_address=client_ip(request),
        )
    except SupervisionRefused as exc:
        raise HttpError(400, str(exc)) from exc
    report = ProgressReport.objects.select_related("department", "reported_by").get(pk=report.pk)
    return Status(201, _report_out(report))


def _report_out(report: ProgressReport) -> ReportOut:
    return ReportOut(
        id=report.pk,
        reported_on=report.reported_on,
        text=report.text,
        progress_pct=report.progress_pct,
        requests_completion=report.requests_completion,
        status=report.status,
        status_label=str(report.get_status_display()),
        department=report.department.name,
        reporter=report.reported_by.get_full_name() or report.reported_by.get_username(),
        review_note=report.review_note,
    )


@router.post(
    "/supervision/reports/{report_id}/review", response=ReportOut, summary="审核：通过（办结）或退回（督查人员）"
)
def review(request: HttpRequest, report_id: int, payload: ReviewIn) -> ReportOut:
    api_require_role(request, *MANAGERS)
    report = ProgressReport.objects.filter(pk=report_id).first()
    if report is None:
        raise HttpError(404, "未找到该填报")
    try:
        report_review(
            report=report,
            decision=payload.decision,
            note=payload.note,
            actor=_user(request),
            ip_address=client_ip(request),
        )
    except SupervisionRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return _report_out(ProgressReport.objects.select_related("department", "reported_by").get(pk=report_id))


@router.get("/supervision/bulletin", response=BulletinOut, summary="月度督查通报")
def bulletin_data(request: HttpRequest, month: str, zone: str | None = None) -> BulletinOut:
    api_require_role(request, *READERS)
    place = _zone(zone)
    try:
        year, number = (int(part) for part in month[:7].split("-"))
        date(year, number, 1)
    except ValueError as exc:
        raise HttpError(400, f"month 应为 YYYY-MM，收到“{month[:20]}”") from exc
    try:
        result = bulletin(zone=place, year=year, month=number)
    except BulletinRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return BulletinOut(
        zone=place.code,
        month=f"{year}-{number:02d}",
        on=result.on,
        tasks=result.tasks,
        measures=result.measures,
        counts=result.counts,
        done_total=result.done_total,
        red=[BulletinItemOut.of(item) for item in result.red],
        yellow=[BulletinItemOut.of(item) for item in result.yellow],
        completed=[BulletinItemOut.of(item) for item in result.completed],
        text=text_lines(result),
    )


@router.get("/supervision/reminders", response=list[ReminderOut], summary="本部门的督办提醒（部门人员）")
def reminders(request: HttpRequest, unread: bool = True) -> list[ReminderOut]:
    api_require_role(request, *DEPARTMENT_STAFF)
    items = Reminder.objects.filter(department_id__in=access.department_ids(_user(request))).select_related(
        "department"
    )
    if unread:
        items = items.filter(read_at__isnull=True)
    return [
        ReminderOut(
            id=item.pk,
            kind=item.kind,
            kind_label=str(item.get_kind_display()),
            measure=item.measure_id,
            department=item.department.name,
            due_on=item.due_on,
            message=item.message,
            created_at=item.created_at,
            read=item.read_at is not None,
        )
        for item in items[:200]
    ]


@router.get("/supervision/link-kinds", response=list[LinkKindOut], summary="举措可关联的数据类型")
def link_kinds(request: HttpRequest) -> list[LinkKindOut]:
    api_require_role(request, *MANAGERS)
    return [LinkKindOut(code=kind.code, label=str(kind.label)) for kind in available_kinds()]
