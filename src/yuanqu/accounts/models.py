import hashlib
from datetime import datetime

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A machine client's key to the API. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100, blank=True)
    prefix = models.CharField(_("前缀"), max_length=8, help_text=_("令牌的前8位，便于辨认"))
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @staticmethod
    def digest_of(raw: str) -> str:
        # Tokens are 256 random bits, so a plain hash (no salt, no stretching) is enough
        # and lets a request find its token by an indexed lookup.
        return hashlib.sha256(raw.encode()).hexdigest()


class AccountSecurity(models.Model):
    """Per-account security state that Django's user has no field for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="security"
    )
    password_change_required = models.BooleanField(
        _("下次登录须修改密码"),
        default=False,
        help_text=_("管理员设置的密码只是临时密码；安全管理员也可要求用户重设密码。"),
    )
    password_changed_at = models.DateTimeField(_("本人最近修改密码"), null=True, blank=True)

    class Meta:
        verbose_name = _("账号安全状态")
        verbose_name_plural = _("账号安全状态")

    def __str__(self) -> str:
        return str(self.user)


class LoginLockout(AccessAttempt):
    """django-axes' failure counts, under a Chinese name for the security administrator's list."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败与锁定")
        verbose_name_plural = _("登录失败与锁定")

    def __str__(self) -> str:
        return gettext("%(user)s 登录失败%(count)d次（最近 %(at)s）") % {
            "user": self.username or "—",
            "count": self.failures_since_start,
            "at": _local(self.attempt_time),
        }


class LoginHistory(AccessLog):
    """django-axes' record of successful logins."""

    class Meta:
        proxy = True
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")

    def __str__(self) -> str:
        return gettext("%(user)s 于 %(at)s 登录") % {"user": self.username or "—", "at": _local(self.attempt_time)}


def _local(moment: datetime | None) -> str:
    """A moment as the office reads it: local time, to the second, without the offset."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"
