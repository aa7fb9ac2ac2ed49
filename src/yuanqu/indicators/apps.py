from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "yuanqu.indicators"
    verbose_name = _("经济指标")
