"""The investment-project API: the pipeline, a project and its history, stage moves, start
claims, statistics with the generated paragraph, the overdue list, and the ledger import.

The same role checks as the pages (``yuanqu.projects.views``).
"""

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import File, Form, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from yuanqu.accounts.access import api_require_role, client_ip
from yuanqu.core.models import Department, Place
from yuanqu.exports import download
from yuanqu.indicators.api import IssueOut, RejectedOut, import_refused
from yuanqu.indicators.dashboard import default_period
from yuanqu.indicators.importing import ImportRejected
from yuanqu.periods import Period, PeriodError
from yuanqu.projects.forms import LEDGER_SUFFIXES
from yuanqu.projects.models import Category, CountingRule, Project, Stage, StartClaim
from yuanqu.projects.selectors import overdue_projects, pipeline_statistics
from yuanqu.projects.services import (
    CreditShare,
    ProjectRefused,
    credit_assign,
    ledger_export,
    ledger_import,
    project_advance_stage,
    project_create,
    start_claim_confirm,
)
from yuanqu.projects.spreadsheets import ledger_file_name
from yuanqu.projects.views import OVERDUE_READERS, PROJECT_EDITORS, PROJECT_READERS, START_REVIEWERS
from yuanqu.projects.writing import as_data

router = Router(tags=["招商项目"])


def _zone(code: str | None) -> Place:
    wanted = (code or settings.YUANQU_DEFAULT_ZONE)[:40]
    zone = Place.objects.filter(code=wanted, level=Place.Level.ZONE).first()
    if zone is None:
        raise HttpError(404, f"未找到园区“{wanted}”")
    return zone


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    investor: str
    investor_nature: str
    category: str
    category_label: str
    stage: str
    stage_label: str
    stage_since: date
    total_investment_yi: Decimal
    signed_investment_yi: Decimal | None
    signed_on: date | None
    substantive_start_on: date | None
    chain_role: str

    @staticmethod
    def of(project: Project) -> "ProjectOut":
        return ProjectOut(
            id=project.pk,
            code=project.code,
            name=project.name,
            investor=project.investor,
            investor_nature=project.investor_nature,
            category=project.category,
            category_label=project.get_category_display(),
            stage=project.stage,
            stage_label=project.get_stage_display(),
            stage_since=project.stage_since,
            total_investment_yi=project.total_investment_yi,
            signed_investment_yi=project.signed_investment_yi,
            signed_on=project.signed_on,
            substantive_start_on=project.substantive_start_on,
            chain_role=project.chain_role,
        )


class EventOut(Schema):
    id: int
    from_stage: str
    to_stage: str
    on: date
    reason: str
    note: str
    origin: str
    moved_by: str
    evidence: list[str]


class CreditOut(Schema):
    officer: str
    department: str
    share_pct: Decimal


class ProjectDetailOut(ProjectOut):
    events: list[EventOut]
    credits: list[CreditOut]


class ProjectIn(Schema):
    zone: str = ""
    code: str
    name: str
    investor: str
    category: str
    total_investment_yi: Decimal
    on: date
    investor_nature: str = Project.InvestorNature.DOMESTIC
    investor_region: str = ""
    industry_code: str = ""
    land_mu: Decimal | None = None
    expected_sales_yi: Decimal | None = None
    expected_tax_wan: Decimal | None = None
    expected_jobs: int | None = None


class CreditIn(Schema):
    officer: str = ""  # user name
    department: str = ""  # department code
    share_pct: Decimal


class StageMoveIn(Schema):
    to_stage: str
    on: date
    reason: str = ""
    note: str = ""


class OverdueOut(Schema):
    project: ProjectOut
    days: int
    colour: str


class ClaimOut(Schema):
    id: int
    project_id: int
    project: str
    started_on: date
    status: str
    claimed_by: str
    reviewed_by: str | None


class LedgerOut(Schema):
    dry_run: bool
    summary: str
    created: int
    updated: int
    unchanged: int


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _claim_out(claim: StartClaim) -> ClaimOut:
    return ClaimOut(
        id=claim.pk,
        project_id=claim.project_id,
        project=claim.project.name,
        started_on=claim.started_on,
        status=claim.status,
        claimed_by=_name(claim.claimed_by),
        reviewed_by=_name(claim.reviewed_by) or None,
    )


