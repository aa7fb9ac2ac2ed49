"""Reads of supervision: each task of a period with its measures, owners, colour and reason.

``task_statuses`` is the one read every page, the API, the command, the bulletin and the work
report call. It computes every measure's colour as of a date from the data: linked progress
from the engines (see ``links``), reported progress from the department's latest report up to
that date that the office has not returned, milestones, deadlines and 办结; for a project
overdue at a stage (``supervision.stages``), the project's stay against the stage's time limits.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.supervision import stages, writing
from yuanqu.supervision.colours import (
    Colour,
    MeasureFacts,
    MilestoneFact,
    Rule,
    StageFacts,
    Thresholds,
    Verdict,
    colour_of,
    stage_colour,
    status_date,
    time_progress,
    worst,
)
from yuanqu.supervision.links import LinkContext, LinkedProgress, MeasureWindow, link_kind
from yuanqu.supervision.models import ColourChange, Measure, Milestone, ProgressReport, Task

HUNDRED = Decimal(100)


def thresholds() -> Thresholds:
    """The colour thresholds configured in settings (validated there at start-up)."""
    values = settings.YUANQU_SUPERVISION
    return Thresholds(
        yellow_pp=Decimal(values["yellow_pp"]),
        red_pp=Decimal(values["red_pp"]),
        due_soon_days=int(values["due_soon_days"]),
        milestone_grace_days=int(values["milestone_grace_days"]),
    )


def period_dates(period: Period) -> tuple[date, date]:
    last_day = calendar.monthrange(period.year, period.last_month)[1]
    return date(period.year, period.first_month, 1), date(period.year, period.last_month, last_day)


def default_date(period: Period, today: date | None = None) -> date:
    """Today, kept inside the period: a period that has ended is shown as it stood at its end."""
    first, last = period_dates(period)
    return status_date(first, last, today or timezone.localdate())


def supervision_periods(zone: Place) -> list[Period]:
    """The periods that have tasks, the latest first."""
    codes = Task.objects.in_zone(zone).values_list("period", flat=True).distinct()
    return sorted(
        {Period.parse(code) for code in codes}, key=lambda p: (p.year, p.last_month, p.first_month), reverse=True
    )


def default_period(zone: Place, today: date | None = None) -> Period | None:
    """The period with tasks that contains today, else the latest period with tasks."""
    day = today or timezone.localdate()
    periods = supervision_periods(zone)
    for period in periods:
        first, last = period_dates(period)
        if first <= day <= last:
            return period
    return periods[0] if periods else None


# -- statuses ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneStatus:
    id: int
    title: str
    due_on: date
    done_on: date | None
    state: str  # done | missed | open


@dataclass(frozen=True)
class ReportLine:
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


@dataclass(frozen=True)
class MeasureStatus:
    id: int
    task_id: int
    code: str  # task.measure, e.g. 2.3
    title: str
    department_id: int
    department: str
    starts_on: date
    deadline: date
    target_text: str
    link_kind: str
    link_label: str  # what the measure is linked to ("" when the department reports progress)
    link_summary: str  # the engine's figures as of the date, or why there are none
    status: str
    status_label: str
    completed_on: date | None
    colour: Colour
    rule: Rule
    reason: str
    progress_pct: Decimal | None
    expected_pct: Decimal | None  # 序时进度
    behind_pp: Decimal | None
    milestones: tuple[MilestoneStatus, ...]
    latest_report: ReportLine | None
    recorded_colour: str  # the colour last recorded in the history
    is_sample: bool = False  # 示例数据: invented for the demo

    @property
    def colour_label(self) -> str:
        return writing.colour_name(self.colour)

    @property
    def is_done(self) -> bool:
        return self.rule == Rule.DONE


@dataclass(frozen=True)
class TaskStatus:
    id: int
    number: int
    area: str
    lever: str
    outcome: str
    wording: str
    period: Period
    leader_id: int | None
    leader: str
    lead_department_id: int
    lead_department: str
    co_departments: tuple[str, ...]
    starts_on: date
    ends_on: date
    tracks_project_stages: bool
    is_sample: bool
    colour: Colour
    reason: str  # the worst measure's, with its number
    progress_pct: Decimal | None  # the simple mean of its measures' completion (each at most 100)
    expected_pct: Decimal | None  # the simple mean of their 序时进度
    measures: tuple[MeasureStatus, ...]

    @property
    def colour_label(self) -> str:
        return writing.colour_name(self.colour)

    def counts(self) -> dict[str, int]:
        return colour_counts(self.measures)


def colour_counts(measures: "tuple[MeasureStatus, ...] | list[MeasureStatus]") -> dict[str, int]:
    counts = {colour.value: 0 for colour in writing.COLOUR_ORDER}
    for measure in measures:
        counts[measure.colour.value] += 1
    return counts


def _name(user: object) -> str:
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or getattr(user, "username", ""))


def _report_line(report: ProgressReport) -> ReportLine:
    return ReportLine(
        id=report.pk,
        reported_on=report.reported_on,
        text=report.text,
        progress_pct=report.progress_pct,
        requests_completion=report.requests_completion,
        status=report.status,
        status_label=str(report.get_status_display()),
        department=report.department.name,
        reporter=_name(report.reported_by),
        review_note=report.review_note,
    )


def measure_status(
    measure: Measure, *, zone: Place, on: date, context: LinkContext, limits: Thresholds
) -> MeasureStatus:
    """One measure's colour as of ``on`` (the measure with its department, milestones and reports loaded)."""
    window = MeasureWindow(zone, measure.starts_on, measure.deadline, measure.target_value)
    counted = [
        report
        for report in measure.reports.all()
        if report.reported_on <= on and report.status != ProgressReport.Status.RETURNED
    ]
    counted.sort(key=lambda report: (report.reported_on, report.pk), reverse=True)
    no_report = level = False
    link_label = link_summary = missing = ""
    data_through: tuple[int, int] | None = None
    done_on = measure.completed_on if measure.status == Measure.Status.DONE else None
    milestones = list(measure.milestones.all())
    progress: Decimal | None
    if measure.link_kind == stages.KIND:
        verdict, link_label, link_summary, project, stage = _stage_verdict(measure, on, context, limits)
        progress = expected = None
    else:
        project = stage = ""
        if measure.link_kind:
            kind = link_kind(measure.link_kind)
            if kind is None or not kind.available():
                linked = LinkedProgress(
                    None, None, None, "", _("关联类型“%(kind)s”不可用") % {"kind": measure.link_kind}
                )
            else:
                link_label = kind.describe(measure.link_params)
                linked = kind.progress(measure.link_params, window, context)
            progress, expected, behind = linked.completion_pct, linked.expected_pct, linked.behind_pp
            link_summary, level = linked.summary or linked.reason, linked.level
            data_through = linked.data_through
            if behind is None:  # no figure to compare: say why rather than 正常推进
                missing = linked.reason or _("关联数据尚无可比较的数字")
        else:
            expected = time_progress(measure.starts_on, measure.deadline, on)
            reported = next((report.progress_pct for report in counted if report.progress_pct is not None), None)
            no_report = reported is None
            progress = reported if reported is not None else Decimal(0)
            behind = expected - progress
        facts = MeasureFacts(
            starts_on=measure.starts_on,
            deadline=measure.deadline,
            behind_pp=behind,
            done_on=done_on,
            milestones=tuple(MilestoneFact(m.title, m.due_on, m.done_on) for m in milestones),
        )
        verdict = colour_of(facts, on, limits)
    requested = measure.status == Measure.Status.REQUESTED
    return MeasureStatus(
        id=measure.pk,
        task_id=measure.task_id,
        code=f"{measure.task.number}.{measure.number}",
        title=measure.title,
        department_id=measure.department_id,
        department=measure.department.name,
        starts_on=measure.starts_on,
        deadline=measure.deadline,
        target_text=measure.target_text,
        link_kind=measure.link_kind,
        link_label=link_label,
        link_summary=link_summary,
        status=measure.status,
        status_label=str(measure.get_status_display()),
        completed_on=measure.completed_on,
        colour=verdict.colour,
        rule=verdict.rule,
        reason=writing.reason(
            verdict,
            no_report=no_report,
            requested=requested,
            level=level,
            project=project,
            stage=stage,
            missing=missing,
            data_through=data_through,
        ),
        progress_pct=progress,
        expected_pct=expected,
        behind_pp=verdict.behind_pp,
        milestones=tuple(_milestone_status(m, on) for m in milestones),
        latest_report=_report_line(counted[0]) if counted else None,
        recorded_colour=measure.colour,
        is_sample=measure.is_sample,
    )


