"""What a measure's progress can be linked to, as a small registry of kinds.

A linked measure's progress is read from the platform's own engines every time it is shown,
never typed and never recomputed here: indicator targets from the scorecard engine
(``yuanqu.indicators.selectors.scorecard``), chain output targets from the chains engine
(``yuanqu.chains.selectors.chains_progress``), programme tasks from the chain workbench, and
substantive starts (实质性开工) from the pipeline's confirmed starts
(``Project.objects.started_between``). The service centre's measures are offered once the
service-centre module is installed (``yuanqu.service.selectors.centre_measure``).

Each kind validates its parameters when a measure is linked (a link to a target that does not
exist is refused with the reason), describes the link in a sentence, and computes progress as
of a date: the latest cumulative period 1—N月 of the target's year with data, N no later than
the date's month.
"""

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import DecimalField, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yuanqu import figures
from yuanqu.chains.models import Chain, ChainTarget, ProgrammeTask
from yuanqu.chains.selectors import MEASURE as CHAIN_MEASURE
from yuanqu.chains.selectors import ChainsProgress, chains_progress
from yuanqu.core.models import Place
from yuanqu.indicators.models import Indicator, Observation, ScopeTotal, Target
from yuanqu.indicators.selectors import IndicatorFigure, scorecard
from yuanqu.periods import Period
from yuanqu.projects.models import Category, Project
from yuanqu.projects.rules import rules_for
from yuanqu.supervision.colours import time_progress

HUNDRED = Decimal(100)


class LinkRefused(ValueError):
    """A link that cannot be made; the message says why, in Chinese."""


@dataclass(frozen=True)
class MeasureWindow:
    """What a kind needs of the measure: its zone, dates and target number."""

    zone: Place
    starts_on: date
    deadline: date
    target_value: Decimal | None = None


@dataclass(frozen=True)
class LinkedProgress:
    completion_pct: Decimal | None
    expected_pct: Decimal | None  # 序时进度, the engine's own where it has one
    behind_pp: Decimal | None  # 序时进度 − completion; None when nothing could be computed
    summary: str
    reason: str = ""  # why there is no figure
    level: bool = False  # a level to reach (compared with 100%), not a flow against 序时进度
    # (year, month) of the data compared when it ends before the month that may count on the
    # date shown (the 序时进度 is then that month's, not the date's).
    data_through: tuple[int, int] | None = None


@dataclass
class LinkContext:
    """One evaluation of many measures as of one date: each engine is asked once per period."""

    zone: Place
    on: date
    _figures: dict[tuple[str, str], IndicatorFigure] = field(default_factory=dict)
    _chains: dict[str, ChainsProgress] = field(default_factory=dict)
    _projects: dict[int, Project | None] = field(default_factory=dict)
    _stage_limits: dict[str, tuple[int, int]] | None = None

    def indicator_figure(self, indicator: Indicator, period: Period) -> IndicatorFigure:
        key = (indicator.code, period.code)
        if key not in self._figures:
            chosen = None if indicator.in_scorecard else [indicator]
            self._figures[key] = scorecard(zone=self.zone, period=period, indicators=chosen).figure(indicator.code)
        return self._figures[key]

    def chains(self, period: Period) -> ChainsProgress:
        if period.code not in self._chains:
            self._chains[period.code] = chains_progress(zone=self.zone, period=period, today=self.on)
        return self._chains[period.code]

    def projects_load(self, pks: set[int]) -> None:
        """Read the zone's projects ``pks`` at once (those of the measures of projects overdue at a stage)."""
        wanted = pks - set(self._projects)
        if not wanted:
            return
        found = Project.objects.in_zone(self.zone).filter(pk__in=wanted).only("pk", "code", "name", "stage_since")
        self._projects.update({pk: None for pk in wanted})
        self._projects.update({project.pk: project for project in found})

    def project(self, pk: int) -> Project | None:
        self.projects_load({pk})
        return self._projects[pk]

    def stage_limits(self) -> dict[str, tuple[int, int]]:
        """The zone's stage time limits in days (yellow after, red after), read once."""
        if self._stage_limits is None:
            self._stage_limits = rules_for(self.zone).stage_limits
        return self._stage_limits

    def last_month(self, year: int) -> int:
        """The last month of ``year`` whose data may count on this date (0: the year has not begun)."""
        if self.on.year > year:
            return 12
        return self.on.month if self.on.year == year else 0


