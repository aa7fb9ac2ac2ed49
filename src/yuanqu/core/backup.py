"""Backups that can be restored and are checked when they are.

``database_backup`` writes a consistent copy of the live database: SQLite's online backup API
(a plain ``cp`` of a live WAL database loses the newest rows), or ``pg_dump -Fc`` of an exported
snapshot on PostgreSQL. Beside it goes a manifest (``FILE.manifest.json``): the file's SHA-256,
every table's row count and checksum, and one checksum for the figures and one for the audit
log, all computed from exactly what the backup holds (the backup file on SQLite, the dump's own
snapshot on PostgreSQL).

``database_restore`` checks the file against its manifest, restores into an empty database
(refusing one with users or audit rows unless told to replace it), then computes the same
counts and checksums from the restored database and compares them with the manifest.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connections
from django.utils import timezone

MANIFEST_SUFFIX = ".manifest.json"
FORMAT = 1
# The tables whose rows are the figures: observations, targets, enterprise months and their
# same-scope totals, projects and chains.
FIGURE_PREFIXES = ("indicators_", "projects_", "chains_")
AUDIT_TABLE = "core_auditentry"
MODULUS = 1 << 256


class BackupError(Exception):
    """A backup or restore that cannot go ahead, with the reason in Chinese."""


@dataclass
class Fingerprint:
    rows: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)

    @property
    def figures(self) -> str:
        lines = [
            f"{name}:{digest}" for name, digest in sorted(self.checksums.items()) if name.startswith(FIGURE_PREFIXES)
        ]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()

    @property
    def audit(self) -> str:
        return self.checksums.get(AUDIT_TABLE, "")

    def as_json(self) -> dict[str, Any]:
        return {
            "tables": {name: {"rows": self.rows[name], "sha256": self.checksums[name]} for name in sorted(self.rows)},
            "figures_sha256": self.figures,
            "audit_sha256": self.audit,
        }

    def differences(self, manifest: dict[str, Any]) -> list[str]:
        """What differs from a manifest, in Chinese, one line per table (empty when all agree)."""
        expected = manifest["tables"]
        problems = []
        for name in sorted(set(expected) | set(self.rows)):
            if name not in self.rows:
                problems.append(f"表 {name}：恢复后不存在")
            elif name not in expected:
                problems.append(f"表 {name}：备份中没有")
            elif expected[name]["rows"] != self.rows[name]:
                problems.append(f"表 {name}：备份 {expected[name]['rows']} 行，恢复后 {self.rows[name]} 行")
            elif expected[name]["sha256"] != self.checksums[name]:
                problems.append(f"表 {name}：行数相同（{self.rows[name]} 行）但内容校验值不同")
        return problems


def fingerprint(cursor: Any, tables: list[str]) -> Fingerprint:
    """Row counts and an order-independent checksum of every row of every table."""
    result = Fingerprint()
    for table in tables:
        total, count = 0, 0
        cursor.execute(f'SELECT * FROM "{table}"')
        while batch := cursor.fetchmany(5000):
            for row in batch:
                total += int.from_bytes(hashlib.sha256(repr(tuple(row)).encode()).digest(), "big")
                count += 1
        result.rows[table] = count
        result.checksums[table] = f"{total % MODULUS:064x}"
    return result


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def _engine(database: dict[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"不支持的数据库：{engine}")


# -- SQLite ----------------------------------------------------------------------------------------


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in rows]


def _sqlite_fingerprint(path: Path) -> Fingerprint:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return fingerprint(db.cursor(), _sqlite_tables(db))
    finally:
        db.close()


def _sqlite_backup(alias: str, target: Path) -> Fingerprint:
    connection = connections[alias]
    if connection.in_atomic_block:
        # The copy is read through this connection; inside its own open transaction it would
        # wait for itself. The command runs outside any transaction.
        raise BackupError("备份不能在数据库事务中进行")
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        # One step: the whole database is copied under one read lock, so the copy is one moment.
        connection.connection.backup(destination)
        # One self-contained file: the copy inherits the live database's WAL mode, which
        # would need -wal and -shm files beside it.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()
    return _sqlite_fingerprint(target)


def _sqlite_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = sqlite3.connect(path)
    try:
        return _has_data(db.cursor(), set(_sqlite_tables(db)))
    finally:
        db.close()


def _sqlite_restore(source: Path, target: Path) -> Fingerprint:
    target.parent.mkdir(parents=True, exist_ok=True)
    # The backup API waits for ever on a database another connection holds: find out first.
    destination = sqlite3.connect(target, timeout=5, isolation_level=None)
    try:
        destination.execute("BEGIN IMMEDIATE")
        destination.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        destination.close()
        raise BackupError(f"目标数据库 {target} 正被使用（请先停止网站服务）：{error}") from error
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        origin.backup(destination)
    finally:
        origin.close()
        destination.close()
    return _sqlite_fingerprint(target)


# -- PostgreSQL --------------------------------------------------------------------------------------


def _pg_environment(database: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")]:
        if database.get(key):
            env[name] = str(database[key])
    return env


def _pg_connect(database: dict[str, Any]) -> Any:
    import psycopg

    return psycopg.connect(
        dbname=database["NAME"],
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
    )


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    return [name for (name,) in cursor.fetchall()]


def _pg_backup(database: dict[str, Any], target: Path) -> Fingerprint:
    db = _pg_connect(database)
    try:
        with db.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            db.commit()
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            # pg_dump reads the very snapshot this transaction holds, so the fingerprint below
            # is of exactly what the dump contains.
            _run(
                ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target), str(database["NAME"])],
                database,
            )
            result = fingerprint(cursor, _pg_tables(cursor))
        db.rollback()
    finally:
        db.close()
    return result


def _pg_fingerprint(database: dict[str, Any]) -> Fingerprint:
    db = _pg_connect(database)
    try:
        with db.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            return fingerprint(cursor, _pg_tables(cursor))
    finally:
        db.close()


def _pg_has_tables_and_data(database: dict[str, Any]) -> tuple[bool, bool]:
    db = _pg_connect(database)
    try:
        with db.cursor() as cursor:
            tables = set(_pg_tables(cursor))
            return bool(tables), _has_data(cursor, tables)
    finally:
        db.close()


def _pg_restore(source: Path, database: dict[str, Any], clean: bool) -> Fingerprint:
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d", str(database["NAME"])]
    if clean:
        command[1:1] = ["--clean", "--if-exists"]
    _run([*command, str(source)], database)
    return _pg_fingerprint(database)


def _run(command: list[str], database: dict[str, Any]) -> None:
    try:
        result = subprocess.run(command, env=_pg_environment(database), capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(f"找不到 {command[0]}：请安装 PostgreSQL 客户端工具") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[-2000:]}")


# -- both ------------------------------------------------------------------------------------------------


def _has_data(cursor: Any, tables: set[str]) -> bool:
    """A database holds data once it has a user or an audit row: every change writes one."""
    for table in ("auth_user", AUDIT_TABLE):
        if table in tables:
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            if cursor.fetchone() is not None:
                return True
    return False


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]


def database_backup(*, path: Path, alias: str = "default") -> BackupResult:
    """Write a backup of the live database to ``path`` and its manifest beside it."""
    database = connections[alias].settings_dict
    engine = _engine(database)
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        if engine == "sqlite":
            temporary.unlink()
            found = _sqlite_backup(alias, temporary)
        else:
            found = _pg_backup(database, temporary)
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "file": path.name,
            "file_sha256": _file_sha256(temporary),
            **found.as_json(),
        }
        shutil.move(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    manifest_path(path).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return BackupResult(path=path, manifest=manifest)


def manifest_read(path: Path) -> dict[str, Any]:
    sidecar = manifest_path(path)
    if not path.exists():
        raise BackupError(f"找不到备份文件 {path}")
    try:
        manifest = json.loads(sidecar.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"找不到备份的校验清单 {sidecar.name}（应与备份文件放在一起）") from error
    except ValueError as error:
        raise BackupError(f"校验清单 {sidecar.name} 不是有效的 JSON") from error
    if manifest.get("format") != FORMAT or "tables" not in manifest:
        raise BackupError(f"校验清单 {sidecar.name} 的格式不认识")
    return manifest


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    found: Fingerprint
    differences: list[str]

    @property
    def verified(self) -> bool:
        return not self.differences


def database_restore(*, path: Path, database: dict[str, Any], replace: bool = False) -> RestoreResult:
    """Restore a backup into ``database`` (a DATABASES entry) and verify it against the manifest."""
    manifest = manifest_read(path)
    engine = _engine(database)
    if manifest["engine"] != engine:
        raise BackupError(f"备份来自 {manifest['engine']} 数据库，不能恢复到 {engine} 数据库")
    if _file_sha256(path) != manifest["file_sha256"]:
        raise BackupError("备份文件的 SHA-256 与校验清单不符：文件已损坏或被改动，未恢复")
    if engine == "sqlite":
        target = Path(str(database["NAME"]))
        if _sqlite_has_data(target) and not replace:
            raise BackupError(f"目标数据库 {target} 已有用户或审计记录；确需覆盖请加 --replace")
        found = _sqlite_restore(path, target)
    else:
        has_tables, has_data = _pg_has_tables_and_data(database)
        if has_data and not replace:
            raise BackupError(f"目标数据库 {database['NAME']} 已有用户或审计记录；确需覆盖请加 --replace")
        found = _pg_restore(path, database, clean=has_tables)
    return RestoreResult(manifest=manifest, found=found, differences=found.differences(manifest))


@contextmanager
def closed_connections() -> Iterator[None]:
    """Django's own connections closed while a restore replaces the database under them."""
    for connection in connections.all():
        connection.close()
    yield
