"""The chain workbench pages: all chains for leadership, one chain's workbench, requests."""

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yuanqu import figures
from yuanqu.accounts.access import client_ip, require_role
from yuanqu.accounts.roles import has_role
from yuanqu.chains.access import CHAIN_READERS, can_handle_requests, can_reply, can_see_enterprises
from yuanqu.chains.forms import (
    RequestAssignForm,
    RequestCloseForm,
    RequestRaiseForm,
    RequestReplyForm,
    default_deadline,
)
from yuanqu.chains.models import Chain, ChainEnterprise, ChainNode, EnterpriseRequest
from yuanqu.chains.projects import chain_projects
from yuanqu.chains.rules import request_colour
from yuanqu.chains.selectors import ChainFigure, chain_progress, chains_progress, node_enterprises, programmes
from yuanqu.chains.services import (
    ChainError,
    chains_export_name,
    chains_progress_export,
    request_assign,
    request_close,
    request_raise,
    request_reply,
)
from yuanqu.chains.writing import chain_data, contribution_text, growth_text, shared_note, target_text
from yuanqu.core.models import Place
from yuanqu.core.paging import paged
from yuanqu.disclosed import SUPPRESSED, Disclosure, chains_disclosure, programmes_for
from yuanqu.exports import download
from yuanqu.indicators.dashboard import available_periods, default_period
from yuanqu.indicators.selectors import completeness
from yuanqu.periods import Period, PeriodError
from yuanqu.projects.views import PROJECT_READERS


@dataclass
class PeriodChoice:
    periods: list[Period] = field(default_factory=list)
    period: Period | None = None
    error: str = ""
    completeness_label: str = ""  # 数据不完整：… when the period's enterprise reports are incomplete


def _period_choice(request: HttpRequest, zone: Place) -> PeriodChoice:
    """The cumulative period asked for, else the latest one with enterprise data."""
    choice = PeriodChoice(periods=[item for item in available_periods(zone) if item.is_cumulative])
    raw = request.GET.get("period", "").strip()
    if raw:
        try:
            choice.period = Period.parse(raw[:40])
        except PeriodError as exc:
            choice.error = str(exc)
    elif choice.periods:
        choice.period = default_period(zone, enterprise_data=True) or choice.periods[0]
    else:
        choice.error = f"{zone.display_name}尚无企业数据"
    if choice.period is not None:
        choice.completeness_label = completeness(zone, choice.period).label
    return choice


def _period_end(period: Period) -> date:
    return date(period.year, period.last_month, monthrange(period.year, period.last_month)[1])


def _chain(code: str) -> Chain:
    return get_object_or_404(Chain.objects.select_related("zone", "leader", "lead_department"), code=code)


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


REQUESTS_PAGE_SIZE = 50


def _request_rows(requests: list[EnterpriseRequest], today: date) -> list[dict[str, Any]]:
    rows = []
    for item in requests:
        closed_on = timezone.localdate(item.closed_at) if item.closed_at else None
        colour, label = request_colour(deadline=item.deadline, closed_on=closed_on, today=today)
        rows.append({"request": item, "colour": colour, "colour_label": label})
    return rows


# -- leadership: all chains ----------------------------------------------------------------


