import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.models import Place
from yuanqu.indicators.importing import ImportRejected
from yuanqu.periods import Period, PeriodError
from yuanqu.projects.models import CountingRule, Project
from yuanqu.projects.selectors import pipeline_statistics
from yuanqu.projects.services import ledger_export, ledger_import
from yuanqu.projects.writing import as_data, counting_rule_note, growth_sentence, paragraph


class Command(BaseCommand):
    help = "招商项目：统计综述（summary）、导入台账（import-ledger）、导出台账（export-ledger）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        summary = actions.add_parser("summary", help="输出某期招商项目综述（签约、档次、实质性开工）")
        summary.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        summary.add_argument("--period", required=True, help="所属期，如 2023-H1、2023-01~06")
        summary.add_argument("--format", choices=["text", "json"], default="text")
        summary.add_argument("--rule", choices=CountingRule.values, help="档次计数口径（默认用园区设置）")
        imported = actions.add_parser("import-ledger", help="导入招商项目台账（.xlsx 或 .csv）")
        imported.add_argument("file", type=Path)
        imported.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)
        imported.add_argument("--dry-run", action="store_true", help="只检查并显示将发生的变化，不写入")
        exported = actions.add_parser("export-ledger", help="导出招商项目台账（.xlsx）")
        exported.add_argument("out", type=Path)
        exported.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Place.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”（先运行 yuanqu demo load 加载演示数据）")
        action = options["action"]
        if action == "summary":
            self._summary(zone, options)
        elif action == "import-ledger":
            self._import(zone, options)
        else:
            out: Path = options["out"]
            content = ledger_export(zone=zone, projects=_ledger_projects(zone))
            out.write_bytes(content)
            self.stdout.write(f"已导出 {out}")

    def _summary(self, zone: Place, options: dict[str, Any]) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        statistics = pipeline_statistics(zone=zone, period=period, counting_rule=options["rule"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_data(statistics), ensure_ascii=False, indent=2))
            return
        self.stdout.write(paragraph(statistics))
        self.stdout.write(growth_sentence(statistics))
        self.stdout.write(f"（{counting_rule_note(statistics)}）")

    def _import(self, zone: Place, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}：文件不存在")
        try:
            report = ledger_import(path=path, zone=zone, dry_run=options["dry_run"])
        except ImportRejected as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"{path.name}：{exc}") from exc
        self.stdout.write(("（试运行）" if options["dry_run"] else "") + report.summary)


def _ledger_projects(zone: Place) -> Any:
    return (
        Project.objects.in_zone(zone)
        .select_related("chain_node__chain")
        .prefetch_related("credits__officer", "credits__department")
        .order_by("code")
    )
