from argparse import ArgumentParser
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from yuanqu.accounts.services import token_create


class Command(BaseCommand):
    help = "为用户创建接口令牌（Authorization: Bearer <令牌>）；令牌只显示这一次。"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["create"], help="create：创建令牌")
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途，如 报表系统")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"未找到有效用户“{options['username']}”")
        token, raw = token_create(user=user, name=options["name"])
        self.stdout.write(f"已为 {user.username} 创建令牌 {token.prefix}…（请妥善保存，之后无法再次查看）")
        self.stdout.write(raw)
