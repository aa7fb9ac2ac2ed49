"""What each audit action code means, in words the auditor reads.

The codes are stored (``AuditEntry.action``) and never change; pages and exports show these
labels. A new kind of audit row adds its code here (a test checks that every code written in
the source has a label). Codes not listed fall back to the label of their group, then to the code.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    # signing in and out, passwords and the second factor
    "auth.login": _("登录"),
    "auth.login_failed": _("登录失败"),
    "auth.login_locked": _("登录被锁定"),
    "auth.logout": _("退出"),
    "auth.second_factor_failed": _("动态验证码错误"),
    "auth.second_factor_enrol": _("启用两步验证"),
    "auth.recovery_code_used": _("使用恢复码登录"),
    "auth.recovery_codes_renew": _("重新生成恢复码"),
    "auth.password_change": _("修改本人密码"),
    # administration (三员分立)
    "admin.user_create": _("新建用户"),
    "admin.user_change": _("修改用户信息"),
    "admin.password_set": _("设置用户密码"),
    "admin.password_reset_required": _("要求用户重设密码"),
    "admin.roles_change": _("调整用户角色"),
    "admin.second_factor_reset": _("重置两步验证"),
    "admin.lockout_clear": _("解除登录锁定"),
    "admin.administrator_set": _("在服务器上设置管理员"),
    # API tokens
    "token.create": _("创建接口令牌"),
    "token.revoke": _("吊销接口令牌"),
    # imports and exports
    "import.enterprise_months": _("企业月度数据导入"),
    "import.observations": _("指标观测值导入"),
    "import.project_ledger": _("项目台账导入"),
    "export.enterprise_figures": _("企业明细导出"),
    "export.project_ledger": _("项目台账导出"),
    "export.chains_progress": _("产业链进度导出"),
    "export.audit_log": _("审计日志导出"),
    "export.service_cases": _("政务服务办件导出"),
    "export.service_catalogue": _("政务服务事项清单导出"),
    "export.service_scorecard": _("政务服务指标导出"),
    "export.supervision_bulletin": _("督查通报导出"),
    "export.work_report": _("工作报告导出"),
    "import.service_catalogue": _("政务服务事项清单导入"),
    # published reports
    "ingest.report": _("公开报告入库"),
    "observation.review.accept": _("观测值审核：采纳"),
    "observation.review.correct": _("观测值审核：更正"),
    "observation.review.reject": _("观测值审核：驳回"),
    # investment projects
    "project.create": _("新建招商项目"),
    "project.stage": _("项目阶段推进"),
    "project.start_claim": _("申报实质性开工"),
    "project.start_confirm": _("确认实质性开工"),
    "project.start_reject": _("退回实质性开工申报"),
    "project.credit": _("登记招商贡献"),
    "project.update": _("修改招商项目"),
    # same-scope totals
    "scope.refresh": _("同口径汇总重算"),
    "scope.new_production": _("标记新投产企业"),
    "scope.new_production_removed": _("取消新投产标记"),
    # government service centre
    "service.case_accept": _("办件受理"),
    "service.case_notify": _("办件一次性告知补正"),
    "service.case_refuse": _("办件不予受理"),
    "service.case_pause": _("办件补正暂停计时"),
    "service.case_resume": _("办件补正后恢复计时"),
    "service.case_decide": _("办件审批决定"),
    "service.case_issue": _("办件出件"),
    "service.rating": _("办件评价"),
    "service.follow_up": _("差评整改"),
    "service.item_create": _("新增政务服务事项"),
    "service.item_update": _("修改政务服务事项"),
    "service.rules": _("修改政务服务规则"),
    "service.window_staff": _("调整窗口人员"),
    "service.window_create": _("新增服务窗口"),
    "service.window_update": _("修改服务窗口"),
    "service.calendar_override": _("调整工作日历"),
    "service.calendar_override_remove": _("删除工作日历调整"),
    "service.calendar_year": _("确认年度工作日历"),
    # supervision of key tasks
    "supervision.task_create": _("立项交办重点任务"),
    "supervision.measure_assign": _("交办具体举措"),
    "supervision.measure_link": _("关联举措数据"),
    "supervision.report": _("填报举措进展"),
    "supervision.review": _("审核举措进展"),
    "supervision.close": _("举措办结"),
    "supervision.colour": _("举措状态变化"),
    "supervision.stage_items": _("项目阶段超期督办事项"),
    "supervision.remind": _("督查提醒"),
    "supervision.reminder_read": _("阅读督查提醒"),
    "supervision.demo_load": _("加载演示督查任务"),
    # industry chains
    "chain.target_set": _("设定产业链目标"),
    "chain.enterprise_place": _("企业挂接产业链节点"),
    "chain.task_add": _("新增产业链工作任务"),
    "chain.task_progress": _("更新产业链任务进展"),
    "chain.request_raise": _("登记企业诉求"),
    "chain.request_assign": _("交办企业诉求"),
    "chain.request_reply": _("答复企业诉求"),
    "chain.request_close": _("办结企业诉求"),
    "chain.demo_load": _("加载演示产业链"),
    # the work report
    "report.draft": _("起草工作报告"),
    "report.rewrite": _("修改工作报告文字"),
    "report.accept": _("工作报告采用变化后的数字"),
    "report.keep": _("工作报告保留原数"),
    "report.issue": _("签发工作报告"),
    # operations
    "backup.create": _("数据库备份"),
    "backup.restore": _("数据库恢复"),
    "demo.projects": _("加载演示项目"),
    "demo.service": _("加载演示政务服务数据"),
    "demo.targets": _("加载演示目标"),
}

# The filter of the audit-log page, by the first part of the code.
ACTION_GROUPS: dict[str, Promise] = {
    "auth.": _("登录与账号安全"),
    "admin.": _("系统管理"),
    "token.": _("接口令牌"),
    "import.": _("数据导入"),
    "export.": _("数据导出"),
    "ingest.": _("公开报告"),
    "observation.": _("观测值审核"),
    "project.": _("招商项目"),
    "chain.": _("产业链"),
    "scope.": _("同口径汇总"),
    "service.": _("政务服务"),
    "supervision.": _("督查督办"),
    "report.": _("工作报告"),
    "backup.": _("备份与恢复"),
    "demo.": _("演示数据"),
}


def action_label(code: str) -> str:
    label = ACTION_LABELS.get(code)
    if label is not None:
        return str(label)
    for prefix, group in ACTION_GROUPS.items():
        if code.startswith(prefix):
            return _("%(group)s（%(code)s）") % {"group": group, "code": code}
    return code
