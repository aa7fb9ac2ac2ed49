"""The chains API: chains, nodes, enterprises on nodes, targets and progress, programmes, requests.

The same rules as the pages: every chain reader sees aggregates; the enterprises on a node
with their figures only for statisticians and the chain's own 链长; requests are recorded,
assigned and closed by the chain's 链长 and answered by them or the assigned department.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from yuanqu.accounts.access import api_require_role, client_ip
from yuanqu.chains.access import CHAIN_READERS, can_handle_requests, can_reply, can_see_enterprises
from yuanqu.chains.models import Chain, ChainNode, EnterpriseRequest
from yuanqu.chains.projects import chain_projects
from yuanqu.chains.rules import request_colour
from yuanqu.chains.selectors import chain_progress, chains_progress, node_enterprises, programmes
from yuanqu.chains.services import ChainError, request_assign, request_close, request_raise, request_reply
from yuanqu.chains.writing import chain_data, progress_data
from yuanqu.core.models import Department, Place
from yuanqu.disclosed import chains_disclosure, programmes_for
from yuanqu.indicators.dashboard import default_period
from yuanqu.indicators.models import Enterprise
from yuanqu.periods import Period, PeriodError

router = Router(tags=["产业链"])


def _period(text: str | None, zone: Place) -> Period:
    """The period asked for; without one, the zone's newest complete period with enterprise data."""
    if not text:
        found = default_period(zone, enterprise_data=True)
        if found is None:
            raise HttpError(404, f"{zone.display_name}尚无企业数据")
        return found
    try:
        return Period.parse(text[:40])
    except PeriodError as exc:
        raise HttpError(400, str(exc)) from exc


def _chain(code: str) -> Chain:
    chain = Chain.objects.select_related("zone", "leader", "lead_department").filter(code=code[:40]).first()
    if chain is None:
        raise HttpError(404, f"未找到产业链“{code[:40]}”")
    return chain


def _user(request: HttpRequest) -> Any:
    return request.auth or request.user  # type: ignore[attr-defined]


class ChainOut(Schema):
    code: str
    name: str
    zone: str
    leader: str
    lead_department: str
    weak_share_pct: Decimal


class TargetOut(Schema):
    year: int
    measure: str
    value_yi: Decimal
    qualifier: str
    is_sample: bool
    source: str
    source_locator: str


class NodeEnterpriseOut(Schema):
    uscc: str
    name: str
    industry_code: str
    role: str
    role_label: str
    commitment: str
    in_scope: bool
    current_yuan: int | None
    base_yuan: int | None


class TaskOut(Schema):
    title: str
    owner: str
    department: str
    deadline: date
    progress_pct: int
    colour: str
    colour_label: str


class ProgrammeOut(Schema):
    kind: str
    name: str
    goal: str
    goal_value: Decimal | None
    measure_label: str
    measure_value: Decimal | None
    measure_unit: str
    measure_text: str
    tasks: list[TaskOut]


class ChainProjectOut(Schema):
    id: int
    code: str
    name: str
    category: str
    category_label: str
    investment_yi: Decimal
    stage: str
    stage_label: str
    role: str
    role_label: str
    signed_on: str
    substantive_start_on: str
    signed_in_period: bool
    started_in_period: bool


class ProjectNodeOut(Schema):
    node_id: int
    name: str
    segment_label: str
    signed: int
    signed_investment_yi: Decimal
    started: int
    started_investment_yi: Decimal
    projects: list[ChainProjectOut]


class ProjectRoleOut(Schema):
    role: str
    label: str
    signed: int
    investment_yi: Decimal


class ChainProjectsOut(Schema):
    chain: str
    period: str
    period_label: str
    signed: int
    signed_investment_yi: Decimal
    started: int
    started_investment_yi: Decimal
    roles: list[ProjectRoleOut]
    nodes: list[ProjectNodeOut]
    filling_gaps: list[int]  # node ids with a 补链 project signed by the period's end
    summary: str


class ReplyOut(Schema):
    author: str
    department: str
    text: str
    at: datetime


class RequestOut(Schema):
    id: int
    chain: str
    enterprise: str
    raised_by: str
    on_behalf: bool
    category: str
    category_label: str
    title: str
    status: str
    status_label: str
    department: str
    deadline: date | None
    raised_at: datetime
    closed_at: datetime | None
    satisfaction: str
    colour: str
    colour_label: str
    replies: list[ReplyOut]


class RequestIn(Schema):
    enterprise: str  # 统一社会信用代码
    raised_by: str | None = None  # the 链主's 统一社会信用代码 when it raises for a supplier
    category: str
    title: str
    description: str = ""


class AssignIn(Schema):
    department: str  # department code
    deadline: date


class ReplyIn(Schema):
    text: str


class CloseIn(Schema):
    satisfaction: str
    note: str = ""


