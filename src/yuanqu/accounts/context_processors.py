from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from yuanqu.accounts.roles import (
    AGGREGATE_READERS,
    AUDIT_READERS,
    ENTERPRISE_READERS,
    IMPORTERS,
    Role,
    has_role,
    role_labels,
)


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The side navigation a user's roles open, and the roles shown in the top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = [
        (AGGREGATE_READERS, "成绩单", reverse("indicators:dashboard")),
        (AGGREGATE_READERS, "大屏", reverse("indicators:screen")),
        (
            ENTERPRISE_READERS,
            "企业明细",
            reverse("indicators:drilldown", args=["industrial_invoiced_sales"]),
        ),
        (IMPORTERS, "数据导入", reverse("indicators:import")),
        (IMPORTERS, "报告审核", reverse("indicators:report_review")),
        (
            (Role.LEADERSHIP, Role.STATISTICIAN, Role.INVESTMENT_OFFICER, Role.CHAIN_LEADER, Role.SUPERVISOR),
            "产业链",
            reverse("chains:overview"),
        ),
        ((Role.INVESTMENT_OFFICER, Role.LEADERSHIP), "招商项目", reverse("projects:board")),
        ((Role.SUPERVISOR, Role.LEADERSHIP), _("督查督办"), reverse("supervision:board")),
        ((Role.LEADERSHIP,), _("我分管的任务"), reverse("supervision:leader")),
        ((Role.DEPARTMENT_STAFF,), _("我的任务"), reverse("supervision:mine")),
        ((Role.SUPERVISOR,), "项目超期预警", reverse("supervision:overdue")),
        ((Role.SERVICE_STAFF,), "窗口工作台", reverse("service:workbench")),
        ((Role.SERVICE_REVIEWER,), "审批办件", reverse("service:review")),
        ((Role.SERVICE_MANAGER, Role.LEADERSHIP), "政务服务", reverse("service:dashboard")),
        (AGGREGATE_READERS, "工作报告", reverse("workreport:reports")),
        (AUDIT_READERS, "审计日志", reverse("accounts:audit_log")),
        ((Role.SYSTEM_ADMIN,), "用户管理", reverse("admin:auth_user_changelist")),
        ((Role.SECURITY_ADMIN,), "用户角色", reverse("admin:auth_user_changelist")),
        ((Role.SECURITY_ADMIN,), "令牌与登录锁定", reverse("admin:index")),
    ]
    nav = [{"label": label, "url": url} for roles, label, url in entries if has_role(user, *roles)]
    nav.append({"label": "接口文档", "url": reverse("api-docs")})
    return {"nav": nav, "role_labels": role_labels(user)}
