from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu import figures
from yuanqu.core.models import Department, Place, Source
from yuanqu.indicators.models import Enterprise, EnterpriseField


class Chain(models.Model):
    """A leading industry chain of a zone under the 链长+链主制."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("链长"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_chains",
    )
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    description = models.TextField(_("简介"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    weak_share_pct = models.DecimalField(
        _("薄弱节点产值占比阈值（%）"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("3.00"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("末级节点产值低于全链产值的这一比例，或只有一家企业，即为薄弱节点"),
    )

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class ChainNode(models.Model):
    """A link of the chain map: a segment (上游/中游/下游/配套) or a product node under one."""

    class Segment(models.TextChoices):
        UPSTREAM = "upstream", _("上游")
        MIDSTREAM = "midstream", _("中游")
        DOWNSTREAM = "downstream", _("下游")
        SUPPORTING = "supporting", _("配套")

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级节点"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("名称"), max_length=80)
    segment = models.CharField(_("环节"), max_length=12, choices=Segment.choices)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("产业链节点")
        verbose_name_plural = _("产业链节点")
        ordering = ["chain", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "parent", "name"], name="unique_node_name")]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}"


class ChainEnterprise(models.Model):
    """A local enterprise placed on a node of a chain."""

    class Role(models.TextChoices):
        MASTER = "master", _("链主")
        BACKBONE = "backbone", _("骨干")
        SUPPORTING = "supporting", _("配套")

    node = models.ForeignKey(ChainNode, verbose_name=_("节点"), on_delete=models.CASCADE, related_name="placements")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="chain_placements"
    )
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, default=Role.SUPPORTING)
    commitment = models.TextField(_("链主承诺"), blank=True)
    since = models.DateField(_("入链日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        constraints = [models.UniqueConstraint(fields=["node", "enterprise"], name="one_placement_per_node")]

    def __str__(self) -> str:
        return f"{self.node} {self.enterprise}"


class ChainTarget(models.Model):
    """An annual scale target of a chain (亿元), measured on the chain's enterprises' figures."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("目标年份"))
    measure = models.CharField(
        _("考核口径"), max_length=40, choices=EnterpriseField.choices, default=EnterpriseField.INDUSTRIAL_OUTPUT
    )
    value = models.DecimalField(_("目标值（亿元）"), max_digits=14, decimal_places=4)
    qualifier = models.CharField(_("表述"), max_length=20, blank=True, help_text=_("如 力争达、超"))
    is_sample = models.BooleanField(_("示例数据"), default=False)
    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT)
    source_locator = models.CharField(_("来源位置"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("产业链年度目标")
        verbose_name_plural = _("产业链年度目标")
        ordering = ["chain", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "year", "measure"], name="one_chain_target"),
            models.CheckConstraint(condition=Q(value__gt=0), name="chain_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.chain} {self.year}年 {figures.at_most(self.value)}亿元"


class EnterpriseFlag(models.Model):
    """A recognition an enterprise holds (专精特新, 高新技术企业, 智能工厂, 绿色工厂, …)."""

    class Kind(models.TextChoices):
        SPECIALISED = "specialised", _("专精特新中小企业")
        LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
        HIGH_TECH = "high_tech", _("高新技术企业")
        SMART_FACTORY = "smart_factory", _("智能工厂/数字化车间")
        GREEN_FACTORY = "green_factory", _("绿色工厂")

    enterprise = models.ForeignKey(Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("认定类型"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("认定年份"))
    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("企业认定")
        verbose_name_plural = _("企业认定")
        constraints = [models.UniqueConstraint(fields=["enterprise", "kind"], name="one_flag_per_kind")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"


class Programme(models.TextChoices):
    """The five programmes every leading chain runs (paragraph 6 of the seed)."""

    CLUSTER = "cluster", _("集群扩量")
    INNOVATION = "innovation", _("创新提质")
    DIGITAL = "digital", _("智改数转")
    SPECIALISED = "specialised", _("专精特新")
    GREEN = "green", _("绿色发展")


class ChainProgramme(models.Model):
    """One of the five programmes as a work stream of a chain: its goal for the year and its tasks."""

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.CASCADE, related_name="programmes")
    kind = models.CharField(_("专项行动"), max_length=12, choices=Programme.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    goal = models.CharField(_("年度目标"), max_length=200, blank=True)
    goal_value = models.DecimalField(
        _("目标数"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("与计算的衡量指标同单位")
    )

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["chain", "year", "kind"]
        constraints = [models.UniqueConstraint(fields=["chain", "kind", "year"], name="one_programme_per_year")]

    def __str__(self) -> str:
        return f"{self.chain} {self.get_kind_display()}"


class ProgrammeTask(models.Model):
    """A task of a programme: who does it, by when, and how far it has got."""

    programme = models.ForeignKey(
        ChainProgramme, verbose_name=_("专项行动"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("任务"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), null=True, blank=True, on_delete=models.SET_NULL
    )
    starts_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("完成时限"))
    progress_pct = models.PositiveSmallIntegerField(_("完成进度（%）"), default=0, validators=[MaxValueValidator(100)])
    note = models.CharField(_("进展说明"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("专项行动任务")
        verbose_name_plural = _("专项行动任务")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress_pct__lte=100), name="task_progress_at_most_100"),
            models.CheckConstraint(condition=Q(deadline__gte=models.F("starts_on")), name="task_deadline_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class EnterpriseRequestQuerySet(models.QuerySet["EnterpriseRequest"]):
    def open(self) -> "EnterpriseRequestQuerySet":
        return self.exclude(status=EnterpriseRequest.Status.CLOSED)

    def overdue(self, today: date) -> "EnterpriseRequestQuerySet":
        return self.open().filter(deadline__lt=today)


class EnterpriseRequest(models.Model):
    """An enterprise's problem raised to the 链长 (诉求), tracked until closed with its satisfaction."""

    class Category(models.TextChoices):
        LAND = "land", _("用地")
        POWER = "power", _("用能用电")
        FINANCE = "finance", _("融资")
        PERMITS = "permits", _("审批手续")
        TALENT = "talent", _("人才用工")
        SUPPLY = "supply", _("供应链配套")

    class Status(models.TextChoices):
        RAISED = "raised", _("已提出")
        ASSIGNED = "assigned", _("已交办")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    chain = models.ForeignKey(Chain, verbose_name=_("产业链"), on_delete=models.PROTECT, related_name="requests")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("诉求企业"), on_delete=models.PROTECT, related_name="chain_requests"
    )
    raised_by = models.ForeignKey(
        Enterprise,
        verbose_name=_("提出企业"),
        on_delete=models.PROTECT,
        related_name="chain_requests_raised",
        help_text=_("企业本身，或代其配套企业提出的链主"),
    )
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    title = models.CharField(_("诉求"), max_length=200)
    description = models.TextField(_("详细情况"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RAISED)
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    deadline = models.DateField(_("办理时限"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(_("企业满意度"), max_length=14, choices=Satisfaction.choices, blank=True)
    closing_note = models.CharField(_("办结说明"), max_length=500, blank=True)

    objects = EnterpriseRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业诉求")
        verbose_name_plural = _("企业诉求")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_at__isnull=False) & ~Q(satisfaction="")),
                name="closed_request_has_satisfaction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise}：{self.title}"

    def is_overdue(self, today: date) -> bool:
        """Past its deadline and still open; one closed after its deadline was late, not overdue."""
        return self.status != self.Status.CLOSED and self.deadline is not None and self.deadline < today

    def closed_late(self) -> bool:
        return (
            self.closed_at is not None
            and self.deadline is not None
            and timezone.localdate(self.closed_at) > self.deadline
        )


class RequestReply(models.Model):
    """A reply on a request: what the department or the 链长's office did or answered."""

    request = models.ForeignKey(
        EnterpriseRequest, verbose_name=_("企业诉求"), on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        Department, verbose_name=_("答复部门"), null=True, blank=True, on_delete=models.PROTECT
    )
    text = models.TextField(_("答复内容"))
    at = models.DateTimeField(_("答复时间"), default=timezone.now)

    class Meta:
        verbose_name = _("诉求答复")
        verbose_name_plural = _("诉求答复")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.at:%Y-%m-%d}"
