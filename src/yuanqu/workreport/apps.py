from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkReportConfig(AppConfig):
    name = "yuanqu.workreport"
    verbose_name = _("工作报告")