def _stage_verdict(
    measure: Measure, on: date, context: LinkContext, limits: Thresholds
) -> tuple[Verdict, str, str, str, str]:
    """A project overdue at a stage: its verdict, link label and summary, the project's name and the stage's."""
    stay = stages.stay_of(measure.link_params)
    project = context.project(stay[0]) if stay is not None else None
    label = _("招商项目阶段时限")
    if stay is None or project is None:
        gone = _("关联的招商项目已不存在")
        return Verdict(Colour.GREEN, Rule.ON_TRACK), label, gone, "", ""
    _pk, stage, since = stay
    stage_name = stages.stage_label(stage)
    done_on = measure.completed_on if measure.status == Measure.Status.DONE else None
    limit = context.stage_limits().get(stage)
    if limit is None:
        summary = _("%(stage)s阶段未设时限") % {"stage": stage_name}
        return Verdict(Colour.GREEN, Rule.ON_TRACK), label, summary, "", ""
    facts = StageFacts(since=since, limit_days=limit[0], red_days=limit[1], done_on=done_on)
    verdict = stage_colour(facts, on, limits)
    summary = _("%(code)s %(name)s：%(since)s进入%(stage)s阶段，截至%(on)s停留%(days)s天") % {
        "code": project.code,
        "name": project.name,
        "since": writing.day_text(since),
        "stage": stage_name,
        "on": writing.day_text(min(on, done_on) if done_on else on),
        "days": max(0, ((min(on, done_on) if done_on else on) - since).days),
    }
    return verdict, label, summary, project.name, stage_name


