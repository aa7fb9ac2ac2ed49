import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanqu.chains.selectors import chains_progress
from yuanqu.chains.writing import progress_data, progress_lines
from yuanqu.core.models import Place
from yuanqu.periods import Period, PeriodError


class Command(BaseCommand):
    help = "重点产业链：yuanqu chains progress 输出各产业链产值、目标完成、增速和缺失薄弱节点。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="progress")
        progress = actions.add_parser("progress", help="各产业链本期进度")
        progress.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        progress.add_argument("--period", required=True, help="所属期，如 2023-H1、2023-01~06")
        progress.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        zone = Place.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”（先运行 yuanqu demo load 加载演示数据）")
        progress = chains_progress(zone=zone, period=period)
        if not progress.chains:
            raise CommandError(f"{zone.name}没有登记产业链")
        if options["format"] == "json":
            # The command line is the operator's own: node figures are not withheld here.
            data = progress_data(progress)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for line in progress_lines(progress):
            self.stdout.write(line)