def _request_out(item: EnterpriseRequest) -> RequestOut:
    closed_on = timezone.localdate(item.closed_at) if item.closed_at else None
    colour, label = request_colour(deadline=item.deadline, closed_on=closed_on, today=timezone.localdate())
    return RequestOut(
        id=item.pk,
        chain=item.chain.code,
        enterprise=item.enterprise.name,
        raised_by=item.raised_by.name,
        on_behalf=item.raised_by_id != item.enterprise_id,
        category=item.category,
        category_label=str(item.get_category_display()),
        title=item.title,
        status=item.status,
        status_label=str(item.get_status_display()),
        department=item.department.name if item.department else "",
        deadline=item.deadline,
        raised_at=item.raised_at,
        closed_at=item.closed_at,
        satisfaction=item.satisfaction,
        colour=colour,
        colour_label=label,
        replies=[
            ReplyOut(
                author=reply.author.get_full_name() or reply.author.get_username(),
                department=reply.department.name if reply.department else "",
                text=reply.text,
                at=reply.at,
            )
            for reply in item.replies.all()
        ],
    )


def _requests() -> Any:
    return EnterpriseRequest.objects.select_related("chain", "enterprise", "raised_by", "department").prefetch_related(
        "replies__author", "replies__department"
    )


@router.get("/chains", response=list[ChainOut], summary="产业链")
def chains(request: HttpRequest, zone: str | None = None) -> list[ChainOut]:
    api_require_role(request, *CHAIN_READERS)
    items = Chain.objects.select_related("zone", "leader", "lead_department")
    if zone:
        items = items.filter(zone__code=zone)
    return [
        ChainOut(
            code=chain.code,
            name=chain.name,
            zone=chain.zone.code,
            leader=(chain.leader.get_full_name() or chain.leader.get_username()) if chain.leader else "",
            lead_department=chain.lead_department.name if chain.lead_department else "",
            weak_share_pct=chain.weak_share_pct,
        )
        for chain in items
    ]


@router.get(
    "/chains/progress", summary="各产业链进度：产值、目标完成、增速、拉动、缺失薄弱节点（合计中重复企业只计一次）"
)
def progress(
    request: HttpRequest, period: str | None = None, zone: str = settings.YUANQU_DEFAULT_ZONE
) -> dict[str, Any]:
    api_require_role(request, *CHAIN_READERS)
    place = Place.objects.filter(code=zone[:40]).first()
    if place is None:
        raise HttpError(404, f"未找到园区“{zone[:40]}”")
    when = _period(period, place)
    data = chains_progress(zone=place, period=when)
    return progress_data(data, disclosure=chains_disclosure(zone=place, period=when, user=_user(request)))


@router.get("/chains/{code}", summary="一条产业链：链图、节点产值、缺失薄弱节点")
def chain_detail(request: HttpRequest, code: str, period: str | None = None) -> dict[str, Any]:
    api_require_role(request, *CHAIN_READERS)
    chain = _chain(code)
    when = _period(period, chain.zone)
    figure, _ = chain_progress(chain=chain, period=when)
    return chain_data(figure, disclosure=chains_disclosure(zone=chain.zone, period=when, user=_user(request)))


@router.get("/chains/{code}/targets", response=list[TargetOut], summary="产业链年度目标")
def targets(request: HttpRequest, code: str) -> list[TargetOut]:
    api_require_role(request, *CHAIN_READERS)
    return [
        TargetOut(
            year=target.year,
            measure=target.measure,
            value_yi=target.value,
            qualifier=target.qualifier,
            is_sample=target.is_sample,
            source=target.source.title,
            source_locator=target.source_locator,
        )
        for target in _chain(code).targets.select_related("source")
    ]


@router.get(
    "/chains/{code}/nodes/{node_id}/enterprises",
    response=list[NodeEnterpriseOut],
    summary="节点上的企业及其产值（仅统计员和本链链长）",
)
def enterprises_on_node(
    request: HttpRequest, code: str, node_id: int, period: str | None = None
) -> list[NodeEnterpriseOut]:
    api_require_role(request, *CHAIN_READERS)
    chain = _chain(code)
    if not can_see_enterprises(_user(request), chain):
        raise HttpError(403, "企业级数据仅限统计人员和本链链长查看")
    node = ChainNode.objects.filter(pk=node_id, chain=chain).first()
    if node is None:
        raise HttpError(404, "未找到该节点")
    return [
        NodeEnterpriseOut(
            uscc=row.uscc,
            name=row.name,
            industry_code=row.industry_code,
            role=row.role,
            role_label=row.role_label,
            commitment=row.commitment,
            in_scope=bool(row.output and row.output.in_scope),
            current_yuan=row.output.current_yuan if row.output else None,
            base_yuan=row.output.base_yuan if row.output and row.output.has_base else None,
        )
        for row in node_enterprises(node=node, period=_period(period, chain.zone))
    ]