def _milestone_status(milestone: Milestone, on: date) -> MilestoneStatus:
    if milestone.done_on is not None and milestone.done_on <= on:
        state = "done"
    elif milestone.due_on < on:
        state = "missed"
    else:
        state = "open"
    return MilestoneStatus(milestone.pk, milestone.title, milestone.due_on, milestone.done_on, state)


def _measures_prefetch() -> Prefetch:
    reports = ProgressReport.objects.select_related("department", "reported_by")
    return Prefetch(
        "measures",
        Measure.objects.select_related("department", "task").prefetch_related(
            "milestones", Prefetch("reports", reports)
        ),
    )


def task_statuses(
    *, zone: Place, period: Period, on: date | None = None, task_ids: list[int] | None = None
) -> list[TaskStatus]:
    """Every task of a zone's period with its measures, owners, colours and reasons, as of a date.

    The date defaults to the period's status date (today, kept inside the period). A fixed
    number of queries for the tasks, plus each linked engine once per period it is asked for;
    on the status date, a few more to bring the projects overdue at a stage in step first.
    """
    day = on or default_date(period)
    if day == default_date(period):
        # The period's status date, whose colours are recorded: the projects overdue at a stage
        # on it are brought in step with the pipeline first (a write only when one changed).
        stages.stage_items_sync(zone=zone, period=period, on=day)
    limits = thresholds()
    tasks = Task.objects.in_zone(zone).for_period(period)
    if task_ids is not None:
        tasks = tasks.filter(pk__in=task_ids)
    context = LinkContext(zone=zone, on=day)
    loaded = list(
        tasks.select_related("leader", "lead_department").prefetch_related("co_departments", _measures_prefetch())
    )
    context.projects_load(
        {
            stay[0]
            for task in loaded
            for measure in task.measures.all()
            if measure.link_kind == stages.KIND and (stay := stages.stay_of(measure.link_params)) is not None
        }
    )
    result: list[TaskStatus] = []
    for task in loaded:
        measures = tuple(
            measure_status(measure, zone=zone, on=day, context=context, limits=limits)
            for measure in task.measures.all()
        )
        result.append(_task_status(task, measures, period))
    return result


