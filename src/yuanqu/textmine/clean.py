"""Turn scraped report text into plain Simplified text, remembering where every character came from.

Steps, each keeping an exact map from clean offsets to original offsets:
pinyin annotations dropped, Traditional → Simplified, full-width digits/letters/%/. made ASCII,
spaces around Chinese removed, boilerplate (免责声明, 来源：, 责任编辑, 版权…) dropped, symbols a
scraper injected between characters dropped, page counters dropped and numbers broken across spaces
or lines joined again.
"""

import re
import unicodedata
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


# Symbols a scraper or a spam filter injects into words and numbers (营业№收入, 招∩商, 第→3位, 产『值):
# arrows, mathematical and technical signs, box drawing, blocks, geometric shapes, dingbats and
# Bopomofo. Next to a Chinese character or between digits none of them can be text; the signs
# reports do write (℃, ㎡, ‰, ～, ∶ of a ratio, + and - of a number) are kept.
_KEPT_SYMBOLS = frozenset("℃℉∶+-<>=×÷±")
_NOISE_CHARS = "".join(
    char
    for code in [*range(0x2100, 0x2C00), *range(0x3100, 0x3130), *range(0x31A0, 0x31C0)]
    if (char := chr(code)) not in _KEPT_SYMBOLS
    and (unicodedata.category(char) in ("So", "Sm", "Sk") or 0x3100 <= code < 0x31C0)
)
_NOISE_CLASS = "[" + re.escape(_NOISE_CHARS) + "]"
_NOISE = re.compile(_NOISE_CLASS)
_NOISE_IN_TEXT = re.compile(
    rf"(?<=[{_CJK}]){_NOISE_CLASS}+|{_NOISE_CLASS}+(?=[{_CJK}])|(?<=[\d.]){_NOISE_CLASS}+(?=[\d.])"
)
# Corner and white brackets open and close quotations; one without its partner on the line is noise.
_PAIRED = {"『": "』", "〖": "〗", "「": "」"}
_CLOSERS = {closing: opening for opening, closing in _PAIRED.items()}
# A line holding nothing but a page counter: 第3页, 第 3 页 共 10 页, - 3 -, 3/10.
_PAGE_COUNTER_LINE = re.compile(
    r"^[ \t]*(?:第[ \t]*\d+[ \t]*页(?:[ \t]*[/，,]?[ \t]*共[ \t]*\d+[ \t]*页)?|[-—－][ \t]*\d+[ \t]*[-—－]"
    r"|\d+[ \t]*/[ \t]*\d+|[(（]?第?[ \t]*\d+[ \t]*页[)）]?)[ \t]*\n",
    re.MULTILINE,
)
# Whitespace or a line break inside a number (246.\n3亿元, 1 234.5亿元): joined when what follows the
# break is the rest of a number that ends in a unit, a percent or a scale word.
_BROKEN_NUMBER = re.compile(r"(?<=[\d.,])[ \t]*\n?[ \t]*(?<=[ \t\n])(?=[\d.,]*\d[\d.,]*(?:%|[亿万千百元个家户项倍吨]))")

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


def _unpaired_brackets(text: str) -> list[tuple[int, int]]:
    """Corner or white brackets with no partner on their line (产『值, 投〗资)."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        open_at: dict[str, list[int]] = {}
        for index in range(line.start(), line.end()):
            char = text[index]
            if char in _PAIRED:
                open_at.setdefault(char, []).append(index)
            elif char in _CLOSERS:
                stack = open_at.get(_CLOSERS[char])
                if stack:
                    stack.pop()
                else:
                    spans.append((index, index + 1))
        spans.extend((index, index + 1) for stack in open_at.values() for index in stack)
    return sorted(spans)


def clean(text: str) -> Cleaned:
    """Plain Simplified text with ASCII numbers, and its exact map back to ``text``."""
    result, offsets = _drop(text, range(len(text)), _annotation_spans(text))
    result = simplified(result).translate(_FULL_WIDTH)
    # Each step below scans the whole text, so it runs only when its trigger character is present.
    if "，" in result:
        result = _THOUSANDS_COMMA.sub(",", result)
    if _NOISE.search(result):
        result, offsets = _drop(result, offsets, (m.span() for m in _NOISE_IN_TEXT.finditer(result)))
    if any(char in result for char in "『』〖〗「」"):
        result, offsets = _drop(result, offsets, _unpaired_brackets(result))
    if "页" in result or "/" in result or "-" in result:
        result, offsets = _drop(result, offsets, (m.span() for m in _PAGE_COUNTER_LINE.finditer(result)))
    if "\n" in result or " " in result:
        result, offsets = _drop(result, offsets, (m.span() for m in _BROKEN_NUMBER.finditer(result)))
    if any(space in result for space in _SPACES):
        result, offsets = _drop(result, offsets, (m.span() for m in _SPACE_NEAR_CHINESE.finditer(result)))
    if "声明" in result or "申明" in result:
        result, offsets = _drop(result, offsets, (m.span() for m in _DISCLAIMER.finditer(result)))
    if any(trigger in result for trigger in _BOILERPLATE_TRIGGERS):
        result, offsets = _drop(result, offsets, (m.span() for m in _BOILERPLATE_LINE.finditer(result)))
    return Cleaned(result, offsets, len(text))
