"""The password rules' messages in Chinese where Django's translation falls short."""

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import gettext


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    # Django's zh-hans catalogue lacks the plural form of this message, so it showed in English.
    def get_error_message(self) -> str:
        return gettext("这个密码太短了，至少要有 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return gettext("密码至少要有 %(min_length)d 个字符。") % {"min_length": self.min_length}
