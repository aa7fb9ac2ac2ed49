from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from yuanqu.core.models import AuditEntry


def audit_record(
    *,
    action: str,
    summary: str,
    actor: User | AnonymousUser | None = None,
    actor_name: str = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AuditEntry:
    """Append an audit row. Callers run inside the transaction of the change they record."""
    user = actor if isinstance(actor, User) else None
    name = actor_name or (user.get_username() if user is not None else "命令行")
    return AuditEntry.objects.create(
        action=action,
        summary=summary[:500],
        actor=user,
        actor_name=name,
        detail=detail or {},
        ip_address=ip_address,
    )
