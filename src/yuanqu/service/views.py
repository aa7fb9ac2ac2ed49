"""The service-centre pages: the window's workbench, a case, the review list, the dashboard,
the catalogue, windows, the calendar, the exports, and the applicant's rating page.

Thin: parse and validate (forms), call a service or a selector, render. htmx requests get
the fragment template next to their page.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu import figures
from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.roles import Role, has_role
from yuanqu.core.models import Department, Place
from yuanqu.core.paging import paged
from yuanqu.exports import download, export_file_name
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.uploads import upload_discard, upload_keep, upload_path
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
from yuanqu.service.forms import (
    CalendarCheckForm,
    CalendarYearForm,
    CaseFilterForm,
    CatalogueUploadForm,
    DecideForm,
    FollowUpForm,
    ItemForm,
    MaterialsForm,
    OverrideForm,
    PauseForm,
    RatingForm,
    ReasonForm,
    RegisterForm,
    RulesForm,
    WindowForm,
)
from yuanqu.service.models import (
    IN_CENTRE,
    OPEN_STAGES,
    CalendarYear,
    Case,
    CaseStep,
    Evaluation,
    Item,
    ItemCategory,
    Presence,
    ServiceZone,
    Stage,
    Window,
    WorkingDayOverride,
    due_soon_q,
    overdue_q,
)
from yuanqu.service.selectors import (
    cases_by_zone_and_day,
    centre_rules,
    centre_scorecard,
    day_span,
    due_soon_limit,
    period_dates,
    queue_counts,
    zone_calendar,
)
from yuanqu.service.services import (
    ApplicantIn,
    ServiceRefused,
    calendar_year_enter,
    case_accept,
    case_decide,
    case_issue,
    case_refuse,
    case_register,
    case_request_supplement,
    case_supplement_received,
    cases_export,
    catalogue_export,
    catalogue_import,
    evaluation_follow_up,
    evaluation_record,
    item_save,
    override_remove,
    override_set,
    rules_set,
    scorecard_export,
    window_save,
    window_staff_set,
)
from yuanqu.service.workdays import CalendarError
from yuanqu.service.writing import as_data, centre_sentence, figures_sentence

PENDING_CATALOGUE = "pending_service_catalogue"
SEARCH_PAGE_SIZE = 50
QUEUE_LIMIT = 100
CASES_PAGE_SIZE = 50

TABS = [
    # (page, label, url name, roles that see it)
    ("workbench", _lazy("窗口工作台"), "service:workbench", CLERKS),
    ("review", _lazy("审批办件"), "service:review", REVIEWERS),
    ("cases", _lazy("办件查询"), "service:cases", MANAGERS),
    ("dashboard", _lazy("运行监测"), "service:dashboard", DASHBOARD_READERS),
    ("catalogue", _lazy("事项清单"), "service:catalogue", CATALOGUE_READERS),
    ("windows", _lazy("专区与窗口"), "service:windows", MANAGERS),
    ("calendar", _lazy("工作日历"), "service:calendar", MANAGERS),
]
TAB_OF_PAGE = {"case": "", "item": "catalogue", "catalogue_import": "catalogue"}


def _page(request: HttpRequest, page: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    active = TAB_OF_PAGE.get(page, page)
    context["tabs"] = [
        {"label": label, "url": reverse(name), "active": key == active}
        for key, label, name, roles in TABS
        if has_role(request.user, *roles)
    ]
    return render(request, f"service/{page}.html", context, status=status)


def _zone(request: HttpRequest) -> Place:
    code = request.GET.get("zone", "").strip()[:40] or settings.YUANQU_DEFAULT_ZONE
    zone = Place.objects.filter(code=code, level=Place.Level.ZONE).first()
    if zone is None:
        raise Http404(_("未找到园区“%(code)s”") % {"code": code})
    return zone


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_GET
@require_role(*SERVICE_ROLES)
def help_page(request: HttpRequest) -> HttpResponse:
    """使用说明 of the service centre: how its figures and working days are counted."""
    rules = centre_rules(_zone(request))
    context = {
        "help_title": _("政务服务"),
        "back_url": reverse("service:home"),
        "back_label": _("政务服务"),
        "due_soon_days": rules.due_soon_days,
        "follow_up_days": rules.follow_up_days,
    }
    return render(request, "help/service.html", context)


@require_GET
@require_role(*SERVICE_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    """Each role's starting page."""
    if has_role(request.user, *CLERKS):
        return redirect("service:workbench")
    if has_role(request.user, *REVIEWERS):
        return redirect("service:review")
    if has_role(request.user, *DASHBOARD_READERS):
        return redirect("service:dashboard")
    return redirect("service:catalogue")


