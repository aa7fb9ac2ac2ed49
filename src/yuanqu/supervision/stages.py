"""Projects overdue at a pipeline stage, as measures of the task that tracks project stages.

A task with ``tracks_project_stages`` (the demo's 项目建设) holds, besides the measures the office
assigns, one measure of link kind ``project_stage`` for each investment project that has stayed in
its stage past the zone's stage time limit (``yuanqu.projects.rules.rules_for``, the limits of the
pipeline's overdue list). Its parameters are ``{"project": pk, "stage": code, "since": date}``: the
stay it supervises. Its colour is computed from them every time (``colours.stage_colour``):

* red when the project has stayed longer than the stage's red limit (严重超期);
* yellow when it has stayed longer than the stage's time limit (超期);
* blue when the time limit falls within the office's ``due_soon_days``, green within it;
* green, 办结, from the day the project left the stage.

``stage_items_sync`` keeps the rows in step with the pipeline for the period's status date, the
date whose colours are recorded: it adds a measure for each project newly overdue on that date,
assigned to the project's department (the department with the largest share of its 招商业绩,
else the task's lead department), and closes the measure of a project that has moved on, with the
day it moved as its 办结 date. Nothing is written when nothing changed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from yuanqu.core.models import Department, Place
from yuanqu.core.services import audit_record
from yuanqu.periods import Period
from yuanqu.projects.models import Project, ProjectCredit, Stage
from yuanqu.projects.rules import GREEN, overdue_colour, rules_for
from yuanqu.projects.selectors import FINISHED
from yuanqu.supervision.models import Measure, Reminder, Task

KIND = "project_stage"


TITLE_LENGTH = Measure._meta.get_field("title").max_length or 200
MESSAGE_LENGTH = Reminder._meta.get_field("message").max_length or 200


def _fitted(template: str, values: dict[str, str], limit: int) -> str:
    """``template % values`` within ``limit`` characters, the project's name shortened with "…" if need be
    (a name may have 200 characters, as long as the whole title)."""
    text = template % values
    excess = len(text) - limit
    if excess <= 0:
        return text
    name = values["name"]
    return template % {**values, "name": name[: max(0, len(name) - excess - 1)] + "…"}


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def stay_of(params: dict[str, Any]) -> tuple[int, str, date] | None:
    """The (project, stage, since) a measure supervises, or None for parameters that do not parse."""
    try:
        return int(params["project"]), str(params["stage"]), date.fromisoformat(str(params["since"]))
    except (KeyError, TypeError, ValueError):
        return None


def _department(project: Project, task: Task, credits: list[ProjectCredit]) -> Department:
    shares: dict[Department, Decimal] = defaultdict(Decimal)
    for credit in credits:
        if credit.department is not None and credit.department.zone_id == task.zone_id:
            shares[credit.department] += credit.share_pct
    if not shares:
        return task.lead_department
    return max(shares, key=lambda department: (shares[department], -department.pk))


@dataclass(frozen=True)
class _Plan:
    new: list[Project]
    moved: list[tuple[Measure, date]]  # the measure and its 办结 date
    limits: dict[str, tuple[int, int]]


def _plan(task: Task, zone: Place, on: date) -> _Plan:
    limits = rules_for(zone).stage_limits
    items = list(Measure.objects.filter(task=task, link_kind=KIND))
    known = {stay for stay in (stay_of(item.link_params) for item in items) if stay is not None}
    open_stays = {
        item.pk: stay
        for item in items
        if item.status != Measure.Status.DONE and (stay := stay_of(item.link_params)) is not None
    }
    projects = {
        project.pk: project
        for project in Project.objects.in_zone(zone)
        .filter(pk__in={stay[0] for stay in open_stays.values()})
        .only("pk", "stage", "stage_since")
    }
    moved: list[tuple[Measure, date]] = []
    for item in items:
        stay = open_stays.get(item.pk)
        if stay is None:
            continue
        project = projects.get(stay[0])
        if project is None:
            moved.append((item, max(item.starts_on, on)))
        elif (project.stage, project.stage_since) != stay[1:]:
            moved.append((item, max(item.starts_on, project.stage_since)))
    # Past the time limit: more than ``limit`` days in the stage.
    past_limit = Q(pk__in=[])
    for stage, (limit, _red) in limits.items():
        past_limit |= Q(stage=stage, stage_since__lt=on - timedelta(days=limit))
    open_projects = Project.objects.in_zone(zone).exclude(stage=Stage.TERMINATED).exclude(FINISHED)
    new = [
        project
        for project in open_projects.filter(past_limit).order_by("stage_since", "code")
        if (project.pk, project.stage, project.stage_since) not in known
        and overdue_colour(project.stage, project.stage_since, on, limits) != GREEN
    ]
    return _Plan(new, moved, limits)


def stage_items_sync(*, zone: Place, period: Period, on: date) -> int:
    """Add the projects newly overdue at a stage on ``on`` and close those that moved on; the count."""
    task = (
        Task.objects.filter(zone=zone, period=period.code, tracks_project_stages=True)
        .select_related("lead_department")
        .order_by("number")
        .first()
    )
    if task is None or not task.starts_on <= on <= task.ends_on:
        return 0
    plan = _plan(task, zone, on)
    if not plan.new and not plan.moved:
        return 0
    return _apply(task, zone, on)


@transaction.atomic
def _apply(task: Task, zone: Place, on: date) -> int:
    # Locked and planned again: two page loads finding the same project add it once.
    task = Task.objects.select_for_update().select_related("lead_department").get(pk=task.pk)
    plan = _plan(task, zone, on)
    if not plan.new and not plan.moved:
        return 0
    for item, closed_on in plan.moved:
        item.status, item.completed_on = Measure.Status.DONE, closed_on
        item.save(update_fields=["status", "completed_on"])
    number = task.measures.aggregate(last=Max("number"))["last"] or 0
    credits: dict[int, list[ProjectCredit]] = defaultdict(list)
    for credit in ProjectCredit.objects.filter(project__in=plan.new).select_related("department"):
        credits[credit.project_id].append(credit)
    added: list[Measure] = []
    for project in plan.new:
        number += 1
        values = {"name": project.name, "code": project.code, "stage": stage_label(project.stage)}
        department = _department(project, task, credits[project.pk])
        # From the first day overdue (within the task's dates).
        overdue_from = project.stage_since + timedelta(days=plan.limits[project.stage][0] + 1)
        starts_on = max(task.starts_on, min(overdue_from, task.ends_on))
        measure = Measure.objects.create(
            task=task,
            number=number,
            title=_fitted(_("项目“%(name)s”（%(code)s）%(stage)s阶段超过时限"), values, TITLE_LENGTH),
            department=department,
            starts_on=starts_on,
            deadline=task.ends_on,
            target_text=_("推进项目进入下一阶段"),
            link_kind=KIND,
            link_params={"project": project.pk, "stage": project.stage, "since": project.stage_since.isoformat()},
        )
        Reminder.objects.create(
            measure=measure,
            department=department,
            kind=Reminder.Kind.OVERDUE,
            due_on=starts_on,
            message=_fitted(
                _("到期催办：%(code)s 项目“%(name)s”已超过%(stage)s阶段时限，请加快推进"),
                {**values, "code": measure.code},
                MESSAGE_LENGTH,
            ),
        )
        added.append(measure)
    lines = [_("新增%(code)s %(title)s") % {"code": item.code, "title": item.title} for item in added]
    lines += [
        _("办结%(code)s %(title)s（%(day)s）") % {"code": item.code, "title": item.title, "day": closed_on}
        for item, closed_on in plan.moved
    ]
    audit_record(
        action="supervision.stage_items",
        summary=_("项目阶段超期督办事项（%(date)s）：%(changes)s") % {"date": on, "changes": "；".join(lines)},
        actor_name=_("系统计算"),
        detail={
            "task": task.pk,
            "on": on.isoformat(),
            "added": [item.pk for item in added],
            "closed": [[item.pk, closed_on.isoformat()] for item, closed_on in plan.moved],
        },
    )
    return len(added) + len(plan.moved)
