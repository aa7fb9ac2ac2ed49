"""State changes of accounts: API tokens, roles, and the audit rows of signing in and out."""

import secrets
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.accounts.models import ApiToken
from yuanqu.accounts.roles import Role
from yuanqu.core.audit_actions import action_label
from yuanqu.core.models import AuditEntry, Place
from yuanqu.core.services import audit_record
from yuanqu.exports import Column, OfficeWorkbook, export_file_name

TOKEN_BYTES = 32


@transaction.atomic
def token_create(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for a user; the raw token is returned once and never stored."""
    raw = "yq_" + secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=ApiToken.digest_of(raw))
    audit_record(
        action="token.create",
        summary=f"为用户 {user.get_username()} 创建接口令牌 {token.prefix}…",
        actor=actor,
        detail={"user": user.get_username(), "token": token.pk, "name": name},
    )
    return token, raw


USER_FIELDS = [field.attname for field in User._meta.concrete_fields]
# Plain SQL on the hot path of every API call: compiling the equivalent ORM queries costs
# more than running them. Same conditions as ApiToken.objects.active(). One query: the token,
# its user and the user's role groups, one row per group (one row with no group name when
# the user has none).
TOKEN_SQL = (
    f"SELECT t.id, t.last_used_at, g.name, {', '.join('u.' + name for name in USER_FIELDS)} "
    f"FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id "
    f"LEFT JOIN {User.groups.through._meta.db_table} ug ON ug.user_id = u.id "
    f"LEFT JOIN {Group._meta.db_table} g ON g.id = ug.group_id "
    f"WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active"
)


def token_authenticate(raw: str) -> User | None:
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL, [ApiToken.digest_of(raw)])
        rows = cursor.fetchall()
    if not rows:
        return None
    token_id, last_used_at, _, *user_values = rows[0]
    user = User.from_db(connection.alias, USER_FIELDS, user_values)
    names = {name for _, _, name, *_ in rows}
    # The roles are read here with the user, so role checks need no query of their own.
    user._yuanqu_roles = {role for role in Role if role.value in names}  # type: ignore[attr-defined]
    now = timezone.now()
    if isinstance(last_used_at, str):  # SQLite hands back text for a raw datetime column
        last_used_at = datetime.fromisoformat(last_used_at)
    if last_used_at is not None and timezone.is_naive(last_used_at):
        last_used_at = last_used_at.replace(tzinfo=UTC)
    # Record use at most once a minute: a busy client should not write on every request.
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


@transaction.atomic
def roles_ensure() -> int:
    """Create the group of every role; returns how many were new."""
    created = 0
    for role in Role:
        _, is_new = Group.objects.get_or_create(name=role.value)
        created += is_new
    return created


def login_record(*, user: AbstractBaseUser, ip_address: str | None) -> None:
    audit_record(
        action="auth.login",
        summary=f"用户 {user.get_username()} 登录",
        actor=user if isinstance(user, User) else None,
        ip_address=ip_address,
    )


def login_failure_record(*, username: str, ip_address: str | None, locked_out: bool) -> None:
    name = username[:150]
    summary = f"用户名 {name} 登录失败" + ("，已被锁定" if locked_out else "")
    audit_record(
        action="auth.login_locked" if locked_out else "auth.login_failed",
        summary=summary,
        actor_name=name or "（空）",
        detail={"username": name},
        ip_address=ip_address,
    )


AUDIT_EXPORT_LIMIT = 100_000
AUDIT_COLUMNS = [
    Column("时间", "datetime", width=18),
    Column("操作人", width=16),
    Column("操作", width=20),
    Column("操作代码", width=24),
    Column("摘要", width=60),
    Column("来源地址", width=16),
]


class AuditExportTooLarge(Exception):
    pass


@transaction.atomic
def audit_log_export(
    *,
    entries: QuerySet[AuditEntry],
    filters: dict[str, Any],
    actor: User | AnonymousUser,
    ip_address: str | None,
) -> tuple[bytes, str]:
    """The audit rows a filter selects as an .xlsx file, and its file name; the export is itself audited."""
    count = entries.count()
    if count > AUDIT_EXPORT_LIMIT:
        raise AuditExportTooLarge(
            _("所选范围有 %(count)s 条记录，超过一次导出的上限 %(limit)s 条，请缩小日期范围。")
            % {"count": f"{count:,}", "limit": f"{AUDIT_EXPORT_LIMIT:,}"}
        )
    start, end = filters.get("start"), filters.get("end")
    span = _("%(start)s至%(end)s") % {
        "start": start.isoformat() if start else _("最早"),
        "end": end.isoformat() if end else _("今天"),
    }
    parts = [str(span)]
    if filters.get("user"):
        parts.append(_("操作人：%(user)s") % {"user": filters["user"]})
    if filters.get("action"):
        parts.append(_("操作类型：%(action)s") % {"action": action_label(filters["action"].rstrip("."))})
    book = OfficeWorkbook()
    sheet = book.sheet(
        name="审计日志", title="审计日志", columns=AUDIT_COLUMNS, subtitle="　".join(str(part) for part in parts)
    )
    for entry in entries.order_by("at", "id").iterator(chunk_size=2000):
        sheet.row([entry.at, entry.actor_name, entry.action_label, entry.action, entry.summary, entry.ip_address or ""])
    audit_record(
        action="export.audit_log",
        summary=f"导出审计日志 {count} 条（{span}）",
        actor=actor,
        detail={
            "rows": count,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
            "user": filters.get("user") or "",
            "action": filters.get("action") or "",
        },
        ip_address=ip_address,
    )
    zone = Place.objects.filter(code=settings.YUANQU_DEFAULT_ZONE).first()
    owner = zone.display_name if zone is not None else "园区运营平台"
    return book.to_bytes(), export_file_name(owner, "审计日志", str(span))


def logout_record(*, user: AbstractBaseUser | AnonymousUser, ip_address: str | None) -> None:
    audit_record(
        action="auth.logout",
        summary=f"用户 {user.get_username()} 退出",
        actor=user if isinstance(user, User) else None,
        ip_address=ip_address,
    )
