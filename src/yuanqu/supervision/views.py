"""The supervision pages: the office's board, a task, a measure, my tasks, a leader's tasks, the bulletin."""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu import figures
from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.roles import Role, has_role
from yuanqu.core.models import Department, Place
from yuanqu.exports import DOCX, XLSX, download, export_file_name
from yuanqu.periods import Period, PeriodError
from yuanqu.projects.models import Stage
from yuanqu.projects.rules import rules_for
from yuanqu.projects.selectors import overdue_projects
from yuanqu.supervision import access
from yuanqu.supervision.access import ANY_ROLE, DEPARTMENT_STAFF, MANAGERS, OVERDUE_READERS, READERS
from yuanqu.supervision.bulletin import bulletin_docx, bulletin_xlsx, chinese_number, sections, subtitle, title
from yuanqu.supervision.forms import MeasureForm, ReportForm, ReviewForm, TaskForm
from yuanqu.supervision.models import Measure, ProgressReport, Reminder, ReportAttachment, Task
from yuanqu.supervision.selectors import (
    Board,
    BoardFilter,
    BulletinRefused,
    CountsAt,
    MeasureStatus,
    TaskStatus,
    board,
    bulletin,
    colour_counts_over_time,
    colour_history,
    default_date,
    default_period,
    period_dates,
    seen_with,
    supervision_periods,
    task_statuses,
    thresholds,
)
from yuanqu.supervision.services import (
    SupervisionRefused,
    bulletin_exported,
    measure_assign,
    reminder_read,
    report_review,
    report_submit,
    statuses_refresh,
    task_create,
)
from yuanqu.supervision.writing import COLOUR_MEANINGS, COLOUR_NAMES, COLOUR_ORDER, day_text

TABS = [
    # (page, label, url name, roles that see it)
    ("board", gettext_lazy("督查看板"), "supervision:board", READERS),
    ("leader", gettext_lazy("我分管的任务"), "supervision:leader", (Role.LEADERSHIP,)),
    ("mine", gettext_lazy("我的任务"), "supervision:mine", DEPARTMENT_STAFF),
    ("bulletin", gettext_lazy("督查通报"), "supervision:bulletin", READERS),
    ("overdue", gettext_lazy("项目超期预警"), "supervision:overdue", OVERDUE_READERS),
    ("task_new", gettext_lazy("新建任务"), "supervision:task_new", MANAGERS),
]
TAB_OF_PAGE = {"task": "board", "measure": "board", "measure_new": "board"}


def _page(
    request: HttpRequest, page: str, context: dict[str, Any], status: int = 200, template: str = ""
) -> HttpResponse:
    active = TAB_OF_PAGE.get(page, page)
    context["tabs"] = [
        {"label": label, "url": reverse(name), "active": key == active}
        for key, label, name, roles in TABS
        if has_role(request.user, *roles)
    ]
    context["colour_names"] = [
        {"code": colour.value, "name": COLOUR_NAMES[colour], "meaning": COLOUR_MEANINGS[colour]}
        for colour in COLOUR_ORDER
    ]
    context["home_url"] = _home_url(request)
    return render(request, f"supervision/{template or page}.html", context, status=status)


def _home_url(request: HttpRequest) -> str:
    """Where supervision starts for this user: the board, or a department's own tasks."""
    return reverse("supervision:board" if has_role(request.user, *READERS) else "supervision:mine")


def _zone(request: HttpRequest) -> Place:
    code = request.GET.get("zone", "").strip()[:40] or settings.YUANQU_DEFAULT_ZONE
    zone = Place.objects.filter(code=code, level=Place.Level.ZONE).first()
    if zone is None:
        raise Http404(_("未找到园区“%(code)s”") % {"code": code})
    return zone


@dataclass
class Choice:
    """The period and date a page shows, as asked in the query string, with the reason if refused."""

    zone: Place
    periods: list[Period]
    period: Period | None = None
    on: date | None = None
    error: str = ""
    live_on: date | None = None


