from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import DatabaseError

from yuanqu.core.audit_lock import audit_lock_installed


@register(Tags.database)
def audit_lock_check(app_configs: Any, databases: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """``yuanqu check --database default``: the triggers that keep the audit log append-only are there."""
    problems: list[CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        try:
            applied = MigrationRecorder(connection).applied_migrations()
            if ("core", "0003_audit_append_only") not in applied:
                continue  # not migrated yet: migrate installs them
            installed = audit_lock_installed(connection)
        except DatabaseError:
            continue
        if not installed:
            problems.append(
                Error(
                    "审计表缺少拒绝修改和删除的触发器",
                    hint=(
                        "运行 yuanqu migrate；若某个迁移在 SQLite 上重建了审计表，"
                        "须在其中重新安装（yuanqu.core.audit_lock）"
                    ),
                    id="yuanqu.E001",
                )
            )
    return problems
