"""State changes of accounts: API tokens, roles, the administrators' actions (三员分立), the second
factor, passwords, and the audit rows of all of them and of signing in and out."""

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yuanqu.accounts.models import AccountSecurity, ApiToken
from yuanqu.accounts.roles import ADMINISTRATOR_ROLES, BUSINESS_ROLES, Role, has_role, is_administrator, role_label
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


def login_record(*, user: AbstractBaseUser, ip_address: str | None, second_factor: bool = False) -> None:
    audit_record(
        action="auth.login",
        summary=f"用户 {user.get_username()} 登录" + ("（两步验证）" if second_factor else ""),
        actor=user if isinstance(user, User) else None,
        detail={"second_factor": second_factor},
        ip_address=ip_address,
    )


def login_failure_record(*, username: str, ip_address: str | None, locked_out: bool, path: str = "") -> None:
    name = username[:150]
    place = "（管理后台登录页）" if path.startswith("/admin/") else ""
    summary = f"用户名 {name} 登录失败{place}" + ("，已被锁定" if locked_out else "")
    audit_record(
        action="auth.login_locked" if locked_out else "auth.login_failed",
        summary=summary,
        actor_name=name or "（空）",
        detail={"username": name, "path": path},
        ip_address=ip_address,
    )


def second_factor_failure_record(*, user: User, ip_address: str | None, locked_out: bool) -> None:
    audit_record(
        action="auth.login_locked" if locked_out else "auth.second_factor_failed",
        summary=f"用户 {user.get_username()} 动态验证码错误" + ("，已被锁定" if locked_out else ""),
        actor_name=user.get_username(),
        detail={"username": user.get_username(), "step": "second_factor"},
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
            gettext("所选范围有 %(count)s 条记录，超过一次导出的上限 %(limit)s 条，请缩小日期范围。")
            % {"count": f"{count:,}", "limit": f"{AUDIT_EXPORT_LIMIT:,}"}
        )
    start, end = filters.get("start"), filters.get("end")
    span = gettext("%(start)s至%(end)s") % {
        "start": start.isoformat() if start else gettext("最早"),
        "end": end.isoformat() if end else gettext("今天"),
    }
    parts = [str(span)]
    if filters.get("user"):
        parts.append(gettext("操作人：%(user)s") % {"user": filters["user"]})
    if filters.get("action"):
        parts.append(gettext("操作类型：%(action)s") % {"action": action_label(filters["action"].rstrip("."))})
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


# -- 三员分立: what each administrator may do to an account ---------------------------------------
#
# The system administrator manages accounts (create, names, activation, a temporary password) of
# users who are not administrators. The security administrator grants business roles, requires
# a password reset, resets a second factor, revokes tokens and clears lockouts, for users who are
# neither administrators nor itself, and sets no password. The auditor only reads the audit log.
# Administrators' own accounts are managed at the server (`yuanqu administrator`), so that no
# administrator can set another's password or roles and sign in as them.


class AdministrationRefused(PermissionDenied):
    """An administrator asked for something the separation of duties does not allow (a 403)."""


ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "is_active")


def account_snapshot(user: User) -> dict[str, Any]:
    return {name: getattr(user, name) for name in ACCOUNT_FIELDS}


def may_manage_account(actor: AbstractBaseUser | AnonymousUser, target: User | None) -> bool:
    """The system administrator, for a new account or one that is no administrator's."""
    if getattr(actor, "is_superuser", False):
        return True
    return has_role(actor, Role.SYSTEM_ADMIN) and (target is None or target.pk is None or not is_administrator(target))


def may_manage_security(actor: AbstractBaseUser | AnonymousUser, target: User) -> bool:
    """The security administrator, for an account that is neither its own nor an administrator's."""
    if getattr(actor, "is_superuser", False):
        return True
    return has_role(actor, Role.SECURITY_ADMIN) and target.pk != actor.pk and not is_administrator(target)


