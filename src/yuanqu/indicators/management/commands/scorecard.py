import json
from argparse import ArgumentParser
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from yuanqu.core.models import Place
from yuanqu.indicators.selectors import scorecard
from yuanqu.indicators.writing import as_data, explain, paragraph
from yuanqu.periods import Period, PeriodError


def parse_as_of(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(f"无法识别日期“{text}”（应为 2023-07-15 或 2023-07-15T10:00）")
        # "As of a day" means as the figures stood at the end of that day.
        moment = datetime.combine(day, time.max)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "输出园区某期的成绩单：各项指标的累计值、增速、全市排位和目标进度。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        parser.add_argument("--period", required=True, help="所属期，如 2023-H1、2023-01~06、2023-06")
        parser.add_argument("--as-of", help="按某日当时的数据重现（日期或日期时间）")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--explain", action="store_true", help="列出每个数字的来源")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = Period.parse(options["period"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        zone = Place.objects.filter(code=options["zone"]).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”（先运行 yuanqu demo load 加载演示数据）")
        card = scorecard(zone=zone, period=period, as_of=parse_as_of(options["as_of"]))
        if options["format"] == "json":
            data = as_data(card)
            if options["explain"]:
                data["explain"] = explain(card)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(paragraph(card))
        if options["explain"]:
            self.stdout.write("")
            for line in explain(card):
                self.stdout.write(line)
