"""Investment projects (招商项目): from the first talk to production.

A project moves through stages along an explicit map (``ALLOWED_MOVES``); every move is a
``StageEvent`` kept as history. The dates a project reached each stage are copied onto the
project so statistics for a period are plain date filters. Money is ``Decimal`` in 亿元
(万美元 for foreign capital, 万元 for tax), with the unit in the field name.
"""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Department, Place

WAN_PER_YI = Decimal(10_000)


class EvidenceStorage(FileSystemStorage):
    """Evidence files live under var/ next to the database, never in the code tree.

    The folder is read from settings on every use, so a test (or a deployment that moves
    var/) never writes into the wrong place.
    """

    @property
    def base_location(self) -> str:
        return str(Path(settings.VAR_DIR) / "project-files")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def evidence_storage() -> Storage:
    """A callable, so no path is frozen into a migration."""
    return EvidenceStorage()


class Category(models.TextChoices):
    ADVANCED_MANUFACTURING = "manufacturing", _("先进制造业")
    MODERN_SERVICES = "services", _("现代服务业")
    TECHNICAL_RENOVATION = "renovation", _("技改")
    URBAN_CONSTRUCTION = "urban", _("城建")


class Stage(models.TextChoices):
    NEGOTIATING = "negotiating", _("在谈")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册")
    LAND = "land", _("供地")
    STARTED = "started", _("开工")
    COMPLETED = "completed", _("竣工")
    PRODUCING = "producing", _("投产")
    FULL_CAPACITY = "full_capacity", _("达产")
    ON_HOLD = "on_hold", _("搁置")
    TERMINATED = "terminated", _("终止")


# The main line, in order; 搁置 and 终止 are off it.
MAIN_LINE = [
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.LAND,
    Stage.STARTED,
    Stage.COMPLETED,
    Stage.PRODUCING,
    Stage.FULL_CAPACITY,
]
# Every move the pipeline allows. A project on existing plant (既有厂房) needs no land, so
# 注册 may go straight to 开工. A project on hold goes back only to the stage it left
# (checked in the service against ``Project.held_from``), or is terminated.
ALLOWED_MOVES: dict[str, set[str]] = {
    Stage.NEGOTIATING: {Stage.SIGNED, Stage.ON_HOLD, Stage.TERMINATED},
    Stage.SIGNED: {Stage.REGISTERED, Stage.ON_HOLD, Stage.TERMINATED},
    Stage.REGISTERED: {Stage.LAND, Stage.STARTED, Stage.ON_HOLD, Stage.TERMINATED},
    Stage.LAND: {Stage.STARTED, Stage.ON_HOLD, Stage.TERMINATED},
    Stage.STARTED: {Stage.COMPLETED, Stage.ON_HOLD, Stage.TERMINATED},
    Stage.COMPLETED: {Stage.PRODUCING, Stage.ON_HOLD, Stage.TERMINATED},
    Stage.PRODUCING: {Stage.FULL_CAPACITY},
    Stage.FULL_CAPACITY: set(),
    Stage.ON_HOLD: {*MAIN_LINE, Stage.TERMINATED},
    Stage.TERMINATED: set(),
}
# The project field holding the date a main-line stage was reached.
STAGE_DATE_FIELDS: dict[str, str] = {
    Stage.SIGNED: "signed_on",
    Stage.REGISTERED: "registered_on",
    Stage.LAND: "land_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.PRODUCING: "producing_on",
    Stage.FULL_CAPACITY: "full_capacity_on",
}
REASON_REQUIRED = {Stage.ON_HOLD, Stage.TERMINATED}


class CountingRule(models.TextChoices):
    NESTED = "nested", _("累计口径（“X亿元以上”含更高档次）")
    BANDS = "bands", _("分段口径（各档互不重叠）")


class PipelineRules(models.Model):
    """A zone's configuration of the pipeline: the tier counting rule and the headline tiers."""

    zone = models.OneToOneField(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="pipeline_rules")
    counting_rule = models.CharField(
        _("档次计数口径"), max_length=10, choices=CountingRule.choices, default=CountingRule.NESTED
    )
    headline_min_yi = models.DecimalField(
        _("综述中列出的最低档次（亿元）"), max_digits=8, decimal_places=2, default=Decimal(50)
    )

    class Meta:
        verbose_name = _("招商统计规则")
        verbose_name_plural = _("招商统计规则")

    def __str__(self) -> str:
        return f"{self.zone}：{self.get_counting_rule_display()}"


