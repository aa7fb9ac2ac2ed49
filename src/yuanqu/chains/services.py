"""State changes of the chain workbench. Each is atomic and writes its audit row.

Errors a user can cause raise ``ChainError`` with a Chinese message for the page or API.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from openpyxl.styles import Alignment

from yuanqu import figures
from yuanqu.chains.models import (
    Chain,
    ChainEnterprise,
    ChainNode,
    ChainProgramme,
    ChainTarget,
    EnterpriseRequest,
    ProgrammeTask,
    RequestReply,
)
from yuanqu.chains.selectors import ChainsProgress
from yuanqu.chains.writing import shared_note
from yuanqu.core.models import Department, Source
from yuanqu.core.services import audit_record
from yuanqu.disclosed import SUPPRESSED, Disclosure
from yuanqu.exports import Column, OfficeWorkbook, export_file_name
from yuanqu.indicators.models import Enterprise, EnterpriseField

Actor = User | AnonymousUser | None


class ChainError(ValueError):
    """A change the rules refuse; the message is for the user."""


def _text(value: str, name: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise ChainError(f"请填写{name}")
    if len(text) > limit:
        raise ChainError(f"{name}不能超过{limit}个字")
    return text


# -- targets and placements -------------------------------------------------------------


@transaction.atomic
def chain_target_set(
    *,
    chain: Chain,
    year: int,
    value_yi: Decimal,
    source: Source,
    actor: Actor = None,
    qualifier: str = "",
    source_locator: str = "",
    is_sample: bool = False,
    measure: str = EnterpriseField.INDUSTRIAL_OUTPUT,
) -> ChainTarget:
    try:
        value = Decimal(value_yi)
    except (InvalidOperation, TypeError) as exc:
        raise ChainError("目标值应为数字（亿元）") from exc
    if value <= 0:
        raise ChainError("目标值应大于零")
    target, created = ChainTarget.objects.update_or_create(
        chain=chain,
        year=year,
        measure=measure,
        defaults={
            "value": value,
            "qualifier": qualifier,
            "source": source,
            "source_locator": source_locator,
            "is_sample": is_sample,
        },
    )
    audit_record(
        action="chain.target_set",
        summary=f"{'设定' if created else '修改'}{chain.name}{year}年目标{figures.plain(value)}亿元",
        actor=actor,
        detail={"chain": chain.code, "year": year, "value": str(value), "measure": measure},
    )
    return target


@transaction.atomic
def chain_enterprise_place(
    *,
    node: ChainNode,
    enterprise: Enterprise,
    role: str = ChainEnterprise.Role.SUPPORTING,
    commitment: str = "",
    since: date | None = None,
    actor: Actor = None,
) -> ChainEnterprise:
    if role not in ChainEnterprise.Role.values:
        raise ChainError("企业在链上的角色应为链主、骨干或配套")
    if enterprise.zone_id != node.chain.zone_id:
        raise ChainError(f"{enterprise.name}不在{node.chain.zone.name}，不能列入本区产业链")
    placement, created = ChainEnterprise.objects.update_or_create(
        node=node, enterprise=enterprise, defaults={"role": role, "commitment": commitment, "since": since}
    )
    audit_record(
        action="chain.enterprise_place",
        summary=f"{enterprise.name}{'列入' if created else '调整为'}{node}（{placement.get_role_display()}）",
        actor=actor,
        detail={"chain": node.chain.code, "node": node.pk, "enterprise": enterprise.uscc, "role": role},
    )
    return placement


# -- programmes --------------------------------------------------------------------------


@transaction.atomic
def programme_task_add(
    *,
    programme: ChainProgramme,
    title: str,
    starts_on: date,
    deadline: date,
    owner: User | None = None,
    department: Department | None = None,
    actor: Actor = None,
) -> ProgrammeTask:
    if deadline < starts_on:
        raise ChainError("完成时限不能早于开始日期")
    task = ProgrammeTask.objects.create(
        programme=programme,
        title=_text(title, "任务", 200),
        starts_on=starts_on,
        deadline=deadline,
        owner=owner,
        department=department,
    )
    audit_record(
        action="chain.task_add",
        summary=f"{programme}新增任务：{task.title}",
        actor=actor,
        detail={"chain": programme.chain.code, "programme": programme.kind, "task": task.pk},
    )
    return task


@transaction.atomic
def programme_task_progress(*, task: ProgrammeTask, progress_pct: int, note: str = "", actor: Actor = None) -> None:
    if not 0 <= progress_pct <= 100:
        raise ChainError("完成进度应在0—100之间")
    before = task.progress_pct
    task.progress_pct, task.note, task.updated_at = progress_pct, note.strip()[:300], timezone.now()
    task.save(update_fields=["progress_pct", "note", "updated_at"])
    audit_record(
        action="chain.task_progress",
        summary=f"任务“{task.title}”进度{before}%→{progress_pct}%",
        actor=actor,
        detail={"task": task.pk, "before": before, "after": progress_pct},
    )


# -- enterprise requests -----------------------------------------------------------------


def _locked(request: EnterpriseRequest) -> EnterpriseRequest:
    """The request re-read under a row lock, so two people cannot close it at once."""
    return EnterpriseRequest.objects.select_for_update().select_related("chain").get(pk=request.pk)


@transaction.atomic
def request_raise(
    *,
    chain: Chain,
    enterprise: Enterprise,
    category: str,
    title: str,
    description: str = "",
    raised_by: Enterprise | None = None,
    actor: Actor = None,
    ip_address: str | None = None,
) -> EnterpriseRequest:
    """An enterprise's request to the 链长, raised by itself or by a 链主 of the chain for it."""
    if category not in EnterpriseRequest.Category.values:
        raise ChainError("请选择诉求类别")
    on_chain = ChainEnterprise.objects.filter(node__chain=chain)
    if not on_chain.filter(enterprise=enterprise).exists():
        raise ChainError(f"{enterprise.name}不是{chain.name}的链上企业")
    raiser = raised_by or enterprise
    if raiser != enterprise and not on_chain.filter(enterprise=raiser, role=ChainEnterprise.Role.MASTER).exists():
        raise ChainError(f"只有{chain.name}的链主可以代配套企业提出诉求")
    request = EnterpriseRequest.objects.create(
        chain=chain,
        enterprise=enterprise,
        raised_by=raiser,
        category=category,
        title=_text(title, "诉求", 200),
        description=description.strip()[:4000],
        recorded_by=actor if isinstance(actor, User) else None,
    )
    on_behalf = f"（由链主{raiser.name}代为提出）" if raiser != enterprise else ""
    audit_record(
        action="chain.request_raise",
        summary=f"{chain.name}登记{enterprise.name}{request.get_category_display()}诉求{on_behalf}：{request.title}",
        actor=actor,
        detail={"request": request.pk, "chain": chain.code, "enterprise": enterprise.uscc, "raised_by": raiser.uscc},
        ip_address=ip_address,
    )
    return request