def _choice(request: HttpRequest) -> Choice:
    zone = _zone(request)
    choice = Choice(zone=zone, periods=supervision_periods(zone))
    raw = request.GET.get("period", "").strip()[:40]
    try:
        choice.period = Period.parse(raw) if raw else default_period(zone)
    except PeriodError as exc:
        choice.error = _("所属期：%(reason)s") % {"reason": exc}
        return choice
    if choice.period is None:
        choice.error = _("%(zone)s尚未立项督查任务") % {"zone": zone.display_name}
        return choice
    choice.live_on = default_date(choice.period)
    raw_date = request.GET.get("date", "").strip()[:10]
    if raw_date:
        try:
            choice.on = date.fromisoformat(raw_date)
        except ValueError:
            choice.error = _("“截至日期”应为 YYYY-MM-DD 形式的日期（收到“%(value)s”）") % {"value": raw_date}
            return choice
    else:
        choice.on = choice.live_on
    return choice


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() else None


def _chart_data(shown: Board, history: list[CountsAt]) -> dict[str, Any]:
    return {
        "colours": [{"code": colour.value, "name": str(COLOUR_NAMES[colour])} for colour in COLOUR_ORDER],
        "history": [{"on": point.on.isoformat(), **point.counts, "recorded": point.recorded} for point in history],
        "tasks": [
            {
                "name": f"{task.number} {task.area}",
                "progress": float(task.progress_pct) if task.progress_pct is not None else None,
                "expected": float(task.expected_pct) if task.expected_pct is not None else None,
                "colour": task.colour.value,
            }
            for task in shown.tasks
        ],
    }


def _stage_overdue(zone: Place) -> dict[str, int]:
    cards = overdue_projects(zone=zone)
    return {"total": len(cards), "red": sum(1 for card in cards if card.colour == "red")}


def _board_context(request: HttpRequest, choice: Choice, filters: BoardFilter) -> dict[str, Any]:
    assert choice.period is not None and choice.on is not None
    shown = board(zone=choice.zone, period=choice.period, on=choice.on, choice=filters)
    statuses_refresh(tasks=shown.all_tasks, on=shown.on, live=shown.live)
    history = colour_counts_over_time(zone=choice.zone, period=choice.period, until=shown.on)
    leaders = {task.leader_id: task.leader for task in shown.all_tasks if task.leader_id is not None}
    first, last = period_dates(choice.period)
    counts = shown.counts()
    return {
        "choice": choice,
        "board": shown,
        "count_rows": [
            {
                "code": colour.value,
                "name": COLOUR_NAMES[colour],
                "meaning": COLOUR_MEANINGS[colour],
                "count": counts[colour],
            }
            for colour in COLOUR_ORDER
        ],
        "ended": last < timezone.localdate(),
        "history": history,
        "chart": _chart_data(shown, history),
        "leaders": sorted(leaders.items(), key=lambda item: item[1]),
        "departments": Department.objects.filter(zone=choice.zone),
        "filters": filters,
        "period_first": first,
        "period_last": last,
        "stage_overdue": _stage_overdue(choice.zone)
        if any(task.tracks_project_stages for task in shown.tasks)
        else None,
    }


def _filters(request: HttpRequest) -> BoardFilter:
    colour = request.GET.get("colour", "")
    department = _int(request.GET.get("department", ""))
    return BoardFilter(
        leader_id=_int(request.GET.get("leader", "")),
        department_ids={department} if department is not None else None,
        colour=colour if colour in {c.value for c in COLOUR_ORDER} else "",
        query=request.GET.get("q", "").strip()[:40],
    )


@require_GET
@require_role(*ANY_ROLE)
def help_page(request: HttpRequest) -> HttpResponse:
    """使用说明 of supervision: the colour rules with the thresholds in force, 序时进度."""
    rules = thresholds()
    context = {
        "help_title": _("督查督办"),
        "back_url": _home_url(request),
        "back_label": _("督查督办"),
        "yellow_pp": figures.at_most(rules.yellow_pp, 1),
        "red_pp": figures.at_most(rules.red_pp, 1),
        "due_soon_days": rules.due_soon_days,
        "milestone_grace_days": rules.milestone_grace_days,
    }
    return render(request, "help/supervision.html", context)


