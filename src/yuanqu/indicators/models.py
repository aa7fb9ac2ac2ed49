from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Place, Source
from yuanqu.periods import Period


class PriceBasis(models.TextChoices):
    REAL = "real", _("可比价（实际增长）")
    NOMINAL = "nominal", _("现价（名义增长）")
    NOT_APPLICABLE = "none", _("不适用")


class EnterpriseField(models.TextChoices):
    """The in-month amounts an enterprise reports; stored in 元 (or 千瓦时) as integers."""

    INDUSTRIAL_OUTPUT = "industrial_output", _("工业总产值")
    INDUSTRIAL_INVOICED_SALES = "industrial_invoiced_sales", _("工业开票销售")
    REVENUE = "revenue", _("营业收入")
    PROFIT = "profit", _("利润总额")
    TAXES = "taxes", _("税金总额")
    ELECTRICITY = "electricity", _("用电量")


class Indicator(models.Model):
    """An entry of the indicator catalogue: what the figure is and how it behaves."""

    class Origin(models.TextChoices):
        ENTERPRISE = "enterprise", _("由企业数据汇总")
        REPORTED = "reported", _("由统计部门发布")

    class Reporting(models.TextChoices):
        CUMULATIVE = "cumulative", _("累计")
        IN_MONTH = "in_month", _("当月")
        LEVEL = "level", _("时点")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("可加总")
        NONE = "none", _("不可加总")

    class RankBy(models.TextChoices):
        GROWTH = "growth", _("按增速")
        LEVEL = "level", _("按总量")

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    unit = models.CharField(_("单位"), max_length=20, help_text=_("发布值的单位，如 亿元"))
    price_basis = models.CharField(_("价格口径"), max_length=10, choices=PriceBasis.choices)
    reporting = models.CharField(_("报送方式"), max_length=12, choices=Reporting.choices, default=Reporting.CUMULATIVE)
    place_aggregation = models.CharField(
        _("跨地区汇总"), max_length=6, choices=Aggregation.choices, default=Aggregation.SUM
    )
    time_aggregation = models.CharField(
        _("跨月份汇总"), max_length=6, choices=Aggregation.choices, default=Aggregation.SUM
    )
    origin = models.CharField(_("数据来源"), max_length=12, choices=Origin.choices)
    enterprise_field = models.CharField(_("企业数据字段"), max_length=40, choices=EnterpriseField.choices, blank=True)
    scope_rule = models.CharField(
        _("统计范围"),
        max_length=80,
        blank=True,
        help_text=_("如：规模以上工业企业（年主营业务收入2000万元及以上）"),
    )
    rank_by = models.CharField(_("排位依据"), max_length=8, choices=RankBy.choices, default=RankBy.GROWTH)
    in_scorecard = models.BooleanField(_("列入成绩单"), default=False)
    in_paragraph = models.BooleanField(_("写入成绩单段落"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ObservationQuerySet(models.QuerySet["Observation"]):
    def as_of(self, moment: datetime | None) -> "ObservationQuerySet":
        """The rows that were the current figures at a moment (now when None)."""
        if moment is None:
            return self.filter(superseded_at__isnull=True)
        return self.filter(recorded_at__lte=moment).filter(Q(superseded_at__isnull=True) | Q(superseded_at__gt=moment))

    def accepted(self) -> "ObservationQuerySet":
        return self.filter(status=Observation.Status.ACCEPTED)

    def for_period(self, period: Period) -> "ObservationQuerySet":
        return self.filter(period=period.code)


class Observation(models.Model):
    """A published or entered figure for an indicator, place and period.

    Append-only: a revision adds a row and closes the old one (``superseded_at``), so any
    figure can be read as it stood on a date. Growth is stored as published, never derived.
    """

    class Vintage(models.TextChoices):
        FLASH = "flash", _("快报")
        FINAL = "final", _("定报")
        VERIFIED = "verified", _("核实")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("已确认")
        UNREVIEWED = "unreviewed", _("待审核")
        REJECTED = "rejected", _("已驳回")

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    place = models.ForeignKey(Place, verbose_name=_("地区"), on_delete=models.PROTECT)
    period = models.CharField(_("所属期"), max_length=12, help_text=_("如 2023-01~06（1—6月）"))
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    growth_pct = models.DecimalField(_("同比增长（%）"), max_digits=9, decimal_places=2, null=True, blank=True)
    price_basis = models.CharField(_("价格口径"), max_length=10, choices=PriceBasis.choices)
    vintage = models.CharField(_("数据版本"), max_length=10, choices=Vintage.choices, default=Vintage.FLASH)
    status = models.CharField(_("审核状态"), max_length=12, choices=Status.choices, default=Status.ACCEPTED)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT)
    source_locator = models.CharField(_("来源位置"), max_length=120, blank=True, help_text=_("行号或原文位置"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT
    )
    superseded_at = models.DateTimeField(_("被替代时间"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("观测值")
        verbose_name_plural = _("观测值")
        indexes = [models.Index(fields=["indicator", "period", "place"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "place", "period"],
                condition=Q(superseded_at__isnull=True, status="accepted"),
                name="one_current_accepted_observation",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(growth_pct__isnull=False),
                name="observation_has_a_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.place} {self.period}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)


class Enterprise(models.Model):
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("企业名称"), max_length=200)
    industry_code = models.CharField(
        _("国民经济行业分类"), max_length=5, blank=True, help_text=_("GB/T 4754 代码，如 C3841")
    )
    zone = models.ForeignKey(Place, verbose_name=_("所在园区"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def industry_division(self) -> str:
        """The 大类 (letter + two digits, e.g. C38) used for contribution by industry."""
        return self.industry_code[:3]

    def scope_spells(self) -> list[tuple[str, str, bool]]:
        """规上 membership over time, from the monthly reports: (first month, last month, 规上).

        A new spell starts when membership changes or a month is missing from the reports.
        """
        spells: list[tuple[str, str, bool]] = []
        previous: tuple[int, int, bool] | None = None
        for year, month, above_scale in self.enterprisemonth_set.order_by("year", "month").values_list(
            "year", "month", "above_scale"
        ):
            label = f"{year}-{month:02d}"
            follows = previous is not None and (year * 12 + month) - (previous[0] * 12 + previous[1]) == 1
            if follows and previous is not None and previous[2] == above_scale:
                spells[-1] = (spells[-1][0], label, above_scale)
            else:
                spells.append((label, label, above_scale))
            previous = (year, month, above_scale)
        return spells


class EnterpriseMonth(models.Model):
    """One enterprise's in-month figures for one month, as reported (amounts in 元, power in kWh)."""

    # No single-column indexes on these keys: the unique (enterprise, year, month) and the
    # (zone, year, month) indexes already lead with them, and every index slows imports.
    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, db_index=False)
    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.PROTECT, db_index=False)
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    above_scale = models.BooleanField(_("规上"))
    industrial_output = models.BigIntegerField(_("工业总产值（元）"), null=True, blank=True)
    industrial_invoiced_sales = models.BigIntegerField(_("工业开票销售（元）"), null=True, blank=True)
    revenue = models.BigIntegerField(_("营业收入（元）"), null=True, blank=True)
    profit = models.BigIntegerField(_("利润总额（元）"), null=True, blank=True)
    taxes = models.BigIntegerField(_("税金总额（元）"), null=True, blank=True)
    electricity = models.BigIntegerField(_("用电量（千瓦时）"), null=True, blank=True)
    # 上年同期累计 as the enterprise reported it on this month's row (the official monthly report
    # carries it): the base of its same-scope comparison where given (see indicators/scope.py).
    prior_industrial_output = models.BigIntegerField(_("上年同期累计工业总产值（元）"), null=True, blank=True)
    prior_industrial_invoiced_sales = models.BigIntegerField(_("上年同期累计工业开票销售（元）"), null=True, blank=True)
    prior_revenue = models.BigIntegerField(_("上年同期累计营业收入（元）"), null=True, blank=True)
    prior_profit = models.BigIntegerField(_("上年同期累计利润总额（元）"), null=True, blank=True)
    prior_taxes = models.BigIntegerField(_("上年同期累计税金总额（元）"), null=True, blank=True)
    prior_electricity = models.BigIntegerField(_("上年同期累计用电量（千瓦时）"), null=True, blank=True)
    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT, db_index=False)
    source_row = models.PositiveIntegerField(_("来源行号"))

    class Meta:
        verbose_name = _("企业月度数据")
        verbose_name_plural = _("企业月度数据")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year", "month"], name="one_row_per_enterprise_month")
        ]
        indexes = [models.Index(fields=["zone", "year", "month"])]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}-{self.month:02d}"


class ScopeTotal(models.Model):
    """Same-scope totals, kept up to date at import time (the rule is in ``indicators/scope.py``).

    For a zone, a year and a month N: the enterprises in scope (规上) in month N, their values
    over months 1..N (``span`` cumulative) or in month N (in-month), and their bases a year
    earlier. One row per field, and per industry division (``industry`` '' = all). The
    scorecard reads these rows instead of re-summing enterprise months.
    """

    class Span(models.TextChoices):
        CUMULATIVE = "cumulative", _("累计")
        IN_MONTH = "in_month", _("当月")

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("截至月"))
    span = models.CharField(_("口径"), max_length=10, choices=Span.choices, default=Span.CUMULATIVE)
    field = models.CharField(_("字段"), max_length=40, choices=EnterpriseField.choices)
    industry = models.CharField(_("行业门类大类"), max_length=3, blank=True)
    current = models.BigIntegerField(_("本期（全部在库企业）"))
    base = models.BigIntegerField(_("上年同期（有上年数据的企业）"))
    current_with_base = models.BigIntegerField(_("本期（有上年数据的企业）"), default=0)
    enterprises = models.PositiveIntegerField(_("在库企业数"))
    enterprises_with_base = models.PositiveIntegerField(_("有上年数据的企业数"))
    continuing_enterprises = models.PositiveIntegerField(_("不含新入库的企业数"), default=0)
    continuing_current = models.BigIntegerField(_("本期（不含新入库企业）"), default=0)
    continuing_base = models.BigIntegerField(_("上年同期（不含新入库企业）"), default=0)
    reported_base_enterprises = models.PositiveIntegerField(_("企业填报上年同期的企业数"), default=0)
    new_production_enterprises = models.PositiveIntegerField(_("新投产企业数"), default=0)

    class Meta:
        verbose_name = _("同口径汇总")
        verbose_name_plural = _("同口径汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "year", "month", "span", "field", "industry"], name="one_scope_total_per_span"
            )
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year}-{self.month:02d} {self.span} {self.field} {self.industry or '合计'}"


