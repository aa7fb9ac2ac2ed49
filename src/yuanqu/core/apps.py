from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    verbose_name = _("组织与审计")
