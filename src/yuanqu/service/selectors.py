"""Reads of the service centre: the zone's calendar, the centre's scorecard, the dashboard, a measure.

``centre_scorecard`` is what the scorecard page, the dashboard, the ``yuanqu service summary``
command and (later) the work report read: a dataclass whose every figure carries its numerator,
denominator, rule and source. ``centre_measure`` is the small, stable entry point for other
modules (the supervision module links a measure to it).

A period's cases are counted by date: accepted = 受理日期 in the period, completed = 出件日期 in
the period, ratings by 评价日期. The catalogue is read as it stands (it has no history).
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils import timezone

from yuanqu.core.models import Department, Place
from yuanqu.periods import Period
from yuanqu.service.models import (
    BAD_RATINGS,
    IN_CENTRE,
    CalendarYear,
    Case,
    CaseQuerySet,
    CentreRules,
    Evaluation,
    Item,
    ItemCategory,
    Presence,
    Rating,
    ServiceZone,
    Stage,
    Window,
    WorkingDayOverride,
    due_soon_q,
    overdue_q,
)
from yuanqu.service.workdays import WorkingCalendar

HUNDRED = Decimal(100)
# The measures other modules may ask for by code (see ``centre_measure``).
MEASURES = ("entry_rate", "any_window_share", "on_time_rate", "one_visit_rate", "satisfaction_rate")
MEASURE_LABELS = {
    "entry_rate": "进驻率",
    "any_window_share": "综合窗口受理占比",
    "on_time_rate": "按时办结率",
    "one_visit_rate": "一次办成率",
    "satisfaction_rate": "满意率",
}
OVERDUE_LIST_LIMIT = 50


def zone_calendar(zone: Place) -> WorkingCalendar:
    """The zone's working-day calendar: the national arrangement, its overrides, the years it entered."""
    overrides = dict(WorkingDayOverride.objects.filter(zone=zone).values_list("day", "is_working_day"))
    years = CalendarYear.objects.filter(zone=zone).values_list("year", flat=True)
    return WorkingCalendar(overrides, years)


def centre_rules(zone: Place) -> CentreRules:
    """The zone's rules, or the defaults when it has set none (not saved)."""
    return CentreRules.objects.filter(zone=zone).first() or CentreRules(zone=zone)


def period_dates(period: Period) -> tuple[date, date]:
    last_day = calendar.monthrange(period.year, period.last_month)[1]
    return date(period.year, period.first_month, 1), date(period.year, period.last_month, last_day)


def day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """The moments from the start of ``first`` to the start of the day after ``last``, local time.

    Filtering a datetime column on these (rather than on its date) lets the database use its index.
    """
    start = timezone.make_aware(datetime.combine(first, time.min))
    return start, timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))


def share(numerator: int, denominator: int) -> Decimal | None:
    """A percentage, unrounded; None when there is nothing to divide by."""
    return Decimal(numerator) * HUNDRED / Decimal(denominator) if denominator else None


@dataclass(frozen=True)
class Figure:
    """One figure of the scorecard with where it comes from."""

    code: str
    label: str
    value: Decimal | None
    unit: str
    numerator: int | None
    denominator: int | None
    rule: str
    source: str


@dataclass
class CategoryLine:
    category: str
    label: str
    items: int = 0
    in_centre: int = 0
    any_window: int = 0
    exempt: int = 0
    pending: int = 0


@dataclass(frozen=True)
class ExemptItem:
    code: str
    name: str
    department: str
    document: str
    approved_on: date | None
    presence: str


@dataclass
class ItemTime:
    """Elapsed working days of an item's cases completed in the period, against its limits."""

    item_id: int
    code: str
    name: str
    department: str
    legal_limit_days: int
    promised_limit_days: int
    completed: int = 0
    average_days: Decimal | None = None
    p90_days: int | None = None
    late: int = 0

    @property
    def promise_compression_pct(self) -> Decimal | None:
        """承诺压缩比: (法定 − 承诺) / 法定."""
        if not self.legal_limit_days:
            return None
        return Decimal(self.legal_limit_days - self.promised_limit_days) * HUNDRED / self.legal_limit_days

    @property
    def actual_compression_pct(self) -> Decimal | None:
        """实际压缩比: (法定 − 平均用时) / 法定."""
        if not self.legal_limit_days or self.average_days is None:
            return None
        return (Decimal(self.legal_limit_days) - self.average_days) * HUNDRED / self.legal_limit_days


