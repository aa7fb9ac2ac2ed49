from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yuanqu.core.models import Place
from yuanqu.indicators.management.commands.scorecard import parse_as_of
from yuanqu.periods import Period, PeriodError
from yuanqu.workreport.formats import FORMATS, RenderError
from yuanqu.workreport.models import ReportVersion
from yuanqu.workreport.selectors import report_document
from yuanqu.workreport.services import ReportRefused, report_export


class Command(BaseCommand):
    help = "工作报告：build 生成报告（docx、pdf、xlsx、md），list 列出签发稿。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        build = actions.add_parser("build", help="由数据生成某期工作报告，或重新生成某个签发稿")
        build.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        build.add_argument("--period", required=True, help="所属期，如 2023-H1、2023-01~06、2023-Q1-3、2023-Y")
        build.add_argument("--format", choices=list(FORMATS), default="docx")
        build.add_argument("-o", "--output", type=Path, required=True, help="输出文件")
        build.add_argument("--as-of", help="发布数据按某日当时的数据（日期或日期时间）")
        build.add_argument("--version", type=int, help="重新生成第 N 版签发稿（与签发时逐字节相同）")
        listing = actions.add_parser("list", help="列出签发稿")
        listing.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)
        listing.add_argument("--period", help="所属期")

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Place.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”（先运行 yuanqu demo load 加载演示数据）")
        period = None
        if options.get("period"):
            try:
                period = Period.parse(options["period"])
            except PeriodError as exc:
                raise CommandError(str(exc)) from exc
        if options["action"] == "list":
            versions = ReportVersion.objects.filter(zone=zone)
            if period is not None:
                versions = versions.filter(period=period.code)
            for listed in versions.order_by("period", "number"):
                self.stdout.write(
                    f"{listed.period}\t第{listed.number}版\t{timezone.localtime(listed.issued_at):%Y-%m-%d %H:%M}"
                    f"\t{listed.issued_by_name}\t{listed.title}"
                )
            return
        assert period is not None
        version: ReportVersion | None = None
        if options["version"] is not None:
            if options["as_of"]:
                raise CommandError("--version 与 --as-of 不能同时使用：签发稿的数据截至签发时")
            found = ReportVersion.objects.filter(zone=zone, period=period.code, number=options["version"]).first()
            if found is None:
                raise CommandError(f"{zone.display_name}{period.full_label}没有第{options['version']}版签发稿")
            version, document, moment = found, found.doc(), found.issued_at
        else:
            as_of = parse_as_of(options["as_of"])
            document = report_document(zone=zone, period=period, as_of=as_of)
            moment = timezone.now().replace(microsecond=0)
        try:
            # The command line is the operator's own: enterprise-level tables are included.
            _, content = report_export(
                document=document, fmt=options["format"], enterprise=True, actor=None, moment=moment, version=version
            )
        except (RenderError, ReportRefused) as exc:
            raise CommandError(str(exc)) from exc
        out: Path = options["output"]
        out.write_bytes(content)
        which = f"第{version.number}版签发稿" if version else "由当前数据生成"
        self.stdout.write(f"已生成 {out}（{document.title}，{which}，{len(content):,} 字节）")
