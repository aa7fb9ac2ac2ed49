"""Applicants' identity numbers and phone numbers: checked on entry, masked for those not handling a case.

居民身份证号码 (GB 11643-1999): 17 digits and a check character (ISO 7064 MOD 11-2, X for 10).
Django-free.
"""

import re
from datetime import date

from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
MASK = "*"


class IdentityError(ValueError):
    """An invalid number; the message is for the user, in Chinese."""


def id_check_character(first17: str) -> str:
    return CHECK_CHARACTERS[sum(int(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)) % 11]


def validate_id_number(text: str) -> str:
    """The normalised 18-character number, or IdentityError saying what is wrong with it."""
    value = text.strip().upper()
    if len(value) != 18:
        raise IdentityError(_("应为18位，实为%(length)d位") % {"length": len(value)})
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise IdentityError(_("前17位应为数字，末位为数字或X"))
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdentityError(_("出生日期“%(birth)s”无效") % {"birth": value[6:14]}) from exc
    expected = id_check_character(value[:17])
    if value[17] != expected:
        raise IdentityError(
            _("校验位应为“%(expected)s”，实为“%(actual)s”") % {"expected": expected, "actual": value[17]}
        )
    return value


def id_complete(first17: str) -> str:
    """Append the check character (used to generate demo applicants)."""
    return first17 + id_check_character(first17)


def validate_phone(text: str) -> str:
    value = text.strip().replace(" ", "")
    if not PHONE.match(value):
        raise IdentityError(_("“%(phone)s”不是手机号码（11位）或固定电话（区号-号码）") % {"phone": value[:20]})
    return value


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: the family name's first character stays."""
    return name[:1] + MASK * max(1, len(name) - 1) if name else ""


def mask_id_number(code: str) -> str:
    """321002199001011234 → 321***********1234."""
    if len(code) <= 7:
        return MASK * len(code)
    return code[:3] + MASK * (len(code) - 7) + code[-4:]


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; a landline keeps its area code and last four digits."""
    if len(phone) <= 7:
        return MASK * len(phone)
    return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]
