from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "加载演示园区（扬州经开区）的数据；可重复执行，已有数据不会重复写入。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load"], help="load：加载演示数据")

    def handle(self, *args: Any, **options: Any) -> None:
        from yuanqu.core.demo import demo_load_all

        if options["action"] != "load":
            raise CommandError("未知操作")
        for line in demo_load_all():
            self.stdout.write(line)
