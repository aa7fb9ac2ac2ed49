"""State changes of supervision: 立项交办, 进展填报, 审核, colour history, reminders.

Each public function is atomic, keyword-only, and writes its audit row. A refusal raises
``SupervisionRefused`` with a message for the user, in Chinese, naming the field, and writes
nothing: everything is checked before the first write.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.accounts.roles import Role, has_role
from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.periods import Period
from yuanqu.supervision.colours import Rule
from yuanqu.supervision.links import LinkRefused, MeasureWindow, link_clean, link_kind
from yuanqu.supervision.models import (
    ColourChange,
    Measure,
    Milestone,
    ProgressReport,
    Reminder,
    ReportAttachment,
    Task,
)
from yuanqu.supervision.selectors import Bulletin, TaskStatus, period_dates, thresholds
from yuanqu.supervision.stages import KIND as STAGE_KIND
from yuanqu.supervision.writing import colour_name, day_text

Actor = User | AnonymousUser | None
logger = logging.getLogger(__name__)

ATTACHMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ofd", ".jpg", ".jpeg", ".png", ".txt", ".zip"}
MAX_ATTACHMENTS = 10
MAX_NUMBER = 999
MAX_TARGET = Decimal("999999999999.99")  # the column's 14 digits, 2 of them decimals


class SupervisionRefused(ValueError):
    """A change the rules do not allow; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class MilestoneInput:
    title: str
    due_on: date


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def _who(user: User | None) -> str:
    if user is None:
        return _("命令行")
    return user.get_full_name() or user.get_username()


def _text(value: str, label: str, limit: int, *, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise SupervisionRefused(_("请填写“%(field)s”") % {"field": label})
    if len(text) > limit:
        raise SupervisionRefused(_("“%(field)s”不能超过%(limit)s个字") % {"field": label, "limit": limit})
    return text


# -- 立项交办 --------------------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    zone: Place,
    period: Period,
    number: int,
    area: str,
    lever: str,
    outcome: str,
    lead_department: Department,
    leader: User | None = None,
    co_departments: Sequence[Department] = (),
    starts_on: date | None = None,
    ends_on: date | None = None,
    tracks_project_stages: bool = False,
    is_sample: bool = False,
    actor: Actor = None,
    ip_address: str | None = None,
) -> Task:
    """A key task of a period (立项), with its 分管领导 and departments."""
    first, last = period_dates(period)
    start, end = starts_on or first, ends_on or last
    if not 1 <= number <= MAX_NUMBER:
        raise SupervisionRefused(_("“序号”须为1到%(limit)s之间的整数") % {"limit": MAX_NUMBER})
    if Task.objects.filter(zone=zone, period=period.code, number=number).exists():
        raise SupervisionRefused(
            _("%(period)s已有序号为%(number)s的重点任务") % {"period": period.full_label, "number": number}
        )
    clean = {
        "area": _text(area, _("工作领域"), 40),
        "lever": _text(lever, _("抓手"), 80),
        "outcome": _text(outcome, _("目标表述"), 80),
    }
    if leader is not None and not has_role(leader, Role.LEADERSHIP):
        raise SupervisionRefused(
            _("“分管领导”须为领导角色的用户（%(user)s不是）")
            % {"user": leader.get_full_name() or leader.get_username()}
        )
    for department in [lead_department, *co_departments]:
        if department.zone_id != zone.pk:
            raise SupervisionRefused(
                _("部门“%(department)s”不属于%(zone)s") % {"department": department.name, "zone": zone.name}
            )
    if end < start:
        raise SupervisionRefused(
            _("“结束日期”（%(end)s）不能早于“开始日期”（%(start)s）") % {"end": end, "start": start}
        )
    if start < first or end > last:
        raise SupervisionRefused(
            _("任务的起止日期须在%(period)s（%(first)s至%(last)s）之内")
            % {"period": period.full_label, "first": first, "last": last}
        )
    task = Task.objects.create(
        zone=zone,
        period=period.code,
        number=number,
        leader=leader,
        lead_department=lead_department,
        starts_on=start,
        ends_on=end,
        tracks_project_stages=tracks_project_stages,
        is_sample=is_sample,
        created_by=_user(actor),
        **clean,
    )
    task.co_departments.set(co_departments)
    audit_record(
        action="supervision.task_create",
        summary=_("立项重点任务%(number)s：%(wording)s（%(period)s）")
        % {"number": number, "wording": task.wording, "period": period.full_label},
        actor=actor,
        detail={"task": task.pk, "zone": zone.code, "period": period.code},
        ip_address=ip_address,
    )
    return task


