from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from yuanqu.indicators.spreadsheets import write_template


class Command(BaseCommand):
    help = "生成标准导入模板（.xlsx）。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["enterprise-monthly", "observations"])
        parser.add_argument("output", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["output"]
        path.write_bytes(write_template(options["kind"]))
        self.stdout.write(f"已生成模板：{path}")