def _security(user: User) -> AccountSecurity:
    security, _created = AccountSecurity.objects.get_or_create(user=user)
    return security


def _actor(actor: AbstractBaseUser | AnonymousUser) -> User | None:
    return actor if isinstance(actor, User) else None


@transaction.atomic
def account_save(
    *,
    actor: AbstractBaseUser | AnonymousUser,
    user: User,
    before: dict[str, Any] | None,
    ip_address: str | None,
) -> None:
    """Save an account the admin form changed (``before`` is None for a new one), with its audit row.

    A new account's password is temporary: the user sets their own at the first login.
    """
    created = user.pk is None
    if not may_manage_account(actor, None if created else User.objects.get(pk=user.pk)):
        raise AdministrationRefused(gettext("只有系统管理员可以管理账号，且不能管理管理员的账号"))
    if created and not getattr(actor, "is_superuser", False):
        # Accounts made in the admin are business users: administrators are made at the server.
        user.is_superuser = user.is_staff = False
    user.save()
    after = account_snapshot(user)
    if created:
        security = _security(user)
        security.password_change_required = True
        security.save(update_fields=["password_change_required"])
        audit_record(
            action="admin.user_create",
            summary=f"新建用户 {user.username}（{user.get_full_name() or '未填姓名'}）",
            actor=_actor(actor),
            detail={"user": user.username, "after": _jsonable(after)},
            ip_address=ip_address,
        )
        return
    old = before or after
    changes = {name: [_jsonable_value(old[name]), _jsonable_value(after[name])] for name in ACCOUNT_FIELDS}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    if not changes:
        return
    described = "；".join(f"{name}：{old} → {new}" for name, (old, new) in changes.items())
    audit_record(
        action="admin.user_change",
        summary=f"修改用户 {user.username}：{described}",
        actor=_actor(actor),
        detail={"user": user.username, "changes": changes},
        ip_address=ip_address,
    )


def _jsonable_value(value: Any) -> Any:
    return value if isinstance(value, str | bool | int) or value is None else str(value)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {name: _jsonable_value(value) for name, value in values.items()}


@transaction.atomic
def account_password_set(*, actor: AbstractBaseUser | AnonymousUser, user: User, ip_address: str | None) -> None:
    """Record that an administrator set a user's password (the admin's form has saved it).

    The password is temporary: the user must set their own at the next login, so the
    administrator who knows it cannot keep using the account unnoticed.
    """
    if not may_manage_account(actor, user) or user.pk == getattr(actor, "pk", None):
        raise AdministrationRefused(gettext("只有系统管理员可以设置密码，且不能设置管理员的密码"))
    security = _security(user)
    security.password_change_required = True
    security.save(update_fields=["password_change_required"])
    audit_record(
        action="admin.password_set",
        summary=f"为用户 {user.username} 设置临时密码（下次登录须修改）",
        actor=_actor(actor),
        detail={"user": user.username},
        ip_address=ip_address,
    )


@transaction.atomic
def account_password_reset_require(
    *, actor: AbstractBaseUser | AnonymousUser, user: User, ip_address: str | None
) -> None:
    """The security administrator's forced reset: the user sets a new password at the next login."""
    if not may_manage_security(actor, user):
        raise AdministrationRefused(gettext("安全管理员只能对非管理员的其他用户要求重设密码"))
    security = _security(user)
    before = security.password_change_required
    security.password_change_required = True
    security.save(update_fields=["password_change_required"])
    audit_record(
        action="admin.password_reset_required",
        summary=f"要求用户 {user.username} 下次登录时修改密码",
        actor=_actor(actor),
        detail={"user": user.username, "before": before, "after": True},
        ip_address=ip_address,
    )


