"""Numbers as reports write them: Arabic with separators, Chinese numerals, scale words, units.

Works on text that :func:`yuanqu.textmine.clean.clean` has normalised (ASCII digits, ``%``, ``.``).
Rules, each tested in ``tests/textmine/test_numbers.py``:

- Chinese numerals anywhere, in any scale the text uses (五百三十二点六八亿元 → 532.68 亿元, 三兆四千二百亿元
  → 3.42 兆元, 廿七 → 27, 二〇一九 → 2019); 一成八 is 18%.
- A compound magnitude keeps the larger scale as its unit: 18万2,460人 → 18.246 万人.
- Units are as written, with a per-unit tail (元/吨, 万元/亩); 亿元人民币 is 亿元 (the currency is noted).
- An Arabic number right before a clause break is kept as a *bare* number: the extractor reads it as
  a growth when a growth word leads it (增长37。, the percent sign lost in scraping).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

CHINESE_DIGITS = "零〇一二两三四五六七八九廿卅"
CHINESE_NUMERAL_CHARS = CHINESE_DIGITS + "十百千万亿兆点"

# A Chinese numeral must hold a digit or open with 十/百/千 ("十家", "百亿"): a bare 万 or 亿 is a word.
_CHINESE_NUMERAL = (
    rf"(?:[{CHINESE_DIGITS}十百千][{CHINESE_DIGITS}十百千万亿兆]*(?:点[{CHINESE_DIGITS}]+)?(?:万亿|亿|万|兆)?)"
)
_ARABIC = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:万亿|千万|百万|亿|万|兆)"
# Units as written; longer forms first so that 千瓦时 is not read as 千 + 瓦时.
_BASE_UNIT = (
    r"(?:美元|欧元|港元|日元|元|千瓦时|度电|度|千瓦|兆瓦|吨标准煤|吨|公斤|千克|标箱|辆|台|套|件|平方公里|平方米|㎡|"
    r"公顷|亩|公里|立方米|人次|人|张|笔|册|床|头|只|羽)"
)
_PER_UNIT = r"(?:元|吨|公斤|千克|度|千瓦时|亩|平方米|㎡|平方公里|公顷|人|户|台|辆|件|年|月|日|天|次)"
# 成 opens words too (成立, 成功, 成为, 成本): after a digit those are no tenths.
_CHENG_WORDS = "[立功为效交果绩本员长都品型熟分份年就色套批不]"
_COUNT_UNIT = r"(?:个(?!百分点|月|工作日|小时|季度|年|多月|半月|点)|家|户|项|宗)"

QUANTITY = re.compile(
    rf"""
    # Only a few characters can open a quantity; saying so first lets the scan skip the rest fast.
    (?=[翻百0-9{CHINESE_DIGITS}十千\-−])
    (?:
    (?P<doubling>翻(?:了)?(?P<doublings>[一两二三四1-4])番|翻番)
    | 百分之(?P<cn_pct>{_CHINESE_NUMERAL})
    | (?P<tenths>[一二两三四五六七八九])成(?P<hundredths>[一二三四五六七八九](?!成))?(?!{_CHENG_WORDS})
    | (?P<sign>(?<![\d%.])[-−])?
      (?:(?P<num>{_ARABIC})|(?P<cn>{_CHINESE_NUMERAL}))
      (?:(?P<major>兆|万亿|亿|万)(?P<minor>{_ARABIC})(?=(?:{_SCALE})?(?:{_BASE_UNIT}|{_COUNT_UNIT})))?
      (?:
          (?P<range_sep>%?[-—–~～])(?P<num_high>{_ARABIC})(?=%|个百分点|倍)
      )?
      (?P<more>多|余)?
      (?:
          (?P<pct>%)
        | (?P<pp>个百分点)
        | (?P<times>倍)
        | (?P<scale>{_SCALE})?(?P<unit>{_BASE_UNIT})(?:/(?P<per>{_PER_UNIT})|(?P<rmb>人民币))?
        | (?P<counted_scale>{_SCALE})(?P<scaled_count>家|户|个(?!百分点)|项|宗)
        | (?P<count_unit>{_COUNT_UNIT})
        | (?P<bare_scale>{_SCALE})
        | (?<=\d)(?P<bare>(?=[。，,；;、！？\n]|$))
      )
    )
    """,
    re.VERBOSE,
)

_DOUBLINGS = {"一": 1, "1": 1, "两": 2, "二": 2, "2": 2, "三": 3, "3": 3, "四": 4, "4": 4}
_SCALE_FACTORS = {
    "兆": Decimal(10) ** 12,
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
}
_DIGIT_VALUES = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}
# Scales split a numeral into sections, largest first (三兆四千二百亿 = 3×10¹² + 4200×10⁸).
_SECTION_SCALES = (("万亿", 10**12), ("兆", 10**12), ("亿", 10**8), ("万", 10**4))


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
    """六十三亿五千万 → 6350000000, 五百三十二点六八亿 → 53268000000; None when it is not a numeral."""
    text = text.replace("廿", "二十").replace("卅", "三十")
    if not text or any(char not in CHINESE_NUMERAL_CHARS for char in text):
        return None
    return _sections(text)


def _sections(text: str) -> Decimal | None:
    for scale, factor in _SECTION_SCALES:
        position = text.find(scale)
        if position >= 0:
            high = _sections(text[:position]) if position else Decimal(1)
            rest = text[position + len(scale) :]
            low = _sections(rest) if rest else Decimal(0)
            if high is None or low is None:
                return None
            if rest and rest[0] not in "零〇" and _is_bare_digit(rest) and factor > 10:
                # 一万五 is 15000: a lone digit after a scale counts in the next unit down.
                low = low * factor / 10
            return high * factor + low
    return _below_ten_thousand(text)


def _is_bare_digit(text: str) -> bool:
    return len(text) == 1 and text in _DIGIT_VALUES


def _below_ten_thousand(text: str) -> Decimal | None:
    whole, _dot, decimals = text.partition("点")
    if "点" in decimals or any(char not in _DIGIT_VALUES for char in decimals):
        return None
    if whole and all(char in _DIGIT_VALUES for char in whole):
        # 二〇〇六 or 一五: digits one after another, as a year is written.
        number = Decimal("".join(str(_DIGIT_VALUES[char]) for char in whole))
    else:
        total = 0
        pending: int | None = None
        last_unit = 1
        for char in whole:
            if char in _DIGIT_VALUES:
                pending = _DIGIT_VALUES[char] if char not in "零〇" else None
            elif char in _UNIT_VALUES:
                unit = _UNIT_VALUES[char]
                total += (1 if pending is None else pending) * unit
                pending, last_unit = None, unit
            else:
                return None
        if pending is not None:
            # 三千五 is 3500; 一千零五 is 1005.
            previous = whole[-2:-1]
            total += pending * (last_unit // 10 if previous in _UNIT_VALUES and last_unit > 10 else 1)
        number = Decimal(total)
    if decimals:
        number += Decimal("0." + "".join(str(_DIGIT_VALUES[char]) for char in decimals))
    return number


def _chinese_amount(text: str) -> tuple[Decimal, str] | None:
    """A Chinese numeral that carries its own scale word, in units of that scale (as the text writes it)."""
    number = chinese_value(text)
    if number is None:
        return None
    for scale in ("万亿", "兆", "亿", "万"):
        if scale in text:
            return number / _SCALE_FACTORS[scale], scale
    return number, ""


def _plain(value: Decimal) -> Decimal:
    """Drop the exponent Decimal arithmetic leaves behind (1.2E+2 → 120) but keep written decimals."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return value.quantize(Decimal(1))
    return value


