from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.audit_actions import action_label


class PlaceQuerySet(models.QuerySet["Place"]):
    def home_zone_of(self, user: Any) -> "Place | None":
        """The zone a user works for: their department's, else the configured default zone."""
        if getattr(user, "pk", None) is not None:
            zone = self.filter(level=Place.Level.ZONE, department__members=user).order_by("sort_order", "code").first()
            if zone is not None:
                return zone
        return self.filter(level=Place.Level.ZONE, code=settings.YUANQU_DEFAULT_ZONE).first()

    def valid_on(self, day: date) -> "PlaceQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Place(models.Model):
    """A node of the administrative hierarchy: province → city → district or zone."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        DISTRICT = "district", _("县（市、区）")
        ZONE = "zone", _("功能区")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    division_code = models.CharField(_("行政区划代码"), max_length=12, blank=True)
    valid_from = models.DateField(_("起始日期"), null=True, blank=True)
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    def siblings(self, on: date) -> PlaceQuerySet:
        """The districts and zones of the same city valid on a date, this place included.

        These are the peers a ranking compares with ("列全市第N位").
        """
        if self.parent_id is None:
            return Place.objects.filter(pk=self.pk)
        return Place.objects.filter(
            parent_id=self.parent_id, level__in=[Place.Level.DISTRICT, Place.Level.ZONE]
        ).valid_on(on)


class Source(models.Model):
    """Where figures came from: an imported file, a published document, a user's entry."""

    class Kind(models.TextChoices):
        IMPORT_FILE = "import_file", _("导入文件")
        DOCUMENT = "document", _("公开文件")
        USER_ENTRY = "user_entry", _("人工录入")
        SAMPLE = "sample", _("示例数据")

    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("名称"), max_length=300)
    file_name = models.CharField(_("文件名"), max_length=300, blank=True)
    sha256 = models.CharField(_("文件摘要"), max_length=64, blank=True, db_index=True)
    url = models.URLField(_("网址"), max_length=500, blank=True)
    text = models.TextField(_("原文"), blank=True)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("数据来源")
        verbose_name_plural = _("数据来源")

    def __str__(self) -> str:
        return self.title


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def between(self, start: date | None, end: date | None) -> "AuditEntryQuerySet":
        """Rows from the start of ``start`` to the end of ``end``, days in the installation's time zone."""
        entries = self
        if start is not None:
            entries = entries.filter(at__gte=_day_start(start))
        if end is not None:
            entries = entries.filter(at__lt=_day_start(end + timedelta(days=1)))
        return entries

    def by_actor(self, name: str) -> "AuditEntryQuerySet":
        return self.filter(actor_name=name) if name else self

    def of_action(self, code: str) -> "AuditEntryQuerySet":
        """One action (``auth.login``) or a group of them (``auth.``)."""
        if not code:
            return self
        return self.filter(action__startswith=code) if code.endswith(".") else self.filter(action=code)


class AuditEntry(models.Model):
    """One row per login, import, data change, export and administrative action. Append-only:
    the methods below refuse single rows, and triggers make the database refuse any UPDATE or
    DELETE of this table (yuanqu.core.audit_lock, installed by migration core 0003)."""

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    summary = models.CharField(_("摘要"), max_length=500)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("审计记录不能删除")

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class Department(models.Model):
    """A department of the zone administration (经发局, 招商局, 行政审批局, …)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    zone = models.ForeignKey(Place, verbose_name=_("所属园区"), on_delete=models.PROTECT)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("成员"), blank=True, related_name="departments"
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name