def _milestones_checked(milestones: Sequence[MilestoneInput], starts_on: date, deadline: date) -> list[MilestoneInput]:
    result = []
    for index, milestone in enumerate(milestones, start=1):
        title = _text(milestone.title, _("第%(index)s个节点的名称") % {"index": index}, 120)
        if not starts_on <= milestone.due_on <= deadline:
            raise SupervisionRefused(
                _("节点“%(title)s”的时限（%(due)s）须在举措的开始日期（%(start)s）和完成时限（%(deadline)s）之间")
                % {"title": title, "due": milestone.due_on, "start": starts_on, "deadline": deadline}
            )
        result.append(MilestoneInput(title, milestone.due_on))
    return result


def _link_checked(kind: str, params: dict[str, Any] | None, window: MeasureWindow) -> dict[str, Any]:
    if not kind:
        return {}
    try:
        return link_clean(kind, dict(params or {}), window)
    except LinkRefused as exc:
        raise SupervisionRefused(_("关联数据：%(reason)s") % {"reason": exc}) from exc


@transaction.atomic
def measure_assign(
    *,
    task: Task,
    title: str,
    department: Department,
    deadline: date,
    starts_on: date | None = None,
    target_text: str = "",
    target_value: Decimal | None = None,
    target_unit: str = "",
    report_cycle: str = Measure.Cycle.MONTHLY,
    link: str = "",
    link_params: dict[str, Any] | None = None,
    milestones: Sequence[MilestoneInput] = (),
    number: int | None = None,
    is_sample: bool = False,
    actor: Actor = None,
    ip_address: str | None = None,
) -> Measure:
    """A measure of a task assigned to its responsible department (交办), who is told on their page."""
    task = Task.objects.select_for_update().select_related("zone").get(pk=task.pk)
    clean_title = _text(title, _("具体举措"), 200)
    start = starts_on or task.starts_on
    if deadline < task.starts_on:
        raise SupervisionRefused(
            _("“完成时限”（%(deadline)s）不能早于任务的开始日期（%(start)s）")
            % {"deadline": deadline, "start": task.starts_on}
        )
    if start < task.starts_on:
        raise SupervisionRefused(
            _("“开始日期”（%(start)s）不能早于任务的开始日期（%(task_start)s）")
            % {"start": start, "task_start": task.starts_on}
        )
    if deadline < start:
        raise SupervisionRefused(
            _("“完成时限”（%(deadline)s）不能早于举措的“开始日期”（%(start)s）")
            % {"deadline": deadline, "start": start}
        )
    if department.zone_id != task.zone_id:
        raise SupervisionRefused(_("“责任部门”%(department)s不属于本园区") % {"department": department.name})
    if report_cycle not in Measure.Cycle.values:
        raise SupervisionRefused(_("“填报周期”无效"))
    if target_value is not None and (not target_value.is_finite() or target_value < 0):
        raise SupervisionRefused(_("“目标数”不能为负数"))
    if target_value is not None and target_value > MAX_TARGET:
        raise SupervisionRefused(_("“目标数”过大"))
    checked = _milestones_checked(milestones, start, deadline)
    window = MeasureWindow(task.zone, start, deadline, target_value)
    params = _link_checked(link, link_params, window)
    taken = set(task.measures.values_list("number", flat=True))
    if number is None:
        number = max(taken, default=0) + 1
    elif not 1 <= number <= MAX_NUMBER or number in taken:
        raise SupervisionRefused(_("本任务已有序号为%(number)s的举措") % {"number": number})
    measure = Measure.objects.create(
        task=task,
        number=number,
        title=clean_title,
        department=department,
        starts_on=start,
        deadline=deadline,
        target_text=_text(target_text, _("目标"), 200, required=False),
        target_value=target_value,
        target_unit=_text(target_unit, _("目标单位"), 20, required=False),
        report_cycle=report_cycle,
        link_kind=link,
        link_params=params,
        is_sample=is_sample,
        created_by=_user(actor),
    )
    Milestone.objects.bulk_create(Milestone(measure=measure, title=m.title, due_on=m.due_on) for m in checked)
    Reminder.objects.create(
        measure=measure,
        department=department,
        kind=Reminder.Kind.ASSIGNED,
        due_on=deadline,
        message=_("交办：%(code)s %(title)s，完成时限%(deadline)s")
        % {
            "code": measure.code,
            "title": clean_title,
            "deadline": day_text(deadline),
        },
    )
    audit_record(
        action="supervision.measure_assign",
        summary=_("交办举措%(code)s“%(title)s”至%(department)s，完成时限%(deadline)s")
        % {"code": measure.code, "title": clean_title, "department": department.name, "deadline": deadline},
        actor=actor,
        detail={"measure": measure.pk, "task": task.pk, "link": link, "params": params},
        ip_address=ip_address,
    )
    return measure