class TierThreshold(models.Model):
    """A tier of planned total investment (亿元以上, 10亿, 50亿, 百亿 by default)."""

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="tier_thresholds")
    amount_yi = models.DecimalField(
        _("门槛（亿元）"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("投资档次")
        verbose_name_plural = _("投资档次")
        ordering = ["zone", "amount_yi"]
        constraints = [models.UniqueConstraint(fields=["zone", "amount_yi"], name="unique_tier_per_zone")]

    def __str__(self) -> str:
        return f"{self.amount_yi.normalize():f}亿元"


class StageLimit(models.Model):
    """How long a project may stay in a stage before it turns yellow, then red."""

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="stage_limits")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    yellow_after_days = models.PositiveIntegerField(_("黄色预警天数"))
    red_after_days = models.PositiveIntegerField(_("红色预警天数"))

    class Meta:
        verbose_name = _("阶段时限")
        verbose_name_plural = _("阶段时限")
        constraints = [
            models.UniqueConstraint(fields=["zone", "stage"], name="one_limit_per_stage"),
            models.CheckConstraint(
                condition=models.Q(red_after_days__gte=models.F("yellow_after_days")), name="red_after_yellow"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}：{self.yellow_after_days}/{self.red_after_days}天"


class StartRequirement(models.Model):
    """One item of the 实质性开工 checklist of a category (e.g. 施工许可证, 已完成投资 ≥ 10%)."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("证明材料")
        INVESTMENT_SHARE = "investment_share", _("已完成投资比例")

    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.CASCADE, related_name="start_requirements")
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices)
    name = models.CharField(_("名称"), max_length=80)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DOCUMENT)
    min_share_pct = models.DecimalField(
        _("已完成投资最低比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("实质性开工认定条件")
        verbose_name_plural = _("实质性开工认定条件")
        ordering = ["zone", "category", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["zone", "category", "name"], name="unique_requirement")]

    def __str__(self) -> str:
        if self.kind == self.Kind.INVESTMENT_SHARE and self.min_share_pct is not None:
            return f"{self.name}≥{self.min_share_pct.normalize():f}%"
        return self.name


class ProjectQuerySet(models.QuerySet["Project"]):
    def in_zone(self, zone: Place) -> "ProjectQuerySet":
        return self.filter(zone=zone)

    def signed_between(self, first: date, last: date) -> "ProjectQuerySet":
        return self.filter(signed_on__gte=first, signed_on__lte=last)

    def started_between(self, first: date, last: date) -> "ProjectQuerySet":
        """实质性开工 confirmed with the start date inside the range."""
        return self.filter(substantive_start_on__gte=first, substantive_start_on__lte=last)

    def active(self) -> "ProjectQuerySet":
        return self.exclude(stage__in=[Stage.TERMINATED, Stage.FULL_CAPACITY])


class Project(models.Model):
    """An investment project of a zone (招商项目)."""

    class InvestorNature(models.TextChoices):
        DOMESTIC = "domestic", _("内资")
        FOREIGN = "foreign", _("外资")
        HMT = "hmt", _("港澳台")

    class ChainRole(models.TextChoices):
        FILL = "fill", _("补链")
        STRENGTHEN = "strengthen", _("强链")
        EXTEND = "extend", _("延链")

    class LandKind(models.TextChoices):
        NEW_LAND = "new_land", _("新增用地")
        EXISTING_PLANT = "existing_plant", _("既有厂房")

    class LeadSource(models.TextChoices):
        STAFF = "staff", _("全员招商")
        INVESTOR_REFERRAL = "referral", _("以商招商")
        AGENCY = "agency", _("中介招商")
        EXPO = "expo", _("展会推介")
        CHAIN = "chain", _("链主引荐")
        OTHER = "other", _("其他")

    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="projects")
    code = models.CharField(_("项目编号"), max_length=40)
    name = models.CharField(_("项目名称"), max_length=200)
    investor = models.CharField(_("投资方"), max_length=200)
    investor_nature = models.CharField(
        _("投资方性质"), max_length=10, choices=InvestorNature.choices, default=InvestorNature.DOMESTIC
    )
    investor_region = models.CharField(_("国别或地区"), max_length=60, blank=True)
    is_fortune_500 = models.BooleanField(_("世界500强"), default=False)
    is_listed = models.BooleanField(_("上市公司"), default=False)
    is_specialised = models.BooleanField(_("专精特新"), default=False)
    category = models.CharField(_("项目类别"), max_length=16, choices=Category.choices)
    industry_code = models.CharField(_("国民经济行业分类"), max_length=5, blank=True, help_text=_("如 C3841"))
    chain_node = models.ForeignKey(
        "chains.ChainNode",
        verbose_name=_("产业链节点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    adds_new_node = models.BooleanField(_("新增链条节点（延链）"), default=False)
    chain_role = models.CharField(
        _("链条作用"), max_length=12, choices=ChainRole.choices, blank=True, help_text=_("签约时按节点状态确定")
    )
    total_investment_yi = models.DecimalField(_("计划总投资（亿元）"), max_digits=12, decimal_places=4)
    foreign_investment_wan_usd = models.DecimalField(
        _("外资（万美元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fixed_asset_investment_yi = models.DecimalField(
        _("固定资产投资（亿元）"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    equipment_investment_yi = models.DecimalField(
        _("设备投资（亿元）"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    signed_investment_yi = models.DecimalField(
        _("签约时计划总投资（亿元）"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("档次按签约时的投资额计算"),
    )
    land_mu = models.DecimalField(_("用地（亩）"), max_digits=10, decimal_places=2, null=True, blank=True)
    land_kind = models.CharField(
        _("用地方式"), max_length=16, choices=LandKind.choices, default=LandKind.NEW_LAND, blank=True
    )
    expected_sales_yi = models.DecimalField(
        _("预计年开票销售（亿元）"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    expected_tax_wan = models.DecimalField(
        _("预计年税收（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    expected_jobs = models.PositiveIntegerField(_("预计用工（人）"), null=True, blank=True)
    lead_source = models.CharField(_("线索来源"), max_length=12, choices=LeadSource.choices, default=LeadSource.STAFF)
    contacts = models.TextField(_("联系人"), blank=True, help_text=_("姓名、职务、电话，每行一人"))

    stage = models.CharField(_("当前阶段"), max_length=16, choices=Stage.choices, default=Stage.NEGOTIATING)
    stage_since = models.DateField(_("进入当前阶段日期"))
    held_from = models.CharField(_("搁置前阶段"), max_length=16, choices=Stage.choices, blank=True)
    status_reason = models.CharField(_("搁置或终止原因"), max_length=300, blank=True)
    signed_on = models.DateField(_("签约日期"), null=True, blank=True, db_index=True)
    registered_on = models.DateField(_("注册日期"), null=True, blank=True)
    land_on = models.DateField(_("供地日期"), null=True, blank=True)
    started_on = models.DateField(_("开工日期"), null=True, blank=True)
    substantive_start_on = models.DateField(_("实质性开工日期"), null=True, blank=True, db_index=True)
    completed_on = models.DateField(_("竣工日期"), null=True, blank=True)
    producing_on = models.DateField(_("投产日期"), null=True, blank=True)
    full_capacity_on = models.DateField(_("达产日期"), null=True, blank=True)

    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("招商项目")
        verbose_name_plural = _("招商项目")
        ordering = ["zone", "code"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "code"], name="unique_project_code_per_zone"),
            models.CheckConstraint(condition=models.Q(total_investment_yi__gte=0), name="investment_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("projects:project", args=[self.pk])

    # -- 亩均 figures (per mu of land), in 万元/亩 -------------------------------------
    def _per_mu(self, amount_wan: Decimal | None) -> Decimal | None:
        if amount_wan is None or not self.land_mu:
            return None
        return amount_wan / self.land_mu

    @property
    def investment_per_mu_wan(self) -> Decimal | None:
        """投资强度: planned total investment per mu, 万元/亩."""
        return self._per_mu(self.total_investment_yi * WAN_PER_YI)

    @property
    def sales_per_mu_wan(self) -> Decimal | None:
        """亩均开票销售, 万元/亩."""
        return self._per_mu(self.expected_sales_yi * WAN_PER_YI if self.expected_sales_yi is not None else None)

    @property
    def tax_per_mu_wan(self) -> Decimal | None:
        """亩均税收, 万元/亩."""
        return self._per_mu(self.expected_tax_wan)

    @property
    def tier_investment_yi(self) -> Decimal:
        """The amount tiers are counted on: the planned total at signing, else today's plan."""
        return self.signed_investment_yi if self.signed_investment_yi is not None else self.total_investment_yi

    def stage_date(self, stage: str) -> date | None:
        field = STAGE_DATE_FIELDS.get(stage)
        value: date | None = getattr(self, field) if field else None
        return value


def field_label(name: str) -> str:
    """The verbose name of a Project field, for messages."""
    return str(getattr(Project._meta.get_field(name), "verbose_name", name))


class ProjectCredit(models.Model):
    """全员招商 credit: who brought the project, and their share (shares sum to 100%)."""

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="credits")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("招商人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project_credits",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    share_pct = models.DecimalField(
        _("分成比例（%）"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        verbose_name = _("招商业绩")
        verbose_name_plural = _("招商业绩")
        ordering = ["project", "-share_pct", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(officer__isnull=False) | models.Q(department__isnull=False),
                name="credit_names_someone",
            )
        ]

    def __str__(self) -> str:
        who = self.officer.get_full_name() if self.officer else ""
        return f"{who or self.department} {self.share_pct.normalize():f}%"


class StageEvent(models.Model):
    """One move of a project between stages: when, who, why, with what evidence."""

    class Origin(models.TextChoices):
        WORKSPACE = "workspace", _("工作台")
        LEDGER = "ledger", _("台账导入")
        START_CLAIM = "start_claim", _("实质性开工认定")
        DEMO = "demo", _("演示数据")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    on = models.DateField(_("日期"))
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    note = models.TextField(_("说明"), blank=True)
    origin = models.CharField(_("来源"), max_length=16, choices=Origin.choices, default=Origin.WORKSPACE)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("阶段变更")
        verbose_name_plural = _("阶段变更")
        ordering = ["project", "on", "id"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_from_stage_display()}→{self.get_to_stage_display()} {self.on}"


class StageEvidence(models.Model):
    event = models.ForeignKey(StageEvent, verbose_name=_("阶段变更"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="stage-evidence/%Y/%m/", storage=evidence_storage, max_length=300)
    title = models.CharField(_("名称"), max_length=200)

    class Meta:
        verbose_name = _("阶段证明材料")
        verbose_name_plural = _("阶段证明材料")

    def __str__(self) -> str:
        return self.title


class StartClaim(models.Model):
    """A claim that a project has started substantively (实质性开工), awaiting a second person."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待认定")
        CONFIRMED = "confirmed", _("已认定")
        REJECTED = "rejected", _("未通过")

    project = models.ForeignKey(Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="start_claims")
    department = models.ForeignKey(
        Department, verbose_name=_("申报部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField(_("开工日期"))
    completed_investment_pct = models.DecimalField(
        _("已完成投资比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    note = models.TextField(_("说明"), blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(_("申报时间"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    review_note = models.CharField(_("认定意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("实质性开工申报")
        verbose_name_plural = _("实质性开工申报")
        ordering = ["-claimed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project} {self.get_status_display()}"


class StartEvidence(models.Model):
    """Evidence for one checklist item of a claim: a file, a reference (证书编号), or both."""

    claim = models.ForeignKey(StartClaim, verbose_name=_("申报"), on_delete=models.CASCADE, related_name="evidence")
    requirement = models.ForeignKey(StartRequirement, verbose_name=_("认定条件"), on_delete=models.PROTECT)
    file = models.FileField(
        _("文件"), upload_to="start-evidence/%Y/%m/", storage=evidence_storage, max_length=300, blank=True
    )
    reference = models.CharField(_("编号或说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("开工证明材料")
        verbose_name_plural = _("开工证明材料")
        constraints = [models.UniqueConstraint(fields=["claim", "requirement"], name="one_evidence_per_requirement")]

    def __str__(self) -> str:
        return f"{self.requirement}：{self.reference or self.file.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not (self.file or self.reference.strip()):
            raise ValueError("证明材料须上传文件或填写编号")
        super().save(*args, **kwargs)
