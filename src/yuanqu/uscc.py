"""统一社会信用代码 (GB 32100-2015): 18 characters, the last one a check character."""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, Z, S, V
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUES = {char: index for index, char in enumerate(ALPHABET)}


class UsccError(ValueError):
    """An invalid code; the message is for the user, in Chinese."""


def check_character(first17: str) -> str:
    total = 0
    for char, weight in zip(first17, WEIGHTS, strict=True):
        try:
            total += _VALUES[char] * weight
        except KeyError as exc:
            raise UsccError(f"含有非法字符“{char}”") from exc
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    return code.strip().upper()


def validate(code: str) -> str:
    """Return the normalised code, or raise UsccError saying what is wrong with it."""
    value = normalise(code)
    if len(value) != 18:
        raise UsccError(f"应为18位，实为{len(value)}位")
    for char in value:
        if char not in _VALUES:
            raise UsccError(f"含有非法字符“{char}”")
    expected = check_character(value[:17])
    if value[17] != expected:
        raise UsccError(f"校验位应为“{expected}”，实为“{value[17]}”")
    return value


def complete(first17: str) -> str:
    """Append the check character to 17 characters (used to generate demo enterprises)."""
    return first17 + check_character(first17)