@transaction.atomic
def measure_link_set(
    *,
    measure: Measure,
    link: str,
    link_params: dict[str, Any] | None = None,
    actor: Actor = None,
    ip_address: str | None = None,
) -> Measure:
    """Link a measure to data (or unlink it: ``link=""``); its progress is then computed, not reported."""
    measure = Measure.objects.select_for_update().select_related("task__zone").get(pk=measure.pk)
    window = MeasureWindow(measure.task.zone, measure.starts_on, measure.deadline, measure.target_value)
    params = _link_checked(link, link_params, window)
    before = measure.link_kind
    measure.link_kind, measure.link_params = link, params
    measure.save(update_fields=["link_kind", "link_params"])
    kind = link_kind(link)
    audit_record(
        action="supervision.measure_link",
        summary=_("举措%(code)s关联数据：%(link)s")
        % {"code": measure.code, "link": kind.describe(params) if kind else _("无（由部门填报）")},
        actor=actor,
        detail={"measure": measure.pk, "before": before, "link": link, "params": params},
        ip_address=ip_address,
    )
    return measure


# -- 进展填报 and 审核 ----------------------------------------------------------------------------


def _attachments_checked(files: Sequence[UploadedFile]) -> list[UploadedFile]:
    if len(files) > MAX_ATTACHMENTS:
        raise SupervisionRefused(_("“佐证材料”最多%(limit)s个文件") % {"limit": MAX_ATTACHMENTS})
    limit = settings.YUANQU_UPLOAD_MAX_MB * 1024 * 1024
    for upload in files:
        name = Path(upload.name or "").name
        if Path(name).suffix.lower() not in ATTACHMENT_SUFFIXES:
            raise SupervisionRefused(
                _("文件“%(name)s”的类型不支持（可上传 %(suffixes)s）")
                % {"name": name, "suffixes": "、".join(sorted(ATTACHMENT_SUFFIXES))}
            )
        if not upload.size:
            raise SupervisionRefused(_("文件“%(name)s”是空文件") % {"name": name})
        if upload.size > limit:
            raise SupervisionRefused(
                _("文件“%(name)s”超过%(limit)sMB") % {"name": name, "limit": settings.YUANQU_UPLOAD_MAX_MB}
            )
    return list(files)


def is_member(user: User | None, department_id: int) -> bool:
    return user is not None and user.departments.filter(pk=department_id).exists()


