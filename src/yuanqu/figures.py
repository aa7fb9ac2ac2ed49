"""Writing numbers the way a Chinese statistical report writes them.

Rates to one decimal with the trailing zero kept (8.0%), rounding half up as the
statistics bureaus do; differences of rates in 个百分点; amounts in 亿元 or 万元;
narrative says 增长/下降, never a minus sign.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

YUAN_PER_WAN = Decimal(10_000)
YUAN_PER_YI = Decimal(100_000_000)
ONE_DECIMAL = Decimal("0.1")


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate(value: Decimal, places: int = 1) -> str:
    """8.3 -> '8.3', 8 -> '8.0', -2.04 -> '-2.0' (a plain number; see growth for prose)."""
    rounded = round_half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)  # never print -0.0
    return f"{rounded:.{places}f}"


def growth(pct: Decimal, places: int = 1) -> str:
    """Growth in narrative form: 增长8.3%, 下降2.0%, 持平."""
    rounded = round_half_up(pct, places)
    if rounded > 0:
        return f"增长{rate(rounded, places)}%"
    if rounded < 0:
        return f"下降{rate(-rounded, places)}%"
    return "与上年同期持平"


def points(pp: Decimal, places: int = 1) -> str:
    """A difference of two rates: '5.2个百分点' (sign handled by the caller's wording)."""
    return f"{rate(abs(pp), places)}个百分点"


def yi_from_yuan(yuan: int | Decimal) -> Decimal:
    return Decimal(yuan) / YUAN_PER_YI


def wan_from_yuan(yuan: int | Decimal) -> Decimal:
    return Decimal(yuan) / YUAN_PER_WAN


def amount(value: Decimal, unit: str, places: int = 1) -> str:
    """375.3亿元; the unit is written as given."""
    return f"{rate(value, places)}{unit}"


def percent_change(current: Decimal, base: Decimal) -> Decimal:
    """(current / base − 1) × 100, unrounded; the caller checks base > 0."""
    return (current / base - 1) * 100


def plain(value: Decimal) -> str:
    """A target as written: 2000 not 2000.0, 1.5 stays 1.5."""
    normalised = value.normalize()
    return f"{normalised:f}"


def entered(value: Any) -> Any:
    """A stored figure as an edit form shows it, the way it was typed: 10.3 not 10.3000, 100
    not 100.00, 0 not 0.00; anything but a Decimal as it is. (A form's initial values.)"""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    normalised = value.normalize()
    return normalised.quantize(Decimal(1)) if normalised == normalised.to_integral_value() else normalised


def grouped(value: Decimal | int, places: int = 1) -> str:
    """A table figure: thousands separators and a fixed number of decimals (12,345.6)."""
    rounded = round_half_up(Decimal(value), places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:,.{places}f}"


def percent(value: Decimal, places: int = 1) -> str:
    """A rate with its sign and percent sign: 12.6%, -2.0%, 8.0%."""
    return f"{rate(value, places)}%"


def amount_in(value: Decimal, unit: str, places: int = 1, *, separators: bool = False) -> str:
    """An amount in a unit a report chooses: 142.3亿元, 5,913,752.7万元 with separators."""
    return f"{grouped(value, places) if separators else rate(value, places)}{unit}"


def at_most(value: Decimal | int, places: int = 2, *, separators: bool = False) -> str:
    """A stored figure to at most ``places`` decimals, trailing zeros dropped: 120, 3.5, 290.62.

    For amounts entered by hand (a project's 3.5亿元, a share of 60%) that a fixed number of
    decimals would pad (3.50) and that the database keeps to four (290.6158).
    """
    rounded = round_half_up(Decimal(value), places).normalize()
    if rounded == 0:
        rounded = Decimal(0)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return f"{rounded:,f}" if separators else f"{rounded:f}"
