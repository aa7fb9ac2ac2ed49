"""Supervision of key tasks (督查督办): tasks, their measures, milestones, reports and colours.

A task (重点任务) is one of a period's priorities, worded “以X为Y，在Z上实现新W”, with a 分管领导
and a lead department. Its measures (具体举措) are what departments are held to: a responsible
department, a deadline, milestones (节点) and, where there is one, a measurable target, either
linked to the platform's data (progress computed by the engines, see ``links``) or reported by
the department. Colours are computed (``colours``); a row is kept for every change of colour.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Department, Place
from yuanqu.periods import Period


class AttachmentStorage(FileSystemStorage):
    """Report attachments live under var/ next to the database, never in the code tree."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.VAR_DIR) / "supervision-files")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def attachment_storage() -> Storage:
    """A callable, so no path is frozen into a migration."""
    return AttachmentStorage()


class Colour(models.TextChoices):
    GREEN = "green", _("绿色")
    BLUE = "blue", _("蓝色")
    YELLOW = "yellow", _("黄色")
    RED = "red", _("红色")


class TaskQuerySet(models.QuerySet["Task"]):
    def in_zone(self, zone: Place) -> "TaskQuerySet":
        return self.filter(zone=zone)

    def for_period(self, period: Period) -> "TaskQuerySet":
        return self.filter(period=period.code)


class Task(models.Model):
    """A key task of a period (重点任务), e.g. 以要素保障为抓手，在项目建设上涌现新突破."""

    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("所属期"), max_length=12, help_text=_("如 2023-07~12（下半年）"))
    number = models.PositiveSmallIntegerField(_("序号"))
    area = models.CharField(_("工作领域"), max_length=40, help_text=_("“在……上”的领域，如 项目建设"))
    lever = models.CharField(_("抓手"), max_length=80, help_text=_("“以……为……”，如 以要素保障为抓手"))
    outcome = models.CharField(_("目标表述"), max_length=80, help_text=_("“在……上……”，如 在项目建设上涌现新突破"))
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分管领导"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_tasks",
    )
    lead_department = models.ForeignKey(
        Department, verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("配合部门"), blank=True, related_name="assisted_tasks"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    tracks_project_stages = models.BooleanField(
        _("督查项目阶段时限"), default=False, help_text=_("超过阶段时限的招商项目列为本任务的督查事项")
    )
    is_sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("立项人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("立项时间"), default=timezone.now)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["zone", "period", "number"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "period", "number"], name="one_task_number_per_period"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="task_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.wording

    def get_absolute_url(self) -> str:
        return reverse("supervision:task", args=[self.pk])

    @property
    def wording(self) -> str:
        return f"{self.lever}，{self.outcome}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)


class Measure(models.Model):
    """A measure of a task (具体举措), assigned to one responsible department."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("推进中")
        REQUESTED = "requested", _("待审核办结")
        DONE = "done", _("已办结")

    class Cycle(models.TextChoices):
        WEEKLY = "weekly", _("每周")
        MONTHLY = "monthly", _("每月")

    task = models.ForeignKey(Task, verbose_name=_("重点任务"), on_delete=models.PROTECT, related_name="measures")
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("具体举措"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="supervised_measures"
    )
    starts_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("完成时限"))
    target_text = models.CharField(_("目标"), max_length=200, blank=True, help_text=_("如 新开工亿元以上项目20个"))
    target_value = models.DecimalField(
        _("目标数"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    target_unit = models.CharField(_("目标单位"), max_length=20, blank=True)
    report_cycle = models.CharField(_("填报周期"), max_length=10, choices=Cycle.choices, default=Cycle.MONTHLY)
    link_kind = models.CharField(
        _("关联数据"), max_length=20, blank=True, help_text=_("为空表示由责任部门填报进度（见 supervision.links）")
    )
    link_params = models.JSONField(_("关联参数"), default=dict, blank=True)
    status = models.CharField(_("办理状态"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # The colour last recorded in the history below, kept here so that a page load compares
    # without reading the history and writes only when the colour has changed.
    colour = models.CharField(_("当前颜色"), max_length=8, choices=Colour.choices, blank=True)
    colour_reason = models.CharField(_("颜色原因"), max_length=200, blank=True)
    is_sample = models.BooleanField(_("示例数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("交办时间"), default=timezone.now)

    class Meta:
        verbose_name = _("具体举措")
        verbose_name_plural = _("具体举措")
        ordering = ["task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="one_measure_number_per_task"),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("starts_on")), name="measure_deadline_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("supervision:measure", args=[self.pk])

    @property
    def code(self) -> str:
        """The number a bulletin cites: task.measure, e.g. 2.3."""
        return f"{self.task.number}.{self.number}"


class Milestone(models.Model):
    """A milestone (节点) of a measure, reached when the department reports it."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("具体举措"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=120)
    due_on = models.DateField(_("节点时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["measure", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.due_on}）"


class ProgressReport(models.Model):
    """A department's progress report (进展填报) on a measure, or its request to close it (申请办结)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        ACCEPTED = "accepted", _("审核通过")
        RETURNED = "returned", _("已退回")

    measure = models.ForeignKey(Measure, verbose_name=_("具体举措"), on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey(Department, verbose_name=_("填报部门"), on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(_("进展截至日期"))
    text = models.TextField(_("进展情况"))
    progress_pct = models.DecimalField(
        _("完成进度（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    requests_completion = models.BooleanField(_("申请办结"), default=False)
    status = models.CharField(_("审核状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("填报时间"), default=timezone.now)

    class Meta:
        verbose_name = _("进展填报")
        verbose_name_plural = _("进展填报")
        ordering = ["measure", "-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress_pct__isnull=True) | Q(progress_pct__gte=0, progress_pct__lte=100),
                name="report_progress_between_0_and_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.reported_on}"


class ReportAttachment(models.Model):
    """Evidence attached to a report (佐证材料), read only through the role-checked view."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展填报"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", storage=attachment_storage, max_length=300)
    title = models.CharField(_("名称"), max_length=200)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.title


class ColourChange(models.Model):
    """A change of a measure's colour: when it turned yellow, red, back to green, and why."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("具体举措"), on_delete=models.CASCADE, related_name="colour_changes"
    )
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    previous = models.CharField(_("原颜色"), max_length=8, choices=Colour.choices, blank=True)
    reason = models.CharField(_("原因"), max_length=200)
    status_on = models.DateField(_("状态日期"), help_text=_("颜色按这一天计算"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("颜色变化")
        verbose_name_plural = _("颜色变化")
        ordering = ["measure", "status_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["measure", "status_on"])]

    def __str__(self) -> str:
        return f"{self.measure_id} {self.previous or '—'}→{self.colour} {self.status_on}"


class Reminder(models.Model):
    """A reminder to the responsible department (临近提醒、到期催办、填报提醒), listed on its page."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("交办通知")
        DUE_SOON = "due_soon", _("临近提醒")
        OVERDUE = "overdue", _("到期催办")
        REPORT_DUE = "report_due", _("填报提醒")

    measure = models.ForeignKey(Measure, verbose_name=_("具体举措"), on_delete=models.CASCADE, related_name="reminders")
    department = models.ForeignKey(Department, verbose_name=_("责任部门"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("所涉日期"), help_text=_("到期的时限或节点日期，或应填报的周期"))
    message = models.CharField(_("内容"), max_length=300)
    created_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("阅读人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办提醒")
        verbose_name_plural = _("督办提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "kind", "due_on"], name="one_reminder_per_measure_kind_date")
        ]

    def __str__(self) -> str:
        return self.message