@router.get("/projects", response=list[ProjectOut], summary="招商项目列表（可按阶段、类别筛选）")
def projects(
    request: HttpRequest,
    zone: str | None = None,
    stage: str | None = None,
    category: str | None = None,
    limit: int = 500,
) -> list[ProjectOut]:
    api_require_role(request, *PROJECT_READERS)
    rows = Project.objects.in_zone(_zone(zone)).order_by("code")
    if stage:
        if stage not in Stage.values:
            raise HttpError(400, f"未知阶段“{stage[:20]}”")
        rows = rows.filter(stage=stage)
    if category:
        if category not in Category.values:
            raise HttpError(400, f"未知类别“{category[:20]}”")
        rows = rows.filter(category=category)
    return [ProjectOut.of(project) for project in rows[: max(1, min(limit, 5000))]]


@router.post("/projects", response={201: ProjectOut, 400: dict[str, str]}, summary="登记招商项目（在谈）")
def create_project(request: HttpRequest, payload: ProjectIn) -> Status[ProjectOut]:
    api_require_role(request, *PROJECT_EDITORS)
    details = payload.dict(exclude={"zone", "code", "name", "investor", "category", "total_investment_yi", "on"})
    try:
        project = project_create(
            zone=_zone(payload.zone or None),
            code=payload.code,
            name=payload.name,
            investor=payload.investor,
            category=payload.category,
            total_investment_yi=payload.total_investment_yi,
            on=payload.on,
            actor=request.user,
            ip_address=client_ip(request),
            **details,
        )
    except ProjectRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, ProjectOut.of(project))


@router.get("/projects/ledger.xlsx", summary="导出招商项目台账（.xlsx）")
def export_ledger(request: HttpRequest, zone: str | None = None) -> HttpResponse:
    api_require_role(request, *PROJECT_READERS)
    place = _zone(zone)
    projects = (
        Project.objects.in_zone(place)
        .select_related("chain_node__chain")
        .prefetch_related("credits__officer", "credits__department")
        .order_by("code")
    )
    content = ledger_export(zone=place, projects=projects, actor=request.user, ip_address=client_ip(request))
    name, fallback = ledger_file_name(place, timezone.localdate())
    return download(content, file_name=name, fallback=fallback)


@router.get("/projects/statistics", summary="招商统计：签约、档次、实质性开工、漏斗、排行和综述段落")
def statistics(
    request: HttpRequest, period: str | None = None, zone: str | None = None, rule: str | None = None
) -> dict[str, Any]:
    """Without ``period``: the zone's newest complete period, as the pages open on."""
    api_require_role(request, *PROJECT_READERS)
    if rule is not None and rule not in CountingRule.values:
        raise HttpError(400, "计数口径应为 nested 或 bands")
    place = _zone(zone)
    try:
        parsed = Period.parse(period[:40]) if period else default_period(place)
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc
    if parsed is None:
        raise HttpError(404, f"{place.display_name}尚无数据")
    return as_data(pipeline_statistics(zone=place, period=parsed, counting_rule=rule))


@router.get("/projects/overdue", response=list[OverdueOut], summary="超期预警（黄色、红色）")
def overdue(request: HttpRequest, zone: str | None = None) -> list[OverdueOut]:
    api_require_role(request, *OVERDUE_READERS)
    return [
        OverdueOut(project=ProjectOut.of(card.project), days=card.days, colour=card.colour)
        for card in overdue_projects(zone=_zone(zone))
    ]


@router.get("/projects/start-claims", response=list[ClaimOut], summary="实质性开工申报（默认待认定）")
def start_claims(request: HttpRequest, zone: str | None = None, status: str = "submitted") -> list[ClaimOut]:
    api_require_role(request, *START_REVIEWERS)
    claims = (
        StartClaim.objects.filter(project__zone=_zone(zone), status=status)
        .select_related("project", "claimed_by", "reviewed_by")
        .order_by("claimed_at")[:1000]
    )
    return [_claim_out(claim) for claim in claims]


@router.post(
    "/projects/start-claims/{int:claim_id}/confirm",
    response={200: ClaimOut, 400: dict[str, str]},
    summary="认定实质性开工（申报人本人不能认定）",
)
def confirm_start(request: HttpRequest, claim_id: int) -> ClaimOut:
    api_require_role(request, *START_REVIEWERS)
    claim = StartClaim.objects.filter(pk=claim_id).first()
    if claim is None:
        raise HttpError(404, "未找到该申报")
    try:
        confirmed = start_claim_confirm(claim=claim, actor=request.user, ip_address=client_ip(request))
    except ProjectRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return _claim_out(confirmed)


