"""Is a parenthesised Latin word a pinyin reading of the characters just before it?

Scraped reports often carry readings such as 揚(yáng) or 企【qǐ】; real parentheses such as (GDP)
must stay, so an annotation is dropped only when pypinyin agrees it reads the preceding characters.
"""

import unicodedata
from functools import lru_cache

# Tone marks as combining characters after NFD: macron, acute, caron, grave.
_TONE_OF_MARK = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}
_DIAERESIS = "\u0308"
_LONGEST_ANNOTATED_RUN = 4


def _inline_tones(syllable: str) -> str:
    """yáng → ya2ng, lǜ → lv4: one spelling for tone marks whatever their position, ü as v."""
    out: list[str] = []
    for char in unicodedata.normalize("NFD", syllable.lower()):
        if char == _DIAERESIS:
            if out and out[-1] == "u":
                out[-1] = "v"
        elif char in _TONE_OF_MARK:
            out.append(_TONE_OF_MARK[char])
        elif not unicodedata.combining(char):
            out.append(char)
    return "".join(out).replace("u:", "v")


def _toneless(spelling: str) -> str:
    return "".join(char for char in spelling if not char.isdigit())


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """Spellings accepted as a reading of ``char``: inline tone marks, tone numbers, toneless."""
    # Imported on first use: pypinyin loads its whole dictionary (about half a second), which only
    # a text with a parenthesised Latin word needs, not every process that imports the text miner.
    from pypinyin import Style, pinyin

    forms: set[str] = set()
    for style in (Style.TONE, Style.TONE3):
        for reading in pinyin(char, style=style, heteronym=True, neutral_tone_with_five=True)[0]:
            if reading == char:  # pypinyin echoes characters it does not know
                continue
            inline = _inline_tones(reading)
            forms.add(inline)
            forms.add(_toneless(inline))
            if style is Style.TONE3 and reading[-1:].isdigit():
                forms.add(inline[:-1] if reading.endswith("5") else inline)
    return frozenset(forms)


def _spells(annotation: str, chars: str) -> bool:
    """True when ``annotation`` is the readings of ``chars`` one after another."""
    if not chars:
        return not annotation
    for form in readings(chars[0]):
        if annotation.startswith(form) and _spells(annotation[len(form) :], chars[1:]):
            return True
    return False


def annotates(annotation: str, preceding: str) -> bool:
    """Whether ``annotation`` (the text between the brackets) reads the tail of ``preceding``.

    One syllable must read the last character; several (joined or spaced) may read the last few.
    """
    spelling = _inline_tones(annotation.strip()).replace(" ", "").replace("'", "").replace("-", "")
    if not spelling or not spelling.isascii() or not spelling.isalnum():
        return False
    for length in range(1, min(_LONGEST_ANNOTATED_RUN, len(preceding)) + 1):
        if _spells(spelling, preceding[-length:]):
            return True
    return False
