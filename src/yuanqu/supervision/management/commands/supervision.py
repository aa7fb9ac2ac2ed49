import json
from argparse import ArgumentParser
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yuanqu import figures
from yuanqu.core.models import Place
from yuanqu.periods import Period, PeriodError
from yuanqu.supervision.bulletin import bulletin_docx, bulletin_xlsx, text_lines
from yuanqu.supervision.selectors import (
    BulletinRefused,
    TaskStatus,
    bulletin,
    default_date,
    default_period,
    task_statuses,
)
from yuanqu.supervision.services import bulletin_exported, colours_record, reminders_issue
from yuanqu.supervision.writing import colour_name


def _percent(value: Any) -> str:
    return "—" if value is None else figures.percent(value)


def board_data(tasks: list[TaskStatus], on: date) -> dict[str, Any]:
    def number(value: Any) -> str | None:
        return None if value is None else f"{figures.round_half_up(value, 2):f}"

    return {
        "on": on.isoformat(),
        "tasks": [
            {
                "number": task.number,
                "wording": task.wording,
                "period": task.period.code,
                "leader": task.leader,
                "lead_department": task.lead_department,
                "co_departments": list(task.co_departments),
                "colour": task.colour.value,
                "progress_pct": number(task.progress_pct),
                "time_progress_pct": number(task.expected_pct),
                "measures": [
                    {
                        "code": measure.code,
                        "title": measure.title,
                        "department": measure.department,
                        "deadline": measure.deadline.isoformat(),
                        "status": measure.status,
                        "colour": measure.colour.value,
                        "rule": measure.rule.value,
                        "reason": measure.reason,
                        "progress_pct": number(measure.progress_pct),
                        "time_progress_pct": number(measure.expected_pct),
                        "behind_pp": number(measure.behind_pp),
                        "link": measure.link_label,
                        "linked": measure.link_summary,
                    }
                    for measure in task.measures
                ],
            }
            for task in tasks
        ],
    }


class Command(BaseCommand):
    help = "督查督办：board 输出各任务和举措的颜色、原因与进度；bulletin 生成月度督查通报；remind 发出督办提醒。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="board|bulletin|remind")
        board = actions.add_parser("board", help="各任务和举措的颜色、原因与进度")
        board.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE, help="园区代码，如 yz-etdz")
        board.add_argument("--period", help="所属期，如 2023-H2（默认：含今天的一期，或最近一期）")
        board.add_argument("--date", help="截至日期 YYYY-MM-DD（默认今天；已结束的一期为其最后一天）")
        board.add_argument("--format", choices=["text", "json"], default="text")
        paper = actions.add_parser("bulletin", help="月度督查通报（.docx 或 .xlsx）")
        paper.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)
        paper.add_argument("--month", required=True, help="月份 YYYY-MM，如 2023-07")
        paper.add_argument("-o", "--output", required=True, help="输出文件（.docx 或 .xlsx）")
        remind = actions.add_parser("remind", help="临近提醒、到期催办、填报提醒（每天运行一次）")
        remind.add_argument("--zone", default=settings.YUANQU_DEFAULT_ZONE)
        remind.add_argument("--dry-run", action="store_true", help="只列出，不发出")

    def handle(self, *args: Any, **options: Any) -> None:
        zone = Place.objects.filter(code=options["zone"], level=Place.Level.ZONE).first()
        if zone is None:
            raise CommandError(f"未找到园区“{options['zone']}”（先运行 yuanqu demo load 加载演示数据）")
        if options["action"] == "board":
            self._board(zone, options)
        elif options["action"] == "bulletin":
            self._bulletin(zone, options)
        else:
            self._remind(zone, options)

    def _period(self, zone: Place, raw: str | None) -> Period:
        if raw:
            try:
                return Period.parse(raw)
            except PeriodError as exc:
                raise CommandError(f"--period：{exc}") from exc
        period = default_period(zone)
        if period is None:
            raise CommandError(f"{zone.name}尚未立项督查任务")
        return period

    def _board(self, zone: Place, options: dict[str, Any]) -> None:
        period = self._period(zone, options.get("period"))
        live = default_date(period)
        on = live
        if options.get("date"):
            try:
                on = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date 应为 YYYY-MM-DD，收到“{options['date']}”") from exc
        tasks = task_statuses(zone=zone, period=period, on=on)
        if not tasks:
            raise CommandError(f"{zone.name}{period.full_label}没有督查任务")
        if on == live:
            colours_record(tasks=tasks, on=on)
        if options["format"] == "json":
            self.stdout.write(json.dumps(board_data(tasks, on), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{zone.name}{period.full_label}重点任务督查情况（截至{on.isoformat()}）")
        for task in tasks:
            self.stdout.write(
                f"{task.number}. {task.wording}［{colour_name(task.colour)}］分管领导：{task.leader or '—'}，"
                f"牵头部门：{task.lead_department}；进度{_percent(task.progress_pct)}，序时进度{_percent(task.expected_pct)}"
            )
            for measure in task.measures:
                self.stdout.write(
                    f"  {measure.code} {measure.title}（{measure.department}，时限{measure.deadline.isoformat()}）"
                    f"［{colour_name(measure.colour)}］{measure.reason}；进度{_percent(measure.progress_pct)}，"
                    f"序时进度{_percent(measure.expected_pct)}"
                    + (f"；{measure.link_label}：{measure.link_summary}" if measure.link_label else "")
                )
        counts = {
            colour: sum(1 for t in tasks for m in t.measures if m.colour == colour)
            for colour in ("red", "yellow", "blue", "green")
        }
        self.stdout.write("合计：" + "，".join(f"{colour_name(colour)}{count}项" for colour, count in counts.items()))

    def _bulletin(self, zone: Place, options: dict[str, Any]) -> None:
        try:
            year, month = (int(part) for part in options["month"].split("-"))
            date(year, month, 1)
        except ValueError as exc:
            raise CommandError(f"--month 应为 YYYY-MM，收到“{options['month']}”") from exc
        output = Path(options["output"])
        if output.suffix.lower() not in (".docx", ".xlsx"):
            raise CommandError("-o 须为 .docx 或 .xlsx 文件")
        try:
            result = bulletin(zone=zone, year=year, month=month)
        except BulletinRefused as exc:
            raise CommandError(str(exc)) from exc
        kind = output.suffix.lower().lstrip(".")
        content = bulletin_docx(result) if kind == "docx" else bulletin_xlsx(result)
        output.write_bytes(content)
        bulletin_exported(bulletin=result, kind=kind, file_name=output.name)
        lines = text_lines(result)
        self.stdout.write(
            f"已写入 {output}：{lines[0]}{lines[1]}，红色{len(result.red)}项、黄色{len(result.yellow)}项、"
            f"本月办结{len(result.completed)}项"
        )

    def _remind(self, zone: Place, options: dict[str, Any]) -> None:
        period = self._period(zone, None)
        on = default_date(period)
        if on != timezone.localdate():
            self.stdout.write(f"{period.full_label}不含今天，无需提醒")
            return
        tasks = task_statuses(zone=zone, period=period, on=on)
        if options["dry_run"]:
            due = sum(1 for task in tasks for measure in task.measures if measure.colour in ("red", "blue"))
            self.stdout.write(f"演练：{due}项举措临近时限或已超期（未发出提醒）")
            return
        colours_record(tasks=tasks, on=on)
        count = reminders_issue(tasks=tasks, today=on)
        self.stdout.write(f"已发出督办提醒{count}条")
