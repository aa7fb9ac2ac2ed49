"""Drafts of the work report and the versions issued from them.

A draft is the document being written: its sentences as the author rewrote them, its numbers
as linked fields. Issuing (签发) freezes the draft's document into a version that is never
changed or deleted: enterprise rows, same-scope totals and projects are not versioned in the
database, so a version keeps every number's value and provenance itself and every output
(.docx, .pdf, .xlsx, .md) is rendered from that snapshot alone.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.models import Place
from yuanqu.periods import Period
from yuanqu.workreport.document import Document


class ReportDraft(models.Model):
    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.PROTECT, related_name="report_drafts")
    period = models.CharField(_("所属期"), max_length=12)
    title = models.CharField(_("标题"), max_length=200)
    document = models.JSONField(_("文稿"))
    as_of = models.DateTimeField(
        _("数据截至"), null=True, blank=True, help_text=_("发布数据按此时刻取值；为空时取起草时的最新数据")
    )
    generated_at = models.DateTimeField(_("生成时间"))
    decisions = models.JSONField(_("保留的数字"), default=dict, blank=True, help_text=_("字段 → 作者决定保留时的新数"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("最后修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("最后修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工作报告草稿")
        verbose_name_plural = _("工作报告草稿")
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["zone", "period"], name="one_report_draft_per_period")]

    def __str__(self) -> str:
        return self.title

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    def doc(self) -> Document:
        return Document.from_data(self.document)


class ReportVersion(models.Model):
    """An issued version (签发稿). Append-only: never updated, never deleted."""

    draft = models.ForeignKey(ReportDraft, verbose_name=_("草稿"), on_delete=models.PROTECT, related_name="versions")
    zone = models.ForeignKey(Place, verbose_name=_("园区"), on_delete=models.PROTECT, related_name="report_versions")
    period = models.CharField(_("所属期"), max_length=12)
    number = models.PositiveIntegerField(_("版本号"))
    title = models.CharField(_("标题"), max_length=200)
    document = models.JSONField(_("冻结的文稿"))
    as_of = models.DateTimeField(_("数据截至"))
    issued_at = models.DateTimeField(_("签发时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("签发人"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by_name = models.CharField(_("签发人姓名"), max_length=150)
    digests = models.JSONField(_("文件摘要"), default=dict, help_text=_("签发时生成的各格式文件的 SHA-256"))

    class Meta:
        verbose_name = _("工作报告签发稿")
        verbose_name_plural = _("工作报告签发稿")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["zone", "period", "number"], name="one_report_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("工作报告签发稿不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("工作报告签发稿不能删除")

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    def doc(self) -> Document:
        return Document.from_data(self.document)