@dataclass
class DepartmentOverdue:
    department_id: int
    department: str
    completed_late: int = 0
    open_overdue: int = 0

    @property
    def total(self) -> int:
        return self.completed_late + self.open_overdue


@dataclass(frozen=True)
class OverdueCase:
    """An overdue case as leadership may see it: no applicant."""

    pk: int
    number: str
    item: str
    department: str
    due_on: date | None
    open: bool
    stage_label: str
    over_days: int  # working days past the promise


@dataclass
class CentreScorecard:
    zone: Place
    period: Period
    first: date
    last: date
    as_of: date
    categories: list[CategoryLine]
    exempt_items: list[ExemptItem]
    service_zones: int
    zones_with_any_window: int
    figures: dict[str, Figure]
    item_times: list[ItemTime]
    departments: list[DepartmentOverdue]
    overdue_cases: list[OverdueCase]
    ratings: dict[str, int]
    notes: list[str] = field(default_factory=list)

    def value(self, code: str) -> Decimal | None:
        return self.figures[code].value

    def count(self, code: str) -> int:
        return int(self.figures[code].value or 0)

    @property
    def items_total(self) -> int:
        return sum(line.items for line in self.categories)

    @property
    def in_centre_total(self) -> int:
        return sum(line.in_centre for line in self.categories)

    @property
    def exempt_total(self) -> int:
        return sum(line.exempt for line in self.categories)

    @property
    def pending_total(self) -> int:
        return sum(line.pending for line in self.categories)

    @property
    def overdue_total(self) -> int:
        return sum(line.total for line in self.departments)


