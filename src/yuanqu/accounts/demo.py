"""Demo users, one per role, for trying the workspace."""

from django.contrib.auth.models import Group, User
from django.db import transaction

from yuanqu.accounts.roles import Role
from yuanqu.accounts.services import roles_ensure

# Meets the password validators (length, not common, not numeric, unlike the user names).
DEMO_PASSWORD = "Yangzhou-Demo-2023"
DEMO_USERS = [
    # user name, display name, role
    ("leader", "王主任", Role.LEADERSHIP),
    ("statistician", "李统计", Role.STATISTICIAN),
    ("investment", "张招商", Role.INVESTMENT_OFFICER),
    ("chainleader", "赵链长", Role.CHAIN_LEADER),
    ("window", "陈窗口", Role.SERVICE_STAFF),
    ("reviewer", "孙审批", Role.SERVICE_REVIEWER),
    ("centre", "钱主任", Role.SERVICE_MANAGER),
    ("supervisor", "刘督查", Role.SUPERVISOR),
    ("department", "钱经发", Role.DEPARTMENT_STAFF),
    ("sysadmin", "周系统", Role.SYSTEM_ADMIN),
    ("secadmin", "吴安全", Role.SECURITY_ADMIN),
    ("auditor", "郑审计", Role.AUDIT_ADMIN),
]
# The two administrators who work in the Django admin; what each may do there is decided in
# code by role (accounts/admin.py), not by Django permissions. The auditor has its own page.
ADMIN_SITE_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


@transaction.atomic
def demo_load() -> list[str]:
    roles_ensure()
    groups = {group.name: group for group in Group.objects.filter(name__in=[role.value for role in Role])}
    created = 0
    for username, display_name, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=display_name)
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role in ADMIN_SITE_ROLES
            user.save()
            created += 1
        user.groups.add(groups[role.value])
    lines = [f"演示用户：新建 {created} 个，共 {len(DEMO_USERS)} 个，密码均为 {DEMO_PASSWORD}"]
    lines.append("三个管理员（sysadmin、secadmin、auditor）首次登录时须在手机身份验证器上启用两步验证")
    lines.append("登录：运行 make run 后打开 http://127.0.0.1:8000/accounts/login/")
    lines.extend(f"  {username:<14}{role.label}（{display_name}）" for username, display_name, role in DEMO_USERS)
    return lines