def _task_status(task: Task, measures: tuple[MeasureStatus, ...], period: Period) -> TaskStatus:
    return TaskStatus(
        id=task.pk,
        number=task.number,
        area=task.area,
        lever=task.lever,
        outcome=task.outcome,
        wording=task.wording,
        period=period,
        leader_id=task.leader_id,
        leader=_name(task.leader),
        lead_department_id=task.lead_department_id,
        lead_department=task.lead_department.name,
        co_departments=tuple(department.name for department in task.co_departments.all()),
        starts_on=task.starts_on,
        ends_on=task.ends_on,
        tracks_project_stages=task.tracks_project_stages,
        is_sample=task.is_sample,
        measures=measures,
        **_summary(measures),
    )


def _summary(measures: tuple[MeasureStatus, ...]) -> dict[str, Any]:
    """A task's colour, reason and progress from the measures it is shown with."""
    colour = worst(measure.colour for measure in measures)
    worst_measure = next((measure for measure in measures if measure.colour == colour), None)
    completions: list[Decimal] = []
    for measure in measures:
        if measure.is_done:
            completions.append(HUNDRED)
        elif measure.progress_pct is not None:
            completions.append(min(HUNDRED, measure.progress_pct))
    expected = [measure.expected_pct for measure in measures if measure.expected_pct is not None]
    return {
        "colour": colour,
        "reason": f"{worst_measure.code} {worst_measure.reason}" if worst_measure and colour != Colour.GREEN else "",
        "progress_pct": sum(completions, Decimal(0)) / len(completions) if completions else None,
        "expected_pct": sum(expected, Decimal(0)) / len(expected) if expected else None,
    }


def seen_with(task: TaskStatus, measures: tuple[MeasureStatus, ...]) -> TaskStatus:
    """A task shown with some of its measures only (a department's own, a filter's): its colour,
    reason and progress are those of the measures shown, so that a department never reads the
    finding on another department's measure through its task."""
    return TaskStatus(**{**task.__dict__, "measures": measures, **_summary(measures)})


# -- the board ------------------------------------------------------------------------------


@dataclass
class BoardFilter:
    leader_id: int | None = None
    department_ids: set[int] | None = None
    colour: str = ""
    query: str = ""

    @property
    def narrows_measures(self) -> bool:
        return bool(self.department_ids is not None or self.colour or self.query)


@dataclass
class Board:
    zone: Place
    period: Period
    on: date
    live: bool  # the period's status date, the one whose colours are recorded
    tasks: list[TaskStatus]
    all_tasks: list[TaskStatus] = field(default_factory=list)

    @property
    def measures(self) -> list[MeasureStatus]:
        return [measure for task in self.tasks for measure in task.measures]

    def counts(self) -> dict[str, int]:
        return colour_counts(self.measures)


def board(
    *, zone: Place, period: Period, on: date | None = None, choice: BoardFilter | None = None, today: date | None = None
) -> Board:
    """The office's board: the period's tasks as of a date, narrowed by leader, department, colour, words."""
    live_day = default_date(period, today)
    day = on or live_day
    statuses = task_statuses(zone=zone, period=period, on=day)
    chosen = choice or BoardFilter()
    shown: list[TaskStatus] = []
    words = chosen.query.strip()
    for task in statuses:
        if chosen.leader_id is not None and task.leader_id != chosen.leader_id:
            continue
        task_matches = bool(words) and (words in task.wording or words in task.area)
        measures = [
            measure
            for measure in task.measures
            if (chosen.department_ids is None or measure.department_id in chosen.department_ids)
            and (not chosen.colour or measure.colour == chosen.colour)
            and (not words or task_matches or words in measure.title or words in measure.department)
        ]
        if chosen.narrows_measures and not measures:
            continue
        shown.append(seen_with(task, tuple(measures)) if chosen.narrows_measures else task)
    return Board(zone=zone, period=period, on=day, live=day == live_day, tasks=shown, all_tasks=statuses)


# -- colour history ------------------------------------------------------------------------------