def _percentile_90(histogram: dict[int, int]) -> int | None:
    """The nearest-rank 90th percentile of a histogram {working days: cases}."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = -(-total * 9 // 10)  # ceil(0.9 × n), at least 1
    seen = 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= rank:
            return days
    return max(histogram)


def centre_scorecard(*, zone: Place, period: Period, as_of: date | None = None) -> CentreScorecard:
    """The centre's scorecard for a period, in a fixed number of grouped queries."""
    first, last = period_dates(period)
    today = as_of or timezone.localdate()
    cutoff = min(today, last)
    window_text = f"{first.isoformat()}至{last.isoformat()}"
    figures: dict[str, Figure] = {}

    def put(code: str, label: str, value: Decimal | int | None, unit: str, rule: str, source: str,
            numerator: int | None = None, denominator: int | None = None) -> None:  # fmt: skip
        number = Decimal(value) if isinstance(value, int) else value
        figures[code] = Figure(code, label, number, unit, numerator, denominator, rule, source)

    # -- the catalogue, as it stands ---------------------------------------------------------
    lines = {category.value: CategoryLine(category.value, str(category.label)) for category in ItemCategory}
    for category, presence, count in (
        Item.objects.in_zone(zone).active().values_list("category", "presence").annotate(n=Count("id"))
    ):
        line = lines[category]
        line.items += count
        if presence in IN_CENTRE:
            line.in_centre += count
        if presence == Presence.ANY_WINDOW:
            line.any_window += count
        if presence == Presence.EXEMPT:
            line.exempt += count
        if presence == Presence.PENDING:
            line.pending += count
    exempt_items = [
        ExemptItem(code, name, department, document, approved_on, presence)
        for code, name, department, document, approved_on, presence in Item.objects.in_zone(zone)
        .active()
        .filter(presence__in=[Presence.EXEMPT, Presence.PENDING])
        .order_by("presence", "code")
        .values_list("code", "name", "department__name", "exemption_document", "exemption_approved_on", "presence")
    ]
    items_total = sum(line.items for line in lines.values())
    in_centre = sum(line.in_centre for line in lines.values())
    catalogue_source = f"事项清单（在用事项，截至{today.isoformat()}）"
    put("items", "事项总数", items_total, "项", "事项清单中在用的事项", catalogue_source)
    put("items_in_centre", "进驻事项", in_centre, "项", "窗口进驻或综合窗口受理的事项", catalogue_source)
    put(
        "entry_rate",
        "进驻率",
        share(in_centre, items_total),
        "%",
        "进驻事项 ÷ 应进驻事项（依申请六类行政权力事项和公共服务事项，含经批准不进驻和尚未进驻的）",
        catalogue_source,
        in_centre,
        items_total,
    )
    service_zones = ServiceZone.objects.filter(zone=zone).count()
    with_any_window = (
        Window.objects.filter(service_zone__zone=zone, kind=Window.Kind.COMPREHENSIVE)
        .values("service_zone_id")
        .distinct()
        .count()
    )
    put("service_zones", "服务专区", service_zones, "个", "中心设立的服务专区", "服务专区与窗口设置")
    put(
        "zones_with_any_window",
        "设综合窗口的专区",
        with_any_window,
        "个",
        "至少有一个综合窗口（无差别受理）的服务专区",
        "服务专区与窗口设置",
    )

    # -- cases accepted and completed in the period -------------------------------------------
    accepted = Case.objects.in_zone(zone).accepted_between(first, last)
    counts = accepted.aggregate(
        total=Count("id"),
        immediate=Count("id", filter=Q(immediate=True)),
        any_window=Count("id", filter=Q(at_any_window=True)),
    )
    accepted_source = f"办件（受理日期{window_text}）"
    put("accepted", "受理办件", counts["total"], "件", "受理日期在本期的办件（不含不予受理和待补正）", accepted_source)
    put(
        "immediate_share",
        "即办件占比",
        share(counts["immediate"], counts["total"]),
        "%",
        "受理办件中即办件的件数 ÷ 受理办件",
        accepted_source,
        counts["immediate"],
        counts["total"],
    )
    put(
        "any_window_share",
        "综合窗口受理占比",
        share(counts["any_window"], counts["total"]),
        "%",
        "在综合窗口受理的办件 ÷ 受理办件（无差别受理）",
        accepted_source,
        counts["any_window"],
        counts["total"],
    )
    start, end = day_span(first, last)
    refused = Case.objects.in_zone(zone).filter(registered_at__gte=start, registered_at__lt=end, stage=Stage.REFUSED)
    put(
        "refused", "不予受理", refused.count(), "件", "登记日期在本期、不予受理的申请", f"办件（登记日期{window_text}）"
    )

    completed = Case.objects.in_zone(zone).issued_between(first, last).filter(stage=Stage.ISSUED)
    done = completed.aggregate(
        total=Count("id"),
        one_visit=Count("id", filter=Q(supplements=0)),
        on_time=Count("id", filter=Q(elapsed_days__lte=F("promised_limit_days"))),
        within_law=Count("id", filter=Q(elapsed_days__lte=F("legal_limit_days"))),
    )
    completed_source = f"办件（出件日期{window_text}）"
    put("completed", "办结办件", done["total"], "件", "出件日期在本期的办件", completed_source)
    put(
        "on_time_rate",
        "按时办结率",
        share(done["on_time"], done["total"]),
        "%",
        "办理用时不超过承诺时限的办结件 ÷ 办结件",
        completed_source,
        done["on_time"],
        done["total"],
    )
    put(
        "within_legal_rate",
        "法定时限内办结率",
        share(done["within_law"], done["total"]),
        "%",
        "办理用时不超过法定时限的办结件 ÷ 办结件",
        completed_source,
        done["within_law"],
        done["total"],
    )
    put(
        "one_visit_rate",
        "一次办成率",
        share(done["one_visit"], done["total"]),
        "%",
        "未经补正（受理前一次性告知或受理后补正）即办结的办件 ÷ 办结件",
        completed_source,
        done["one_visit"],
        done["total"],
    )

    # -- elapsed time per item: a histogram per item, so the percentile is exact -------------
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for item_id, days, count in completed.values_list("item_id", "elapsed_days").annotate(n=Count("id")).order_by():
        histograms[item_id][int(days or 0)] = count
    item_rows = {
        pk: (code, name, department, legal, promised)
        for pk, code, name, department, legal, promised in Item.objects.filter(pk__in=list(histograms)).values_list(
            "pk", "code", "name", "department__name", "legal_limit_days", "promised_limit_days"
        )
    }
    item_times: list[ItemTime] = []
    total_days = 0
    for item_id, histogram in histograms.items():
        code, name, department, legal, promised = item_rows[item_id]
        cases = sum(histogram.values())
        days = sum(value * count for value, count in histogram.items())
        total_days += days
        item_times.append(
            ItemTime(
                item_id=item_id,
                code=code,
                name=name,
                department=department,
                legal_limit_days=legal,
                promised_limit_days=promised,
                completed=cases,
                average_days=Decimal(days) / cases,
                p90_days=_percentile_90(histogram),
                late=sum(count for value, count in histogram.items() if value > promised),
            )
        )
    item_times.sort(key=lambda line: (-line.completed, line.code))
    put(
        "average_days",
        "平均办理用时",
        Decimal(total_days) / done["total"] if done["total"] else None,
        "个工作日",
        "办结件的办理用时（受理次日起至出件的工作日，不含补正暂停）之和 ÷ 办结件",
        completed_source,
        total_days,
        done["total"],
    )
    all_days: dict[int, int] = defaultdict(int)
    for histogram in histograms.values():
        for value, count in histogram.items():
            all_days[value] += count
    p90 = _percentile_90(all_days)
    put(
        "p90_days",
        "办理用时90%分位",
        Decimal(p90) if p90 is not None else None,
        "个工作日",
        "办结件办理用时的90%分位数（最近秩法）",
        completed_source,
    )
    legal_sum = sum(line.legal_limit_days * line.completed for line in item_times)
    put(
        "actual_compression",
        "实际压缩比",
        (Decimal(legal_sum - total_days) * HUNDRED / legal_sum) if legal_sum else None,
        "%",
        "（办结件法定时限之和 − 实际用时之和）÷ 法定时限之和",
        completed_source,
        legal_sum - total_days,
        legal_sum,
    )
    limits = Item.objects.in_zone(zone).active().in_centre().values_list("legal_limit_days", "promised_limit_days")
    legal_total = sum(legal for legal, _ in limits)
    promised_total = sum(promised for _, promised in limits)
    put(
        "promise_compression",
        "承诺时限压缩比",
        (Decimal(legal_total - promised_total) * HUNDRED / legal_total) if legal_total else None,
        "%",
        "（进驻事项法定时限之和 − 承诺时限之和）÷ 法定时限之和",
        catalogue_source,
        legal_total - promised_total,
        legal_total,
    )

    # -- overdue: completed late in the period, and open past due at its end -----------------
    departments: dict[int, DepartmentOverdue] = {}
    names = dict(Department.objects.filter(zone=zone).values_list("pk", "name"))

    def department_line(pk: int) -> DepartmentOverdue:
        return departments.setdefault(pk, DepartmentOverdue(pk, names.get(pk, "")))

    # Read once from the indexes (id, department, days): the counts by department and the list.
    late_rows = list(
        completed.filter(elapsed_days__gt=F("promised_limit_days"))
        .order_by()
        .values_list("pk", "department_id", "elapsed_days", "promised_limit_days")
    )
    open_rows = [
        row
        for cases in _open_at(zone, cutoff)
        for row in cases.values_list("pk", "department_id", "due_on", "paused_on")
    ]
    for _pk, department_id, _elapsed, _promised in late_rows:
        department_line(department_id).completed_late += 1
    for _pk, department_id, _due, _paused in open_rows:
        department_line(department_id).open_overdue += 1
    overdue_departments = sorted(departments.values(), key=lambda line: (-line.total, line.department))
    late_total = sum(line.completed_late for line in overdue_departments)
    open_total = sum(line.open_overdue for line in overdue_departments)
    put(
        "completed_late",
        "超期办结",
        late_total,
        "件",
        "本期办结、办理用时超过承诺时限的办件",
        completed_source,
    )
    put(
        "open_overdue",
        "超期未办结",
        open_total,
        "件",
        f"截至{cutoff.isoformat()}已过承诺办结期限仍未出件的办件",
        f"办件（受理日期不晚于{cutoff.isoformat()}）",
    )
    overdue_cases = _overdue_cases(late_rows, open_rows, zone_calendar(zone), cutoff)

    # -- ratings ------------------------------------------------------------------------------
    rated = Evaluation.objects.filter(zone=zone, rated_on__gte=first, rated_on__lte=last)
    ratings = {value: 0 for value in Rating.values}
    for rating, count in rated.values_list("rating").annotate(n=Count("id")).order_by():
        ratings[rating] = count
    rated_total = sum(ratings.values())
    bad = sum(ratings[value] for value in BAD_RATINGS)
    rating_source = f"办件评价（评价日期{window_text}）"
    put("ratings", "评价数", rated_total, "件", "本期的好差评评价", rating_source)
    put(
        "satisfaction_rate",
        "满意率",
        share(rated_total - bad, rated_total),
        "%",
        "评价为基本满意及以上的件数 ÷ 评价数（不满意、非常不满意为差评）",
        rating_source,
        rated_total - bad,
        rated_total,
    )
    followed = rated.filter(is_bad=True).aggregate(
        total=Count("id"),
        in_time=Count("id", filter=Q(followed_up_on__isnull=False, followed_up_on__lte=F("follow_up_due_on"))),
        waiting=Count("id", filter=Q(followed_up_on__isnull=True)),
    )
    put("bad_ratings", "差评", followed["total"], "件", "评价为不满意或非常不满意", rating_source)
    put(
        "follow_up_in_time_rate",
        "差评按期整改率",
        share(followed["in_time"], followed["total"]),
        "%",
        "在整改期限内登记整改的差评 ÷ 差评",
        rating_source,
        followed["in_time"],
        followed["total"],
    )
    put("follow_up_waiting", "差评待整改", followed["waiting"], "件", "尚未登记整改的差评", rating_source)

    notes = []
    if today < last:
        notes.append(f"本期尚未结束，数据截至{today.isoformat()}。")
    return CentreScorecard(
        zone=zone,
        period=period,
        first=first,
        last=last,
        as_of=today,
        categories=list(lines.values()),
        exempt_items=exempt_items,
        service_zones=service_zones,
        zones_with_any_window=with_any_window,
        figures=figures,
        item_times=item_times,
        departments=overdue_departments,
        overdue_cases=overdue_cases,
        ratings=ratings,
        notes=notes,
    )