@transaction.atomic
def account_roles_set(
    *, actor: AbstractBaseUser | AnonymousUser, user: User, roles: Iterable[Group], ip_address: str | None
) -> None:
    """The security administrator grants business roles, never to itself or to an administrator."""
    wanted = list(roles)
    if not may_manage_security(actor, user):
        raise AdministrationRefused(gettext("安全管理员不能给自己或其他管理员分配角色"))
    business = {role.value for role in BUSINESS_ROLES}
    if not getattr(actor, "is_superuser", False) and any(group.name not in business for group in wanted):
        raise AdministrationRefused(gettext("管理员角色只能在服务器上用 yuanqu administrator 命令设置"))
    before = sorted(user.groups.values_list("name", flat=True))
    user.groups.set(wanted)
    after = sorted(group.name for group in wanted)
    user._yuanqu_roles = None  # type: ignore[attr-defined]
    if before == after:
        return
    labels_before = "、".join(role_label(code) for code in before) or "无"
    labels_after = "、".join(role_label(code) for code in after) or "无"
    audit_record(
        action="admin.roles_change",
        summary=f"将用户 {user.username} 的角色由「{labels_before}」调整为「{labels_after}」",
        actor=_actor(actor),
        detail={"user": user.username, "before": before, "after": after},
        ip_address=ip_address,
    )


@transaction.atomic
def account_second_factor_reset(*, actor: AbstractBaseUser | AnonymousUser, user: User, ip_address: str | None) -> int:
    """Remove a user's authenticator and recovery codes: they enrol again at the next login."""
    if not may_manage_security(actor, user):
        raise AdministrationRefused(gettext("安全管理员只能重置非管理员的其他用户的两步验证"))
    removed = _second_factor_remove(user)
    audit_record(
        action="admin.second_factor_reset",
        summary=f"重置用户 {user.username} 的两步验证（删除 {removed} 个验证设备）",
        actor=_actor(actor),
        detail={"user": user.username, "devices": removed},
        ip_address=ip_address,
    )
    return removed


def _second_factor_remove(user: User) -> int:
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    static, _by_model = StaticDevice.objects.filter(user=user).delete()
    return removed + static


@transaction.atomic
def lockout_clear(*, actor: AbstractBaseUser | AnonymousUser, attempts: QuerySet[Any], ip_address: str | None) -> int:
    """The security administrator lifts login lockouts (django-axes' failure records)."""
    if not has_role(actor, Role.SECURITY_ADMIN) and not getattr(actor, "is_superuser", False):
        raise AdministrationRefused(gettext("只有安全管理员可以解除登录锁定"))
    cleared = list(attempts.values("username", "ip_address", "failures_since_start"))
    attempts.delete()
    for attempt in cleared:
        audit_record(
            action="admin.lockout_clear",
            summary=(
                f"解除登录锁定：用户名 {attempt['username'] or '（空）'}，地址 {attempt['ip_address'] or '—'}，"
                f"失败 {attempt['failures_since_start']} 次"
            ),
            actor=_actor(actor),
            detail=dict(attempt),
            ip_address=ip_address,
        )
    return len(cleared)


@transaction.atomic
def token_revoke(*, actor: AbstractBaseUser | AnonymousUser, token: ApiToken, ip_address: str | None) -> bool:
    if not has_role(actor, Role.SECURITY_ADMIN) and not getattr(actor, "is_superuser", False):
        raise AdministrationRefused(gettext("只有安全管理员可以吊销接口令牌"))
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        action="token.revoke",
        summary=f"吊销用户 {token.user.get_username()} 的接口令牌 {token.prefix}…",
        actor=_actor(actor),
        detail={"user": token.user.get_username(), "token": token.pk, "before": None, "after": "revoked"},
        ip_address=ip_address,
    )
    return True