@require_GET
@require_role(*READERS)
def board_page(request: HttpRequest) -> HttpResponse:
    choice = _choice(request)
    if choice.error:
        return _page(request, "board", {"choice": choice}, status=400)
    return _page(request, "board", _board_context(request, choice, _filters(request)))


@require_GET
@require_role(Role.LEADERSHIP)
def leader_page(request: HttpRequest) -> HttpResponse:
    """A 分管领导's own tasks (leadership read every task on the board)."""
    choice = _choice(request)
    if choice.error:
        return _page(request, "leader", {"choice": choice, "mine_only": True}, status=400, template="board")
    filters = _filters(request)
    filters.leader_id = request.user.pk
    context = _board_context(request, choice, filters)
    context["mine_only"] = True
    return _page(request, "leader", context, template="board")


def _task_for(request: HttpRequest, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("zone", "leader", "lead_department"), pk=pk)
    user = request.user
    if not access.reads_all(user) and not task.measures.filter(department_id__in=access.department_ids(user)).exists():
        raise Http404
    return task


@require_GET
@require_role(*ANY_ROLE)
def task_page(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task_for(request, pk)
    period = task.period_obj
    live = default_date(period)
    raw = request.GET.get("date", "").strip()[:10]
    try:
        on = date.fromisoformat(raw) if raw else live
    except ValueError:
        on = live
    (status,) = task_statuses(zone=task.zone, period=period, on=on, task_ids=[task.pk])
    if on == live:
        statuses_refresh(tasks=[status], on=on, live=True)
    measures = status.measures
    if not access.reads_all(request.user):
        mine = access.department_ids(request.user)
        measures = tuple(measure for measure in measures if measure.department_id in mine)
        status = seen_with(status, measures)
    context: dict[str, Any] = {
        "task": task,
        "status": status,
        "measures": measures,
        "on": on,
        "live": on == live,
        "history": colour_history([measure.id for measure in measures], limit=50),
        "can_manage": access.manages(request.user),
    }
    if task.tracks_project_stages:
        context["stage_overdue"] = _stage_overdue(task.zone)
    return _page(request, "task", context)


@require_http_methods(["GET", "POST"])
@require_role(*MANAGERS)
def task_new(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    if request.method == "GET":
        return _page(request, "task_new", {"zone": zone, "form": TaskForm(zone=zone)})
    form = TaskForm(request.POST, zone=zone)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = task_create(
                zone=zone,
                period=data["period"],
                number=data["number"],
                area=data["area"],
                lever=data["lever"],
                outcome=data["outcome"],
                leader=data["leader"],
                lead_department=data["lead_department"],
                co_departments=list(data["co_departments"]),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                tracks_project_stages=data["tracks_project_stages"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已立项：%(wording)s") % {"wording": task.wording})
            return redirect("supervision:task", pk=task.pk)
    return _page(request, "task_new", {"zone": zone, "form": form}, status=400)


@require_http_methods(["GET", "POST"])
@require_role(*MANAGERS)
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("zone"), pk=pk)
    if request.method == "GET":
        form = MeasureForm(zone=task.zone, initial={"starts_on": task.starts_on, "deadline": task.ends_on})
        return _page(request, "measure_new", {"task": task, "form": form})
    form = MeasureForm(request.POST, zone=task.zone)
    if form.is_valid():
        data = form.cleaned_data
        try:
            measure = measure_assign(
                task=task,
                title=data["title"],
                department=data["department"],
                starts_on=data["starts_on"],
                deadline=data["deadline"],
                target_text=data["target_text"],
                target_value=data["target_value"],
                target_unit=data["target_unit"],
                report_cycle=data["report_cycle"],
                link=data["link"],
                link_params=form.link_params(),
                milestones=data["milestones"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已交办%(department)s：%(title)s") % {"department": measure.department.name, "title": measure.title},
            )
            return redirect("supervision:task", pk=task.pk)
    return _page(request, "measure_new", {"task": task, "form": form}, status=400)


# -- a measure: its reports, review and history ---------------------------------------------------------


def _measure_for(request: HttpRequest, pk: int) -> Measure:
    measure = get_object_or_404(
        Measure.objects.select_related("task__zone", "task__leader", "department").prefetch_related(
            "milestones",
            Prefetch(
                "reports",
                ProgressReport.objects.select_related("reported_by", "reviewed_by", "department").prefetch_related(
                    "attachments"
                ),
            ),
        ),
        pk=pk,
    )
    if not access.can_see(request.user, measure):
        raise Http404
    return measure


def _measure_status(measure: Measure) -> tuple[MeasureStatus, date, bool]:
    period = measure.task.period_obj
    on = default_date(period)
    (task,) = task_statuses(zone=measure.task.zone, period=period, on=on, task_ids=[measure.task_id])
    statuses_refresh(tasks=[task], on=on, live=True)
    status = next(item for item in task.measures if item.id == measure.pk)
    return status, on, True


def _measure_context(request: HttpRequest, measure: Measure, report_form: ReportForm | None = None) -> dict[str, Any]:
    status, on, live = _measure_status(measure)
    user = request.user
    can_report = access.can_report(user, measure)
    reports = sorted(measure.reports.all(), key=lambda report: (report.reported_on, report.pk), reverse=True)
    return {
        "measure": measure,
        "task": measure.task,
        "status": status,
        "on": on,
        "live": live,
        "reports": reports,
        "history": colour_history([measure.pk], limit=100),
        "can_report": can_report,
        "can_review": access.manages(user) and measure.department_id not in access.department_ids(user),
        "report_form": report_form or (ReportForm(measure=measure) if can_report else None),
        "review_form": ReviewForm(),
    }


@require_GET
@require_role(*ANY_ROLE)
def measure_page(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure_for(request, pk)
    return _page(request, "measure", _measure_context(request, measure))


@require_POST
@require_role(*DEPARTMENT_STAFF)
def measure_report(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure_for(request, pk)
    form = ReportForm(request.POST, request.FILES, measure=measure)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report_submit(
                measure=measure,
                actor=request.user,
                text=data["text"],
                reported_on=data["reported_on"],
                progress_pct=data.get("progress_pct"),
                requests_completion=data["requests_completion"],
                milestones_reached=data["milestones"],
                attachments=data["attachments"],
                ip_address=client_ip(request),
            )
        except SupervisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            done = _("已提交办结申请，待督查室审核") if data["requests_completion"] else _("进展已报送")
            messages.success(request, done)
            return redirect("supervision:measure", pk=measure.pk)
    measure = _measure_for(request, pk)
    return _page(request, "measure", _measure_context(request, measure, report_form=form), status=400)


@require_POST
@require_role(*MANAGERS)
def report_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ProgressReport.objects.select_related("measure"), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("审核结果须为“审核通过”或“退回”"))
        return redirect("supervision:measure", pk=report.measure_id)
    try:
        report_review(
            report=report,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            actor=request.user,
            ip_address=client_ip(request),
        )
    except SupervisionRefused as exc:
        messages.error(request, str(exc))
    else:
        report.refresh_from_db()
        messages.success(request, _("审核结果：%(status)s") % {"status": report.get_status_display()})
    return redirect("supervision:measure", pk=report.measure_id)


@require_GET
@require_role(*ANY_ROLE)
def attachment_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Evidence is read only through this view, with the role checked; never served as static files."""
    item = get_object_or_404(ReportAttachment.objects.select_related("report__measure"), pk=pk)
    if not access.can_see(request.user, item.report.measure):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件不存在")) from exc
    return cast(
        HttpResponse, FileResponse(handle, as_attachment=True, filename=item.title or Path(item.file.name).name)
    )


# -- a department's tasks -----------------------------------------------------------------------------------


@dataclass
class DepartmentBoard:
    zone: Place
    period: Period
    on: date
    tasks: list[TaskStatus] = field(default_factory=list)


@require_GET
@require_role(*DEPARTMENT_STAFF)
def mine_page(request: HttpRequest) -> HttpResponse:
    """我的任务: the measures of the user's departments, and the reminders sent to them."""
    mine = access.department_ids(request.user)
    departments = list(Department.objects.filter(pk__in=mine).select_related("zone"))
    boards: list[DepartmentBoard] = []
    for zone in {department.zone for department in departments}:
        period = default_period(zone)
        if period is None:
            continue
        shown = board(zone=zone, period=period, choice=BoardFilter(department_ids=mine))
        statuses_refresh(tasks=shown.all_tasks, on=shown.on, live=shown.live)
        boards.append(DepartmentBoard(zone, period, shown.on, shown.tasks))
    reminders = Reminder.objects.filter(department_id__in=mine).select_related("measure__task", "department")
    context = {
        "departments": departments,
        "boards": boards,
        "unread": list(reminders.filter(read_at__isnull=True)[:50]),
        "read": list(reminders.filter(read_at__isnull=False)[:20]),
    }
    return _page(request, "mine", context)


@require_POST
@require_role(*DEPARTMENT_STAFF)
def reminder_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder.objects.select_related("department"), pk=pk)
    try:
        reminder_read(reminder=reminder, actor=request.user)
    except SupervisionRefused as exc:
        messages.error(request, str(exc))
    return redirect("supervision:mine")


# -- the bulletin and the project-stage overdue list ----------------------------------------------------------


def _month(request: HttpRequest, zone: Place) -> tuple[int, int] | str:
    raw = request.GET.get("month", "").strip()[:7]
    if not raw:
        period = default_period(zone)
        day = default_date(period) if period else timezone.localdate()
        return day.year, day.month
    try:
        year, month = (int(part) for part in raw.split("-"))
        date(year, month, 1)
    except ValueError:
        return _("“月份”应为 YYYY-MM 形式（收到“%(value)s”）") % {"value": raw}
    return year, month


@require_GET
@require_role(*READERS)
def bulletin_page(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    month = _month(request, zone)
    if isinstance(month, str):
        return _page(request, "bulletin", {"zone": zone, "error": month}, status=400)
    year, number = month
    try:
        result = bulletin(zone=zone, year=year, month=number)
    except BulletinRefused as exc:
        return _page(
            request, "bulletin", {"zone": zone, "error": str(exc), "month": f"{year}-{number:02d}"}, status=400
        )
    kind = request.GET.get("format", "")
    if kind in ("docx", "xlsx"):
        content = bulletin_docx(result) if kind == "docx" else bulletin_xlsx(result)
        name = export_file_name(zone.display_name, _("督查通报"), result.month_label, suffix=f".{kind}")
        user = request.user if isinstance(request.user, User) else None
        bulletin_exported(bulletin=result, kind=kind, actor=user, ip_address=client_ip(request))
        return download(
            content,
            file_name=name,
            fallback=f"supervision-bulletin-{zone.code}-{year}-{number:02d}.{kind}",
            content_type=DOCX if kind == "docx" else XLSX,
        )
    numbered = [
        {
            "number": chinese_number(index),
            "section": section,
            "items": [(chinese_number(i), text) for i, text in enumerate(section.items, start=1)],
        }
        for index, section in enumerate(sections(result), start=1)
    ]
    context = {
        "zone": zone,
        "bulletin": result,
        "title": title(result),
        "subtitle": subtitle(result),
        "sections": numbered,
        "month": f"{year}-{number:02d}",
        "signed_on": day_text(result.on),
    }
    return _page(request, "bulletin", context)


@require_GET
@require_role(*OVERDUE_READERS)
def overdue_page(request: HttpRequest) -> HttpResponse:
    """Projects past their stage's limit, as the items of the task that supervises project construction."""
    zone = _zone(request)
    cards = overdue_projects(zone=zone)
    rules = rules_for(zone)
    limits = [(label, rules.stage_limits[value]) for value, label in Stage.choices if value in rules.stage_limits]
    period = default_period(zone)
    task = (
        Task.objects.filter(zone=zone, period=period.code, tracks_project_stages=True)
        .select_related("leader", "lead_department")
        .first()
        if period
        else None
    )
    context = {
        "zone": zone,
        "task": task,
        "cards": cards,
        "red": sum(1 for card in cards if card.colour == "red"),
        "limits": limits,
        "can_open": has_role(request.user, Role.INVESTMENT_OFFICER, Role.LEADERSHIP),
        "today": timezone.localdate(),
    }
    return _page(request, "overdue", context)
