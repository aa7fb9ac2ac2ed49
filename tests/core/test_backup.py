"""yuanqu backup / restore: the demo round-trips, verified table by table; bad files and full targets refused.

The backup reads committed data (pg_dump from its own connection; SQLite's backup outside any
transaction), so these run as transactional tests, on SQLite and, when DATABASE_URL names one,
on PostgreSQL.
"""

import json
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum

from yuanqu.core.backup import BackupError, database_restore, manifest_path
from yuanqu.core.models import AuditEntry, Place
from yuanqu.indicators.models import Observation


def scratch_url(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """An empty database to restore into, of the same kind as the test database."""
    if connection.vendor == "sqlite":
        target = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{target}", {"ENGINE": "django.db.backends.sqlite3", "NAME": target}
        return
    import psycopg

    settings_dict = dict(connection.settings_dict)
    name = f"{settings_dict['NAME']}_restore"
    params = {
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        "user": settings_dict["USER"] or None,
        "password": settings_dict["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = settings_dict["USER"] or ""
    auth = f"{user}:{settings_dict['PASSWORD']}@" if settings_dict["PASSWORD"] else f"{user}@"
    url = f"postgres://{auth}{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/{name}"
    try:
        yield url, {**settings_dict, "NAME": name}
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    yield from scratch_url(tmp_path)


def restored_cursor(database: dict[str, Any]) -> Any:
    if connection.vendor == "sqlite":
        return sqlite3.connect(database["NAME"]).cursor()
    import psycopg

    settings_dict = database
    return psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
    ).cursor()


@pytest.mark.django_db(transaction=True)
def test_the_demo_round_trips_through_backup_and_restore(
    tmp_path: Path, scratch: tuple[str, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.web.test_browser import restore_migration_data
    from yuanqu.core.demo import demo_load_all

    restore_migration_data()
    demo_load_all()
    audit_rows, places = AuditEntry.objects.count(), Place.objects.count()
    total = Observation.objects.aggregate(total=Sum("value"))["total"]
    assert audit_rows > 0 and total is not None

    backup = tmp_path / "yuanqu.backup"
    call_command("backup", str(backup))
    assert "已备份到" in capsys.readouterr().out
    manifest = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
    assert manifest["tables"]["core_auditentry"]["rows"] == audit_rows
    assert manifest["tables"]["core_place"]["rows"] == places
    assert AuditEntry.objects.filter(action="backup.create").count() == 1

    url, database = scratch
    call_command("restore", str(backup), "--into", url)
    assert "已恢复并核对一致" in capsys.readouterr().out
    cursor = restored_cursor(database)
    cursor.execute("SELECT count(*) FROM core_auditentry")
    assert cursor.fetchone()[0] == audit_rows  # the backup.create row came after the copy
    cursor.execute("SELECT sum(value) FROM indicators_observation")
    assert Decimal(str(cursor.fetchone()[0])) == total
    # The restored audit table refuses changes too: the triggers came with it.
    with pytest.raises(Exception, match="审计记录只能追加"):
        cursor.execute("DELETE FROM core_auditentry")
    cursor.connection.rollback()
    cursor.connection.close()

    with pytest.raises(CommandError, match="已有用户或审计记录"):
        call_command("restore", str(backup), "--into", url)
    call_command("restore", str(backup), "--into", url, "--replace")
    assert "核对一致" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="backup.restore").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_changed_backup_file_is_refused_before_anything_is_restored(tmp_path: Path) -> None:
    AuditEntry.objects.create(action="auth.login", summary="一条记录")
    backup = tmp_path / "yuanqu.backup"
    call_command("backup", str(backup))
    with backup.open("r+b") as stream:
        stream.seek(200)
        stream.write(b"\x00\x01\x02")
    target = tmp_path / "target.sqlite3"
    database = {"ENGINE": f"django.db.backends.{'sqlite3' if connection.vendor == 'sqlite' else 'postgresql'}"}
    with pytest.raises(BackupError, match="SHA-256 与校验清单不符"):
        database_restore(path=backup, database={**connection.settings_dict, **database, "NAME": target})
    assert not target.exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_without_its_manifest_is_refused(tmp_path: Path) -> None:
    backup = tmp_path / "yuanqu.backup"
    call_command("backup", str(backup))
    manifest_path(backup).unlink()
    with pytest.raises(CommandError, match="找不到备份的校验清单"):
        call_command("restore", str(backup), "--into", f"sqlite:///{tmp_path / 'x.sqlite3'}")


@pytest.mark.django_db(transaction=True)
def test_a_restore_that_differs_from_the_manifest_is_reported_table_by_table(
    tmp_path: Path, scratch: tuple[str, dict[str, Any]]
) -> None:
    AuditEntry.objects.create(action="auth.login", summary="一条记录")
    backup = tmp_path / "yuanqu.backup"
    call_command("backup", str(backup))
    manifest = json.loads(manifest_path(backup).read_text(encoding="utf-8"))
    manifest["tables"]["core_auditentry"]["rows"] += 1  # as if a row had been lost on the way
    manifest_path(backup).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match=r"表 core_auditentry：备份 \d+ 行，恢复后 \d+ 行"):
        call_command("restore", str(backup), "--into", scratch[0])
