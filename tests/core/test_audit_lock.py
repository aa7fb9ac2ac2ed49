"""The database refuses to change or delete audit rows, whatever the path: on SQLite and PostgreSQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from yuanqu.core.audit_lock import audit_lock_installed
from yuanqu.core.models import AuditEntry
from yuanqu.core.services import audit_record

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table


@pytest.fixture
def entry() -> AuditEntry:
    return audit_record(action="test.entry", summary="原文")


def refused(action: object) -> None:
    with pytest.raises(DatabaseError, match="审计记录只能追加"), transaction.atomic():
        action()  # type: ignore[operator]


def test_the_migrations_install_the_triggers() -> None:
    assert audit_lock_installed(connection)


def test_a_queryset_update_is_refused(entry: AuditEntry) -> None:
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="改动"))
    assert AuditEntry.objects.get(pk=entry.pk).summary == "原文"


def test_a_queryset_delete_is_refused(entry: AuditEntry) -> None:
    refused(lambda: AuditEntry.objects.filter(pk=entry.pk).delete())
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_is_refused(entry: AuditEntry) -> None:
    entry.summary = "改动"
    refused(lambda: AuditEntry.objects.bulk_update([entry], ["summary"]))
    assert AuditEntry.objects.get(pk=entry.pk).summary == "原文"


def test_raw_sql_update_and_delete_are_refused(entry: AuditEntry) -> None:
    def raw(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    refused(lambda: raw(f"UPDATE {TABLE} SET summary = 'x' WHERE id = %s"))
    refused(lambda: raw(f"DELETE FROM {TABLE} WHERE id = %s"))
    refused(lambda: raw(f"DELETE FROM {TABLE} WHERE id = %s OR 1 = 1"))
    assert AuditEntry.objects.get(pk=entry.pk).summary == "原文"


def test_emptying_the_table_is_refused(entry: AuditEntry) -> None:
    # TRUNCATE on PostgreSQL; SQLite has none, and a DELETE without WHERE is its way of emptying a table.
    sql = f"TRUNCATE {TABLE} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {TABLE}"

    def empty() -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The test's own insert left deferred foreign-key checks, which TRUNCATE would trip on first.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(sql)

    refused(empty)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_appending_still_works(entry: AuditEntry) -> None:
    audit_record(action="test.entry", summary="第二条")
    assert AuditEntry.objects.filter(action="test.entry").count() == 2


def test_the_system_check_reports_missing_triggers() -> None:
    from yuanqu.core.audit_lock import audit_lock_install, audit_lock_remove
    from yuanqu.core.checks import audit_lock_check

    assert audit_lock_check(None, databases=["default"]) == []
    audit_lock_remove(connection)
    try:
        assert [problem.id for problem in audit_lock_check(None, databases=["default"])] == ["yuanqu.E001"]
    finally:
        audit_lock_install(connection)
    assert audit_lock_installed(connection)