@transaction.atomic
def request_assign(
    *,
    request: EnterpriseRequest,
    department: Department,
    deadline: date,
    actor: Actor = None,
    ip_address: str | None = None,
) -> EnterpriseRequest:
    current = _locked(request)
    if current.status == EnterpriseRequest.Status.CLOSED:
        raise ChainError("诉求已办结，不能再交办")
    if department.zone_id != current.chain.zone_id:
        raise ChainError(f"{department.name}不是本园区的部门")
    if deadline < timezone.localdate(current.raised_at):
        raise ChainError("办理时限不能早于诉求提出日期")
    current.department, current.deadline, current.assigned_at = department, deadline, timezone.now()
    if current.status == EnterpriseRequest.Status.RAISED:
        current.status = EnterpriseRequest.Status.ASSIGNED
    current.save(update_fields=["department", "deadline", "assigned_at", "status"])
    audit_record(
        action="chain.request_assign",
        summary=f"诉求“{current.title}”交办{department.name}，时限{deadline:%Y-%m-%d}",
        actor=actor,
        detail={"request": current.pk, "department": department.code, "deadline": deadline.isoformat()},
        ip_address=ip_address,
    )
    return current


@transaction.atomic
def request_reply(
    *,
    request: EnterpriseRequest,
    text: str,
    author: User,
    department: Department | None = None,
    ip_address: str | None = None,
) -> RequestReply:
    current = _locked(request)
    if current.status == EnterpriseRequest.Status.CLOSED:
        raise ChainError("诉求已办结，不能再答复")
    reply = RequestReply.objects.create(
        request=current, author=author, department=department or current.department, text=_text(text, "答复内容", 4000)
    )
    current.status = EnterpriseRequest.Status.REPLIED
    current.save(update_fields=["status"])
    audit_record(
        action="chain.request_reply",
        summary=f"答复诉求“{current.title}”",
        actor=author,
        detail={"request": current.pk, "reply": reply.pk},
        ip_address=ip_address,
    )
    return reply