# -- cases as rows ------------------------------------------------------------------------------


@dataclass
class CaseRow:
    case: Case
    applicant: Any
    overdue: bool
    due_soon: bool
    provisional: bool  # the promised due date falls in a year whose holidays are not known


def _rows(cases: Any, viewer: Viewer, today: date, due_soon_until: date) -> list[CaseRow]:
    rows = []
    calendars: dict[int, Any] = {}
    for case in cases:
        overdue = case.overdue_on(today)
        soon = case.due_soon_on(today, due_soon_until)
        provisional = False
        if case.due_provisional and case.accepted_on and case.due_on:
            calendar = calendars.get(case.zone_id) or calendars.setdefault(case.zone_id, zone_calendar(case.zone))
            provisional = bool(calendar.unknown_years(case.accepted_on, case.due_on))
        rows.append(CaseRow(case, applicant_of(case, viewer, bad_rating=False), overdue, soon, provisional))
    return rows


def _case_list(cases: Any) -> Any:
    return cases.select_related("item", "department", "window__service_zone", "service_zone")


# -- the window's workbench ------------------------------------------------------------------


def _register_form(viewer: Viewer, zone: Place, data: Any = None) -> RegisterForm:
    windows = Window.objects.filter(pk__in=viewer.window_ids).select_related("service_zone", "department")
    items = Item.objects.in_zone(zone).active().filter(presence__in=IN_CENTRE).select_related("department")
    form = RegisterForm(data, windows=windows, items=items.order_by("service_zone__sort_order", "code"))
    first = windows.first()
    if first is not None:
        form.fields["window"].initial = first.pk
    return form


def _workbench_context(request: HttpRequest, viewer: Viewer, zone: Place) -> dict[str, Any]:
    today = timezone.localdate()
    until = due_soon_limit(zone, today)
    mine = Case.objects.in_zone(zone).filter(window_id__in=viewer.window_ids)
    waiting = _case_list(
        mine.filter(
            Q(stage__in=[Stage.NOTIFIED, *OPEN_STAGES])
            | Q(issued_on=today)
            | Q(registered_at__gte=day_span(today, today)[0])
        )
    ).order_by("due_on", "registered_at")[:QUEUE_LIMIT]
    due = _case_list(mine.filter(overdue_q(today) | due_soon_q(today, until))).order_by("due_on", "number")[
        :QUEUE_LIMIT
    ]
    return {
        "zone": zone,
        "today": today,
        "windows": Window.objects.filter(pk__in=viewer.window_ids).select_related("service_zone", "department"),
        "counts": queue_counts(mine, day=today, due_soon_until=until),
        "queue": _rows(waiting, viewer, today, until),
        "due": _rows(due, viewer, today, until),
    }