def _open_at(zone: Place, cutoff: date) -> list[CaseQuerySet]:
    """The cases open and past their due date at the end of ``cutoff``, as two indexed reads.

    Still open now and overdue by the one rule (``overdue_q``: a paused case counts when it was
    already late when paused), or issued only after ``cutoff`` (for a period in the past): a case
    issued after the cutoff but due before it was open and overdue then.
    """
    # No condition on the acceptance date: a due date is never before it, so due before the
    # cutoff means accepted before it too (and the planner keeps to the due-date index).
    # Unordered: the model's ordering (newest registration first) would lead the planner to walk
    # the registration index over the whole zone instead of the due-date one.
    cases = Case.objects.in_zone(zone).order_by()
    still_open = cases.filter(overdue_q(cutoff))
    issued_later = cases.filter(issued_on__gt=cutoff, stage=Stage.ISSUED, due_on__lt=cutoff)
    return [still_open, issued_later]


def _overdue_cases(
    late_rows: list[tuple[int, int, int | None, int]],
    open_rows: list[tuple[int, int, date | None, date | None]],
    calendar_: WorkingCalendar,
    cutoff: date,
) -> list[OverdueCase]:
    """The overdue cases, the longest overdue first (at most ``OVERDUE_LIST_LIMIT``), no applicant.

    Ranked on what the indexes gave (id, days); only the cases listed are then read in full.
    """
    over: dict[int, tuple[int, bool]] = {}
    for pk, _department, elapsed, promised in late_rows:
        over[pk] = ((elapsed or 0) - promised, False)
    for pk, _department, due_on, paused_on in open_rows:
        # A paused clock stopped on the day of the notice: it is no later than it was then.
        end = min(cutoff, paused_on) if paused_on else cutoff
        over[pk] = (calendar_.working_days_between(due_on, end) if due_on else 0, True)
    chosen = sorted(over, key=lambda pk: (-over[pk][0], pk))[:OVERDUE_LIST_LIMIT]
    rows = []
    for pk, number, item, department, due_on, stage in Case.objects.filter(pk__in=chosen).values_list(
        "pk", "number", "item__name", "department__name", "due_on", "stage"
    ):
        days, still_open = over[pk]
        label = str(Stage(stage).label)
        if still_open and stage == Stage.ISSUED:
            label = f"{cutoff.isoformat()}时未办结"
        rows.append(OverdueCase(pk, number, item, department, due_on, still_open, label, days))
    rows.sort(key=lambda row: (-row.over_days, row.number))
    return rows