@router.get("/chains/{code}/programmes", response=list[ProgrammeOut], summary="五大专项行动：任务与衡量指标")
def chain_programmes(request: HttpRequest, code: str, period: str | None = None) -> list[Any]:
    api_require_role(request, *CHAIN_READERS)
    chain = _chain(code)
    when = _period(period, chain.zone)
    figure, _ = chain_progress(chain=chain, period=when)
    seen = chains_disclosure(zone=chain.zone, period=when, user=_user(request))
    return programmes_for(
        programmes(chain=chain, period=when, figure=figure), figure=figure, period=when, disclosure=seen
    )


@router.get(
    "/chains/{code}/projects",
    response=ChainProjectsOut,
    summary="链上招商项目：本期签约和实质性开工的项目，按节点和补链/强链/延链统计",
)
def projects(request: HttpRequest, code: str, period: str | None = None) -> dict[str, Any]:
    api_require_role(request, *CHAIN_READERS)
    chain = _chain(code)
    when = _period(period, chain.zone)
    data = chain_projects(chain=chain, period=when)
    return {
        "chain": chain.code,
        "period": when.code,
        "period_label": when.full_label,
        "signed": data.signed,
        "signed_investment_yi": data.signed_investment_yi,
        "started": data.started,
        "started_investment_yi": data.started_investment_yi,
        "roles": data.roles,
        "nodes": data.nodes,
        "filling_gaps": sorted(data.filling),
        "summary": data.summary,
    }


@router.get("/chains/{code}/requests", response=list[RequestOut], summary="企业诉求")
def requests(request: HttpRequest, code: str, status: str | None = None) -> list[RequestOut]:
    api_require_role(request, *CHAIN_READERS)
    items = _requests().filter(chain=_chain(code))
    if status:
        items = items.filter(status=status)
    return [_request_out(item) for item in items[:500]]


@router.post("/chains/{code}/requests", response={201: RequestOut}, summary="登记企业诉求（本链链长）")
def request_create(request: HttpRequest, code: str, payload: RequestIn) -> Status:
    api_require_role(request, *CHAIN_READERS)
    chain = _chain(code)
    user = _user(request)
    if not can_handle_requests(user, chain):
        raise HttpError(403, "只有本链链长可以登记企业诉求")
    enterprise = Enterprise.objects.filter(uscc=payload.enterprise[:18]).first()
    raised_by = Enterprise.objects.filter(uscc=payload.raised_by[:18]).first() if payload.raised_by else None
    if enterprise is None or (payload.raised_by and raised_by is None):
        raise HttpError(400, "未找到该统一社会信用代码的企业")
    try:
        item = request_raise(
            chain=chain,
            enterprise=enterprise,
            raised_by=raised_by,
            category=payload.category,
            title=payload.title,
            description=payload.description,
            actor=user,
            ip_address=client_ip(request),
        )
    except ChainError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _request_out(_requests().get(pk=item.pk)))


def _request_for(request: HttpRequest, pk: int, *, reply: bool = False) -> EnterpriseRequest:
    api_require_role(request, *CHAIN_READERS)
    item = _requests().filter(pk=pk).first()
    if item is None:
        raise HttpError(404, "未找到该诉求")
    user = _user(request)
    if not (can_reply(user, item) if reply else can_handle_requests(user, item.chain)):
        raise HttpError(403, "您无权办理此诉求")
    return item


@router.post("/chains/requests/{pk}/assign", response=RequestOut, summary="交办诉求（本链链长）")
def assign(request: HttpRequest, pk: int, payload: AssignIn) -> RequestOut:
    item = _request_for(request, pk)
    department = Department.objects.filter(code=payload.department[:40]).first()
    if department is None:
        raise HttpError(400, "未找到该部门")
    try:
        request_assign(
            request=item,
            department=department,
            deadline=payload.deadline,
            actor=_user(request),
            ip_address=client_ip(request),
        )
    except ChainError as exc:
        raise HttpError(400, str(exc)) from exc
    return _request_out(_requests().get(pk=pk))


@router.post("/chains/requests/{pk}/reply", response=RequestOut, summary="答复诉求（链长或承办部门）")
def reply(request: HttpRequest, pk: int, payload: ReplyIn) -> RequestOut:
    item = _request_for(request, pk, reply=True)
    try:
        request_reply(request=item, text=payload.text, author=_user(request), ip_address=client_ip(request))
    except ChainError as exc:
        raise HttpError(400, str(exc)) from exc
    return _request_out(_requests().get(pk=pk))


@router.post("/chains/requests/{pk}/close", response=RequestOut, summary="办结诉求并记录企业满意度（本链链长）")
def close(request: HttpRequest, pk: int, payload: CloseIn) -> RequestOut:
    item = _request_for(request, pk)
    try:
        request_close(
            request=item,
            satisfaction=payload.satisfaction,
            note=payload.note,
            actor=_user(request),
            ip_address=client_ip(request),
        )
    except ChainError as exc:
        raise HttpError(400, str(exc)) from exc
    return _request_out(_requests().get(pk=pk))
