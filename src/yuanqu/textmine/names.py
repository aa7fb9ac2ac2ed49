"""The indicator's name in the words before a number, and the words that are not part of it.

Rules, each tested in ``tests/textmine/test_names.py``:

- List separators, area words (全区, 全市, 我县, 该区), leading verbs (实现, 完成, 达到) and time
  expressions at the start are not part of the name.
- A place before the indicator is the fact's *entity*, not part of its name: the zone's own name
  (仪征经济开发区工业开票销售), a place written before a verb (宝应县实现地区生产总值) or before a
  catalogue indicator (高邮市一般公共预算收入). Words that are only a place (综合保税区, 甲县) name the entity
  of a figure whose indicator the text leaves out.
- Before a verb, a *population* (规模以上服务业企业实现营业收入, 汽车零部件产业完成产值) stays in the name,
  unless the words after the verb name their own population (规模以上工业企业完成规上工业总产值); any other
  subject is the entity.
- A time expression inside the words (泰州和盐城上半年实际使用外资, 海陵区2022年全年实现…) separates the
  subject before it from the name after it, and is the fact's period.
- Existence words (现有, 共有, 拥有, with 各类/各种) and topic words (…情况) are not part of the name.
- Examples listed before 等 are not part of the name (甲公司、乙公司等龙头企业产值); a list followed by
  its collective noun is named by the collective (纺织、机械和化工三大支柱产业).
- A Latin gloss (GDP) and an inclusion note (包括…) in brackets are not part of the name.
- A verb stays when without it the name would be a bare 投资 or 项目 (累计完成投资, 完成项目).
- A name is never cut inside a word: 已落实现代物流项目 holds 落实, not the verb 实现.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from yuanqu.textmine import catalogue
from yuanqu.textmine.periods import PERIOD_START, period_at

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_SPACE = re.compile(r"\s+")

_SEPARATOR = re.compile(r"^(?:[、，,和及与]|以及|同时|另外|此外|其次|其中[，,：:]?|的|而|仅|并且|并)")
_AREA = re.compile(
    r"^(?:全区上下|全县上下|全市上下|全区|全市|全县|全省|全镇|全州|全园区|全园|全国|(?:工业|产业)园区|园区|开发区|经开区|高新区|新区"
    r"|我区|我市|我县|我省|我州|本区|本市|本县|该区|该县|该市|辖区内|辖区)(?![内外属域级])"
)
_ZONE_SUFFIX = (
    r"(?:经济技术开发区|经济开发区|技术开发区|高新技术产业开发区|高新技术产业园区|开发区|经开区|高新区|工业园区|产业园区"
    r"|工业园|科技园|保税区|新区|示范区|试验区|自贸区|综保区)"
)
_ZONE_NAME = re.compile(
    rf"^(?!.*?(?:落实|到位|引进|争取|完成|实现|建设|发展|推进))[{_CJK}]{{2,10}}?{_ZONE_SUFFIX}(?=[{_CJK}“(（]|$)"
)
_PLACE_SUFFIX = r"(?:自治州|州|省|市|县|区|镇|乡|街道|旗)"
# Words ending like a place that are not one.
_NOT_PLACES = frozenset(
    {
        "地区",
        "城区",
        "城乡",
        "市区",
        "社区",
        "辖区",
        "园区",
        "景区",
        "片区",
        "小区",
        "街区",
        "城市",
        "超市",
        "县市",
        "县区",
        "镇区",
        "乡镇",
    }
)
_PLACE = re.compile(rf"[{_CJK}]{{1,8}}?(?:{_ZONE_SUFFIX}|{_PLACE_SUFFIX})")
_LEADING_VERB = re.compile(
    r"^(?:力争|确保|争取|预计|预期)"
    r"|^(?:累计|共计|共|合计|已经?|仍|则)?(?:计划)?(?:实施|实现|完成|达到|录得)(?!率|情况)"
)
_EXISTENCE = re.compile(r"^(?:现有|共有|拥有|已有|尚有)(?:各类|各种)?")
# 各乡镇上报的在谈项目: who reported a figure is not part of its name.
_REPORTED_BY = re.compile(r"^各[\u4e00-\u9fff]{1,6}?(?:上报|报送|申报|统计)的")
# The achievement or existence verb between a subject and the indicator.
_VERB = re.compile(
    r"(?:累计|共计|共|合计|已经?|均|都|也|还|则)*(?:(?<!落)实现|完成|达到|录得|共有|拥有|现有)(?!率|情况)(?:各类|各种)?"
)
_TOPIC = re.compile(rf"^[{_CJK}]{{0,6}}情况")
_PLACES_BEFORE_VERB = re.compile(
    rf"^(?:[、，,和及与]|其中)*(?P<places>[{_CJK}]{{2,12}}?(?:[、和与及][{_CJK}]{{2,12}}?)+)(?=(?:累计|共|均|都)?(?:实现|完成|达到|录得))"
)
# 以新能源、新材料为主导的战略性新兴产业产值: what a phrase singles out is not part of the name.
_FOCUS = re.compile(r"^以[^，,。；;]{1,14}?为(?:重点|主|主导|核心|龙头|代表|引领)的")
_EXAMPLES = re.compile(r"^[^等]*、[^等]*等(?![级于待同])")
_COLLECTIVE = re.compile(r"^.+?[、和及与].*?(?=(?:[一二三四五六七八九十两]|\d{1,2})大[\u4e00-\u9fff])")
_GLOSS = re.compile(r"[(（][A-Za-z]{2,12}[)）]|[(（]包括[^()（）]*[)）]")
_TRAILING_NOISE = frozenset("的之，,、：:")
_TRAILING_FILLER = re.compile(r"(?:累计|共计|共|合计|已经?|均|都|也|还|则|就|更)+$")
# What a population ends with: its figures are named by it (规模以上服务业企业营业收入, 汽车零部件产业产值).
_POPULATION_END = re.compile(
    r"(?:企业|单位|行业|产业|工业|业|项目|公司|机构|主体|个体户|商户|网点|产业链|链|集群|板块)$"
)
_COLLECTIVE_START = re.compile(r"^(?:(?:[一二三四五六七八九十两]|\d{1,2})大|各|全部|所有)")
_POPULATION_PREFIX = re.compile(r"规模以上|规上|限额以上|限上")
# Without their verb these would say nothing: 累计完成投资, 完成项目.
_BARE_NAMES = frozenset({"投资", "项目", "投资额"})
_LIST_SEPARATOR = re.compile(r"、|和|与|及")


@dataclass(frozen=True)
class NameParts:
    """What the words before a number say about the figure's indicator, entity and period."""

    name: str
    entity: str | None = None
    period: str | None = None
    entity_only: bool = False  # the words name only a place: the indicator is the text's previous one