class LinkKind(ABC):
    code: str
    label: Any  # a lazily translated string

    def available(self) -> bool:
        return True

    @abstractmethod
    def clean(self, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
        """Validated parameters to store, or LinkRefused."""

    @abstractmethod
    def describe(self, params: dict[str, Any]) -> str: ...

    @abstractmethod
    def progress(self, params: dict[str, Any], window: MeasureWindow, context: LinkContext) -> LinkedProgress: ...


def _year(params: dict[str, Any], window: MeasureWindow) -> int:
    raw = params.get("year") or window.deadline.year
    try:
        year = int(raw)
    except (TypeError, ValueError) as exc:
        raise LinkRefused(_("目标年份“%(year)s”无效") % {"year": raw}) from exc
    if not window.starts_on.year <= year <= window.deadline.year:
        raise LinkRefused(
            _("目标年份%(year)s不在举措的起止日期（%(start)s至%(end)s）之内")
            % {"year": year, "start": window.starts_on, "end": window.deadline}
        )
    return year


def _progress_text(completion: Decimal, expected: Decimal, period_label: str = "") -> str:
    text = _("完成%(completion)s%%，序时进度%(expected)s%%") % {
        "completion": figures.rate(completion),
        "expected": figures.rate(expected),
    }
    return _("%(text)s（%(period)s）") % {"text": text, "period": period_label} if period_label else text


class IndicatorTarget(LinkKind):
    """An annual target of a zone indicator (e.g. 工业开票销售), from the scorecard engine."""

    code = "indicator"
    label = gettext_lazy("指标年度目标")

    def _indicator(self, params: dict[str, Any]) -> Indicator:
        code = str(params.get("indicator", "")).strip()
        indicator = Indicator.objects.filter(code=code).first() if code else None
        if indicator is None:
            raise LinkRefused(_("未找到指标“%(code)s”") % {"code": code} if code else _("请选择要关联的指标"))
        return indicator

    def clean(self, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
        indicator = self._indicator(params)
        year = _year(params, window)
        target = Target.objects.filter(
            indicator=indicator, place=window.zone, kind=Target.Kind.ANNUAL, year=year, subject=""
        ).first()
        if target is None:
            raise LinkRefused(
                _("%(zone)s没有“%(indicator)s”%(year)s年的年度目标，不能关联（请先登记目标）")
                % {"zone": window.zone.display_name, "indicator": indicator.name, "year": year}
            )
        return {"indicator": indicator.code, "year": year}

    def describe(self, params: dict[str, Any]) -> str:
        indicator = Indicator.objects.filter(code=params.get("indicator", "")).first()
        name = indicator.name if indicator else str(params.get("indicator", ""))
        return _("%(indicator)s %(year)s年度目标（成绩单）") % {"indicator": name, "year": params.get("year", "")}

    def progress(self, params: dict[str, Any], window: MeasureWindow, context: LinkContext) -> LinkedProgress:
        indicator = Indicator.objects.filter(code=params.get("indicator", "")).first()
        if indicator is None:
            return LinkedProgress(None, None, None, "", _("关联的指标已不存在"))
        year = int(params.get("year") or window.deadline.year)
        month = _indicator_data_month(context.zone, indicator, year, context.last_month(year))
        if month == 0:
            return LinkedProgress(
                None, None, None, "", _("%(year)s年尚无%(indicator)s数据") % {"year": year, "indicator": indicator.name}
            )
        period = Period.cumulative(year, month)
        through = (year, month) if month < context.last_month(year) else None
        target = context.indicator_figure(indicator, period).target
        if target is None:
            return LinkedProgress(None, None, None, "", _("没有%(year)s年度目标") % {"year": year})
        if target.gap_pp is None:
            return LinkedProgress(None, target.time_progress_pct, None, "", target.reason, data_through=through)
        if target.completion_pct is None:  # a growth target: growth against the target growth
            summary = _("目标增长%(target)s%%，%(period)s实际与目标相差%(gap)s") % {
                "target": figures.rate(target.target_growth_pct or Decimal(0)),
                "period": period.month_range_label,
                "gap": figures.points(target.gap_pp),
            }
            return LinkedProgress(None, None, -target.gap_pp, summary, data_through=through)
        summary = _progress_text(target.completion_pct, target.time_progress_pct, period.full_label)
        return LinkedProgress(
            target.completion_pct, target.time_progress_pct, -target.gap_pp, summary, data_through=through
        )


def _indicator_data_month(zone: Place, indicator: Indicator, year: int, last_month: int) -> int:
    """The last N ≤ ``last_month`` for which 1—N月 of ``year`` has a figure of the indicator."""
    if last_month <= 0:
        return 0
    codes = {Period.cumulative(year, month).code: month for month in range(1, last_month + 1)}
    months = {
        codes[code]
        for code in Observation.objects.accepted()
        .as_of(None)
        .filter(indicator=indicator, place=zone, period__in=list(codes))
        .filter(Q(value__isnull=False) | Q(growth_pct__isnull=False))
        .values_list("period", flat=True)
    }
    if indicator.origin == Indicator.Origin.ENTERPRISE and indicator.enterprise_field:
        months |= set(
            ScopeTotal.objects.filter(
                zone=zone, year=year, month__lte=last_month, field=indicator.enterprise_field, industry=""
            ).values_list("month", flat=True)
        )
    return max(months, default=0)


class ChainOutput(LinkKind):
    """A leading chain's annual output target (链长+链主制), from the chains engine."""

    code = "chain_output"
    label = gettext_lazy("产业链产值目标")

    def _chain(self, params: dict[str, Any], zone: Place) -> Chain:
        code = str(params.get("chain", "")).strip()
        chain = Chain.objects.filter(code=code, zone=zone).first() if code else None
        if chain is None:
            raise LinkRefused(_("未找到产业链“%(code)s”") % {"code": code} if code else _("请选择要关联的产业链"))
        return chain

    def clean(self, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
        chain = self._chain(params, window.zone)
        year = _year(params, window)
        if not ChainTarget.objects.filter(chain=chain, year=year, measure=CHAIN_MEASURE).exists():
            raise LinkRefused(
                _("产业链“%(chain)s”没有%(year)s年的产值目标，不能关联") % {"chain": chain.name, "year": year}
            )
        return {"chain": chain.code, "year": year}

    def describe(self, params: dict[str, Any]) -> str:
        chain = Chain.objects.filter(code=params.get("chain", "")).first()
        name = chain.name if chain else str(params.get("chain", ""))
        return _("%(chain)s产业链 %(year)s年产值目标") % {"chain": name, "year": params.get("year", "")}

    def progress(self, params: dict[str, Any], window: MeasureWindow, context: LinkContext) -> LinkedProgress:
        chain = Chain.objects.filter(code=params.get("chain", ""), zone=context.zone).first()
        if chain is None:
            return LinkedProgress(None, None, None, "", _("关联的产业链已不存在"))
        year = int(params.get("year") or window.deadline.year)
        last = context.last_month(year)
        month = (
            max(
                ScopeTotal.objects.filter(
                    zone=context.zone, year=year, month__lte=last, field=CHAIN_MEASURE, industry=""
                ).values_list("month", flat=True),
                default=0,
            )
            if last
            else 0
        )
        if month == 0:
            return LinkedProgress(None, None, None, "", _("%(year)s年尚无产业链产值数据") % {"year": year})
        period = Period.cumulative(year, month)
        through = (year, month) if month < last else None
        figure = next((item for item in context.chains(period).chains if item.chain_id == chain.pk), None)
        target = figure.target if figure is not None else None
        if target is None or target.completion_pct is None or target.gap_pp is None:
            reason = target.reason if target is not None else _("没有%(year)s年产值目标") % {"year": year}
            return LinkedProgress(None, None, None, "", reason, data_through=through)
        summary = _progress_text(target.completion_pct, target.time_progress_pct, period.full_label)
        return LinkedProgress(
            target.completion_pct, target.time_progress_pct, -target.gap_pp, summary, data_through=through
        )


class ChainTask(LinkKind):
    """A task of one of a chain's five programmes, with the progress its 链长's office keeps."""

    code = "chain_task"
    label = gettext_lazy("产业链专项行动任务")

    def _task(self, params: dict[str, Any], zone: Place) -> ProgrammeTask | None:
        try:
            pk = int(params.get("task") or 0)
        except (TypeError, ValueError):
            return None
        return (
            ProgrammeTask.objects.select_related("programme__chain").filter(pk=pk, programme__chain__zone=zone).first()
        )

    def clean(self, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
        task = self._task(params, window.zone)
        if task is None:
            raise LinkRefused(_("未找到所选的产业链专项行动任务"))
        return {"task": task.pk}

    def describe(self, params: dict[str, Any]) -> str:
        task = ProgrammeTask.objects.select_related("programme__chain").filter(pk=params.get("task") or 0).first()
        if task is None:
            return _("产业链任务（已不存在）")
        return _("%(chain)s·%(programme)s：%(title)s") % {
            "chain": task.programme.chain.name,
            "programme": task.programme.get_kind_display(),
            "title": task.title,
        }

    def progress(self, params: dict[str, Any], window: MeasureWindow, context: LinkContext) -> LinkedProgress:
        task = self._task(params, context.zone)
        if task is None:
            return LinkedProgress(None, None, None, "", _("关联的产业链任务已不存在"))
        completion = Decimal(task.progress_pct)
        expected = time_progress(window.starts_on, window.deadline, context.on)
        summary = _("链长工作台进度%(completion)s%%，序时进度%(expected)s%%") % {
            "completion": figures.rate(completion),
            "expected": figures.rate(expected),
        }
        return LinkedProgress(completion, expected, expected - completion, summary)


class ProjectStarts(LinkKind):
    """A number of substantive starts (实质性开工): the pipeline's confirmed starts only."""

    code = "projects"
    label = gettext_lazy("实质性开工项目数")

    def clean(self, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
        category = str(params.get("category", "")).strip()
        if category and category not in Category.values:
            raise LinkRefused(_("项目类别“%(category)s”无效") % {"category": category})
        raw = str(params.get("min_investment_yi", "") or "").strip()
        minimum: Decimal | None = None
        if raw:
            try:
                minimum = Decimal(raw)
            except InvalidOperation as exc:
                raise LinkRefused(_("计划总投资下限“%(value)s”不是数字") % {"value": raw}) from exc
            if not minimum.is_finite() or minimum < 0:
                raise LinkRefused(_("计划总投资下限不能为负数"))
            if minimum > 100_000:
                raise LinkRefused(_("计划总投资下限过大（应以亿元计）"))
        if window.target_value is None or window.target_value <= 0:
            raise LinkRefused(_("关联实质性开工项目数时须填写目标数（项目个数），且大于0"))
        if window.target_value != window.target_value.to_integral_value():
            raise LinkRefused(_("目标项目个数须为整数"))
        return {"category": category, "min_investment_yi": f"{minimum.normalize():f}" if minimum is not None else ""}

    def describe(self, params: dict[str, Any]) -> str:
        category = params.get("category") or ""
        label = str(Category(category).label) if category in Category.values else _("各类")
        minimum = params.get("min_investment_yi") or ""
        if minimum:
            return _("实质性开工%(category)s项目（计划总投资%(minimum)s亿元以上，经认定）") % {
                "category": label,
                "minimum": minimum,
            }
        return _("实质性开工%(category)s项目（经认定）") % {"category": label}

    def count(self, params: dict[str, Any], window: MeasureWindow, on: date) -> int:
        if on < window.starts_on:
            return 0
        projects = Project.objects.in_zone(window.zone).started_between(window.starts_on, min(on, window.deadline))
        if params.get("category"):
            projects = projects.filter(category=params["category"])
        if params.get("min_investment_yi"):
            # Tiers are counted on the planned total at signing, as the pipeline's statistics do.
            projects = projects.annotate(
                tier_yi=Coalesce(
                    "signed_investment_yi",
                    "total_investment_yi",
                    output_field=DecimalField(max_digits=12, decimal_places=4),
                )
            ).filter(tier_yi__gte=Decimal(params["min_investment_yi"]))
        return projects.count()

    def progress(self, params: dict[str, Any], window: MeasureWindow, context: LinkContext) -> LinkedProgress:
        if window.target_value is None or window.target_value <= 0:
            return LinkedProgress(None, None, None, "", _("没有目标项目个数"))
        started = self.count(params, window, context.on)
        completion = Decimal(started) / window.target_value * HUNDRED
        expected = time_progress(window.starts_on, window.deadline, context.on)
        summary = _("已认定实质性开工%(started)s个，目标%(target)s个，完成%(completion)s%%，序时进度%(expected)s%%") % {
            "started": started,
            "target": figures.plain(window.target_value),
            "completion": figures.rate(completion),
            "expected": figures.rate(expected),
        }
        return LinkedProgress(completion, expected, expected - completion, summary)


CentreMeasure = Callable[[Place, str, Period], Decimal | None]


def centre_measure_function() -> CentreMeasure | None:
    """The service centre's measure reader, when that module is installed."""
    try:
        module = importlib.import_module("yuanqu.service.selectors")
    except ImportError:
        return None
    function: CentreMeasure | None = getattr(module, "centre_measure", None)
    return function


class CentreMeasureLink(LinkKind):
    """A measure of the government service centre (e.g. share of cases at comprehensive windows).

    A level to reach, not a flow that accumulates: progress is the value against the target
    (for a measure where less is better, such as elapsed days, the target against the value).
    """

    code = "service"
    label = gettext_lazy("政务服务中心指标")

    def available(self) -> bool:
        return centre_measure_function() is not None

    def clean(self, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
        if not self.available():
            raise LinkRefused(_("政务服务中心模块未安装，不能关联其指标"))
        code = str(params.get("code", "")).strip()
        if not code:
            raise LinkRefused(_("请填写政务服务中心指标代码"))
        known = getattr(importlib.import_module("yuanqu.service.selectors"), "MEASURES", None)
        if known is not None and code not in known:
            raise LinkRefused(
                _("政务服务中心指标代码“%(code)s”无效（可用：%(known)s）")
                % {"code": code[:60], "known": "、".join(known)}
            )
        if window.target_value is None or window.target_value <= 0:
            raise LinkRefused(_("关联政务服务中心指标时须填写目标数，且大于0"))
        direction = params.get("direction") or "at_least"
        if direction not in ("at_least", "at_most"):
            raise LinkRefused(_("目标方向“%(direction)s”无效") % {"direction": direction})
        return {"code": code[:60], "direction": direction}

    def describe(self, params: dict[str, Any]) -> str:
        code = str(params.get("code", ""))
        try:
            labels: dict[str, str] = getattr(importlib.import_module("yuanqu.service.selectors"), "MEASURE_LABELS", {})
        except ImportError:
            labels = {}
        return _("政务服务中心%(measure)s") % {"measure": labels.get(code, code)}

    def progress(self, params: dict[str, Any], window: MeasureWindow, context: LinkContext) -> LinkedProgress:
        function = centre_measure_function()
        if function is None:
            return LinkedProgress(None, None, None, "", _("政务服务中心模块未安装"))
        if window.target_value is None or window.target_value <= 0:
            return LinkedProgress(None, None, None, "", _("没有目标数"))
        on = min(context.on, window.deadline)
        period = Period.cumulative(on.year, on.month)
        value = function(context.zone, str(params.get("code", "")), period)
        if value is None:
            return LinkedProgress(None, None, None, "", _("%(period)s没有该指标数据") % {"period": period.full_label})
        if params.get("direction") == "at_most":
            completion = window.target_value / value * HUNDRED if value > 0 else HUNDRED
        else:
            completion = value / window.target_value * HUNDRED
        completion = min(completion, HUNDRED)
        # The centre's measures are percentages (进驻率, 综合窗口受理占比, 满意率…), written to one decimal.
        summary = _("%(period)s为%(value)s%%，目标%(target)s%%") % {
            "period": period.full_label,
            "value": figures.rate(value),
            "target": figures.plain(window.target_value),
        }
        return LinkedProgress(completion, HUNDRED, HUNDRED - completion, summary, level=True)


REGISTRY: dict[str, LinkKind] = {}


def register(kind: LinkKind) -> LinkKind:
    REGISTRY[kind.code] = kind
    return kind


for _kind in (IndicatorTarget(), ChainOutput(), ChainTask(), ProjectStarts(), CentreMeasureLink()):
    register(_kind)


def available_kinds() -> list[LinkKind]:
    """The kinds a measure can be linked to here (the service centre's only once it is installed)."""
    return [kind for kind in REGISTRY.values() if kind.available()]


def link_kind(code: str) -> LinkKind | None:
    return REGISTRY.get(code)


def link_clean(code: str, params: dict[str, Any], window: MeasureWindow) -> dict[str, Any]:
    kind = link_kind(code)
    if kind is None or not kind.available():
        raise LinkRefused(_("不支持的关联类型“%(kind)s”") % {"kind": code})
    return kind.clean(params, window)