@transaction.atomic
def request_close(
    *,
    request: EnterpriseRequest,
    satisfaction: str,
    note: str = "",
    actor: Actor = None,
    ip_address: str | None = None,
) -> EnterpriseRequest:
    """Close a request with the enterprise's own verdict on how it was handled."""
    current = _locked(request)
    if current.status == EnterpriseRequest.Status.CLOSED:
        raise ChainError("诉求已办结")
    if satisfaction not in EnterpriseRequest.Satisfaction.values:
        raise ChainError("请选择企业满意度")
    current.status = EnterpriseRequest.Status.CLOSED
    current.satisfaction, current.closing_note, current.closed_at = satisfaction, note.strip()[:500], timezone.now()
    current.save(update_fields=["status", "satisfaction", "closing_note", "closed_at"])
    audit_record(
        action="chain.request_close",
        summary=f"诉求“{current.title}”办结，企业评价：{current.get_satisfaction_display()}",
        actor=actor,
        detail={"request": current.pk, "satisfaction": satisfaction, "late": current.closed_late()},
        ip_address=ip_address,
    )
    return current


# -- export -------------------------------------------------------------------------------


CHAINS_COLUMNS = [
    Column("产业链", width=24),
    Column("链长"),
    Column("规上企业（家）", "int", total=False),
    Column("产值（亿元）", "yi"),
    Column("年度目标（亿元）", "yi", total=True),
    Column("完成率（%）", "rate"),
    Column("序时进度（%）", "rate"),
    Column("快慢（个百分点）", "rate"),
    Column("同口径增长（%）", "rate"),
    Column("拉动园区增长（个百分点）", "pp"),
    Column("缺失节点", "int", total=True),
    Column("薄弱节点", "int", total=True),
    Column("在办诉求", "int", total=True),
    Column("超期诉求", "int", total=True),
]


def _rounded(value: Decimal | None, places: int = 1) -> Decimal | None:
    return None if value is None else figures.round_half_up(value, places)


def chains_export_name(progress: ChainsProgress, zone_name: str) -> tuple[str, str]:
    """扬州经开区_重点产业链进度_2023年上半年.xlsx, and its ASCII fallback."""
    fallback = f"chains-{progress.zone_code}-{progress.period.code.replace('~', '-')}.xlsx"
    return export_file_name(zone_name, "重点产业链进度", progress.period.full_label), fallback


@transaction.atomic
def chains_progress_export(
    *, progress: ChainsProgress, disclosure: Disclosure, actor: Actor, ip_address: str | None = None
) -> bytes:
    """All chains side by side as an .xlsx file (aggregates, as far as ``disclosure`` shows them); audited."""
    book = OfficeWorkbook()
    sheet = book.sheet(
        name="产业链进度",
        title=f"{progress.zone_name}{progress.period.full_label}重点产业链工业总产值完成情况",
        subtitle=f"{progress.period.full_label}　同口径，规上工业企业",
        columns=CHAINS_COLUMNS,
        landscape=True,
    )
    secret = str(SUPPRESSED)
    for item in progress.chains:
        target = item.target
        shown = disclosure.chain(item.chain_id)
        sheet.row(
            [
                item.name,
                item.leader_name,
                item.output.enterprises,
                _rounded(item.output.current_yi) if shown else secret,
                _rounded(target.value_yi) if target else None,
                (_rounded(target.completion_pct) if shown else secret) if target else None,
                _rounded(target.time_progress_pct) if target else None,
                (_rounded(target.gap_pp) if shown else secret) if target else None,
                _rounded(item.output.growth_pct) if shown else secret,
                _rounded(item.contribution_pp, 2) if shown and disclosure.zone() else (None if shown else secret),
                len(item.missing_nodes),
                len(item.weak_nodes),
                item.open_requests,
                item.overdue_requests,
            ]
        )
    union = progress.union
    shown_union = disclosure.union()
    sheet.total_row(
        "合计（重复企业只计一次）",
        values={
            2: union.enterprises,
            3: _rounded(union.current_yi) if shown_union else secret,
            8: _rounded(union.growth_pct) if shown_union else secret,
            9: (_rounded(progress.union_contribution_pp, 2) if disclosure.zone() else None) if shown_union else secret,
        },
    )
    note = sheet.sheet.cell(row=sheet.next_row + 1, column=1, value=shared_note(progress, disclosure))
    note.alignment = Alignment(wrap_text=False)
    audit_record(
        action="export.chains_progress",
        summary=f"导出{progress.zone_name}{progress.period.full_label}产业链进度（{len(progress.chains)}条链）",
        actor=actor,
        detail={"zone": progress.zone_code, "period": progress.period.code, "chains": len(progress.chains)},
        ip_address=ip_address,
    )
    return book.to_bytes()