@transaction.atomic
def report_submit(
    *,
    measure: Measure,
    actor: Actor,
    text: str,
    reported_on: date | None = None,
    progress_pct: Decimal | None = None,
    requests_completion: bool = False,
    milestones_reached: Sequence[int] = (),
    attachments: Sequence[UploadedFile] = (),
    ip_address: str | None = None,
) -> ProgressReport:
    """The responsible department reports progress (进展填报), or asks to close the measure (申请办结).

    Closing needs the supervision office's review: the department only asks, with evidence.
    """
    user = _user(actor)
    measure = Measure.objects.select_for_update().select_related("task", "department").get(pk=measure.pk)
    if not is_member(user, measure.department_id):
        raise SupervisionRefused(
            _("只有责任部门（%(department)s）的人员可以填报本举措的进展") % {"department": measure.department.name}
        )
    assert user is not None
    if measure.status == Measure.Status.DONE:
        raise SupervisionRefused(_("本举措已办结，不能再填报"))
    if requests_completion and measure.link_kind == STAGE_KIND:
        raise SupervisionRefused(_("项目阶段超期事项在项目进入下一阶段后自动办结，不能申请办结"))
    if requests_completion and measure.status == Measure.Status.REQUESTED:
        raise SupervisionRefused(_("本举措已有待审核的办结申请"))
    clean_text = _text(text, _("进展情况"), 4000)
    today = timezone.localdate()
    day = reported_on or today
    if day > today:
        raise SupervisionRefused(_("“进展截至日期”（%(day)s）不能晚于今天") % {"day": day})
    if day < measure.starts_on:
        raise SupervisionRefused(
            _("“进展截至日期”（%(day)s）不能早于举措的开始日期（%(start)s）") % {"day": day, "start": measure.starts_on}
        )
    if progress_pct is not None:
        if measure.link_kind:
            raise SupervisionRefused(_("本举措的进度由关联数据计算，不填报“完成进度”，只填写进展情况"))
        if not progress_pct.is_finite() or not Decimal(0) <= progress_pct <= Decimal(100):
            raise SupervisionRefused(_("“完成进度”须在0到100之间"))
    if requests_completion:
        if progress_pct is not None and progress_pct < 100:
            raise SupervisionRefused(_("申请办结时“完成进度”应为100%"))
        if not attachments:
            raise SupervisionRefused(_("申请办结须上传“佐证材料”"))
        if not measure.link_kind:
            progress_pct = Decimal(100)
    files = _attachments_checked(attachments)
    reached = list(measure.milestones.filter(pk__in=list(milestones_reached), done_on__isnull=True))
    if len(reached) != len(set(milestones_reached)):
        raise SupervisionRefused(_("所选节点不属于本举措，或已完成"))
    report = ProgressReport.objects.create(
        measure=measure,
        department=measure.department,
        reported_by=user,
        reported_on=day,
        text=clean_text,
        progress_pct=progress_pct,
        requests_completion=requests_completion,
    )
    for upload in files:
        ReportAttachment.objects.create(report=report, file=upload, title=Path(upload.name or "").name[:200])
    for milestone in reached:
        milestone.done_on = day
        milestone.save(update_fields=["done_on"])
    if requests_completion:
        measure.status = Measure.Status.REQUESTED
        measure.save(update_fields=["status"])
    Reminder.objects.filter(measure=measure, kind=Reminder.Kind.REPORT_DUE, read_at__isnull=True).update(
        read_at=timezone.now(), read_by=user
    )
    what = _("申请办结") if requests_completion else _("填报进展")
    audit_record(
        action="supervision.report",
        summary=_("%(department)s%(what)s：举措%(code)s“%(title)s”")
        % {"department": measure.department.name, "what": what, "code": measure.code, "title": measure.title},
        actor=actor,
        detail={
            "measure": measure.pk,
            "report": report.pk,
            "progress_pct": str(progress_pct) if progress_pct is not None else None,
            "requests_completion": requests_completion,
            "milestones": [m.pk for m in reached],
            "attachments": len(files),
        },
        ip_address=ip_address,
    )
    return report