@require_GET
@require_role(*CLERKS)
def workbench(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    viewer = viewer_of(request.user)
    context = _workbench_context(request, viewer, zone)
    context["form"] = _register_form(viewer, zone)
    return _page(request, "workbench", context)


@require_GET
@require_role(*CLERKS)
def materials_fragment(request: HttpRequest) -> HttpResponse:
    """htmx: the checklist of the chosen item, to tick the materials received."""
    zone = _zone(request)
    raw = request.GET.get("item", "")
    item = Item.objects.in_zone(zone).filter(pk=int(raw)).first() if raw.isdigit() else None
    return render(request, "service/_materials.html", {"item": item, "checked": []})


@require_POST
@require_role(*CLERKS)
def register(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    viewer = viewer_of(request.user)
    form = _register_form(viewer, zone, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = case_register(
                window=data["window"],
                item=data["item"],
                applicant=ApplicantIn(
                    kind=data["applicant_kind"],
                    name=data["applicant_name"],
                    code=data["applicant_code"],
                    contact_phone=data["contact_phone"],
                    contact_name=data["contact_name"],
                ),
                materials_received=data["materials"],
                outcome=data["outcome"],
                reason=data["reason"],
                number=data["number"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ServiceRefused as exc:
            if exc.field and exc.field in form.fields:
                form.add_error(exc.field, str(exc))
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("已登记办件%(number)s：%(stage)s") % {"number": case.number, "stage": case.get_stage_display()},
            )
            return redirect("service:case", pk=case.pk)
    context = _workbench_context(request, viewer, zone)
    context["form"] = form
    raw = request.POST.get("item", "")
    context["selected_item"] = Item.objects.in_zone(zone).filter(pk=int(raw)).first() if raw.isdigit() else None
    context["checked"] = request.POST.getlist("materials")
    return _page(request, "workbench", context, status=400)


@require_GET
@require_role(*CASE_READERS)
def search(request: HttpRequest) -> HttpResponse:
    """Search the cases the user may see by case number, applicant or code (htmx fragment)."""
    zone = _zone(request)
    viewer = viewer_of(request.user)
    query = request.GET.get("q", "").strip()[:60]
    rows: list[CaseRow] = []
    if query:
        matches = viewer.cases(zone).filter(
            Q(number__icontains=query) | Q(applicant_name__icontains=query) | Q(applicant_code__iexact=query)
        )
        today = timezone.localdate()
        page, kept = paged(request, _case_list(matches).order_by("-registered_at", "-id"), SEARCH_PAGE_SIZE)
        rows = _rows(page.object_list, viewer, today, today)
    else:
        page, kept = None, ""
    context: dict[str, Any] = {"rows": rows, "query": query, "page": page, "kept": kept}
    if _is_htmx(request):
        return render(request, "service/_search.html", context)
    context["zone"] = zone
    return _page(request, "search", context)


# -- one case -------------------------------------------------------------------------------


def _case_for(request: HttpRequest, pk: int) -> tuple[Case, Viewer]:
    case = get_object_or_404(
        Case.objects.select_related(
            "zone", "item", "department", "window__service_zone", "service_zone", "registered_by", "evaluation"
        ),
        pk=pk,
    )
    viewer = viewer_of(request.user)
    if not viewer.can_open(case):
        raise PermissionDenied(_("您无权查看该办件"))
    return case, viewer


def _case_context(case: Case, viewer: Viewer) -> dict[str, Any]:
    today = timezone.localdate()
    evaluation = getattr(case, "evaluation", None)
    calendar = zone_calendar(case.zone)
    pause = case.pauses.filter(ended_on=None).first()
    used = None
    if case.accepted_on is not None and case.stage in OPEN_STAGES:
        closed = [(item.started_on, item.ended_on) for item in case.pauses.all() if item.ended_on is not None]
        end = pause.started_on if pause is not None else today
        used = calendar.elapsed(case.accepted_on, end, closed)
    at_window = viewer.at_window(case)
    in_department = viewer.in_department(case)
    return {
        "case": case,
        "applicant": applicant_of(case, viewer, bad_rating=bool(evaluation and evaluation.is_bad)),
        "steps": CaseStep.objects.filter(case=case).select_related("actor", "window", "department"),
        "pauses": case.pauses.all(),
        "open_pause": pause,
        "evaluation": evaluation,
        "today": today,
        "overdue": case.overdue_on(today),
        "due_soon": case.due_soon_on(today, due_soon_limit(case.zone, today)),
        "used_days": used,
        "unknown_years": calendar.unknown_years(case.accepted_on, case.legal_due_on)
        if case.accepted_on and case.legal_due_on
        else [],
        "can_accept": at_window and case.stage == Stage.NOTIFIED,
        "can_review": in_department and case.stage == Stage.REVIEWING,
        "can_resume": (at_window or in_department) and case.stage == Stage.SUSPENDED,
        "can_issue": at_window and case.stage == Stage.DECIDED,
        "can_rate": at_window and case.stage == Stage.ISSUED and evaluation is None,
        "can_follow_up": viewer.is_manager
        and evaluation is not None
        and evaluation.is_bad
        and not evaluation.followed_up_on,
        "accept_form": MaterialsForm(missing=list(case.materials_missing)),
        "refuse_form": ReasonForm(),
        "pause_form": PauseForm(),
        "decide_form": DecideForm(),
        "rating_form": RatingForm(),
        "follow_up_form": FollowUpForm(),
        "rating_url": reverse("service:rate", args=[case.rating_code]) if case.rating_code else "",
    }


@require_GET
@require_role(*CASE_READERS)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case, viewer = _case_for(request, pk)
    return _page(request, "case", _case_context(case, viewer))


@require_POST
@require_role(*CASE_READERS)
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step of a case from its page; a refusal shows the page again with the reason."""
    case, viewer = _case_for(request, pk)
    actor, ip_address = request.user, client_ip(request)
    done = ""
    error = ""
    forms: dict[str, Any] = {}
    try:
        if action == "accept":
            form = MaterialsForm(request.POST, missing=list(case.materials_missing))
            forms["accept_form"] = form
            if form.is_valid():
                case_accept(
                    case=case, materials_received=form.cleaned_data["materials"], actor=actor, ip_address=ip_address
                )
                done = _("已受理，开始计时")
        elif action == "refuse":
            refuse_form = ReasonForm(request.POST)
            forms["refuse_form"] = refuse_form
            if refuse_form.is_valid():
                case_refuse(case=case, reason=refuse_form.cleaned_data["reason"], actor=actor, ip_address=ip_address)
                done = _("已不予受理")
        elif action == "pause":
            pause_form = PauseForm(request.POST)
            forms["pause_form"] = pause_form
            if pause_form.is_valid():
                case_request_supplement(case=case, missing=pause_form.names(), actor=actor, ip_address=ip_address)
                done = _("已告知补正，暂停计时")
        elif action == "resume":
            case_supplement_received(case=case, actor=actor, ip_address=ip_address)
            done = _("补正齐全，恢复计时")
        elif action == "decide":
            decide_form = DecideForm(request.POST)
            forms["decide_form"] = decide_form
            if decide_form.is_valid():
                case_decide(
                    case=case,
                    decision=decide_form.cleaned_data["decision"],
                    reason=decide_form.cleaned_data["reason"],
                    actor=actor,
                    ip_address=ip_address,
                )
                done = _("已作出审批决定，待窗口出件")
        elif action == "issue":
            case_issue(case=case, actor=actor, ip_address=ip_address)
            done = _("已出件，请申请人评价")
        elif action == "rate":
            rating_form = RatingForm(request.POST)
            forms["rating_form"] = rating_form
            if rating_form.is_valid():
                evaluation_record(
                    case=case,
                    rating=rating_form.cleaned_data["rating"],
                    comment=rating_form.cleaned_data["comment"],
                    actor=actor,
                    ip_address=ip_address,
                )
                done = _("已记录评价")
        elif action == "follow-up":
            if not viewer.is_manager:
                raise PermissionDenied(_("差评整改由中心管理员登记"))
            follow_form = FollowUpForm(request.POST)
            forms["follow_up_form"] = follow_form
            evaluation = Evaluation.objects.filter(case=case).first()
            if evaluation is None:
                raise Http404
            if follow_form.is_valid():
                evaluation_follow_up(
                    evaluation=evaluation, note=follow_form.cleaned_data["note"], actor=actor, ip_address=ip_address
                )
                done = _("已登记整改")
        else:
            raise Http404
    except ServiceRefused as exc:
        error = str(exc)
    if done:
        messages.success(request, done)
        return redirect("service:case", pk=case.pk)
    case, viewer = _case_for(request, pk)
    context = _case_context(case, viewer)
    context.update(forms)
    context["error"] = error or _("请检查填写的内容")
    return _page(request, "case", context, status=400)


# -- the department's review list --------------------------------------------------------------


@require_GET
@require_role(*REVIEWERS)
def review(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    viewer = viewer_of(request.user)
    today = timezone.localdate()
    until = due_soon_limit(zone, today)
    ours = Case.objects.in_zone(zone).filter(department_id__in=viewer.department_ids)
    pending = _case_list(ours.filter(stage__in=[Stage.REVIEWING, Stage.SUSPENDED])).order_by(
        "due_on", "accepted_on", "number"
    )[:QUEUE_LIMIT]
    recent = _case_list(ours.filter(stage__in=[Stage.DECIDED, Stage.ISSUED], decided_on__isnull=False)).order_by(
        "-decided_on", "-number"
    )[:20]
    context = {
        "zone": zone,
        "departments": request.user.departments.all() if hasattr(request.user, "departments") else [],
        "counts": queue_counts(ours, day=today, due_soon_until=until),
        "pending": _rows(pending, viewer, today, until),
        "recent": _rows(recent, viewer, today, until),
    }
    return _page(request, "review", context)


@require_GET
@require_role(*MANAGERS)
def cases_page(request: HttpRequest) -> HttpResponse:
    """The manager's list of the zone's cases (personal data masked), filtered by stage, date of
    registration and department, newest first, a page at a time."""
    zone = _zone(request)
    viewer = viewer_of(request.user)
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    cases = Case.objects.in_zone(zone)
    if stage == "overdue":
        cases = cases.overdue_on(today)
    elif stage in Stage.values:
        cases = cases.filter(stage=stage)
    filters = CaseFilterForm(request.GET, zone=zone)
    if filters.is_valid():
        first, last = filters.cleaned_data["registered_from"], filters.cleaned_data["registered_to"]
        if first:
            cases = cases.filter(registered_at__gte=_start_of(first))
        if last:
            cases = cases.filter(registered_at__lt=_start_of(last + timedelta(days=1)))
        if filters.cleaned_data["department"]:
            cases = cases.filter(department=filters.cleaned_data["department"])
    filter_errors = [error for errors in filters.errors.values() for error in errors]
    if filter_errors:  # shown again with what was understood: a date input takes only ISO dates
        understood = {key: value for key, value in filters.cleaned_data.items() if key not in filters.errors}
        filters = CaseFilterForm(initial=understood, zone=zone)
    page, query = paged(request, _case_list(cases).order_by("-registered_at", "-id"), CASES_PAGE_SIZE)
    rows = _rows(page.object_list, viewer, today, today)
    bad = (
        Evaluation.objects.filter(zone=zone, is_bad=True, followed_up_on__isnull=True)
        .select_related("case")
        .order_by("follow_up_due_on")[:50]
    )
    context = {
        "zone": zone,
        "rows": rows,
        "page": page,
        "query": query,
        "filters": filters,
        "filter_errors": filter_errors,
        "stage": stage,
        "stages": Stage.choices,
        "bad": bad,
        "today": today,
    }
    return _page(request, "cases", context)


def _start_of(day: date) -> datetime:
    """The first instant of a day in the platform's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


# -- the dashboard ------------------------------------------------------------------------------


@dataclass
class PeriodChoice:
    period: Period
    error: str = ""


def _period(request: HttpRequest, default: Period) -> PeriodChoice:
    raw = request.GET.get("period", "").strip()[:40]
    if not raw:
        return PeriodChoice(default)
    try:
        return PeriodChoice(Period.parse(raw))
    except PeriodError as exc:
        return PeriodChoice(default, str(exc))


def default_month() -> Period:
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def period_choices(today: date) -> list[Period]:
    periods: list[Period] = []
    for year in range(today.year, 2022, -1):
        last = today.month if year == today.year else 12
        periods += [Period.month(year, month) for month in range(last, 0, -1)]
        periods += [Period(year, 1, 12), Period(year, 1, 6)]
    return periods


def dashboard_data(zone: Place, period: Period) -> dict[str, Any]:
    card = centre_scorecard(zone=zone, period=period)
    first, last = period_dates(period)
    by_day = cases_by_zone_and_day(zone=zone, first=first, last=last)
    data = as_data(card)
    data["by_zone_and_day"] = {
        "days": [day.isoformat() for day in by_day.days],
        "zones": by_day.zones,
        "counts": by_day.counts,
        "totals": by_day.totals,
    }
    return {"card": card, "data": data, "by_day": by_day}


@require_GET
@require_role(*DASHBOARD_READERS)
def dashboard(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    choice = _period(request, default_month())
    context: dict[str, Any] = {"zone": zone, "choice": choice, "periods": period_choices(timezone.localdate())}
    if not choice.error:
        built = dashboard_data(zone, choice.period)
        card = built["card"]
        context.update(
            card=card,
            data=built["data"],
            by_day=built["by_day"],
            sentence=centre_sentence(card),
            figures_sentence=figures_sentence(card),
            figures=card.figures,
            item_times=card.item_times[:30],
            can_open_cases=has_role(request.user, *MANAGERS),
        )
    template = "dashboard_panel" if _is_htmx(request) else "dashboard"
    if template == "dashboard_panel":
        return render(request, "service/_dashboard_panel.html", context, status=400 if choice.error else 200)
    return _page(request, template, context, status=400 if choice.error else 200)


@require_GET
@require_role(*DASHBOARD_READERS)
def scorecard_download(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    choice = _period(request, Period(2023, 1, 6))
    if choice.error:
        return HttpResponse(choice.error, status=400, content_type="text/plain; charset=utf-8")
    card = centre_scorecard(zone=zone, period=choice.period)
    content = scorecard_export(card=card, actor=request.user, ip_address=client_ip(request))
    name = export_file_name(zone.display_name, "政务服务中心成绩单", choice.period.full_label)
    return download(content, file_name=name, fallback=f"service-scorecard-{zone.code}-{choice.period.code}.xlsx")


@require_GET
@require_role(*CASE_READERS)
def cases_download(request: HttpRequest) -> HttpResponse:
    """The cases of a period the user may see; personal data masked where the user does not handle the case."""
    zone = _zone(request)
    choice = _period(request, default_month())
    if choice.error:
        return HttpResponse(choice.error, status=400, content_type="text/plain; charset=utf-8")
    viewer = viewer_of(request.user)
    start, end = day_span(*period_dates(choice.period))
    cases = (
        _case_list(viewer.cases(zone).filter(registered_at__gte=start, registered_at__lt=end))
        .select_related("evaluation")
        .order_by("registered_at", "number")
    )
    content = cases_export(
        zone=zone,
        cases=cases.iterator(chunk_size=2000),
        viewer=viewer,
        period_label=choice.period.full_label,
        actor=request.user,
        ip_address=client_ip(request),
    )
    name = export_file_name(zone.display_name, "政务服务办件", choice.period.full_label)
    return download(content, file_name=name, fallback=f"service-cases-{zone.code}-{choice.period.code}.xlsx")


# -- the catalogue ------------------------------------------------------------------------------


@require_GET
@require_role(*CATALOGUE_READERS)
def catalogue(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    items = Item.objects.in_zone(zone).select_related("department", "service_zone").order_by("code")
    category = request.GET.get("category", "")
    presence = request.GET.get("presence", "")
    query = request.GET.get("q", "").strip()[:60]
    if category in ItemCategory.values:
        items = items.filter(category=category)
    if presence in Presence.values:
        items = items.filter(presence=presence)
    if query:
        items = items.filter(Q(name__icontains=query) | Q(code__icontains=query))
    context = {
        "zone": zone,
        "items": items,
        "categories": ItemCategory.choices,
        "presences": Presence.choices,
        "category": category,
        "presence": presence,
        "query": query,
        "can_edit": has_role(request.user, *MANAGERS),
    }
    if _is_htmx(request):
        return render(request, "service/_items.html", context)
    return _page(request, "catalogue", context)


@require_http_methods(["GET", "POST"])
@require_role(*MANAGERS)
def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    zone = _zone(request)
    item = get_object_or_404(Item, pk=pk, zone=zone) if pk is not None else None
    if request.method == "GET":
        initial: dict[str, Any] = {}
        if item is not None:
            initial = {key: figures.entered(getattr(item, key)) for key in ItemForm.base_fields if hasattr(item, key)}
            initial["materials"] = "\n".join(item.materials)
            initial["department"] = item.department_id
            initial["service_zone"] = item.service_zone_id
        form = ItemForm(initial=initial, zone=zone, editing=item is not None)
        return _page(request, "item", {"zone": zone, "item": item, "form": form})
    data = request.POST.copy()
    if item is not None:
        data["code"] = item.code
    form = ItemForm(data, zone=zone, editing=item is not None)
    if form.is_valid():
        try:
            _saved, changed = item_save(
                zone=zone,
                code=item.code if item is not None else form.cleaned_data["code"],
                values=form.values(),
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ServiceRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            if changed:
                messages.success(request, _("已保存：%(fields)s") % {"fields": "、".join(changed)})
            else:
                messages.info(request, _("没有修改"))
            return redirect("service:catalogue")
    return _page(request, "item", {"zone": zone, "item": item, "form": form}, status=400)


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_CATALOGUE, None)
    if pending:
        upload_discard(upload_path(pending.get("token", ""), pending.get("suffix", "")))


@require_http_methods(["GET", "POST"])
@require_role(*MANAGERS)
def catalogue_import_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every error by row and column; nothing written) → confirm."""
    zone = _zone(request)
    if request.method == "GET":
        return _page(request, "catalogue_import", {"zone": zone, "form": CatalogueUploadForm()})
    form = CatalogueUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, "catalogue_import", {"zone": zone, "form": form}, status=400)
    _forget_pending(request)
    upload = form.cleaned_data["file"]
    file_name = Path(upload.name or "").name[:200]
    token, path = upload_keep(upload)
    try:
        report = catalogue_import(path=path, zone=zone, actor=request.user, dry_run=True, file_name=file_name)
    except ImportRejected as exc:
        upload_discard(path)
        context = {"zone": zone, "form": CatalogueUploadForm(), "rejected": exc, "file_name": file_name}
        return _page(request, "catalogue_import", context, status=400)
    request.session[PENDING_CATALOGUE] = {
        "token": token,
        "suffix": path.suffix,
        "zone": zone.code,
        "file_name": file_name,
    }
    return _page(request, "catalogue_import", {"zone": zone, "preview": report, "token": token})


@require_POST
@require_role(*MANAGERS)
def catalogue_import_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_CATALOGUE) or {}
    path = upload_path(pending.get("token", ""), pending.get("suffix", ""))
    zone = Place.objects.filter(code=pending.get("zone", "")).first()
    if path is None or zone is None or request.POST.get("token") != pending.get("token"):
        context = {"form": CatalogueUploadForm(), "error": _("待确认的文件已失效，请重新上传")}
        return _page(request, "catalogue_import", context, status=400)
    try:
        report = catalogue_import(
            path=path, zone=zone, actor=request.user, file_name=pending["file_name"], ip_address=client_ip(request)
        )
    except ImportRejected as exc:
        return _page(
            request, "catalogue_import", {"zone": zone, "form": CatalogueUploadForm(), "rejected": exc}, status=400
        )
    finally:
        _forget_pending(request)
    return _page(request, "catalogue_import", {"zone": zone, "done": report, "form": CatalogueUploadForm()})


@require_GET
@require_role(*CATALOGUE_READERS)
def catalogue_download(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    content = catalogue_export(zone=zone, actor=request.user, ip_address=client_ip(request))
    name = export_file_name(zone.display_name, "政务服务事项清单")
    return download(content, file_name=name, fallback=f"service-catalogue-{zone.code}.xlsx")


# -- windows and the calendar ---------------------------------------------------------------------


def _windows_context(zone: Place, clerks: Any, add_form: WindowForm | None = None) -> dict[str, Any]:
    zones = ServiceZone.objects.filter(zone=zone).prefetch_related("windows__staff", "windows__department")
    return {
        "zone": zone,
        "service_zones": zones,
        "clerks": clerks,
        "add_form": add_form or WindowForm(zone=zone, adding=True),
        "all_service_zones": ServiceZone.objects.filter(zone=zone),
        "departments": Department.objects.filter(zone=zone).order_by("name"),
        "kinds": Window.Kind.choices,
    }


def _posted_pk(request: HttpRequest, name: str) -> int:
    """A posted id: anything but digits is an id no row has (so the page answers 404, not 500)."""
    raw = request.POST.get(name, "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


@require_http_methods(["GET", "POST"])
@require_role(*MANAGERS)
def windows_page(request: HttpRequest) -> HttpResponse:
    """The service zones' windows: add a window, change its kind, department and zone, assign staff."""
    from django.contrib.auth.models import User

    zone = _zone(request)
    clerks = User.objects.filter(groups__name=Role.SERVICE_STAFF.value, is_active=True).order_by("username")
    if request.method == "GET":
        return _page(request, "windows", _windows_context(zone, clerks))
    what = request.POST.get("what", "staff")
    if what in ("add", "edit"):
        window = None
        if what == "edit":
            window = get_object_or_404(Window, pk=_posted_pk(request, "window"), service_zone__zone=zone)
        form = WindowForm(request.POST, zone=zone, adding=window is None)
        error = ""
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved, changes = window_save(
                    zone=zone,
                    window=window,
                    number=data["number"],
                    service_zone=data["service_zone"],
                    kind=data["kind"],
                    department=data["department"],
                    actor=request.user,
                    ip_address=client_ip(request),
                )
            except ServiceRefused as exc:
                error = str(exc)
            else:
                if window is None:
                    messages.success(request, _("已新增%(window)s") % {"window": saved})
                elif changes:
                    messages.success(request, _("已修改%(window)s") % {"window": saved})
                else:
                    messages.info(request, _("没有修改"))
                return redirect("service:windows")
        else:
            error = "；".join(
                _("%(field)s：%(error)s") % {"field": form.fields[name].label, "error": message}
                if name in form.fields
                else str(message)
                for name, errors in form.errors.items()
                for message in errors
            )
        messages.error(request, error)
        context = _windows_context(zone, clerks, form if window is None else None)
        return _page(request, "windows", context, status=400)
    if what != "staff":
        raise Http404
    window = get_object_or_404(Window, pk=_posted_pk(request, "window"), service_zone__zone=zone)
    chosen = [value for value in request.POST.getlist("staff") if value.isdigit()]
    staff = list(clerks.filter(pk__in=chosen))
    if len(staff) != len(set(chosen)):
        messages.error(request, _("窗口人员：只能选择具有窗口人员角色的用户"))
    else:
        window_staff_set(window=window, staff=staff, actor=request.user, ip_address=client_ip(request))
        messages.success(request, _("已更新%(window)s的窗口人员") % {"window": window})
    return redirect("service:windows")


@require_http_methods(["GET", "POST"])
@require_role(*MANAGERS)
def calendar_page(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    calendar = zone_calendar(zone)
    override_form, year_form, rules_form = OverrideForm(), CalendarYearForm(), None
    rules = centre_rules(zone)
    status = 200
    if request.method == "POST":
        what = request.POST.get("what", "")
        actor, ip_address = request.user, client_ip(request)
        try:
            if what == "override":
                override_form = OverrideForm(request.POST)
                if override_form.is_valid():
                    data = override_form.cleaned_data
                    change = override_set(
                        zone=zone,
                        day=data["day"],
                        is_working_day=data["is_working_day"],
                        note=data["note"],
                        actor=actor,
                        ip_address=ip_address,
                    )
                    messages.success(
                        request,
                        _("已保存%(day)s的调整；%(count)d件在办办件的办结期限已按新日历重新计算")
                        % {"day": data["day"], "count": change.cases_moved},
                    )
                    return redirect("service:calendar")
            elif what == "remove":
                override = get_object_or_404(WorkingDayOverride, pk=_posted_pk(request, "override"), zone=zone)
                day = override.day
                change = override_remove(override=override, actor=actor, ip_address=ip_address)
                messages.success(
                    request,
                    _("已删除%(day)s的调整；%(count)d件在办办件的办结期限已按新日历重新计算")
                    % {"day": day, "count": change.cases_moved},
                )
                return redirect("service:calendar")
            elif what == "year":
                year_form = CalendarYearForm(request.POST)
                if year_form.is_valid():
                    change = calendar_year_enter(
                        zone=zone,
                        year=year_form.cleaned_data["year"],
                        note=year_form.cleaned_data["note"],
                        actor=actor,
                        ip_address=ip_address,
                    )
                    messages.success(
                        request,
                        _("已标记%(year)d年节假日安排已录入；%(count)d件在办办件的办结期限已按新日历重新计算")
                        % {"year": year_form.cleaned_data["year"], "count": change.cases_moved},
                    )
                    return redirect("service:calendar")
            elif what == "rules":
                rules_form = RulesForm(request.POST)
                if rules_form.is_valid():
                    rules_set(
                        zone=zone,
                        follow_up_days=rules_form.cleaned_data["follow_up_days"],
                        due_soon_days=rules_form.cleaned_data["due_soon_days"],
                        actor=actor,
                        ip_address=ip_address,
                    )
                    messages.success(request, _("已保存规则"))
                    return redirect("service:calendar")
            else:
                raise Http404
        except ServiceRefused as exc:
            messages.error(request, str(exc))
        status = 400
    check = CalendarCheckForm(request.GET or None)
    answer = None
    if check.is_bound and check.is_valid():
        try:
            day = calendar.add_working_days(check.cleaned_data["start"], check.cleaned_data["days"])
            answer = {"day": day, "unknown": calendar.unknown_years(check.cleaned_data["start"], day)}
        except CalendarError as exc:
            check.add_error(None, str(exc))
    today = timezone.localdate()
    context = {
        "zone": zone,
        "overrides": WorkingDayOverride.objects.filter(zone=zone).select_related("created_by"),
        "years": CalendarYear.objects.filter(zone=zone),
        "override_form": override_form,
        "year_form": year_form,
        "rules_form": rules_form
        or RulesForm(initial={"follow_up_days": rules.follow_up_days, "due_soon_days": rules.due_soon_days}),
        "check": check,
        "answer": answer,
        "unknown_next": calendar.unknown_years(today, today.replace(year=today.year + 1)),
    }
    return _page(request, "calendar", context, status=status)


# -- the applicant's rating from the printed code ------------------------------------------------


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, code: str) -> HttpResponse:
    """好差评 from the code printed on the receipt: no login, one rating per case, no personal data shown."""
    case = Case.objects.filter(rating_code=code[:12], stage=Stage.ISSUED).select_related("item", "zone").first()
    if case is None:
        raise Http404(_("评价码无效"))
    existing = Evaluation.objects.filter(case=case).first()
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            try:
                existing = evaluation_record(
                    case=case,
                    rating=form.cleaned_data["rating"],
                    comment=form.cleaned_data["comment"],
                    channel=Evaluation.Channel.CODE,
                    ip_address=client_ip(request),
                )
            except ServiceRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                status = 400
        else:
            status = 400
    return render(request, "service/rate.html", {"case": case, "form": form, "done": existing}, status=status)
