from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChainsConfig(AppConfig):
    name = "yuanqu.chains"
    verbose_name = _("产业链（链长+链主制）")
