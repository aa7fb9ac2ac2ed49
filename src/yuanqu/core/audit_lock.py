"""The database itself refuses to change or delete audit rows.

``AuditEntry.save`` and ``.delete`` refuse single rows, but ``QuerySet.update``, ``.delete``,
``bulk_update`` and raw SQL go straight to the table. Triggers close that: on PostgreSQL a
trigger function refuses UPDATE, DELETE and TRUNCATE; on SQLite triggers refuse UPDATE and
DELETE. They are installed by a migration (core 0003).

On SQLite, a migration that alters the audit table rebuilds it (create, copy, drop, rename) and
so drops these triggers: such a migration must install them again. ``audit_lock_installed``
says whether they are there (``yuanqu check`` reports it).
"""

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_auditentry"
REFUSAL = "审计记录只能追加，不能修改或删除"

SQL_INSTALL = {
    "sqlite": [
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        f"CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
    ],
    "postgresql": [
        f"CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
        f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse()",
    ],
}
SQL_REMOVE = {
    "sqlite": [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
        f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
    ],
}
SQL_INSTALLED = {
    "sqlite": f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{TABLE}'",
    "postgresql": (
        f"SELECT count(*) FROM pg_trigger WHERE tgrelid = '{TABLE}'::regclass AND NOT tgisinternal "
        f"AND tgname IN ('{TABLE}_no_change', '{TABLE}_no_truncate')"
    ),
}


def _statements(sql: dict[str, list[str]], connection: BaseDatabaseWrapper) -> list[str]:
    try:
        return sql[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"no audit triggers for the {connection.vendor} database") from None


def audit_lock_install(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(SQL_INSTALL, connection):
            cursor.execute(statement)


def audit_lock_remove(connection: BaseDatabaseWrapper) -> None:
    """Only for the test suite's flush between browser tests, and for reversing the migration."""
    with connection.cursor() as cursor:
        for statement in _statements(SQL_REMOVE, connection):
            cursor.execute(statement)


def audit_lock_installed(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor not in SQL_INSTALLED:
        return False
    with connection.cursor() as cursor:
        cursor.execute(SQL_INSTALLED[connection.vendor])
        (count,) = cursor.fetchone()
    return int(count) == 2
