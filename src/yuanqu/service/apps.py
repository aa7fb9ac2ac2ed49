from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "yuanqu.service"
    verbose_name = _("政务服务中心")