def is_place(text: str) -> bool:
    """综合保税区, 甲县, 仪征经济开发区: a place name and nothing else."""
    return text not in _NOT_PLACES and _PLACE.fullmatch(text) is not None and not _POPULATION_END.search(text)


def is_place_list(text: str) -> bool:
    """甲县、乙县与丙市: places, and nothing but places."""
    items = place_items(text)
    return len(items) > 1 and all(is_place(item) for item in items)


def place_items(text: str) -> tuple[str, ...]:
    return tuple(item for item in _LIST_SEPARATOR.split(text) if item)


def entity_items(entity: str) -> tuple[str, ...]:
    """The entities a subject lists: 泰州和盐城 (cities named without their suffix) are two."""
    items = place_items(entity)
    if len(items) > 1 and all(
        is_place(item) or (2 <= len(item) <= 4 and not _POPULATION_END.search(item)) for item in items
    ):
        return items
    return (entity,)


@lru_cache(maxsize=16384)
def name_parts(lead: str) -> NameParts:
    """Split the words before a number into the indicator's name, its entity and its period."""
    text = _SPACE.sub("", lead)
    entity: str | None = None
    period: str | None = None
    verb = ""
    listed = _PLACES_BEFORE_VERB.match(text)
    if listed and is_place_list(listed["places"]):
        # 甲区、乙区和丙区完成工业投资: the places are the entities of one indicator each.
        rest = name_parts(text[listed.end() :])
        return NameParts(rest.name, listed["places"], rest.period or period)
    while True:
        before = text
        for pattern in (_SEPARATOR, _AREA, _EXISTENCE, _TOPIC, _REPORTED_BY, _FOCUS):
            match = pattern.search(text)
            if match and match.end() > 0:
                text = text[match.end() :]
        zone = _ZONE_NAME.search(text)
        if zone and zone.end() == len(text) and entity is None:
            return NameParts("", zone.group(), period, entity_only=True)
        if zone:
            entity = entity or zone.group()
            text = text[zone.end() :]
        leading_verb = _LEADING_VERB.search(text)
        if leading_verb and leading_verb.end() > 0:
            verb = leading_verb.group()
            text = text[leading_verb.end() :]
        found = period_at(text, 0, len(text))
        if found is not None and found[1] > 0:
            period = found[0]
            text = text[found[1] :]
            if text.startswith("就") and not text.startswith("就业"):
                text = text[1:]
        if text == before:
            break
    text = _GLOSS.sub("", text)
    text = _EXAMPLES.sub("", text)
    text = _COLLECTIVE.sub("", text)
    text, entity, period, verb = _split_subject(text, entity, period, verb)
    while text and text[-1] in _TRAILING_NOISE:
        text = text[:-1]
    if text in _BARE_NAMES and verb:
        text = verb.removeprefix("已") + text
    if entity is None and (is_place(text) or is_place_list(text)):
        return NameParts("", text, period, entity_only=True)
    return NameParts(text, entity, period)