ACCEPT = "accept"
RETURN = "return"


@transaction.atomic
def report_review(
    *, report: ProgressReport, decision: str, actor: Actor, note: str = "", ip_address: str | None = None
) -> ProgressReport:
    """The supervision office's 审核: accept a report (closing the measure if it asked to) or return it."""
    user = _user(actor)
    if user is None or not has_role(user, Role.SUPERVISOR):
        raise SupervisionRefused(_("只有督查室人员可以审核"))
    report = ProgressReport.objects.select_for_update().select_related("measure__task").get(pk=report.pk)
    measure = Measure.objects.select_for_update().select_related("task", "department").get(pk=report.measure_id)
    if is_member(user, measure.department_id):
        raise SupervisionRefused(_("不能审核本部门的填报（须由督查室其他人员审核）"))
    if report.status != ProgressReport.Status.SUBMITTED:
        raise SupervisionRefused(_("这份填报已审核（%(status)s）") % {"status": report.get_status_display()})
    if decision not in (ACCEPT, RETURN):
        raise SupervisionRefused(_("审核结果须为“通过”或“退回”"))
    clean_note = _text(note, _("审核意见"), 300, required=decision == RETURN)
    report.status = ProgressReport.Status.ACCEPTED if decision == ACCEPT else ProgressReport.Status.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_note = user, timezone.now(), clean_note
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    if report.requests_completion:
        if decision == ACCEPT:
            measure.status, measure.completed_on = Measure.Status.DONE, report.reported_on
        else:
            measure.status, measure.completed_on = Measure.Status.IN_PROGRESS, None
        measure.save(update_fields=["status", "completed_on"])
    if decision == ACCEPT:
        summary = (
            _("审核通过举措%(code)s“%(title)s”的办结申请，办结日期%(day)s")
            if report.requests_completion
            else _("审核通过举措%(code)s“%(title)s”的进展填报（%(day)s）")
        )
    else:
        summary = (
            _("退回举措%(code)s“%(title)s”的办结申请（%(day)s）")
            if report.requests_completion
            else _("退回举措%(code)s“%(title)s”的进展填报（%(day)s）")
        )
    audit_record(
        action="supervision.close" if decision == ACCEPT and report.requests_completion else "supervision.review",
        summary=summary % {"code": measure.code, "title": measure.title, "day": report.reported_on},
        actor=actor,
        detail={"measure": measure.pk, "report": report.pk, "decision": decision, "note": clean_note},
        ip_address=ip_address,
    )
    return report


# -- the bulletin -------------------------------------------------------------------------------


def bulletin_exported(
    *, bulletin: Bulletin, kind: str, actor: Actor = None, ip_address: str | None = None, file_name: str = ""
) -> None:
    """The audit row of a bulletin written out as Word or Excel: the page's download, the command's file."""
    detail: dict[str, Any] = {
        "zone": bulletin.zone.code,
        "month": f"{bulletin.year}-{bulletin.month:02d}",
        "format": kind,
    }
    if file_name:
        detail["file"] = file_name
    audit_record(
        action="export.supervision_bulletin",
        summary=_("导出督查通报（%(month)s，%(kind)s）") % {"month": bulletin.month_label, "kind": kind},
        actor=actor,
        detail=detail,
        ip_address=ip_address,
    )


# -- colour history and reminders ----------------------------------------------------------------


def colours_record(*, tasks: Sequence[TaskStatus], on: date, actor: Actor = None) -> int:
    """Keep a history row for every measure whose computed colour differs from the last recorded one.

    Called wherever statuses are computed for the period's status date (page loads, the API, the
    command). Nothing is written when no colour changed, so an ordinary page load is a read.
    """
    changed = {
        measure.id: measure
        for task in tasks
        for measure in task.measures
        if measure.colour.value != measure.recorded_colour
    }
    if not changed:
        return 0
    return _colours_store(changed, on, actor)


