"""Numbers as reports write them: Arabic with separators, Chinese numerals, scale words, units.

Works on text that :func:`yuanqu.textmine.clean.clean` has normalised (ASCII digits, ``%``, ``.``).
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

CHINESE_DIGITS = "零〇一二两三四五六七八九"
CHINESE_NUMERAL_CHARS = CHINESE_DIGITS + "十百千万亿点"

# A Chinese numeral must hold a digit or open with 十/百/千 ("十家", "百亿"): a bare 万 or 亿 is a word.
_CHINESE_NUMERAL = (
    rf"(?:[{CHINESE_DIGITS}十百千][{CHINESE_DIGITS}十百千万亿]*(?:点[{CHINESE_DIGITS}]+)?(?:万亿|亿|万)?)"
)
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:万亿|千万|百万|亿|万)"
# Units as written; longer forms first so that 千瓦时 is not read as 千 + 瓦时.
_BASE_UNIT = (
    r"(?:美元|欧元|港元|日元|元|千瓦时|度电|千瓦|兆瓦|吨标准煤|吨|标箱|辆|台|套|件|平方公里|平方米|"
    r"公顷|亩|公里|立方米|人次|人|张|笔|册|床)"
)
_COUNT_UNIT = r"(?:个(?!百分点|月|工作日|小时|季度|年|多月|半月|点)|家|户|项)"

QUANTITY = re.compile(
    rf"""
    # Only a few characters can open a quantity; saying so first lets the scan skip the rest fast.
    (?=[翻百0-9{CHINESE_DIGITS}十千\-−])
    (?:
    (?P<doubling>翻(?:了)?(?P<doublings>[一两二三四1-4])番|翻番)
    | 百分之(?P<cn_pct>{_CHINESE_NUMERAL})
    | (?P<sign>(?<![\d%.])[-−])?
      (?:(?P<num>{_ARABIC})|(?P<cn>{_CHINESE_NUMERAL}))
      (?:
          (?P<range_sep>%?[-—–~～])(?P<num_high>{_ARABIC})(?=%|个百分点|倍)
      )?
      (?P<more>多|余)?
      (?:
          (?P<pct>%)
        | (?P<pp>个百分点)
        | (?P<times>倍)
        | (?P<scale>{_SCALE})?(?P<unit>{_BASE_UNIT})
        | (?P<counted_scale>{_SCALE})(?P<scaled_count>家|户|个(?!百分点)|项)
        | (?P<count_unit>{_COUNT_UNIT})
        | (?P<bare_scale>{_SCALE})
      )
    )
    """,
    re.VERBOSE,
)

_DOUBLINGS = {"一": 1, "1": 1, "两": 2, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}
_SCALE_FACTORS = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4}


@dataclass(frozen=True)
class Quantity:
    """One number with what follows it, at ``start``–``end`` of the clean text."""

    kind: str  # "percent", "pp", "times", "doubling", "amount", "count"
    value: Decimal
    unit: str  # as written: 亿元, 亿美元, 万亿元, 亿千瓦时, 个, 家, %, 倍, 个百分点
    start: int
    end: int
    high: Decimal | None = None  # upper bound of a range such as 3-5%
    approximate: str | None = None  # 多 or 余 between the number and the unit


def arabic_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@lru_cache(maxsize=4096)
def chinese_value(text: str) -> Decimal | None:
    """六十三亿五千万 → 6350000000; None when cn2an cannot read it."""
    scale = Decimal(1)
    if text.endswith("万亿"):
        text, scale = text[:-2], _SCALE_FACTORS["万亿"]
    if text[:1] in "十百千":
        text = "一" + text
    try:
        number = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(number)) * scale
    except InvalidOperation:
        return None


def _chinese_amount(text: str) -> tuple[Decimal, str] | None:
    """A Chinese numeral that carries its own scale word, in units of that scale (as the text writes it)."""
    number = chinese_value(text)
    if number is None:
        return None
    for scale in ("万亿", "亿", "万"):
        if scale in text:
            return number / _SCALE_FACTORS[scale], scale
    return number, ""


def _plain(value: Decimal) -> Decimal:
    """Drop the exponent Decimal arithmetic leaves behind (1.2E+2 → 120) but keep written decimals."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return value.quantize(Decimal(1))
    return value


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number with a unit, percent, 倍, 个百分点 or count unit in ``text[start:end]``."""
    found: list[Quantity] = []
    for match in QUANTITY.finditer(text, start, len(text) if end is None else end):
        quantity = _quantity(match)
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(match: re.Match[str]) -> Quantity | None:
    start, end = match.span()
    if match["doubling"]:
        # 翻一番 doubles (+100%), 翻两番 quadruples (+300%).
        doublings = _DOUBLINGS.get(match["doublings"] or "一", 1)
        return Quantity("doubling", Decimal(2**doublings - 1) * 100, "番", start, end)
    if match["cn_pct"]:
        value = chinese_value(match["cn_pct"])
        return None if value is None else Quantity("percent", value, "%", start, end)
    scale_in_numeral = ""
    if match["num"]:
        value = arabic_value(match["num"])
    else:
        amount = _chinese_amount(match["cn"])
        if amount is None:
            return None
        value, scale_in_numeral = amount
    if match["sign"]:
        value = -value
    high = arabic_value(match["num_high"]) if match["num_high"] else None
    approximate = match["more"]
    if match["pct"]:
        return Quantity("percent", value, "%", start, end, high, approximate)
    if match["pp"]:
        return Quantity("pp", value, "个百分点", start, end, high, approximate)
    if match["times"]:
        return Quantity("times", value, "倍", start, end, high, approximate)
    if match["unit"]:
        unit = scale_in_numeral + (match["scale"] or "") + match["unit"]
        return Quantity("amount", _plain(value), unit, start, end, None, approximate)
    if match["scaled_count"]:
        # 1.2万户 is written as an amount of 万户, not converted to a count.
        unit = scale_in_numeral + match["counted_scale"] + match["scaled_count"]
        return Quantity("amount", _plain(value), unit, start, end, None, approximate)
    if match["count_unit"]:
        if scale_in_numeral:
            return Quantity("amount", _plain(value), scale_in_numeral + match["count_unit"], start, end)
        return Quantity("count", _plain(value), match["count_unit"], start, end, None, approximate)
    if match["bare_scale"]:
        return Quantity("amount", _plain(value), scale_in_numeral + match["bare_scale"], start, end)
    return None
