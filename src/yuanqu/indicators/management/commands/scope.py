from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.models import Place
from yuanqu.indicators.models import EnterpriseMonth
from yuanqu.indicators.services import scope_totals_refresh


class Command(BaseCommand):
    help = "同口径汇总：yuanqu scope refresh 由企业月度数据重算同口径汇总和月度报送完整性，并列出与库中不同之处。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="refresh")
        refresh = actions.add_parser("refresh", help="重算同口径汇总（运维修复工具）")
        refresh.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        refresh.add_argument("--year", type=int, action="append", help="只重算该年（可重复）；默认为有数据的各年")

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Place.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”")
        years = options["year"] or sorted(
            {
                year + offset
                for year in EnterpriseMonth.objects.filter(zone=zone).values_list("year", flat=True).distinct()
                for offset in (0, 1)
            }
        )
        if not years:
            raise CommandError(f"{zone.name}没有企业月度数据")
        report = scope_totals_refresh(zone=zone, years=years, on_wait=self.stderr.write)
        for line in report.differing[:200]:
            self.stdout.write(f"不同：{line}")
        if len(report.differing) > 200:
            self.stdout.write(f"……另有 {len(report.differing) - 200} 处不同")
        years_text = "、".join(str(year) for year in years)
        self.stdout.write(
            f"{zone.name}{years_text}年同口径汇总已重算：{len(report.differing)} 处与库中不同，写入 {report.rows} 行，"
            f"报送完整性 {report.months} 个月"
        )