@transaction.atomic
def _colours_store(changed: dict[int, Any], on: date, actor: Actor) -> int:
    # Locked and read again: two page loads computing the same change record it once.
    current = {
        measure.pk: measure
        for measure in Measure.objects.select_for_update().filter(pk__in=list(changed)).select_related("task")
    }
    rows: list[ColourChange] = []
    for measure_id, status in changed.items():
        measure = current.get(measure_id)
        if measure is None or measure.colour == status.colour.value:
            continue
        rows.append(
            ColourChange(
                measure=measure,
                colour=status.colour.value,
                previous=measure.colour,
                reason=status.reason[:200],
                status_on=on,
            )
        )
        measure.colour, measure.colour_reason = status.colour.value, status.reason[:200]
    if not rows:
        return 0
    ColourChange.objects.bulk_create(rows)
    Measure.objects.bulk_update([current[row.measure_id] for row in rows], ["colour", "colour_reason"])
    lines = [
        _("%(code)s %(before)s→%(after)s")
        % {
            "code": current[row.measure_id].code,
            "before": colour_name(row.previous) if row.previous else _("（首次）"),
            "after": colour_name(row.colour),
        }
        for row in rows
    ]
    audit_record(
        action="supervision.colour",
        summary=_("督查颜色变化%(count)s项（%(date)s）：%(changes)s")
        % {"count": len(rows), "date": on, "changes": "；".join(lines)},
        actor=actor,
        actor_name="" if _user(actor) else _("系统计算"),
        detail={"on": on.isoformat(), "changes": [[row.measure_id, row.previous, row.colour] for row in rows]},
    )
    return len(rows)


@dataclass(frozen=True)
class _Due:
    measure_id: int
    department_id: int
    kind: str
    due_on: date
    message: str


def _cycle_start(day: date, cycle: str) -> date:
    if cycle == Measure.Cycle.WEEKLY:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _dues(tasks: Sequence[TaskStatus], today: date, cycles: dict[int, str]) -> list[_Due]:
    soon = thresholds().due_soon_days
    result: list[_Due] = []
    for task in tasks:
        for measure in task.measures:
            if measure.is_done or measure.starts_on > today or measure.link_kind == STAGE_KIND:
                continue  # a project overdue at a stage is reminded of once, when it is added

            def due(
                kind: str, on: date, message: str, measure_id: int = measure.id, department: int = measure.department_id
            ) -> None:
                result.append(_Due(measure_id, department, kind, on, message))

            label = f"{measure.code} {measure.title}"
            if measure.rule == Rule.OVERDUE:
                due(
                    Reminder.Kind.OVERDUE,
                    measure.deadline,
                    _("到期催办：%(measure)s已超过完成时限（%(deadline)s），请抓紧办理并报送进展")
                    % {"measure": label, "deadline": day_text(measure.deadline)},
                )
            elif 0 <= (measure.deadline - today).days <= soon:
                due(
                    Reminder.Kind.DUE_SOON,
                    measure.deadline,
                    _("临近提醒：%(measure)s将于%(deadline)s到期")
                    % {"measure": label, "deadline": day_text(measure.deadline)},
                )
            for milestone in measure.milestones:
                if milestone.state == "missed":
                    due(
                        Reminder.Kind.OVERDUE,
                        milestone.due_on,
                        _("到期催办：%(measure)s的节点“%(milestone)s”已逾期（%(due)s）")
                        % {"measure": label, "milestone": milestone.title, "due": day_text(milestone.due_on)},
                    )
                elif milestone.state == "open" and 0 <= (milestone.due_on - today).days <= soon:
                    due(
                        Reminder.Kind.DUE_SOON,
                        milestone.due_on,
                        _("临近提醒：%(measure)s的节点“%(milestone)s”将于%(due)s到期")
                        % {"measure": label, "milestone": milestone.title, "due": day_text(milestone.due_on)},
                    )
            cycle = cycles.get(measure.id, Measure.Cycle.MONTHLY)
            start = _cycle_start(today, cycle)
            reported = measure.latest_report.reported_on if measure.latest_report else None
            if not measure.link_kind and (reported is None or reported < start) and start >= measure.starts_on:
                due(
                    Reminder.Kind.REPORT_DUE,
                    start,
                    _("填报提醒：请报送%(measure)s%(cycle)s的进展")
                    % {
                        "measure": label,
                        "cycle": _("本周") if cycle == Measure.Cycle.WEEKLY else _("本月"),
                    },
                )
    return result


