"""State changes of accounts: API tokens, roles, and the audit rows of signing in and out."""

import secrets

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group, User
from django.db import transaction
from django.utils import timezone

from yuanqu.accounts.models import ApiToken
from yuanqu.accounts.roles import Role
from yuanqu.core.services import audit_record

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


def token_authenticate(raw: str) -> User | None:
    token = ApiToken.objects.active().select_related("user").filter(digest=ApiToken.digest_of(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    # Record use at most once a minute: a busy client should not write on every request.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now
        token.save(update_fields=["last_used_at"])
    return token.user


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


def logout_record(*, user: AbstractBaseUser | AnonymousUser, ip_address: str | None) -> None:
    audit_record(
        action="auth.logout",
        summary=f"用户 {user.get_username()} 退出",
        actor=user if isinstance(user, User) else None,
        ip_address=ip_address,
    )