@require_GET
@require_role(*CHAIN_READERS)
def overview_page(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("zone", "").strip() or settings.YUANQU_DEFAULT_ZONE
    zone = Place.objects.filter(code=code).first()
    if zone is None:
        return render(request, "chains/overview.html", {"error": f"未找到园区“{code[:40]}”"}, status=400)
    choice = _period_choice(request, zone)
    context: dict[str, Any] = {"zone": zone, "choice": choice, "error": choice.error}
    if choice.period is None:
        return render(request, "chains/overview.html", context, status=400)
    progress = chains_progress(zone=zone, period=choice.period)
    seen = chains_disclosure(zone=zone, period=choice.period, user=request.user)
    if request.GET.get("format") == "xlsx":
        content = chains_progress_export(
            progress=progress, disclosure=seen, actor=request.user, ip_address=client_ip(request)
        )
        name, fallback = chains_export_name(progress, zone.display_name)
        return download(content, file_name=name, fallback=fallback)
    rows = [
        {
            "figure": item,
            "withheld": not seen.chain(item.chain_id),
            "target_text": target_text(item.target) if seen.chain(item.chain_id) else f"完成情况{SUPPRESSED}",
            "growth_text": growth_text(item.output),
            "contribution_text": contribution_text(item.contribution_pp),
        }
        for item in progress.chains
    ]
    chart = {
        "time_progress": float(figures.round_half_up(choice.period.time_progress * 100)),
        "chains": [
            {
                "name": item.name,
                "code": item.code,
                "output_yi": float(figures.round_half_up(item.output.current_yi))
                if seen.chain(item.chain_id)
                else None,
                "target_yi": float(item.target.value_yi) if item.target else None,
                "completion": (
                    float(figures.round_half_up(item.target.completion_pct))
                    if item.target and item.target.completion_pct is not None and seen.chain(item.chain_id)
                    else None
                ),
                "growth": (
                    float(figures.round_half_up(item.output.growth_pct))
                    if item.output.growth_pct is not None and seen.chain(item.chain_id)
                    else None
                ),
                "status": item.target.status if item.target else "",
            }
            for item in progress.chains
        ],
    }
    context.update(
        progress=progress,
        rows=rows,
        chart=chart,
        total_growth=growth_text(progress.union),
        sum_of_chains_yi=figures.yi_from_yuan(progress.sum_of_chains_yuan),
        total_contribution=contribution_text(progress.union_contribution_pp) if seen.zone() else "",
        union_withheld=not seen.union(),
        zone_withheld=not seen.zone(),
        sum_withheld=not seen.double_counted(),
        shared_note=shared_note(progress, seen),
        suppressed=SUPPRESSED,
    )
    return render(request, "chains/overview.html", context)


@require_GET
@require_role(*CHAIN_READERS)
def help_page(request: HttpRequest) -> HttpResponse:
    """使用说明 of the chain pages."""
    context = {
        "help_title": _("重点产业链"),
        "back_url": reverse("chains:overview"),
        "back_label": _("重点产业链"),
        "weak_share": figures.at_most(Chain._meta.get_field("weak_share_pct").get_default()),
        "min_disclosed": settings.YUANQU_DISCLOSURE_MIN_ENTERPRISES,
        "dominance_pct": settings.YUANQU_DISCLOSURE_DOMINANCE_PCT,
    }
    return render(request, "help/chains.html", context)


# -- one chain's workbench -----------------------------------------------------------------


def _map_tree(figure: ChainFigure, disclosure: Disclosure) -> dict[str, Any]:
    """The chain map for ECharts: chain → segment → nodes, each node with its gap mark."""
    data = chain_data(figure, disclosure=disclosure)
    segments: dict[str, dict[str, Any]] = {}
    for node in data["nodes"]:
        segment = segments.setdefault(node["segment"], {"name": node["segment_label"], "segment": True, "children": []})
        segment["children"].append(node)
    order = [choice for choice, _ in ChainNode.Segment.choices]
    return {
        "name": figure.name,
        "root": True,
        "children": [segments[key] for key in order if key in segments],
    }


@require_GET
@require_role(*CHAIN_READERS)
def workbench_page(request: HttpRequest, code: str) -> HttpResponse:
    chain = _chain(code)
    choice = _period_choice(request, chain.zone)
    disclose = can_see_enterprises(request.user, chain)
    context: dict[str, Any] = {
        "chain": chain,
        "choice": choice,
        "error": choice.error,
        "can_see_enterprises": disclose,
        "can_handle": can_handle_requests(request.user, chain),
        "chains": Chain.objects.filter(zone=chain.zone).only("code", "name"),
        "suppressed": SUPPRESSED,
    }
    if choice.period is None:
        return render(request, "chains/workbench.html", context, status=400)
    today = timezone.localdate()
    figure, progress = chain_progress(chain=chain, period=choice.period, today=today)
    seen = chains_disclosure(zone=chain.zone, period=choice.period, user=request.user)
    # Tasks are reviewed as they stood at the end of the period (or today, if earlier).
    reference = min(today, _period_end(choice.period))
    requests, requests_query = paged(
        request,
        EnterpriseRequest.objects.filter(chain=chain).select_related("enterprise", "raised_by", "department"),
        REQUESTS_PAGE_SIZE,
        parameter="requests_page",
    )
    projects = chain_projects(chain=chain, period=choice.period)
    context.update(
        figure=figure,
        progress=progress,
        projects=projects,
        gaps=[{"node": node, "filling": projects.filling.get(node.id, [])} for node in figure.gaps],
        can_open_projects=has_role(request.user, *PROJECT_READERS),
        withheld=not seen.chain(figure.chain_id),
        target_text=target_text(figure.target) if seen.chain(figure.chain_id) else f"完成情况{SUPPRESSED}",
        growth_text=growth_text(figure.output),
        contribution_text=contribution_text(figure.contribution_pp),
        map_data={
            "tree": _map_tree(figure, seen),
            "node_url": reverse("chains:workbench", args=[chain.code]) + "nodes/",
            "period": choice.period.code,
        },
        programmes=programmes_for(
            programmes(chain=chain, period=choice.period, figure=figure, today=reference),
            figure=figure,
            period=choice.period,
            disclosure=seen,
        ),
        reference=reference,
        requests=_request_rows(list(requests.object_list), today),
        requests_page=requests,
        requests_query=requests_query,
        masters=_masters(chain),
    )
    return render(request, "chains/workbench.html", context)


def _masters(chain: Chain) -> list[dict[str, str]]:
    """The chain's 链主 with their commitments (public: the zone announces them)."""
    seen: dict[str, dict[str, str]] = {}
    for placement in ChainEnterprise.objects.filter(node__chain=chain, role=ChainEnterprise.Role.MASTER).select_related(
        "enterprise", "node"
    ):
        seen.setdefault(
            placement.enterprise.name,
            {"name": placement.enterprise.name, "node": placement.node.name, "commitment": placement.commitment},
        )
    return list(seen.values())


@require_GET
@require_role(*CHAIN_READERS)
def node_fragment(request: HttpRequest, code: str, node_id: int) -> HttpResponse:
    """The enterprises on a node (htmx fragment): names and figures only for those allowed."""
    chain = _chain(code)
    node = get_object_or_404(ChainNode, pk=node_id, chain=chain)
    choice = _period_choice(request, chain.zone)
    if choice.period is None:
        return render(request, "chains/_node.html", {"node": node, "error": choice.error}, status=400)
    allowed = can_see_enterprises(request.user, chain)
    rows = node_enterprises(node=node, period=choice.period)
    context = {
        "chain": chain,
        "node": node,
        "period": choice.period,
        "allowed": allowed,
        "rows": rows if allowed else [],
        "count": len(rows),
        "in_scope": sum(1 for row in rows if row.output and row.output.in_scope),
    }
    return render(request, "chains/_node.html", context)


# -- requests ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_role(*CHAIN_READERS)
def request_new_page(request: HttpRequest, code: str) -> HttpResponse:
    chain = _chain(code)
    if not can_handle_requests(request.user, chain):
        raise PermissionDenied("只有本链链长可以登记企业诉求")
    form = RequestRaiseForm(request.POST or None, chain=chain)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = request_raise(
                chain=chain,
                enterprise=data["enterprise"],
                raised_by=data["raised_by"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                actor=request.user,
                ip_address=client_ip(request),
            )
        except ChainError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("chains:request", pk=created.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "chains/request_new.html", {"chain": chain, "form": form}, status=status)


def _request_context(request: HttpRequest, item: EnterpriseRequest, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    handle = can_handle_requests(request.user, item.chain)
    return {
        "item": item,
        "chain": item.chain,
        "row": _request_rows([item], today)[0],
        "replies": item.replies.select_related("author", "department"),
        "can_handle": handle,
        "can_reply": can_reply(request.user, item),
        "assign_form": forms.get("assign")
        or RequestAssignForm(
            chain=item.chain,
            initial={"department": item.department_id, "deadline": item.deadline or default_deadline(today)},
        ),
        "reply_form": forms.get("reply") or RequestReplyForm(),
        "close_form": forms.get("close") or RequestCloseForm(),
    }


def _request(pk: int) -> EnterpriseRequest:
    return get_object_or_404(
        EnterpriseRequest.objects.select_related(
            "chain__zone", "chain__leader", "enterprise", "raised_by", "department", "recorded_by"
        ),
        pk=pk,
    )


@require_GET
@require_role(*CHAIN_READERS)
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    item = _request(pk)
    return render(request, "chains/request.html", _request_context(request, item))


@require_POST
@require_role(*CHAIN_READERS)
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _request(pk)
    allowed = can_reply(request.user, item) if action == "reply" else can_handle_requests(request.user, item.chain)
    if not allowed:
        raise PermissionDenied("您无权办理此诉求")
    forms: dict[str, Any] = {}
    try:
        if action == "assign":
            assign = forms["assign"] = RequestAssignForm(request.POST, chain=item.chain)
            if assign.is_valid():
                request_assign(
                    request=item,
                    department=assign.cleaned_data["department"],
                    deadline=assign.cleaned_data["deadline"],
                    actor=request.user,
                    ip_address=client_ip(request),
                )
                return redirect("chains:request", pk=item.pk)
        elif action == "reply":
            reply = forms["reply"] = RequestReplyForm(request.POST)
            if reply.is_valid():
                request_reply(
                    request=item,
                    text=reply.cleaned_data["text"],
                    author=request.user,  # type: ignore[arg-type]
                    ip_address=client_ip(request),
                )
                return redirect("chains:request", pk=item.pk)
        else:
            close = forms["close"] = RequestCloseForm(request.POST)
            if close.is_valid():
                request_close(
                    request=item,
                    satisfaction=close.cleaned_data["satisfaction"],
                    note=close.cleaned_data["note"],
                    actor=request.user,
                    ip_address=client_ip(request),
                )
                return redirect("chains:request", pk=item.pk)
    except ChainError as exc:
        context = _request_context(request, item, **forms)
        context["error"] = str(exc)
        return render(request, "chains/request.html", context, status=400)
    item.refresh_from_db()
    return render(request, "chains/request.html", _request_context(request, item, **forms), status=400)