class MonthCoverage(models.Model):
    """How complete a zone's enterprise reports of a month are: 已报 / 应报.

    应报 are the enterprises 规上 in the month before; a month is complete when at least
    ``YUANQU_COMPLETE_MONTH_PCT`` percent of them reported (a zone's first month, with nobody
    expected, is complete when anyone reported). Kept up to date with the same-scope totals.
    """

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    reported = models.PositiveIntegerField(_("已报企业数"))
    expected = models.PositiveIntegerField(_("应报企业数（上月规上企业）"))
    reported_of_expected = models.PositiveIntegerField(_("应报企业中已报数"))

    class Meta:
        verbose_name = _("月度报送完整性")
        verbose_name_plural = _("月度报送完整性")
        constraints = [models.UniqueConstraint(fields=["zone", "year", "month"], name="one_coverage_per_month")]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.year}-{self.month:02d} {self.reported_of_expected}/{self.expected}"


class NewProduction(models.Model):
    """新投产（上年无生产）: set by a statistician for an enterprise without a base, with a reason.

    Its base for the year's same-scope comparison is then zero (instead of leaving it out).
    """

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("比较年份"), help_text=_("该年与上年比较时上年同期按零计"))
    reason = models.CharField(_("理由"), max_length=300)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("标记人"), null=True, blank=True, on_delete=models.PROTECT
    )
    marked_at = models.DateTimeField(_("标记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("新投产标记")
        verbose_name_plural = _("新投产标记")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="one_new_production_mark")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class Target(models.Model):
    """An annual target or a multi-year goal for an indicator of a place (or of a chain)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度目标")
        GOAL = "goal", _("中长期目标")

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.PROTECT)
    place = models.ForeignKey(Place, verbose_name=_("地区"), on_delete=models.PROTECT)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("目标年份"))
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    growth_pct = models.DecimalField(_("目标增速（%）"), max_digits=9, decimal_places=2, null=True, blank=True)
    qualifier = models.CharField(_("表述"), max_length=20, blank=True, help_text=_("如 超、达、力争"))
    base_year = models.PositiveSmallIntegerField(_("基年"), null=True, blank=True)
    subject = models.CharField(
        _("对象"), max_length=80, blank=True, help_text=_("为空表示全区；产业链目标写产业链名称")
    )
    programme = models.CharField(_("所属目标"), max_length=80, blank=True, help_text=_("如 双千亿过百亿"))
    is_sample = models.BooleanField(_("示例数据"), default=False)
    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT)
    source_locator = models.CharField(_("来源位置"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "place", "kind", "year", "subject"], name="one_target"),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | Q(growth_pct__isnull=False), name="target_has_a_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.place} {self.indicator} {self.year}"