@router.get("/projects/{int:project_id}", response=ProjectDetailOut, summary="项目详情及阶段历程")
def project_detail(request: HttpRequest, project_id: int) -> ProjectDetailOut:
    api_require_role(request, *PROJECT_READERS)
    project = (
        Project.objects.filter(pk=project_id)
        .prefetch_related("events__moved_by", "events__evidence", "credits__officer", "credits__department")
        .first()
    )
    if project is None:
        raise HttpError(404, "未找到该项目")
    base = ProjectOut.of(project).dict()
    return ProjectDetailOut(
        **base,
        events=[
            EventOut(
                id=event.pk,
                from_stage=event.from_stage,
                to_stage=event.to_stage,
                on=event.on,
                reason=event.reason,
                note=event.note,
                origin=event.origin,
                moved_by=_name(event.moved_by),
                evidence=[item.title for item in event.evidence.all()],
            )
            for event in project.events.all()
        ],
        credits=[
            CreditOut(
                officer=_name(credit.officer),
                department=credit.department.name if credit.department else "",
                share_pct=credit.share_pct,
            )
            for credit in project.credits.all()
        ],
    )


@router.put(
    "/projects/{int:project_id}/credit",
    response={200: list[CreditOut], 400: dict[str, str]},
    summary="分配招商业绩（全员招商；各人比例之和须为100%）",
)
def assign_credit(request: HttpRequest, project_id: int, payload: list[CreditIn]) -> list[CreditOut]:
    api_require_role(request, *PROJECT_EDITORS)
    project = Project.objects.filter(pk=project_id).select_related("zone").first()
    if project is None:
        raise HttpError(404, "未找到该项目")
    users = {user.username: user for user in User.objects.filter(username__in=[line.officer for line in payload])}
    departments = {item.code: item for item in Department.objects.filter(zone=project.zone)}
    shares = []
    for line in payload:
        if line.officer and line.officer not in users:
            raise HttpError(400, f"未找到用户“{line.officer[:40]}”")
        if line.department and line.department not in departments:
            raise HttpError(400, f"本园区没有部门“{line.department[:40]}”")
        shares.append(CreditShare(users.get(line.officer), departments.get(line.department), line.share_pct))
    try:
        credits = credit_assign(project=project, shares=shares, actor=request.user, ip_address=client_ip(request))
    except ProjectRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return [
        CreditOut(
            officer=_name(credit.officer),
            department=credit.department.name if credit.department else "",
            share_pct=credit.share_pct,
        )
        for credit in credits
    ]


@router.post(
    "/projects/{int:project_id}/stage",
    response={200: EventOut, 400: dict[str, str]},
    summary="变更项目阶段（按允许的阶段变更图；开工须经实质性开工认定）",
)
def move_stage(request: HttpRequest, project_id: int, payload: StageMoveIn) -> EventOut:
    api_require_role(request, *PROJECT_EDITORS)
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise HttpError(404, "未找到该项目")
    try:
        event = project_advance_stage(
            project=project,
            to_stage=payload.to_stage,
            on=payload.on,
            reason=payload.reason,
            note=payload.note,
            actor=request.user,
            ip_address=client_ip(request),
        )
    except ProjectRefused as exc:
        raise HttpError(400, str(exc)) from exc
    return EventOut(
        id=event.pk,
        from_stage=event.from_stage,
        to_stage=event.to_stage,
        on=event.on,
        reason=event.reason,
        note=event.note,
        origin=event.origin,
        moved_by=_name(event.moved_by),
        evidence=[],
    )


@router.post(
    "/projects/ledger",
    response={200: LedgerOut, 400: RejectedOut, 404: RejectedOut, 422: RejectedOut},
    summary="导入招商项目台账（dry_run 只检查不写入）",
)
def import_ledger(
    request: HttpRequest, file: File[UploadedFile], zone: Form[str] = "", dry_run: Form[bool] = True
) -> LedgerOut | Status[RejectedOut]:
    api_require_role(request, *PROJECT_EDITORS)
    wanted = (zone or settings.YUANQU_DEFAULT_ZONE)[:40]
    place = Place.objects.filter(code=wanted, level=Place.Level.ZONE).first()
    if place is None:
        return import_refused(404, "zone", f"未找到园区“{wanted}”")
    suffix = Path(file.name or "").suffix.lower()
    if suffix not in LEDGER_SUFFIXES:
        return import_refused(400, "file", "只接受 .xlsx 或 .csv 文件")
    if (file.size or 0) > settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024:
        return import_refused(400, "file", f"文件超过 {settings.YUANQU_UPLOAD_MAX_MB}MB")
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in file.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            report = ledger_import(
                path=Path(handle.name),
                zone=place,
                actor=request.user,
                dry_run=dry_run,
                file_name=Path(file.name or "").name[:200],
                ip_address=client_ip(request),
            )
        except ImportRejected as exc:
            issues = [IssueOut(row=issue.row, column=issue.column, message=issue.message) for issue in exc.issues]
            return Status(422, RejectedOut(detail=str(exc), issues=issues))
    return LedgerOut(
        dry_run=dry_run,
        summary=report.summary,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
    )
