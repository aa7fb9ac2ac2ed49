import pytest

from yuanqu import uscc


def test_it_computes_the_check_character_by_the_standard_weights() -> None:
    # Hand-computed: all zeros weigh 0, so the check is (31 − 0) mod 31 = 0 → "0".
    assert uscc.check_character("0" * 17) == "0"
    # A leading 1 weighs 1 × 1 = 1, so the check is 31 − 1 = 30 → the 31st character, "Y".
    assert uscc.check_character("1" + "0" * 16) == "Y"
    # A leading A (value 10) weighs 10, so the check is 21 → "M" (I and O are skipped).
    assert uscc.check_character("A" + "0" * 16) == "M"


def test_it_accepts_a_valid_code_in_lower_case() -> None:
    assert uscc.validate("a" + "0" * 16 + "m") == "A" + "0" * 16 + "M"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("1" + "0" * 16 + "X", "校验位应为“Y”"),
        ("12345", "应为18位"),
        ("I" + "0" * 17, "非法字符“I”"),
    ],
)
def test_it_says_what_is_wrong_with_a_bad_code(code: str, message: str) -> None:
    with pytest.raises(uscc.UsccError, match=message):
        uscc.validate(code)
