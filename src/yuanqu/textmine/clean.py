"""Turn scraped report text into plain Simplified text, remembering where every character came from.

Steps, each keeping an exact map from clean offsets to original offsets:
pinyin annotations dropped, Traditional → Simplified, full-width digits/letters/%/. made ASCII,
spaces around Chinese removed, boilerplate (免责声明, 来源：, 责任编辑, 版权…) dropped.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import opencc

from yuanqu.textmine.pinyin import annotates

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# A bracketed Latin word right after Chinese characters: the candidates for a pinyin reading.
_LATIN = r"[A-Za-z\u00c0-\u024f\u0300-\u036f][A-Za-z\u00c0-\u024f\u0300-\u036f0-9 :'\-]{0,39}"
_ANNOTATION = re.compile(rf"([{_CJK}]{{1,4}})([(（【])({_LATIN})([)）】])")
_CLOSING = {"(": ")", "（": "）", "【": "】"}

_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "％": "%",
        "﹪": "%",
        "．": ".",
        "＋": "+",
        "－": "-",
        "−": "-",
        "\u3000": " ",
        "\u00a0": " ",
    }
)
# A full-width comma between digit groups is a thousands separator (１２，５８６户), not a clause break.
_THOUSANDS_COMMA = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")
_SPACE_NEAR_CHINESE = re.compile(
    rf"(?<=[{_CJK}\u3000-\u303f\uff00-\uffef])[ \t\r\u2000-\u200b]+"
    rf"|[ \t\r\u2000-\u200b]+(?=[{_CJK}\u3000-\u303f\uff00-\uffef])"
    r"|\r"
)
# A disclaimer runs to the end of the article; the others are single lines wherever they sit.
_DISCLAIMER = re.compile(r"^[ \t【\[]*(?:免责声明|免责申明|特别声明)[\s\S]*", re.MULTILINE)
_BOILERPLATE_LINE = re.compile(
    r"^[ \t【\[]*(?:(?:文章|稿件|新闻|本文|信息|图片)?来源[】\]]?[:：]|责任编辑|编辑[:：]|审核[:：]|校对[:：]"
    r"|版权(?:所有|声明|归)|原标题[:：]|转载请|声明[:：]|©|Copyright)[^\n]*(?:\n|$)",
    re.MULTILINE | re.IGNORECASE,
)


_SPACES = (" ", "\t", "\r", *(chr(code) for code in range(0x2000, 0x200C)))
_BOILERPLATE_TRIGGERS = ("来源", "编辑", "审核", "校对", "版权", "原标题", "转载", "声明", "©", "opyright", "OPYRIGHT")


@dataclass(frozen=True)
class Cleaned:
    """Clean text and, for each of its characters, the offset of that character in the original."""

    text: str
    offsets: Sequence[int]
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets covering clean ``text[start:end]`` (annotations inside it included)."""
        if start >= end:
            at = self.offsets[start] if start < len(self.offsets) else self.original_length
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Traditional → Simplified, one character for one, so offsets survive.

    OpenCC's phrase tables may change the length of a line; such lines fall back to
    character-by-character conversion, keeping a character whose conversion is not one character.
    """
    converter = _to_simplified()
    converted = converter.convert(text)
    if len(converted) == len(text):
        return converted
    lines: list[str] = []
    for line in text.split("\n"):
        line_converted = converter.convert(line)
        if len(line_converted) != len(line):
            line_converted = "".join(_simplified_char(char) for char in line)
        lines.append(line_converted)
    return "\n".join(lines)


@lru_cache(maxsize=8192)
def _simplified_char(char: str) -> str:
    converted: str = _to_simplified().convert(char)
    return converted if len(converted) == 1 else char


def _annotation_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _ANNOTATION.finditer(text):
        run, opening, annotation, closing = match.groups()
        if _CLOSING[opening] == closing and _is_reading(annotation, run):
            spans.append((match.start(2), match.end()))
    return spans


@lru_cache(maxsize=65536)
def _is_reading(annotation: str, run: str) -> bool:
    # pypinyin knows most Traditional characters; the Simplified form covers the rest.
    return annotates(annotation, run) or annotates(annotation, simplified(run))


def _drop(text: str, offsets: Sequence[int], spans: Iterable[tuple[int, int]]) -> tuple[str, list[int]]:
    """Remove the (sorted, disjoint) spans from text and its offset map together."""
    pieces: list[str] = []
    kept: list[int] = []
    cursor = 0
    for start, end in spans:
        if start < cursor:
            start = cursor
        if start >= end:
            continue
        pieces.append(text[cursor:start])
        kept.extend(offsets[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    kept.extend(offsets[cursor:])
    return "".join(pieces), kept


def clean(text: str) -> Cleaned:
    """Plain Simplified text with ASCII numbers, and its exact map back to ``text``."""
    result, offsets = _drop(text, range(len(text)), _annotation_spans(text))
    result = simplified(result).translate(_FULL_WIDTH)
    # Each step below scans the whole text, so it runs only when its trigger character is present.
    if "，" in result:
        result = _THOUSANDS_COMMA.sub(",", result)
    if any(space in result for space in _SPACES):
        result, offsets = _drop(result, offsets, (m.span() for m in _SPACE_NEAR_CHINESE.finditer(result)))
    if "声明" in result or "申明" in result:
        result, offsets = _drop(result, offsets, (m.span() for m in _DISCLAIMER.finditer(result)))
    if any(trigger in result for trigger in _BOILERPLATE_TRIGGERS):
        result, offsets = _drop(result, offsets, (m.span() for m in _BOILERPLATE_LINE.finditer(result)))
    return Cleaned(result, offsets, len(text))
