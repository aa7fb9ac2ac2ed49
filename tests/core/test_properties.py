"""Properties that hold for every period and every number, not just the examples."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yuanqu import figures, uscc
from yuanqu.periods import Period

periods = st.builds(
    lambda year, first, length: Period(year, first, min(12, first + length)),
    st.integers(1990, 2100),
    st.integers(1, 12),
    st.integers(0, 11),
)
rates = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False, places=4)


@given(periods)
def test_a_period_reads_back_from_its_code_and_its_label(period: Period) -> None:
    assert Period.parse(period.code) == period
    assert Period.parse(period.full_label) == period


@given(rates)
def test_narrative_growth_never_shows_a_minus_sign_and_keeps_one_decimal(pct: Decimal) -> None:
    text = figures.growth(pct)
    assert "-" not in text
    if text != "与上年同期持平":
        number = text.removeprefix("增长").removeprefix("下降").removesuffix("%")
        assert len(number.split(".")[1]) == 1


@given(st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17))
def test_every_completed_code_validates_and_any_other_check_character_fails(first17: str) -> None:
    code = uscc.complete(first17)
    assert uscc.validate(code) == code
    wrong = next(char for char in uscc.ALPHABET if char != code[-1])
    with pytest.raises(uscc.UsccError, match="校验位"):
        uscc.validate(first17 + wrong)