def _split_subject(
    text: str, entity: str | None, period: str | None, verb: str
) -> tuple[str, str | None, str | None, str]:
    """Separate a subject written before a verb, a time expression or a catalogue indicator."""
    match = _VERB.search(text)
    if match and match.start() > 0 and match.end() < len(text) and text[match.end()] != "的":
        subject, rest = text[: match.start()], text[match.end() :]
        verb = match.group()
    else:
        time = PERIOD_START.search(text, 1)
        if time is None:
            return _place_before_indicator(text, entity), entity or _place_entity(text), period, verb
        subject, rest = text[: time.start()], text[time.start() :]
        found = period_at(rest, 0, len(rest))
        if found is None:
            return text, entity, period, verb
        period, rest = found[0], rest[found[1] :]
        if not rest:
            return subject, entity, period, verb
        inner = _VERB.match(rest)
        if inner:
            verb, rest = inner.group(), rest[inner.end() :]
    subject = _TRAILING_FILLER.sub("", subject)
    time = PERIOD_START.search(subject)
    if time is not None:
        found = period_at(subject, time.start(), len(subject))
        if found is not None and found[1] == len(subject):
            period = found[0]
            subject = subject[: time.start()]
        elif period_at(subject, time.start(), len(subject)) is None and subject.endswith(("今年", "本年", "当年")):
            subject = subject[: time.start()]
    if not subject:
        return rest, entity, period, verb
    if _COLLECTIVE_START.search(subject) or _POPULATION_END.search(subject):
        own_population = _POPULATION_PREFIX.search(subject) and _POPULATION_PREFIX.search(rest)
        return (rest if own_population else subject + rest), entity, period, verb
    return rest, entity or subject, period, verb


def _place_entity(text: str) -> str | None:
    place = _leading_place(text)
    return place[0] if place else None


def _place_before_indicator(text: str, entity: str | None) -> str:
    place = _leading_place(text)
    return place[1] if place else text


def _leading_place(text: str) -> tuple[str, str] | None:
    """高邮市一般公共预算收入: a place followed by a catalogue indicator, a population or a measured name."""
    for match in _PLACE.finditer(text[:12]):
        if match.start() != 0:
            break
        place, rest = match.group(), text[match.end() :]
        if place in _NOT_PLACES or place[-2:] in _NOT_PLACES or not rest:
            continue
        measured = any(rest.endswith(noun) for noun in catalogue.MEASURE_NOUNS) and len(rest) >= 4
        if catalogue.code_for(rest) is not None or _POPULATION_PREFIX.match(rest) or measured:
            return place, rest
    return None
