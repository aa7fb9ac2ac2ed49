from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yuanqu.accounts.roles import ADMINISTRATOR_ROLES, Role
from yuanqu.accounts.services import administrator_set


class Command(BaseCommand):
    help = (
        "在服务器上设置三员（系统管理员、安全管理员、审计管理员）：账号不存在则新建并生成一次性临时密码。"
        "管理员账号只能这样设置，管理后台里任何管理员都不能给管理员分配角色或设置密码。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=[role.value for role in ADMINISTRATOR_ROLES])
        parser.add_argument(
            "--reset-second-factor",
            action="store_true",
            help="删除其身份验证器与恢复码（手机遗失时），下次登录重新启用",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        role = Role(options["role"])
        try:
            user, password = administrator_set(
                username=options["username"], role=role, reset_second_factor=options["reset_second_factor"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{user.username} 现为{role.label}；首次登录须修改密码并启用两步验证")
        if password is not None:
            self.stdout.write("临时密码（只显示这一次）：")
            self.stdout.write(password)