@transaction.atomic
def administrator_set(*, username: str, role: Role, reset_second_factor: bool = False) -> tuple[User, str | None]:
    """At the server: make an account one of the three administrators (and nothing else).

    A new account gets a random temporary password, returned once; its holder sets their own
    and enrols a second factor at the first login.
    """
    if role not in ADMINISTRATOR_ROLES:
        raise ValueError(f"{role} is not an administrator role")
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username=username, password=password)
        security = _security(user)
        security.password_change_required = True
        security.save(update_fields=["password_change_required"])
    before = sorted(user.groups.values_list("name", flat=True))
    user.is_staff = role != Role.AUDIT_ADMIN  # the auditor's page is not in the admin site
    user.save(update_fields=["is_staff"])
    user.groups.set([Group.objects.get_or_create(name=role.value)[0]])
    removed = _second_factor_remove(user) if reset_second_factor else 0
    audit_record(
        action="admin.administrator_set",
        summary=f"在服务器上将用户 {username} 设为{role.label}" + ("（新账号）" if password else ""),
        detail={"user": username, "before": before, "after": [role.value], "second_factor_removed": removed},
    )
    return user, password


# -- signing in with a second factor (TOTP, recovery codes) -----------------------------------------

RECOVERY_CODES = 10


def second_factor_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Administrators always; everyone when YUANQU_SECOND_FACTOR_FOR_ALL is on; anyone who enrolled."""
    if not user.is_authenticated:
        return False
    if is_administrator(user) or settings.YUANQU_SECOND_FACTOR_FOR_ALL:
        return True
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def second_factor_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def second_factor_enrol_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to scan (the same one until it is confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)
    return device


@transaction.atomic
def second_factor_enrol_confirm(
    *, user: User, device: TOTPDevice, code: str, ip_address: str | None
) -> list[str] | None:
    """Confirm the authenticator with a code it shows; returns the new recovery codes, or None."""
    if device.user_id != user.pk or not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _recovery_codes_replace(user)
    audit_record(
        action="auth.second_factor_enrol",
        summary=f"用户 {user.username} 启用两步验证（身份验证器），生成 {len(codes)} 个恢复码",
        actor=user,
        detail={"user": user.username},
        ip_address=ip_address,
    )
    return codes


@transaction.atomic
def recovery_codes_renew(*, user: User, ip_address: str | None) -> list[str]:
    codes = _recovery_codes_replace(user)
    audit_record(
        action="auth.recovery_codes_renew",
        summary=f"用户 {user.username} 重新生成恢复码（原有恢复码作废）",
        actor=user,
        detail={"user": user.username},
        ip_address=ip_address,
    )
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def recovery_code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _digits(code: str) -> str:
    return "".join(char for char in code if char.isdigit())


@transaction.atomic
def second_factor_verify(
    *, user: User, code: str, ip_address: str | None
) -> tuple[TOTPDevice | StaticDevice | None, int | None]:
    """The device that accepts the code (an authenticator code or an unused recovery code).

    Returns the device and, for a recovery code, how many are left.
    """
    cleaned = code.strip().replace(" ", "").replace("-", "").lower()
    if cleaned.isdigit():
        for device in TOTPDevice.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(cleaned):
                return device, None
        return None, None
    for static in StaticDevice.objects.filter(user=user, confirmed=True).select_for_update():
        if static.verify_token(cleaned):
            left = static.token_set.count()
            audit_record(
                action="auth.recovery_code_used",
                summary=f"用户 {user.username} 使用恢复码登录（还剩 {left} 个）",
                actor=user,
                detail={"user": user.username, "left": left},
                ip_address=ip_address,
            )
            return static, left
    return None, None


@transaction.atomic
def password_change(*, user: User, ip_address: str | None) -> None:
    """Record the user's own password change (the form has saved it): any required reset is done."""
    security = _security(user)
    security.password_change_required = False
    security.password_changed_at = timezone.now()
    security.save(update_fields=["password_change_required", "password_changed_at"])
    audit_record(
        action="auth.password_change",
        summary=f"用户 {user.username} 修改本人密码",
        actor=user,
        detail={"user": user.username},
        ip_address=ip_address,
    )


def password_change_required(user: User) -> bool:
    return AccountSecurity.objects.filter(user=user, password_change_required=True).exists()