@transaction.atomic
def reminders_issue(*, tasks: Sequence[TaskStatus], today: date, actor: Actor = None) -> int:
    """临近提醒、到期催办、填报提醒 for the departments, once each; e-mailed too if configured."""
    measure_ids = [measure.id for task in tasks for measure in task.measures]
    cycles = dict(Measure.objects.filter(pk__in=measure_ids).values_list("id", "report_cycle"))
    dues = _dues(tasks, today, cycles)
    if not dues:
        return 0
    existing = set(
        Reminder.objects.filter(measure_id__in={due.measure_id for due in dues}).values_list(
            "measure_id", "kind", "due_on"
        )
    )
    new = [
        Reminder(
            measure_id=due.measure_id,
            department_id=due.department_id,
            kind=due.kind,
            due_on=due.due_on,
            message=due.message[:300],
        )
        for due in {(d.measure_id, d.kind, d.due_on): d for d in dues}.values()
        if (due.measure_id, due.kind, due.due_on) not in existing
    ]
    if not new:
        return 0
    Reminder.objects.bulk_create(new)
    if settings.YUANQU_SUPERVISION_EMAIL:
        _email(new)
    audit_record(
        action="supervision.remind",
        summary=_("督办提醒%(count)s条（%(date)s）") % {"count": len(new), "date": today},
        actor=actor,
        actor_name="" if _user(actor) else _("系统计算"),
        detail={"reminders": [[r.measure_id, r.kind, r.due_on.isoformat()] for r in new]},
    )
    return len(new)


def _email(reminders: list[Reminder]) -> None:
    """The e-mail hook: each reminder to the members of its department who have an address."""
    by_department: dict[int, list[str]] = {}
    for department in Department.objects.filter(pk__in={r.department_id for r in reminders}).prefetch_related(
        "members"
    ):
        by_department[department.pk] = [user.email for user in department.members.all() if user.email]
    sent = []
    for reminder in reminders:
        recipients = by_department.get(reminder.department_id, [])
        if not recipients:
            continue
        try:
            send_mail(_("督查督办提醒"), reminder.message, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError:
            # A mail server that is down must not stop the reminders being listed in the app.
            logger.warning("supervision reminder e-mail failed for measure %s", reminder.measure_id, exc_info=True)
            continue
        sent.append(reminder.pk)
    if sent:
        Reminder.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


@transaction.atomic
def reminder_read(*, reminder: Reminder, actor: Actor) -> Reminder:
    user = _user(actor)
    if not is_member(user, reminder.department_id):
        raise SupervisionRefused(
            _("只有%(department)s的人员可以处理这条提醒") % {"department": reminder.department.name}
        )
    if reminder.read_at is None:
        reminder.read_at, reminder.read_by = timezone.now(), user
        reminder.save(update_fields=["read_at", "read_by"])
        audit_record(
            action="supervision.reminder_read",
            summary=_("已阅督办提醒：%(message)s") % {"message": reminder.message},
            actor=actor,
            detail={"reminder": reminder.pk},
        )
    return reminder


def statuses_refresh(*, tasks: Sequence[TaskStatus], on: date, live: bool) -> None:
    """After statuses are computed: record colour changes (for the status date) and, when that
    date is today, issue the reminders due."""
    if not live:
        return
    colours_record(tasks=tasks, on=on, actor=None)
    if on == timezone.localdate():
        reminders_issue(tasks=tasks, today=on, actor=None)
