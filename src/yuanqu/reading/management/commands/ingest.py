from argparse import ArgumentParser
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.indicators.models import Observation
from yuanqu.reading.services import IngestError, observation_review, report_ingest


def decimal_argument(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise CommandError(f"“{text}”不是数字") from exc


class Command(BaseCommand):
    help = "把公开报告中识别出的指标存为待审核观测值，并审核（确认、更正、驳回）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        report = sub.add_parser("report", help="导入一篇报告")
        report.add_argument("file", type=Path)
        report.add_argument("--zone", required=True, help="报告所述地区的代码")
        report.add_argument("--year", type=int, help="报告未写年份时使用的年份")
        sub.add_parser("pending", help="列出待审核的观测值")
        for name, text in (("accept", "确认"), ("reject", "驳回"), ("correct", "更正后确认")):
            review = sub.add_parser(name, help=text)
            review.add_argument("observation", type=int)
            if name == "correct":
                review.add_argument("--value", type=decimal_argument)
                review.add_argument("--growth", type=decimal_argument)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "report":
                zone = Place.objects.filter(code=options["zone"]).first()
                if zone is None:
                    raise CommandError(f"未找到地区“{options['zone']}”")
                if not options["file"].is_file():
                    raise CommandError(f"{options['file']}：文件不存在")
                result = report_ingest(path=options["file"], zone=zone, year=options["year"])
                self.stdout.write(result.summary)
            elif action == "pending":
                for obs in Observation.objects.filter(status=Observation.Status.UNREVIEWED).select_related(
                    "indicator", "place"
                ):
                    numbers = [
                        f"{figures.rate(obs.value, 2)}{obs.unit}" if obs.value is not None else "",
                        f"增长{figures.rate(obs.growth_pct)}%" if obs.growth_pct is not None else "",
                    ]
                    self.stdout.write(
                        f"#{obs.pk}\t{obs.place}\t{obs.period}\t{obs.indicator}\t{' '.join(n for n in numbers if n)}"
                        f"\t{obs.source_locator}"
                    )
            else:
                observation = Observation.objects.filter(pk=options["observation"]).first()
                if observation is None:
                    raise CommandError(f"未找到观测值#{options['observation']}")
                result_obs = observation_review(
                    observation=observation,
                    decision=action,
                    value=options.get("value"),
                    growth_pct=options.get("growth"),
                )
                self.stdout.write(f"观测值#{result_obs.pk}：{result_obs.get_status_display()}")
        except IngestError as exc:
            raise CommandError(str(exc)) from exc
