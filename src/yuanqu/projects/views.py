"""The investment-project pages: board, project, stage move, start review, statistics, ledger."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu import figures
from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.roles import Role, has_role
from yuanqu.core.models import Place
from yuanqu.exports import download
from yuanqu.indicators.dashboard import default_period
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.uploads import upload_discard, upload_keep, upload_path
from yuanqu.periods import Period, PeriodError
from yuanqu.projects.forms import (
    PROJECT_FORM_KEYS,
    CreditForm,
    LedgerUploadForm,
    ProjectForm,
    StageMoveForm,
    StartClaimForm,
)
from yuanqu.projects.models import (
    Category,
    CountingRule,
    Project,
    ProjectCredit,
    Stage,
    StageEvent,
    StageEvidence,
    StartClaim,
    StartEvidence,
    StartRequirement,
)
from yuanqu.projects.rules import overdue_colour, rules_for, start_requirements
from yuanqu.projects.selectors import BOARD_STAGES, board, pipeline_statistics
from yuanqu.projects.services import (
    CLAIMABLE_STAGES,
    CreditShare,
    EvidenceItem,
    ProjectRefused,
    credit_assign,
    ledger_export,
    ledger_import,
    project_advance_stage,
    project_create,
    project_update,
    start_claim_confirm,
    start_claim_reject,
    start_claim_submit,
)
from yuanqu.projects.spreadsheets import ledger_file_name
from yuanqu.projects.tiers import rule_statement
from yuanqu.projects.writing import as_data, counting_rule_note, growth_sentence, paragraph

# Who does what. Enterprise-level confidential statistics are not involved here: a project
# ledger is the administration's own record of its negotiations.
PROJECT_READERS = (Role.INVESTMENT_OFFICER, Role.LEADERSHIP)
PROJECT_EDITORS = (Role.INVESTMENT_OFFICER,)
START_REVIEWERS = (Role.INVESTMENT_OFFICER, Role.LEADERSHIP)
OVERDUE_READERS = (Role.SUPERVISOR, Role.INVESTMENT_OFFICER, Role.LEADERSHIP)
PENDING_LEDGER = "pending_project_ledger"


TABS = [
    # (page, label, url name, roles that see it)
    ("board", "项目看板", "projects:board", PROJECT_READERS),
    ("starts", "开工认定", "projects:starts", START_REVIEWERS),
    ("statistics", "统计分析", "projects:statistics", PROJECT_READERS),
    # The overdue list is one view of supervision (督查督办): the project-construction task's items.
    ("overdue", "超期预警", "supervision:overdue", OVERDUE_READERS),
    ("ledger", "台账导入", "projects:ledger", PROJECT_EDITORS),
]
TAB_OF_PAGE = {"project": "board", "project_form": "board", "claim": "starts"}


def _page(request: HttpRequest, page: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render a page of the app with the tabs the user's roles open."""
    active = TAB_OF_PAGE.get(page, page)
    context["tabs"] = [
        {"label": label, "url": reverse(name), "active": key == active}
        for key, label, name, roles in TABS
        if has_role(request.user, *roles)
    ]
    return render(request, f"projects/{page}.html", context, status=status)


def _zone(request: HttpRequest) -> Place:
    code = request.GET.get("zone", "").strip()[:40] or settings.YUANQU_DEFAULT_ZONE
    zone = Place.objects.filter(code=code, level=Place.Level.ZONE).first()
    if zone is None:
        raise Http404(f"未找到园区“{code}”")
    return zone


def _project(pk: int) -> Project:
    """One project with what its page shows, in a fixed number of queries."""
    return get_object_or_404(
        Project.objects.select_related("zone", "chain_node__chain", "created_by").prefetch_related(
            Prefetch("credits", ProjectCredit.objects.select_related("officer", "department")),
            Prefetch("events", StageEvent.objects.select_related("moved_by").prefetch_related("evidence")),
            Prefetch(
                "start_claims",
                StartClaim.objects.select_related("claimed_by", "reviewed_by", "department").prefetch_related(
                    Prefetch("evidence", StartEvidence.objects.select_related("requirement"))
                ),
            ),
        ),
        pk=pk,
    )


BOARD_PAGE_SIZE = 60