def month_ends(first: date, last: date) -> list[date]:
    """The last day of each month from ``first``'s to ``last``'s, the final one cut at ``last``."""
    points: list[date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        end = date(year, month, calendar.monthrange(year, month)[1])
        points.append(min(end, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return points


@dataclass(frozen=True)
class CountsAt:
    on: date
    counts: dict[str, int]
    recorded: int  # measures with a recorded colour on that day


def colour_counts_over_time(*, zone: Place, period: Period, until: date) -> list[CountsAt]:
    """How many measures were of each colour at each month's end, from the recorded history."""
    first, last = period_dates(period)
    points = month_ends(first, min(until, last)) if until >= first else []
    changes = (
        ColourChange.objects.filter(measure__task__zone=zone, measure__task__period=period.code, status_on__lte=until)
        .order_by("status_on", "recorded_at", "id")
        .values_list("measure_id", "status_on", "colour")
    )
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for measure_id, status_on, colour in changes:
        history[measure_id].append((status_on, colour))
    result: list[CountsAt] = []
    for point in points:
        counts = {colour.value: 0 for colour in writing.COLOUR_ORDER}
        recorded = 0
        for rows in history.values():
            known = [colour for status_on, colour in rows if status_on <= point]
            if known:
                counts[known[-1]] += 1
                recorded += 1
        result.append(CountsAt(point, counts, recorded))
    return result


def colour_history(measure_ids: list[int], limit: int = 200) -> list[ColourChange]:
    return list(
        ColourChange.objects.filter(measure_id__in=measure_ids)
        .select_related("measure__task")
        .order_by("-status_on", "-recorded_at", "-id")[:limit]
    )


# -- the monthly bulletin (督查通报) ------------------------------------------------------------------


class BulletinRefused(ValueError):
    """A bulletin that cannot be written (a month without tasks, a month to come)."""


@dataclass(frozen=True)
class BulletinItem:
    code: str
    area: str
    title: str
    department: str
    colour: Colour
    reason: str
    deadline: date
    completed_on: date | None
    measure_id: int


@dataclass
class Bulletin:
    zone: Place
    year: int
    month: int
    on: date  # the colours are those of this day: the month's end, or today within the month
    periods: list[Period]
    tasks: int
    measures: int
    counts: dict[str, int]
    done_total: int
    completed: list[BulletinItem]  # 办结 in the month
    red: list[BulletinItem]
    yellow: list[BulletinItem]
    blue: list[BulletinItem]

    has_sample: bool = False  # some of its tasks or measures are 示例数据

    @property
    def month_label(self) -> str:
        return _("%(year)s年%(month)s月") % {"year": self.year, "month": self.month}


def _item(task: TaskStatus, measure: MeasureStatus) -> BulletinItem:
    return BulletinItem(
        code=measure.code,
        area=task.area,
        title=measure.title,
        department=measure.department,
        colour=measure.colour,
        reason=measure.reason,
        deadline=measure.deadline,
        completed_on=measure.completed_on,
        measure_id=measure.id,
    )


def bulletin(*, zone: Place, year: int, month: int, today: date | None = None) -> Bulletin:
    """The month's bulletin: counts by colour, the red and yellow items, the measures closed in it."""
    day = today or timezone.localdate()
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if first > day:
        raise BulletinRefused(_("%(year)s年%(month)s月尚未开始，不能生成通报") % {"year": year, "month": month})
    on = min(last, day)
    codes = (
        Task.objects.in_zone(zone)
        .filter(Q(starts_on__lte=last) & Q(ends_on__gte=first))
        .values_list("period", flat=True)
        .distinct()
    )
    periods = sorted({Period.parse(code) for code in codes})
    if not periods:
        raise BulletinRefused(
            _("%(zone)s%(year)s年%(month)s月没有督查任务") % {"zone": zone.display_name, "year": year, "month": month}
        )
    statuses = [task for period in periods for task in task_statuses(zone=zone, period=period, on=on)]
    pairs = [(task, measure) for task in statuses for measure in task.measures]
    return Bulletin(
        zone=zone,
        year=year,
        month=month,
        on=on,
        periods=periods,
        tasks=len(statuses),
        measures=len(pairs),
        counts=colour_counts([measure for _, measure in pairs]),
        done_total=sum(1 for _, measure in pairs if measure.is_done),
        completed=[
            _item(task, measure)
            for task, measure in pairs
            if measure.is_done and measure.completed_on is not None and first <= measure.completed_on <= last
        ],
        red=[_item(task, measure) for task, measure in pairs if measure.colour == Colour.RED],
        yellow=[_item(task, measure) for task, measure in pairs if measure.colour == Colour.YELLOW],
        blue=[_item(task, measure) for task, measure in pairs if measure.colour == Colour.BLUE],
        has_sample=any(task.is_sample for task in statuses) or any(measure.is_sample for _, measure in pairs),
    )
