from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingConfig(AppConfig):
    name = "yuanqu.reading"
    verbose_name = _("外部报告解读")