@require_GET
@require_role(*PROJECT_READERS)
def board_page(request: HttpRequest) -> HttpResponse:
    """The board: every column capped at a page of cards; one stage, searched or not, in pages."""
    zone = _zone(request)
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    stage = request.GET.get("stage", "")
    stage = stage if stage in BOARD_STAGES else ""
    query = request.GET.get("q", "").strip()[:60]
    columns = board(
        zone=zone, category=category or None, query=query, stage=stage or None, limit=None if stage else BOARD_PAGE_SIZE
    )
    page = None
    if stage:
        page = Paginator(columns[0].cards, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
        columns[0].cards = list(page.object_list)
    kept = urlencode({key: value for key, value in {"category": category, "q": query}.items() if value})
    context = {
        "zone": zone,
        "columns": columns,
        "categories": Category.choices,
        "category": category,
        "stages": [(value, str(Stage(value).label)) for value in BOARD_STAGES],
        "stage": stage,
        "query": query,
        "kept": f"&{kept}" if kept else "",
        "page": page,
        "total": sum(column.total for column in columns),
        "overdue": sum(column.overdue for column in columns),
        "can_edit": has_role(request.user, *PROJECT_EDITORS),
    }
    return _page(request, "board", context)


@require_GET
@require_role(*PROJECT_READERS)
def project_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    rules = rules_for(project.zone)
    can_edit = has_role(request.user, *PROJECT_EDITORS)
    context: dict[str, Any] = {
        "project": project,
        "colour": overdue_colour(project.stage, project.stage_since, timezone.localdate(), rules.stage_limits),
        "can_edit": can_edit,
        "can_claim": can_edit
        and project.stage in CLAIMABLE_STAGES
        and not any(claim.status == StartClaim.Status.SUBMITTED for claim in project.start_claims.all()),
    }
    if can_edit:
        context["form"] = StageMoveForm(project=project)
        initial = {}
        for row, credit in enumerate(project.credits.all()[: CreditForm.ROWS]):
            initial.update(
                {
                    f"officer_{row}": credit.officer,
                    f"department_{row}": credit.department,
                    f"share_{row}": figures.entered(credit.share_pct),
                }
            )
        context["credit_form"] = CreditForm(zone=project.zone, initial=initial)
    return _page(request, "project", context)


@require_http_methods(["GET", "POST"])
@require_role(*PROJECT_EDITORS)
def project_create_page(request: HttpRequest) -> HttpResponse:
    """A new project in 在谈, entered on the page with the ledger's checks."""
    zone = _zone(request)
    user = request.user if isinstance(request.user, User) else None
    initial = {"officer": user, "department": user.departments.filter(zone=zone).first() if user else None}
    form = ProjectForm(request.POST or None, zone=zone, initial=initial)
    if request.method == "POST" and form.is_valid():
        officer, department = form.cleaned_data.get("officer"), form.cleaned_data.get("department")
        credits = [CreditShare(officer, department, Decimal(100))] if officer or department else []
        fields = dict(form.project_fields)
        try:
            project = project_create(
                zone=zone,
                code=form.cleaned_data["code"],
                name=fields.pop("name"),
                investor=fields.pop("investor"),
                category=fields.pop("category"),
                total_investment_yi=fields.pop("total_investment_yi"),
                on=form.cleaned_data["on"],
                credits=credits,
                actor=request.user,
                ip_address=client_ip(request),
                **fields,
            )
        except ProjectRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记项目“%(name)s”（在谈）") % {"name": project.name})
            return redirect("projects:project", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return _page(request, "project_form", {"zone": zone, "form": form, "project": None}, status=status)


@require_http_methods(["GET", "POST"])
@require_role(*PROJECT_EDITORS)
def project_edit_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    initial = {
        key: figures.entered(getattr(project, key)) for key in PROJECT_FORM_KEYS | {"chain_node", "adds_new_node"}
    }
    form = ProjectForm(request.POST or None, zone=project.zone, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = project_update(
                project=project, changes=form.project_fields, actor=request.user, ip_address=client_ip(request)
            )
        except ProjectRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("项目信息已保存") if changed else _("项目信息没有变化"))
            return redirect("projects:project", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return _page(request, "project_form", {"zone": project.zone, "form": form, "project": project}, status=status)


@require_POST
@require_role(*PROJECT_EDITORS)
def stage_move(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    form = StageMoveForm(request.POST, request.FILES, project=project)
    if form.is_valid():
        try:
            project_advance_stage(
                project=project,
                to_stage=form.cleaned_data["to_stage"],
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ProjectRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "阶段已变更")
            return redirect("projects:project", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "credit_form": CreditForm(zone=project.zone),
        "can_edit": True,
        "colour": "",
    }
    return _page(request, "project", context, status=400)


@require_POST
@require_role(*PROJECT_EDITORS)
def credit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    form = CreditForm(request.POST, zone=project.zone)
    if form.is_valid():
        lines = form.lines()
        if form.is_valid():
            try:
                credit_assign(
                    project=project,
                    shares=[CreditShare(officer, department, share) for officer, department, share in lines],
                    actor=request.user,
                    ip_address=client_ip(request),
                )
            except ProjectRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "招商业绩已更新")
                return redirect("projects:project", pk=project.pk)
    context = {
        "project": project,
        "form": StageMoveForm(project=project),
        "credit_form": form,
        "can_edit": True,
        "colour": "",
    }
    return _page(request, "project", context, status=400)


@require_GET
@require_role(*PROJECT_READERS)  # those who can open the project; the overdue list links no evidence
def evidence_file(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Evidence is read only through this view, with the role checked; never served as static files."""
    if kind == "stage":
        item: StageEvidence | StartEvidence = get_object_or_404(StageEvidence, pk=pk)
    elif kind == "start":
        item = get_object_or_404(StartEvidence, pk=pk)
    else:
        raise Http404
    if not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    # A streaming response; the role decorator's signature speaks of HttpResponse.
    return cast(HttpResponse, FileResponse(handle, as_attachment=True, filename=Path(item.file.name).name))


# -- 实质性开工 -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(*PROJECT_EDITORS)
def start_claim_page(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    requirements = start_requirements(project.zone, project.category)
    if request.method == "GET":
        form = StartClaimForm(zone=project.zone, requirements=requirements)
        return _page(request, "claim", {"project": project, "form": form})
    form = StartClaimForm(request.POST, request.FILES, zone=project.zone, requirements=requirements)
    if form.is_valid():
        evidence = [
            EvidenceItem(
                requirement,
                file=form.cleaned_data.get(f"file_{requirement.pk}") or None,
                reference=form.cleaned_data.get(f"reference_{requirement.pk}", ""),
            )
            for requirement in requirements
            if requirement.kind == StartRequirement.Kind.DOCUMENT
        ]
        try:
            start_claim_submit(
                project=project,
                started_on=form.cleaned_data["started_on"],
                evidence=evidence,
                completed_investment_pct=form.cleaned_data.get("completed_investment_pct"),
                department=form.cleaned_data["department"],
                note=form.cleaned_data["note"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ProjectRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已提交实质性开工申报，待另一人认定")
            return redirect("projects:project", pk=project.pk)
    return _page(request, "claim", {"project": project, "form": form}, status=400)


@require_GET
@require_role(*START_REVIEWERS)
def start_review_page(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    pending = (
        StartClaim.objects.filter(project__zone=zone, status=StartClaim.Status.SUBMITTED)
        .select_related("project", "claimed_by", "department")
        .prefetch_related(Prefetch("evidence", StartEvidence.objects.select_related("requirement")))
        .order_by("claimed_at")
    )
    recent = (
        StartClaim.objects.filter(project__zone=zone)
        .exclude(status=StartClaim.Status.SUBMITTED)
        .select_related("project", "claimed_by", "reviewed_by")
        .order_by("-reviewed_at", "-id")[:20]
    )
    requirements: dict[str, list[StartRequirement]] = {}
    for requirement in StartRequirement.objects.filter(zone=zone):
        requirements.setdefault(requirement.category, []).append(requirement)
    context = {
        "zone": zone,
        "pending": pending,
        "recent": recent,
        "checklists": [(str(label), requirements.get(value, [])) for value, label in Category.choices],
    }
    return _page(request, "starts", context)


@require_POST
@require_role(*START_REVIEWERS)
def start_review(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    claim = get_object_or_404(StartClaim, pk=pk)
    note = request.POST.get("note", "")[:300]
    try:
        if decision == "confirm":
            start_claim_confirm(claim=claim, actor=request.user, note=note, ip_address=client_ip(request))
            messages.success(request, f"已认定“{claim.project.name}”实质性开工")
        elif decision == "reject":
            start_claim_reject(claim=claim, actor=request.user, note=note, ip_address=client_ip(request))
            messages.success(request, f"已退回“{claim.project.name}”的申报")
        else:
            raise Http404
    except ProjectRefused as exc:
        messages.error(request, str(exc))
    return redirect("projects:starts")


# -- statistics and lists -------------------------------------------------------------------


@dataclass
class StatisticsChoice:
    period: Period
    rule: str
    error: str = ""


def _statistics_choice(request: HttpRequest, zone: Place) -> StatisticsChoice:
    """The period asked for, else the zone's newest complete period (as on every page)."""
    rule = request.GET.get("rule", "")
    opening = default_period(zone) or Period(timezone.localdate().year, 1, 6)
    choice = StatisticsChoice(opening, rule if rule in CountingRule.values else "")
    raw = request.GET.get("period", "").strip()[:40]
    if raw:
        try:
            choice.period = Period.parse(raw)
        except PeriodError as exc:
            choice.error = str(exc)
    return choice


def period_choices() -> list[Period]:
    today = timezone.localdate()
    periods = []
    for year in range(today.year, today.year - 6, -1):
        periods += [Period(year, 1, 12), Period(year, 1, 9), Period(year, 1, 6), Period(year, 1, 3)]
    return periods


@require_GET
@require_role(*PROJECT_READERS)
def statistics_page(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    choice = _statistics_choice(request, zone)
    context: dict[str, Any] = {
        "zone": zone,
        "choice": choice,
        "periods": period_choices(),
        "rules": CountingRule.choices,
    }
    if not choice.error:
        statistics = pipeline_statistics(zone=zone, period=choice.period, counting_rule=choice.rule or None)
        context.update(
            statistics=statistics,
            paragraph=paragraph(statistics),
            growth=growth_sentence(statistics),
            rule_note=counting_rule_note(statistics),
            data=as_data(statistics),
            categories=list(statistics.categories.values()),
        )
    return _page(request, "statistics", context, status=400 if choice.error else 200)


@require_GET
@require_role(*OVERDUE_READERS)
def help_page(request: HttpRequest) -> HttpResponse:
    """使用说明 of the project pages, with the zone's own counting rule and stage limits."""
    zone = _zone(request)
    rules = rules_for(zone)
    context = {
        "help_title": _("招商项目"),
        "back_url": reverse("projects:board" if has_role(request.user, *PROJECT_READERS) else "projects:overdue"),
        "back_label": _("招商项目"),
        "zone": zone,
        "rule_label": CountingRule(rules.counting_rule).label,
        "rule_statement": rule_statement(rules.counting_rule, rules.thresholds_yi),
        "limits": [(label, rules.stage_limits[value]) for value, label in Stage.choices if value in rules.stage_limits],
    }
    return render(request, "help/projects.html", context)


# -- the ledger ---------------------------------------------------------------------------------


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(PENDING_LEDGER, None)
    if pending:
        upload_discard(upload_path(pending.get("token", ""), pending.get("suffix", "")))


@require_http_methods(["GET", "POST"])
@require_role(*PROJECT_EDITORS)
def ledger_page(request: HttpRequest) -> HttpResponse:
    """Upload → preview (every error by row and column; nothing written) → confirm."""
    zone = _zone(request)
    if request.method == "GET":
        return _page(request, "ledger", {"zone": zone, "form": LedgerUploadForm()})
    form = LedgerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, "ledger", {"zone": zone, "form": form}, status=400)
    _forget_pending(request)
    upload = form.cleaned_data["file"]
    file_name = Path(upload.name or "").name[:200]
    token, path = upload_keep(upload)
    try:
        report = ledger_import(
            path=path, zone=zone, actor=request.user, dry_run=True, file_name=file_name, ip_address=client_ip(request)
        )
    except ImportRejected as exc:
        upload_discard(path)
        context = {"zone": zone, "form": LedgerUploadForm(), "rejected": exc, "file_name": file_name}
        return _page(request, "ledger", context, status=400)
    request.session[PENDING_LEDGER] = {"token": token, "suffix": path.suffix, "zone": zone.code, "file_name": file_name}
    context = {"zone": zone, "preview": report, "file_name": file_name, "token": token}
    return _page(request, "ledger", context)


@require_POST
@require_role(*PROJECT_EDITORS)
def ledger_confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_LEDGER) or {}
    path = upload_path(pending.get("token", ""), pending.get("suffix", ""))
    zone = Place.objects.filter(code=pending.get("zone", "")).first()
    if path is None or zone is None or request.POST.get("token") != pending.get("token"):
        context = {"form": LedgerUploadForm(), "error": "待确认的文件已失效，请重新上传"}
        return _page(request, "ledger", context, status=400)
    try:
        report = ledger_import(
            path=path, zone=zone, actor=request.user, file_name=pending["file_name"], ip_address=client_ip(request)
        )
    except ImportRejected as exc:
        context = {"zone": zone, "form": LedgerUploadForm(), "rejected": exc}
        return _page(request, "ledger", context, status=400)
    finally:
        _forget_pending(request)
    return _page(request, "ledger", {"zone": zone, "done": report, "form": LedgerUploadForm()})


@require_POST
@require_role(*PROJECT_EDITORS)
def ledger_cancel(request: HttpRequest) -> HttpResponse:
    _forget_pending(request)
    return redirect("projects:ledger")


@require_GET
@require_role(*PROJECT_READERS)
def ledger_download(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    projects = (
        Project.objects.in_zone(zone)
        .select_related("chain_node__chain")
        .prefetch_related(Prefetch("credits", ProjectCredit.objects.select_related("officer", "department")))
        .order_by("code")
    )
    category = request.GET.get("category", "")
    scope = ""
    if category in Category.values:
        projects = projects.filter(category=category)
        scope = str(Category(category).label)
    user = request.user if isinstance(request.user, User) else None
    content = ledger_export(zone=zone, projects=projects, actor=user, ip_address=client_ip(request), scope=scope)
    name, fallback = ledger_file_name(zone, timezone.localdate(), scope)
    return download(content, file_name=name, fallback=fallback)
