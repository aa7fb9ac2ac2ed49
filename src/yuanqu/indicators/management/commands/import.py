from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.models import Place
from yuanqu.indicators.import_diff import ImportReport, import_preview_lines
from yuanqu.indicators.importing import ImportRejected
from yuanqu.indicators.services import enterprise_months_import, observations_import


class Command(BaseCommand):
    help = "导入数据文件（.xlsx 或 .csv）。有任何错误时不写入任何数据，并以非零状态退出。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["enterprise-monthly", "observations"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="企业月度数据所属园区代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示将发生的变化，不写入")
        parser.add_argument(
            "--replace-month",
            action="store_true",
            help="整月替换：文件是所含月份的完整报表，库中有而文件中没有的企业该月数据将被删除（默认只新增和更新）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}：文件不存在")
        try:
            if options["kind"] == "enterprise-monthly":
                zone = Place.objects.filter(code=options["zone"]).first()
                if zone is None:
                    raise CommandError(f"未找到园区“{options['zone']}”")
                report = enterprise_months_import(
                    path=path,
                    zone=zone,
                    dry_run=options["dry_run"],
                    replace_month=options["replace_month"],
                    on_wait=self.stderr.write,
                )
                self._enterprise_details(report)
                summary = report.summary
            else:
                summary = observations_import(path=path, dry_run=options["dry_run"]).summary
        except ImportRejected as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"{path.name}：{exc}") from exc
        self.stdout.write(("（试运行）" if options["dry_run"] else "") + summary)

    def _enterprise_details(self, report: ImportReport) -> None:
        """Per-month counts, warnings, removed enterprises and revisions, before the summary line."""
        for line in import_preview_lines(report):
            self.stdout.write(line)
