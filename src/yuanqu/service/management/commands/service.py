import json
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.indicators.importing import ImportRejected
from yuanqu.periods import Period, PeriodError
from yuanqu.service.models import Presence
from yuanqu.service.selectors import centre_scorecard, zone_calendar
from yuanqu.service.services import catalogue_export, catalogue_import
from yuanqu.service.workdays import CalendarError
from yuanqu.service.writing import as_data, centre_sentence, figures_sentence


class Command(BaseCommand):
    help = "政务服务中心：成绩单（summary）、工作日推算（calendar）、事项清单导入导出（catalogue import|export）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        summary = actions.add_parser("summary", help="输出某期政务服务中心成绩单：综述句，然后各项指标")
        summary.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        summary.add_argument("--period", required=True, help="所属期，如 2023-H1、2023-06")
        summary.add_argument("--format", choices=["text", "json"], default="text")
        calendar = actions.add_parser("calendar", help="按园区工作日历推算：起算日（当日不计）加若干工作日")
        calendar.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)
        calendar.add_argument("--from", dest="start", required=True, help="起算日，如 2023-09-27")
        calendar.add_argument("--add", dest="days", type=int, required=True, help="工作日数")
        catalogue = actions.add_parser("catalogue", help="事项清单：import FILE 或 export FILE")
        catalogue.add_argument("direction", choices=["import", "export"])
        catalogue.add_argument("file", type=Path)
        catalogue.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)
        catalogue.add_argument("--dry-run", action="store_true", help="只检查并显示将发生的变化，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Place.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”（先运行 yuanqu demo load 加载演示数据）")
        if options["action"] == "summary":
            self._summary(zone, options)
        elif options["action"] == "calendar":
            self._calendar(zone, options)
        else:
            self._catalogue(zone, options)

    def _summary(self, zone: Place, options: dict[str, Any]) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        card = centre_scorecard(zone=zone, period=period)
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_data(card), ensure_ascii=False, indent=2))
            return
        self.stdout.write(centre_sentence(card))
        self.stdout.write(figures_sentence(card))
        for figure in card.figures.values():
            if figure.value is None:
                text = "—"
            elif figure.unit == "%":
                text = figures.percent(figure.value)
            elif figure.unit == "个工作日":
                text = f"{figures.rate(figure.value)}{figure.unit}"
            else:
                text = f"{figure.value.normalize():f}{figure.unit}"
            ratio = f"（{figure.numerator}/{figure.denominator}）" if figure.denominator else ""
            self.stdout.write(f"  {figure.label}：{text}{ratio}　{figure.rule}；{figure.source}")
        self.stdout.write(_("经批准不进驻及尚未进驻事项（%(count)d项）：") % {"count": len(card.exempt_items)})
        for item in card.exempt_items:
            if item.presence == Presence.EXEMPT:
                approval = _("批准文件%(document)s，%(day)s批准") % {
                    "document": item.document or "—",
                    "day": item.approved_on.isoformat() if item.approved_on else "—",
                }
            else:
                approval = _("尚未进驻，无批准文件")
            self.stdout.write(f"  {item.code} {item.name}（{item.department}）：{approval}")
        if not card.exempt_items:
            self.stdout.write(_("  无"))
        self.stdout.write(_("超期办件（按审批部门）："))
        for line in card.departments:
            self.stdout.write(
                _("  %(department)s：超期办结%(late)d件、超期未办结%(open)d件，合计%(total)d件")
                % {
                    "department": line.department,
                    "late": line.completed_late,
                    "open": line.open_overdue,
                    "total": line.total,
                }
            )
        if not card.departments:
            self.stdout.write(_("  无超期办件"))
        for note in card.notes:
            self.stdout.write(note)

    def _calendar(self, zone: Place, options: dict[str, Any]) -> None:
        try:
            start = date.fromisoformat(options["start"])
        except ValueError as exc:
            raise CommandError(f"起算日“{options['start']}”不是日期（应为 2023-09-27）") from exc
        calendar = zone_calendar(zone)
        try:
            day = calendar.add_working_days(start, options["days"])
        except CalendarError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{start.isoformat()}起{options['days']}个工作日：{day.isoformat()}")
        unknown = calendar.unknown_years(start, day)
        if unknown:
            years = "、".join(str(year) for year in unknown)
            self.stdout.write(
                f"（暂定：{years}年节假日安排尚未录入，按周一至周五、除元旦劳动节国庆节固定假日推算；"
                "请在工作日历中录入该年度安排）"
            )

    def _catalogue(self, zone: Place, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if options["direction"] == "export":
            path.write_bytes(catalogue_export(zone=zone))
            self.stdout.write(f"已导出 {path}")
            return
        if not path.is_file():
            raise CommandError(f"{path}：文件不存在")
        try:
            report = catalogue_import(path=path, zone=zone, dry_run=options["dry_run"])
        except ImportRejected as exc:
            for issue in exc.issues:
                self.stderr.write(str(issue))
            raise CommandError(f"{path.name}：{exc}") from exc
        self.stdout.write(("（试运行）" if options["dry_run"] else "") + report.summary)
