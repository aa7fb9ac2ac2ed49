from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.models import Place
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.services import enterprise_months_import, observations_import


class Command(BaseCommand):
    help = "导入数据文件（.xlsx 或 .csv）。有任何错误时不写入任何数据，并以非零状态退出。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["enterprise-monthly", "observations"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="企业月度数据所属园区代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将发生的变化，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}：文件不存在")
        try:
            if options["kind"] == "enterprise-monthly":
                zone = Place.objects.filter(code=options["zone"]).first()
                if zone is None:
                    raise CommandError(f"未找到园区“{options['zone']}”")
                summary = enterprise_months_import(path=path, zone=zone, dry_run=options["dry_run"]).summary
            else:
                summary = observations_import(path=path, dry_run=options["dry_run"]).summary
        except ImportRejected as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"{path.name}：{exc}") from exc
        self.stdout.write(("（试运行）" if options["dry_run"] else "") + summary)
