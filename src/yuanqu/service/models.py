"""The government service centre (政务服务中心): items, service zones and windows, cases, ratings.

A case (办件) moves along an explicit map (``ALLOWED_MOVES``); every move is a ``CaseStep``
kept as history, with who, when and at which window. The clock of a case counts working days
on the zone's calendar (``yuanqu.service.workdays``): the day of acceptance is not counted,
day 1 is the next working day, and the working days of a 补正 pause are not counted either.
Its due dates and elapsed working days are written by the services when the clock changes, so
a month's scorecard is a handful of grouped queries; overdue and 即将超期 are computed from
them at read time, never typed.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Department, Place


class ItemCategory(models.TextChoices):
    """依申请六类行政权力事项, plus public services."""

    LICENSING = "licensing", _("行政许可")
    CONFIRMATION = "confirmation", _("行政确认")
    ADJUDICATION = "adjudication", _("行政裁决")
    PAYMENT = "payment", _("行政给付")
    REWARD = "reward", _("行政奖励")
    OTHER_POWER = "other_power", _("其他行政权力")
    PUBLIC_SERVICE = "public_service", _("公共服务")


class ItemKind(models.TextChoices):
    IMMEDIATE = "immediate", _("即办件")
    PROMISED = "promised", _("承诺件")


class Presence(models.TextChoices):
    """Whether an item is handled in the centre (进驻), and how."""

    WINDOW = "window", _("窗口进驻")
    ANY_WINDOW = "any_window", _("综合窗口受理")
    EXEMPT = "exempt", _("经批准不进驻")
    PENDING = "pending", _("尚未进驻")


IN_CENTRE = (Presence.WINDOW, Presence.ANY_WINDOW)


class ServiceZone(models.Model):
    """One of the centre's service zones (服务专区), e.g. 企业开办专区."""

    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="service_zones")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=80)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务专区")
        verbose_name_plural = _("服务专区")
        ordering = ["zone", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["zone", "code"], name="unique_service_zone_code")]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    """A window of a service zone: a 综合窗口 accepts any item, a 专窗 its department's items."""

    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合窗口")
        DEDICATED = "dedicated", _("专窗")

    service_zone = models.ForeignKey(
        ServiceZone, verbose_name=_("服务专区"), on_delete=models.PROTECT, related_name="windows"
    )
    number = models.CharField(_("窗口号"), max_length=20)
    kind = models.CharField(_("窗口类型"), max_length=16, choices=Kind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("专窗所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_windows",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("窗口人员"), blank=True, related_name="service_windows"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("窗口")
        verbose_name_plural = _("窗口")
        ordering = ["service_zone", "sort_order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["service_zone", "number"], name="unique_window_number"),
            models.CheckConstraint(
                condition=Q(kind="comprehensive") | Q(department__isnull=False), name="dedicated_window_department"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_zone.name} {self.number}号{self.get_kind_display()}"

    @property
    def is_comprehensive(self) -> bool:
        return self.kind == self.Kind.COMPREHENSIVE


class ItemQuerySet(models.QuerySet["Item"]):
    def in_zone(self, zone: Place) -> "ItemQuerySet":
        return self.filter(zone=zone)

    def active(self) -> "ItemQuerySet":
        return self.filter(is_active=True)

    def in_centre(self) -> "ItemQuerySet":
        return self.filter(presence__in=IN_CENTRE)


class Item(models.Model):
    """An item of the catalogue (事项清单)."""

    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="service_items")
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=200)
    category = models.CharField(_("事项类别"), max_length=16, choices=ItemCategory.choices)
    department = models.ForeignKey(
        Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="service_items"
    )
    legal_limit_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"))
    kind = models.CharField(_("办件类型"), max_length=10, choices=ItemKind.choices)
    fee_yuan = models.DecimalField(
        _("收费标准（元）"), max_digits=10, decimal_places=2, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    materials = models.JSONField(_("申请材料"), default=list, blank=True, help_text=_("材料名称的清单"))
    presence = models.CharField(_("进驻方式"), max_length=12, choices=Presence.choices)
    exemption_document = models.CharField(_("不进驻批准文件"), max_length=200, blank=True)
    exemption_approved_on = models.DateField(_("不进驻批准日期"), null=True, blank=True)
    service_zone = models.ForeignKey(
        ServiceZone,
        verbose_name=_("受理专区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    is_active = models.BooleanField(_("在用"), default=True)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["zone", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="unique_item_code_per_zone"),
            models.CheckConstraint(
                condition=Q(promised_limit_days__lte=F("legal_limit_days")), name="promise_within_legal_limit"
            ),
            models.CheckConstraint(
                condition=~Q(presence="exempt") | (~Q(exemption_document="") & Q(exemption_approved_on__isnull=False)),
                name="exemption_has_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def in_centre(self) -> bool:
        return self.presence in IN_CENTRE

    @property
    def compression_pct(self) -> Decimal | None:
        """承诺时限压缩比: how much shorter the promise is than the law, in percent of the law."""
        if not self.legal_limit_days:
            return None
        return Decimal(self.legal_limit_days - self.promised_limit_days) * 100 / Decimal(self.legal_limit_days)


class CentreRules(models.Model):
    """A zone's rules for the centre."""

    zone = models.OneToOneField(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="centre_rules")
    follow_up_days = models.PositiveSmallIntegerField(
        _("差评整改时限（工作日）"), default=15, validators=[MinValueValidator(1)]
    )
    due_soon_days = models.PositiveSmallIntegerField(_("即将超期提醒（工作日）"), default=1)

    class Meta:
        verbose_name = _("政务服务规则")
        verbose_name_plural = _("政务服务规则")

    def __str__(self) -> str:
        return str(self.zone)


class WorkingDayOverride(models.Model):
    """A zone's correction of the national calendar: a day made a working day or a day off."""

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="working_overrides")
    day = models.DateField(_("日期"))
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=200)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["zone", "day"]
        constraints = [models.UniqueConstraint(fields=["zone", "day"], name="one_override_per_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.note}"


class CalendarYear(models.Model):
    """A year whose holiday arrangement the zone has entered in full as overrides.

    The national calendar package knows the years up to its release. For a later year, the
    zone enters the State Council's arrangement as overrides and marks the year as entered;
    until then the clock of that year is provisional (see ``yuanqu.service.workdays``).
    """

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="calendar_years")
    year = models.PositiveSmallIntegerField(_("年度"))
    note = models.CharField(_("依据"), max_length=200)
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("年度节假日安排")
        ordering = ["zone", "year"]
        constraints = [models.UniqueConstraint(fields=["zone", "year"], name="one_calendar_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.note}"


class Stage(models.TextChoices):
    NOTIFIED = "notified", _("待补正（已一次性告知）")
    REFUSED = "refused", _("不予受理")
    REVIEWING = "reviewing", _("审查中")
    SUSPENDED = "suspended", _("补正中（暂停计时）")
    DECIDED = "decided", _("待出件")
    ISSUED = "issued", _("已办结")


# The clock runs from acceptance to issue; these stages are the running (or paused) ones.
OPEN_STAGES = (Stage.REVIEWING, Stage.SUSPENDED, Stage.DECIDED)
# The clock runs in these; in 补正 (SUSPENDED) it stands still.
RUNNING_STAGES = (Stage.REVIEWING, Stage.DECIDED)
FINAL_STAGES = (Stage.REFUSED, Stage.ISSUED)


def overdue_q(day: date) -> Q:
    """The one rule of an open case overdue on ``day`` (``Case.overdue_on`` says the same in Python).

    A running case is overdue after its due date. A paused case keeps the due date it had when
    the clock stopped: it is overdue when that date had passed when the pause started (asking for
    materials does not hide a late case), and not when the pause started in time.
    """
    return Q(stage__in=RUNNING_STAGES, due_on__lt=day) | Q(
        stage=Stage.SUSPENDED, due_on__lt=day, paused_on__gt=F("due_on")
    )


def due_soon_q(day: date, until: date) -> Q:
    """Running cases due from ``day`` to ``until`` (即将超期); a paused clock is not running out."""
    return Q(stage__in=RUNNING_STAGES, due_on__gte=day, due_on__lte=until)


class Decision(models.TextChoices):
    APPROVE = "approve", _("准予")
    DENY = "deny", _("不予")


class ApplicantKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    PERSON = "person", _("个人")


class CaseQuerySet(models.QuerySet["Case"]):
    def in_zone(self, zone: Place) -> "CaseQuerySet":
        return self.filter(zone=zone)

    def accepted_between(self, first: date, last: date) -> "CaseQuerySet":
        return self.filter(accepted_on__gte=first, accepted_on__lte=last)

    def issued_between(self, first: date, last: date) -> "CaseQuerySet":
        return self.filter(issued_on__gte=first, issued_on__lte=last)

    def open(self) -> "CaseQuerySet":
        return self.filter(stage__in=OPEN_STAGES)

    def overdue_on(self, day: date) -> "CaseQuerySet":
        """Open cases overdue on ``day`` (see ``overdue_q``: paused ones count if late when paused)."""
        return self.filter(overdue_q(day))

    def completed_late(self) -> "CaseQuerySet":
        """Issued after more working days than promised (the law's count, not the calendar's)."""
        return self.filter(stage=Stage.ISSUED, elapsed_days__gt=F("promised_limit_days"))


class Case(models.Model):
    """A case (办件): one application for one item, from registration to issue."""

    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="service_cases")
    number = models.CharField(_("办件编号"), max_length=40)
    item = models.ForeignKey(Item, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="cases")
    # The department that owned the item when the case was registered: it decides the case.
    department = models.ForeignKey(Department, verbose_name=_("审批部门"), on_delete=models.PROTECT, related_name="+")
    service_zone = models.ForeignKey(
        ServiceZone, verbose_name=_("受理专区"), on_delete=models.PROTECT, related_name="cases"
    )
    window = models.ForeignKey(Window, verbose_name=_("受理窗口"), on_delete=models.PROTECT, related_name="cases")
    at_any_window = models.BooleanField(_("综合窗口受理"), help_text=_("受理时窗口为综合窗口"))
    immediate = models.BooleanField(_("即办件"))
    legal_limit_days = models.PositiveSmallIntegerField(_("法定办结时限（工作日）"))
    promised_limit_days = models.PositiveSmallIntegerField(_("承诺办结时限（工作日）"))

    applicant_kind = models.CharField(_("申请人类型"), max_length=12, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    applicant_code = models.CharField(
        _("证件号码"), max_length=18, help_text=_("企业填统一社会信用代码，个人填居民身份证号码")
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    materials_received = models.JSONField(_("已收材料"), default=list, blank=True)
    materials_missing = models.JSONField(_("待补正材料"), default=list, blank=True)

    stage = models.CharField(_("办理状态"), max_length=12, choices=Stage.choices)
    decision = models.CharField(_("审批决定"), max_length=8, choices=Decision.choices, blank=True)
    reason = models.CharField(_("不予受理或不予许可理由"), max_length=300, blank=True)
    registered_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    issued_on = models.DateField(_("出件日期"), null=True, blank=True)
    due_on = models.DateField(_("承诺办结期限"), null=True, blank=True, help_text=_("补正暂停计时期间为暂停时的期限"))
    legal_due_on = models.DateField(_("法定办结期限"), null=True, blank=True)
    due_provisional = models.BooleanField(
        _("期限为暂定"), default=False, help_text=_("期限跨越节假日安排尚未录入的年度")
    )
    paused_on = models.DateField(
        _("暂停计时日期"), null=True, blank=True, help_text=_("补正中的办件告知补正的日期；恢复计时后为空")
    )
    paused_days = models.PositiveSmallIntegerField(_("补正暂停工作日"), default=0)
    supplements = models.PositiveSmallIntegerField(_("补正次数"), default=0)
    elapsed_days = models.PositiveSmallIntegerField(
        _("办理用时（工作日）"), null=True, blank=True, help_text=_("受理次日起至出件，不含补正暂停")
    )
    rating_code = models.CharField(_("评价码"), max_length=12, unique=True, null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "number"], name="unique_case_number_per_zone"),
            models.CheckConstraint(
                condition=Q(issued_on__isnull=True) | Q(issued_on__gte=F("accepted_on")), name="issued_after_accepted"
            ),
        ]
        # The scorecard's grouped queries read these indexes only (they cover the columns the
        # queries use), so a month of a busy centre is read without touching the wide case rows.
        indexes = [
            models.Index(
                fields=["zone", "accepted_on", "service_zone", "at_any_window", "immediate"], name="case_accepted"
            ),
            models.Index(
                fields=[
                    "zone",
                    "issued_on",
                    "stage",
                    "item",
                    "elapsed_days",
                    "promised_limit_days",
                    "legal_limit_days",
                    "supplements",
                    "department",
                    "due_on",
                    "accepted_on",
                ],
                name="case_issued",
            ),
            models.Index(
                fields=["zone", "stage", "due_on", "issued_on", "department", "paused_on"], name="case_open_due"
            ),
            models.Index(fields=["zone", "registered_at", "stage"], name="case_registered"),
            models.Index(fields=["window", "stage"], name="case_window_stage"),
            models.Index(fields=["department", "stage"], name="case_department_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.item.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("service:case", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL_STAGES

    def overdue_on(self, day: date) -> bool:
        """Past its promised due date: completed late, or open after the due date (``overdue_q``)."""
        if self.due_on is None:
            return False
        if self.stage == Stage.ISSUED:
            return self.elapsed_days is not None and self.elapsed_days > self.promised_limit_days
        if self.stage == Stage.SUSPENDED:
            return self.paused_on is not None and self.paused_on > self.due_on and day > self.due_on
        return self.stage in RUNNING_STAGES and day > self.due_on

    def due_soon_on(self, day: date, until: date) -> bool:
        """即将超期: running, due from ``day`` to ``until`` (``due_soon_q``)."""
        return self.stage in RUNNING_STAGES and self.due_on is not None and day <= self.due_on <= until


class CasePause(models.Model):
    """A 补正 pause: the clock stops from the request to the day the materials come in.

    The working days in (started_on, ended_on] are not counted, as the law counts a period.
    """

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("告知补正日期"))
    ended_on = models.DateField(_("补正齐全日期"), null=True, blank=True)
    missing = models.JSONField(_("须补正材料"), default=list)
    working_days = models.PositiveSmallIntegerField(_("暂停工作日"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正暂停")
        verbose_name_plural = _("补正暂停")
        ordering = ["case", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")), name="pause_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.started_on}—{self.ended_on or ''}"


class StepAction(models.TextChoices):
    REGISTER = "register", _("登记")
    NOTIFY = "notify", _("一次性告知补正")
    ACCEPT = "accept", _("受理")
    REFUSE = "refuse", _("不予受理")
    PAUSE = "pause", _("告知补正（暂停计时）")
    RESUME = "resume", _("补正齐全（恢复计时）")
    DECIDE = "decide", _("审批决定")
    ISSUE = "issue", _("出件")
    RATE = "rate", _("评价")
    FOLLOW_UP = "follow_up", _("差评整改")


class CaseStep(models.Model):
    """One step of a case: what, who, when, at which window or in which department."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("环节"), max_length=12, choices=StepAction.choices)
    from_stage = models.CharField(_("原状态"), max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新状态"), max_length=12, choices=Stage.choices, blank=True)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT
    )
    window = models.ForeignKey(
        Window, verbose_name=_("窗口"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_action_display()} {self.on}"


class Rating(models.TextChoices):
    VERY_SATISFIED = "5", _("非常满意")
    SATISFIED = "4", _("满意")
    FAIRLY_SATISFIED = "3", _("基本满意")
    DISSATISFIED = "2", _("不满意")
    VERY_DISSATISFIED = "1", _("非常不满意")


# 好差评: 基本满意 and better count as satisfied; 不满意 and 非常不满意 are 差评.
BAD_RATINGS = (Rating.DISSATISFIED, Rating.VERY_DISSATISFIED)


class Evaluation(models.Model):
    """The applicant's rating of a completed case (好差评), and the follow-up of a 差评."""

    class Channel(models.TextChoices):
        WINDOW = "window", _("窗口评价器")
        CODE = "code", _("扫码评价")

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="evaluation")
    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(_("评价"), max_length=1, choices=Rating.choices)
    comment = models.CharField(_("意见"), max_length=500, blank=True)
    channel = models.CharField(_("评价渠道"), max_length=8, choices=Channel.choices)
    rated_on = models.DateField(_("评价日期"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_bad = models.BooleanField(_("差评"))
    follow_up_due_on = models.DateField(_("整改期限"), null=True, blank=True)
    followed_up_on = models.DateField(_("整改日期"), null=True, blank=True)
    follow_up_note = models.CharField(_("整改情况"), max_length=500, blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("整改登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("办件评价")
        verbose_name_plural = _("办件评价")
        ordering = ["-rated_on", "-id"]
        indexes = [
            models.Index(
                fields=["zone", "rated_on", "rating", "is_bad", "followed_up_on", "follow_up_due_on"],
                name="evaluation_rated",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_rating_display()}"