def centre_measure(zone: Place, code: str, period: Period) -> Decimal | None:
    """One measure of the centre for a period, as a percentage (unrounded), or None without data.

    A stable entry point for other modules (the supervision module links a measure to it).
    Codes:

    - ``entry_rate`` 进驻率: items in the centre (窗口进驻 or 综合窗口受理) ÷ items that should be
      (every item of the catalogue in use, exemptions and items not yet in included); the
      catalogue as it stands, whatever the period.
    - ``any_window_share`` 综合窗口受理占比: cases accepted at a 综合窗口 ÷ cases accepted in the period.
    - ``on_time_rate`` 按时办结率: cases completed in the period within their promised limit ÷
      cases completed in the period.
    - ``one_visit_rate`` 一次办成率: cases completed in the period without any 补正 ÷ cases completed.
    - ``satisfaction_rate`` 满意率: ratings of 基本满意 or better ÷ ratings given in the period.

    An unknown code raises ``ValueError``. ``None`` means the denominator is zero (no cases, no
    items, no ratings), never zero per cent.
    """
    if code not in MEASURES:
        raise ValueError(f"unknown service-centre measure {code!r}; known: {', '.join(MEASURES)}")
    return centre_scorecard(zone=zone, period=period).value(code)


# -- the dashboard's series ----------------------------------------------------------------------


