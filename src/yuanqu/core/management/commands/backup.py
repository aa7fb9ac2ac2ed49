from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.backup import BackupError, database_backup, manifest_path
from yuanqu.core.services import audit_record


class Command(BaseCommand):
    help = (
        "备份数据库到文件（SQLite 用在线备份接口，PostgreSQL 用 pg_dump -Fc），"
        "并在旁边写校验清单 FILE.manifest.json（各表行数与校验值）。可在系统运行时执行。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="备份文件，如 /backup/yuanqu-2024-07-01.sqlite3 或 .dump")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = database_backup(path=options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        tables = manifest["tables"]
        rows = sum(table["rows"] for table in tables.values())
        audit_rows = tables.get("core_auditentry", {}).get("rows", 0)
        audit_record(
            action="backup.create",
            summary=f"数据库备份到 {result.path.name}（{len(tables)} 张表，{rows} 行）",
            detail={
                "file": str(result.path),
                "file_sha256": manifest["file_sha256"],
                "rows": rows,
                "audit_rows": audit_rows,
                "figures_sha256": manifest["figures_sha256"],
                "audit_sha256": manifest["audit_sha256"],
            },
        )
        self.stdout.write(
            f"已备份到 {result.path}：{len(tables)} 张表共 {rows} 行，审计记录 {audit_rows} 条；"
            f"数据校验 {manifest['figures_sha256'][:12]}，审计校验 {manifest['audit_sha256'][:12]}；"
            f"清单 {manifest_path(result.path).name}"
        )
