from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.backup import BackupError, closed_connections, database_restore
from yuanqu.core.services import audit_record
from yuanqu.settings import database_from_url


class Command(BaseCommand):
    help = (
        "从 yuanqu backup 的备份文件恢复到空数据库，并按校验清单核对各表行数和校验值（数据与审计日志）。"
        "目标库已有用户或审计记录时拒绝，除非加 --replace。恢复前请停止网站服务。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--replace", action="store_true", help="目标库已有数据时仍然覆盖")
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="恢复到另一个数据库（恢复演练用），如 sqlite:///var/drill.sqlite3；默认恢复到本系统的数据库",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        into = options["into"]
        database = database_from_url(into) if into else settings.DATABASES["default"]
        try:
            with closed_connections():
                result = database_restore(path=options["file"], database=database, replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = result.found.rows
        rows = sum(tables.values())
        if not result.verified:
            raise CommandError("恢复后核对不一致：\n" + "\n".join(result.differences))
        audit_record(
            action="backup.restore",
            summary=(
                f"从 {options['file'].name} 恢复数据库"
                + (f"到 {database['NAME']}（演练）" if into else "")
                + f"，核对一致：{len(tables)} 张表，{rows} 行"
            ),
            detail={
                "file": str(options["file"]),
                "into": str(database["NAME"]),
                "rows": rows,
                "figures_sha256": result.found.figures,
                "audit_sha256": result.found.audit,
            },
        )
        self.stdout.write(
            f"已恢复并核对一致：{len(tables)} 张表共 {rows} 行，审计记录 {tables.get('core_auditentry', 0)} 条；"
            f"数据校验 {result.found.figures[:12]}，审计校验 {result.found.audit[:12]}（与备份清单相同）"
        )