@dataclass
class ZoneDay:
    """Cases accepted by service zone and day of a period."""

    days: list[date]
    zones: list[str]
    counts: list[list[int]]  # counts[zone][day]

    @property
    def totals(self) -> list[int]:
        """Cases per zone over the period."""
        return [sum(row) for row in self.counts]

    @property
    def day_rows(self) -> list[tuple[date, list[int], int]]:
        """The data table of the chart: per day, the cases of each zone and the day's total."""
        rows = []
        for index, day in enumerate(self.days):
            values = [row[index] for row in self.counts]
            rows.append((day, values, sum(values)))
        return rows

    @property
    def total(self) -> int:
        return sum(self.totals)


def cases_by_zone_and_day(*, zone: Place, first: date, last: date) -> ZoneDay:
    service_zones = list(ServiceZone.objects.filter(zone=zone).values_list("pk", "name"))
    index = {pk: row for row, (pk, _) in enumerate(service_zones)}
    days = [date.fromordinal(ordinal) for ordinal in range(first.toordinal(), last.toordinal() + 1)]
    counts = [[0] * len(days) for _ in service_zones]
    for service_zone_id, day, count in (
        Case.objects.in_zone(zone)
        .accepted_between(first, last)
        .values_list("service_zone_id", "accepted_on")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if service_zone_id in index:
            counts[index[service_zone_id]][(day - first).days] = count
    return ZoneDay(days=days, zones=[name for _, name in service_zones], counts=counts)


@dataclass(frozen=True)
class QueueCounts:
    notified: int
    reviewing: int
    suspended: int
    decided: int
    overdue: int
    due_soon: int


def due_soon_limit(zone: Place, day: date) -> date:
    """The last due date that counts as 即将超期 on ``day``: within the rule's working days."""
    return zone_calendar(zone).add_working_days(day, centre_rules(zone).due_soon_days)


def queue_counts(cases: CaseQuerySet, *, day: date, due_soon_until: date) -> QueueCounts:
    counted = cases.aggregate(
        notified=Count("id", filter=Q(stage=Stage.NOTIFIED)),
        reviewing=Count("id", filter=Q(stage=Stage.REVIEWING)),
        suspended=Count("id", filter=Q(stage=Stage.SUSPENDED)),
        decided=Count("id", filter=Q(stage=Stage.DECIDED)),
        overdue=Count("id", filter=overdue_q(day)),
        due_soon=Count("id", filter=due_soon_q(day, due_soon_until)),
    )
    return QueueCounts(**counted)