_LIST_JOINT = frozenset({"、", "和", "与", "及", ",", "，"})


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number with a unit, percent, 倍, 个百分点 or count unit in ``text[start:end]``.

    Numbers listed before the one that carries the unit share it (2.4、0.8、5.1个百分点).
    """
    found: list[Quantity] = []
    has_bare = False
    for match in QUANTITY.finditer(text, start, len(text) if end is None else end):
        quantity = _quantity(match)
        if quantity is not None:
            found.append(quantity)
            has_bare = has_bare or quantity.kind == "bare"
    if has_bare:
        _share_units(text, found)
    return found


def _share_units(text: str, found: list[Quantity]) -> None:
    index = len(found) - 1
    while index > 0:
        unit_holder = found[index]
        first = index
        while (
            first > 0
            and found[first - 1].kind == "bare"
            and text[found[first - 1].end : found[first].start] in _LIST_JOINT
        ):
            first -= 1
        if first < index and unit_holder.kind not in ("bare", "doubling"):
            for position in range(first, index):
                bare = found[position]
                found[position] = Quantity(unit_holder.kind, bare.value, unit_holder.unit, bare.start, bare.end)
        index = first - 1 if first < index else index - 1


def _quantity(match: re.Match[str]) -> Quantity | None:
    start, end = match.span()
    if match["doubling"]:
        # 翻一番 doubles (+100%), 翻两番 quadruples (+300%).
        doublings = _DOUBLINGS.get(match["doublings"] or "一", 1)
        return Quantity("doubling", Decimal(2**doublings - 1) * 100, "番", start, end)
    if match["cn_pct"]:
        value = chinese_value(match["cn_pct"])
        return None if value is None else Quantity("percent", value, "%", start, end)
    if match["tenths"]:
        # 一成八 is eighteen per cent: 成 counts tenths, the digit after it hundredths.
        tenths = _DIGIT_VALUES[match["tenths"]] * 10
        hundredths = _DIGIT_VALUES[match["hundredths"]] if match["hundredths"] else 0
        return Quantity("percent", Decimal(tenths + hundredths), "%", start, end)
    scale_in_numeral = ""
    if match["num"]:
        value = arabic_value(match["num"])
        if match["major"]:
            # 18万2,460人: the second number counts in the scale after it (or ones), the unit is the first scale.
            major = _SCALE_FACTORS[match["major"]]
            minor_scale = _SCALE_FACTORS.get(match["scale"] or "", Decimal(1))
            if minor_scale >= major:
                return None
            value = value + arabic_value(match["minor"]) * minor_scale / major
            scale_in_numeral = match["major"]
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
        scale = "" if match["major"] else match["scale"] or ""
        unit = scale_in_numeral + scale + match["unit"] + (f"/{match['per']}" if match["per"] else "")
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
    if match["bare"] is not None and match["num"] and not match["major"]:
        return Quantity("bare", value, "", start, end)
    return None
