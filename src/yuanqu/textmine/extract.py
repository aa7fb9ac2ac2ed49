"""Read economic facts out of a report's text.

The reader walks paragraphs → sentences (。！？) → clause groups (；) → clauses (，：), finds every
number with its unit (see :mod:`yuanqu.textmine.numbers`) and decides what each number is from the
words just before it (its *lead*): the indicator's name (see :mod:`yuanqu.textmine.names`), a growth
keyword, a basis of comparison, a qualifier, a distribution word (分别/均). A number whose lead names
nothing continues the fact being built (``…97.3亿元，下降4.1%``).

Rules, each tested in ``tests/textmine/test_extract.py`` on sentences written for it:

1. A level and its growth are one fact, in either order, with an absolute change (增加/增收/净增 X)
   between them kept as a note; a growth with no name continues the figure before it, across a
   semicolon or a sentence; for a period the clause names anew, it is that figure's indicator then.
2. Lists distribute by their length: 分别 (before or after the verb) and a growth list as long as the
   figures go in order, 均 gives one number to all; a list split by a comma or broken by a line is one
   list; a list with a different number of values gives no figure; 分别 after several figures, a
   collective (三大产业) or a list of periods distributes over them. A list with one number is one
   category unless every item is an indicator; a measure after 分别 (分别出栏) is every item's.
3. Elliptical items borrow the measure (and 规上/限上 population) of the item before them, a bare
   measure the stem of the figure before it; a place alone carries the previous indicator over to
   another entity; a heading (规上工业总产值：) names what its items break down; an industry named in a
   clause without numbers owns the figures after it; a clause's listed subjects feed its 分别.
4. Changes are not levels; qualifiers (约, 近, 超, 以上, 左右) and projections (预计) are notes; a fact is
   a target only under 目标, 力争, 计划, 任务, 预期, and not when those words sit in a completion phrase; a
   task amount in such a phrase or in brackets (任务数15家) is the target of the figure it follows.
5. A rate in brackets after a basis (较上半年(0.6%)) is the same indicator in that period; a second
   base year (同比2022年增长35%、2021年增长12%) is a second fact; a decline that narrows is a better rate.
6. Counts are of projects, enterprises and market entities only, named by the noun after them with
   its stage (新开工32个工业项目, 18家企业落户); the set a subset is taken from (N个X中), numerals counting
   the items listed, and counts of industries, indicators, areas, contracts or tasks are no facts.
   A group's money keeps the group's name (项目26个，总投资… ; 总投资48亿元的26项工程).
7. Not facts: shares and their point changes, ranks, contributions, completion rates, gaps to a
   benchmark, two-year averages, bases of comparison (去年同期X), conversions (折合), multiples of another
   quantity (多出十五倍), work quantities (绿化, 栽植), tiers and capacities inside names, numbers in
   slogans and document titles, and numbers a converter destroyed (368.21+015.62亿元).
8. The same figure stated twice (a headline and the body, a year and its 全年, with or without 元) is
   one fact; a headline's milestone (超800亿元) repeats the body's exact figure.
"""

import re
from collections.abc import Callable
from dataclasses import astuple, dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from yuanqu.textmine import catalogue, names
from yuanqu.textmine.clean import Cleaned, clean
from yuanqu.textmine.facts import Fact
from yuanqu.textmine.numbers import Quantity, find_quantities
from yuanqu.textmine.periods import has_year, is_future_target, period_at

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"

_SENTENCE_END = re.compile(r"[。！？!?\n]")
_GROUP_END = re.compile(r"[；;]")
# A comma between a digit and three digits is a thousands separator, not a clause break.
_CLAUSE_END = re.compile(r"[，：:]|,(?!(?<=\d,)\d{3}(?!\d))")
_BRACKETS = re.compile(r"[(（][^()（）\n]*[)）]")
_QUOTED = re.compile(r"“[^”\n]*”|‘[^’\n]*’|「[^」\n]*」|『[^』\n]*』|\"[^\"\n]*\"")
# Quoted slogans such as “7个新”, “五个环境”, ‘双千亿过百亿’ hold numerals that are not figures.
_SLOGAN_LENGTH = 10

# A threshold inside a category name (百亿元以上项目, 税收500万元以上企业) is part of the name.
_THRESHOLD_AFTER = re.compile(rf"(?:及)?(?:以上|以下|以内)的?(?=[{_CJK}])(?![，、。；])|(?=项目|企业|级)")
# 超五千万美元的外资项目: an amount after 超 and before 的 + a kind of project is a tier in a name.
_TIER_BEFORE = re.compile(r"(?:超过|超|过|逾)$")
_TIER_AFTER = re.compile(rf"的[{_CJK}]{{1,16}}?(?:项目|企业)")
# 年产30万吨再生铝项目: a capacity written into a project's name.
_CAPACITY_AFTER = re.compile(rf"(?:(?!的)[{_CJK}]){{1,14}}?项目")
# 368.21+015.62亿元: a number a converter destroyed; what follows the + is not a figure.
_GARBLED_BEFORE = re.compile(r"\d\+$")
# 《三年攻坚一千亿的实施方案》: numbers in a document's title.
_TITLE = re.compile(r"《[^》\n]*》")

# Only these words make a figure a target; 预计 (a projection) and qualifiers go into the note.
_TARGET_WORDS = re.compile(r"目标|力争|预期|任务|计划(?=实施|完成|实现|新增|引进|新开工|开工|签约|招引)")
# A target word inside a completion phrase (完成全年目标的62%, 提前完成目标任务) says how far the zone
# got, not what it aims at.
_COMPLETION_BEFORE = re.compile(r"(?:完成|占|围绕|下达|确定|超额|实现)[^，,。；;]{0,8}$")
_COMPLETION_AFTER = re.compile(r"^(?:任务|数)?[^，,。；;]{0,14}?的\d|^任务(?:[，,。；;]|$)")
_PROJECTION = re.compile(r"预计|估计|预测|初步预计")
_PLAN_WORDS = re.compile(r"计划(?=实施|完成|实现|新增|引进|新开工|开工|签约|招引)")

_SHARE = re.compile(r"占[^，,。；;]*?(?:比重|比例|份额)|占比|比重|份额|比例|占[^，,。；;]*的$")
_COMPLETION = re.compile(r"(?:完成|占|达到?)[^，,。；;]*?(?:目标|计划|任务)[^，,。；;]*的?$|完成率|完成进度|序时进度")
_CONTRIBUTION = re.compile(r"拉动|贡献率|贡献")
_GAP = re.compile(
    r"(?:高于|低于|快于|慢于|超出|超过|领先|好于|优于|差于|落后于?)(?:全国|全省|全市|全州|全县|省|市|国|平均|同期|预期"
    r"|[^，,。；;]{0,6}平均)"
)
_RANK = re.compile(r"第$|排名$|位次$")

# Words stripped from the right end of a lead, in any order, until none is left.
_QUALIFIER_END = re.compile(
    r"(?:约|近|超过|超|突破|逾|过|高达|达到|达|为|是|了|共计|共|合计|累计|不低于|不少于|不超过|不高于|仅|只有"
    r"|保持在|保持|稳定在|稳定|控制在|至|到|在|力争|争取|确保|完成|实现|已经|已|就|只|仅有|也|还|又|更|预计|预期|估计)$"
)
_MEANINGFUL_QUALIFIERS = ("约", "近", "超过", "超", "突破", "逾", "过", "不低于", "不少于", "不超过", "不高于")
_MILESTONE_QUALIFIERS = ("超过", "超", "突破", "逾", "过", "近")
_GROWTH_END = re.compile(
    r"(?:增长率|增长速度|负增长|增长|增幅|增速|上升|上涨|涨幅|提高|提升|增加|下降|减少|回落|下滑|降幅|降低|回升|加快|放缓"
    r"|收窄|扩大|缩小|净增|净减|增收|减收|减|增)$"
)
_DISTRIBUTION_END = re.compile(r"(?:分别|(?<![平年人亩户地])均|都|也|亦|依次|各)$")
_BASIS_END = re.compile(
    r"(?:同比(?:\d{4}年(?:同期)?)?|环比|同口径|可比口径|按可比价格计算|两年平均|年均"
    r"|(?:比|较)(?![重例率值])[^比较，,。；;]{1,10}?)$"
)
# Quantities of one family listed one after another (7.7%、6.9%和6.4%) are one list.
_FAMILY = {
    "percent": "growth",
    "times": "growth",
    "doubling": "growth",
    "pp": "pp",
    "amount": "level",
    "count": "level",
}
_LIST_JOINTS = frozenset({"、", "和", "与", "及", "，", ","})
# A collective noun naming facts already stated: 三大产业, 两区, 三者.
_COLLECTIVE = re.compile(
    r"^(?P<number>[两二三四五六七八九十]|\d{1,2})(?:大|个)?[\u4e00-\u9fff]{0,4}$|^[两二三四五六七八九]者$"
)
_SMALL_NUMBERS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# The base of a comparison stated as an amount (去年同期406万吨, 较去年同期的28.6亿元) is no fact.
_BASE_VALUE = re.compile(r"^(?:较|比)?(?:去年|上年|前年)?同期(?:的|为|是)?$|^(?:较|比)(?:去年|上年|上月)(?:的|为)?$")
# A task or target amount inside a completion phrase (完成年度任务4亿美元的65%, 任务数12家).
_TASK_AMOUNT = re.compile(r"(?:任务|目标|目标任务|任务数|计划)$")
_CONVERSION = re.compile(r"折算|折合|约合|相当于")
_RATIO_BEFORE = re.compile(r"多出|高出|(?<!增长)是[^，,。；;]{1,12}的$|相当于[^，,。；;]{0,12}的?$")
# The base a rate in brackets belongs to: 较上半年(4.0%), 较去年同期(-2.1%), 低于预期目标(6%).
_REFERENCE_BASIS = re.compile(
    r"(?:较|比)(?P<period>上半年|下半年|一季度|前三季度|去年同期|上年同期|去年全年|上年全年|去年|上年|上月|前\d{1,2}月"
    r"|\d{1,2}(?:—|–|-|~|～)\d{1,2}月份?|\d{1,2}月份?)$|(?P<target>目标)$"
)
# The group a breakdown item is of: 中央企业, 煤炭行业, 区属企业.
_BREAKDOWN_GROUP = re.compile(r"(?:企业|行业|单位|部门|产业)$")
# 服务业利用外资快速增长: a clause with no number naming the industry the next figures are of.
_TOPIC_CLAUSE = re.compile(
    r"(?P<industry>[\u4e00-\u9fff]{1,6}?业)[\u4e00-\u9fff]{0,6}?(?:大幅|快速|较快|稳步|持续|明显)?(?:增长|提升|回升|上升)"
)
# 新能源汽车产业和集成电路产业增势强劲: a clause with no number whose subjects a 分别 after it lists.
_SUBJECT_LIST = re.compile(
    r"(?P<items>[\u4e00-\u9fff]{1,10}?(?:产业|行业|业|企业|园区|区|县)(?:(?:、|和|与|及)[\u4e00-\u9fff]{1,10}?(?:产业|行业|业|企业|园区|区|县))+)"
    r"(?=表现|增势|发展|增长|保持|均|都|势头|运行)"
)
_LEADING_INDUSTRY = re.compile(r"^[\u4e00-\u9fff]{0,6}?业")
# A name ending like these already says what it measures (用水量, 合同外资额, 出厂价).
_COMPLETE_END = re.compile(r"(?:量|额|值|价|费|数|率|指数|资)$")
# Work done (河道绿化18.5公里, 覆膜面积4.2万亩, 栽植苗木12万株) is no economic quantity of the zone.
_WORK_QUANTITY = re.compile(r"绿化$|覆膜|栽植|苗木|植树|造林")
# 分行业看, 从领域看, 按企业规模分, 民生行业中: what follows breaks a total down into items.
_BREAKDOWN = re.compile(r"(?:分|从|按)[\u4e00-\u9fff]{1,8}(?:看|来看|分)|[\u4e00-\u9fff]{2,6}中")
_DISTRIBUTION_BEFORE_VERB = re.compile(r"(?:分别|(?<![人亩户平地年])均)(?=实现|完成|达到|达|为|是|有|录得)")
# 电子信息、装备制造，生物医药产业产值分别增长…: a clause that only lists items continues into the next one.
_LIST_ITEM = r"(?![一二三四五六七八九十]+(?:、|$))[^\W\d_的等在下了是有]{1,12}"
_LIST_ONLY = re.compile(rf"{_LIST_ITEM}(?:、{_LIST_ITEM})+")
_URBAN_RURAL = re.compile(r"^城(?:镇)?[、和与及]?乡(?:村)?(?P<rest>居民.+)$")
_SHARED_HEAD = re.compile(r"(?P<word>分别|(?<![人亩户平地年])均)(?P<head>[\u4e00-\u9fff]{1,3})$")
_NOT_HEADS = frozenset({"为", "是", "达", "有", "在", "比", "较", "同比", "比上年", "较上年"})
_TIMES_OF_BASIS = re.compile(r"(?:是|为|相当于|达到?)(?:上年|去年|上年同期|去年同期|同期)的$")

_NEGATIVE_GROWTH = ("下降", "减少", "回落", "下滑", "降幅", "负增长", "降低", "减", "净减", "减收")
_NEGATIVE_DIRECTION = ("回落", "放缓", "下降", "降低", "减少", "下滑", "收窄", "缩小", "减")
_POSITIVE_DIRECTION = ("提高", "加快", "提升", "上升", "增加", "扩大", "回升", "增长", "增", "上涨")
# Growth words a bare number may follow only as a rate (增长42。).
_BARE_GROWTH_WORDS = frozenset({"增长", "下降", "增幅", "增速", "降幅", "上涨", "涨幅", "负增长", "增长率"})
_ABSOLUTE_CHANGE = ("净增", "净减", "增加", "减少", "增", "减", "新增", "增收", "减收")

# Counts of industries, parks, indicators, areas, contracts or programmes describe the zone's shape or
# its paperwork, not its output: only projects, enterprises and market entities are counted.
_NOT_COUNTED = re.compile(
    r"(?:产业|行业|指标|园区|产业园|园|基地|集群|产业链|链|板块|领域|方面|类|行动|举措|措施|工作|任务|环节|特点|亮点"
    r"|县市区|县市|县区|县|乡镇|镇|乡|国家|城市|地区|合同|会议|活动|批次|次|名|位)$"
)
_NOT_COUNTED_START = re.compile(r"^(?:指标|县市|县区|乡镇|城市|国家|方面|行业|产业(?!项目)|领域|工作|任务)")
# What a count counts, when the noun follows it: cut before verbs, periods, measures and particles.
_COUNTED_NOUN = re.compile(rf"^(?P<qualifier>以上|多|余)?(?P<noun>[{_CJK}]{{1,16}})")
_COUNTED_NOUN_END = re.compile(
    r"实现|完成|达到|累计|共计|今年|去年|本年|上半年|下半年|一季度|前三季度|全年|同比|比上年|较上年|比去年|较去年"
    r"|增长|下降|占|总投资|投资额|计划投资|分别|均|产值|营业收入|销售收入|中有|的|在|已|正|将|为|是|和|与|及"
)
# 168户企业利润同比实现增长: a predicate of growth after the counted noun says which ones are counted.
_GROWING = re.compile(r"^[\u4e00-\u9fff]{0,6}?(?:同比)?(?:实现)?(?:增长|下降|盈利|亏损)$")
_COUNTED_HEAD = re.compile(r"(?:企业|单位|公司|项目|个体户|商户)(?!.*(?:企业|单位|公司|项目|个体户|商户))")
# 420个亿元以上项目中, 全省60个开发区中: the set a subset is taken from, not a new figure.
_BASE_SET = re.compile("^中(?:[，,有]|$)")
_TRAILING_NOISE = frozenset("的之，,、")
_CONJUNCTION = re.compile(r"以及|[、和及与]")
_POPULATION_PREFIX = re.compile(r"^(?:规模以上|规上|限额以上|限上)")
_ALTERNATIVE_HEAD = re.compile(
    "^(?P<main>.*?)(?P<measure>"
    + "|".join(sorted(catalogue.MEASURE_NOUNS, key=len, reverse=True))
    + r")[（(](?P<alternative>[^）)]+)[）)]$"
)
_MEASURE_AFTER = re.compile(
    "^(?:" + "|".join(sorted(catalogue.MEASURE_NOUNS, key=len, reverse=True)) + ")(?=[，,。；;、]|$)"
)
_QUALIFIER_AFTER = re.compile(r"^(?:以上|左右|上下|以内|多)")
_GROWTH_AFTER = re.compile(r"^(?:以上|左右)?的?(?:增长速度|增速|增长|增幅)")
_PRICE_INDEX = re.compile(r"(?:价格指数|价格总水平|物价总水平|CPI)$")
_NOUN_AFTER_COUNT = re.compile(rf"^(?![已在正将为是的以多次共总其均分同比较占达增下])[{_CJK}]{{1,10}}")
# 投资32亿元的…组件项目: an amount modifying a named project.
_NAMED_PROJECT = re.compile(rf"^的(?P<project>[{_CJK}“”]{{2,24}}?项目)(?=[、，,。；;等]|$)")
# The money of a group written before its count: 实施总投资48亿元的26项重点工程.
_ATTRIBUTE_BEFORE_COUNT = re.compile(r"(?:计划|协议|合同)?总?投资(?:额|总额)?$")
_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"\d{4}年")


@dataclass
class _Draft:
    """A fact being assembled from one or more numbers."""

    indicator: str
    period: str | None
    target: bool
    plan: bool
    subset: bool
    projection: bool = False
    value: Decimal | None = None
    unit: str | None = None
    growth_pct: Decimal | None = None
    growth_basis: str | None = None
    growth_pp: Decimal | None = None
    count: int | None = None
    count_unit: str | None = None
    kind: str | None = None
    qualifier: str | None = None
    notes: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    entity: str | None = None
    aside: bool = False  # a target or reference stated beside the figure, never its owner
    base_name: str = ""  # the name before a measure noun written after the number (…产业 of …产业规模)

    def has_numbers(self) -> bool:
        return any(x is not None for x in (self.value, self.growth_pct, self.growth_pp, self.count))

    def to_fact(self, cleaned: Cleaned) -> Fact:
        start = min(self.spans)[0]
        end = max(end for _start, end in self.spans)
        if self.kind is not None:
            kind = self.kind
        elif self.target or self.plan:
            kind = "target"
        elif self.value is not None:
            kind = "level"
        elif self.count is not None:
            kind = "count"
        else:
            kind = "growth"
        notes: list[str] = []
        if self.subset:
            notes.append("其中/subset")
        if self.plan:
            notes.append("plan")
        elif self.target:
            notes.append("target")
        if self.projection:
            notes.append("projection")
        if self.qualifier:
            notes.append(f"qualifier: {self.qualifier}")
        notes.extend(self.notes)
        return Fact(
            indicator=self.indicator,
            code=catalogue.code_for(self.indicator),
            period=self.period,
            value=self.value,
            unit=self.unit,
            growth_pct=self.growth_pct,
            growth_basis=self.growth_basis if self.growth_pct is not None else None,
            growth_pp=self.growth_pp,
            count=self.count,
            count_unit=self.count_unit,
            kind=kind,
            qualifier=self.qualifier,
            note="; ".join(dict.fromkeys(notes)) or None,
            span=cleaned.original_span(start, end),
            entity=self.entity,
        )


@dataclass
class _Lead:
    """What the words before a number say about it."""

    name: str = ""
    keyword: str | None = None  # growth or direction word nearest the number
    subject: str | None = None  # 增速/增幅/降幅 when the number changes a growth rate
    basis: str | None = None
    distribution: str | None = None
    qualifier: str | None = None
    to_level: bool = False  # 回落至5% states the new rate, not the change
    times_of_basis: bool = False  # 是上年的2倍
    continuation: bool = False  # only a list separator before the number
    joined: bool = False  # the name follows a 、 after the previous fact
    entity: str | None = None  # the place or group the figure is of (江都区, 保税区)
    period: str | None = None  # a time expression inside the words (泰州上半年实际使用外资)
    entity_only: bool = False  # the words name only a place: the indicator is the previous one
    shared_head: str = ""  # the measure written after 分别 (生猪、牛分别出栏)


# The longest word an end-anchored pattern above can match; searching only the tail of a lead keeps
# each search short instead of scanning the whole lead.
_LONGEST_END_WORD = 16


def _at_end(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return pattern.search(text, max(0, len(text) - _LONGEST_END_WORD))


def _analyse(lead: str) -> _Lead:
    # Leads repeat a lot (，同比增长 / 、 / ，下降): analyse each spelling once, hand out fresh copies.
    return _Lead(*_analysed(lead))


@lru_cache(maxsize=16384)
def _analysed(lead: str) -> tuple[Any, ...]:
    return astuple(_analyse_uncached(lead))


def _analyse_uncached(lead: str) -> _Lead:
    result = _Lead()
    text = lead
    stripped = text.strip("、，,和及与 ")
    if not stripped or stripped in ("以及",):
        result.continuation = True
        return result
    result.joined = text.startswith("、")
    times = _at_end(_TIMES_OF_BASIS, text)
    if times:
        result.times_of_basis = True
        text = text[: times.start()]
    while text:
        match = _at_end(_QUALIFIER_END, text)
        if match:
            word = match.group()
            if word in ("至", "到"):
                result.to_level = True
            if word in _MEANINGFUL_QUALIFIERS and result.qualifier is None:
                result.qualifier = word
            text = text[: match.start()]
            continue
        match = _at_end(_GROWTH_END, text)
        if match:
            if result.keyword is None:
                result.keyword = match.group()
            elif result.subject is None:
                result.subject = match.group()
            else:
                break
            text = text[: match.start()]
            continue
        match = _at_end(_DISTRIBUTION_END, text)
        if match:
            result.distribution = result.distribution or match.group()
            text = text[: match.start()]
            continue
        match = _at_end(_BASIS_END, text)
        if match and (result.keyword is not None or match.group() in ("同比", "环比", "同口径")):
            result.basis = result.basis or match.group()
            text = text[: match.start()]
            continue
        break
    inner = _DISTRIBUTION_BEFORE_VERB.search(text)
    if inner:
        # 甲区、乙区和丙区分别完成工业投资…: 分别 before the verb distributes over the subjects.
        result.distribution = result.distribution or inner.group()
        text = text[: inner.start()] + text[inner.end() :]
    head = _SHARED_HEAD.search(text)
    if head and head.group("head") not in _NOT_HEADS:
        # 生猪、肉牛、家禽分别出栏: what follows 分别 is the measure every item shares.
        result.distribution = result.distribution or head.group("word")
        result.shared_head = head.group("head")
        text = text[: head.start()]
    if _period_list(text.lstrip("、，,"))[0]:
        # 一季度、上半年和前三季度工业增加值增速分别为…: one indicator over several periods.
        result.name = text.lstrip("、，,")
        return result
    parts = names.name_parts(text)
    result.name, result.entity, result.period, result.entity_only = (
        parts.name,
        parts.entity,
        parts.period,
        parts.entity_only,
    )
    return result


@lru_cache(maxsize=16384)
def _rate_kind(lead_text: str) -> str | None:
    """A rate that is a contribution, a gap to a benchmark, a completion or a share, by its lead."""
    if _CONTRIBUTION.search(lead_text):
        return "contribution"
    if _GAP.search(lead_text):
        return "gap"
    if _COMPLETION.search(lead_text):
        return "completion"
    if _SHARE.search(lead_text):
        return "share"
    return None


@lru_cache(maxsize=16384)
def _split_names(name: str, distributed: bool) -> tuple[str, ...]:
    """高端装备、新材料和生物医药产业产值 → three names sharing the head 产业产值.

    Without 分别 or 均 a list with one number splits only into complete indicators
    (工业开票销售、规上工业产值均超3000亿元); otherwise it is one category's name
    (石油、煤炭及其他燃料加工业增加值). 城乡居民…分别 is 城镇居民… and 农村居民….
    """
    urban_rural = _URBAN_RURAL.match(name) if distributed else None
    if urban_rural:
        return ("城镇" + urban_rural["rest"], "农村" + urban_rural["rest"])
    if "、" not in name and not distributed:
        return (name,)
    # Parenthesised text (含基础能源, 营业额) is never split.
    masked = _BRACKETS.sub(lambda m: "\0" * len(m.group()), name)
    splitter = _CONJUNCTION if ("、" in name or distributed) else re.compile("、")
    pieces: list[str] = []
    cursor = 0
    for match in splitter.finditer(masked):
        pieces.append(name[cursor : match.start()])
        cursor = match.end()
    pieces.append(name[cursor:])
    items = [piece for piece in pieces if piece]
    if len(items) < 2 or (not distributed and not all(_ends_with_measure(item) for item in items)):
        return (name,)
    return tuple(_complete_items(items))


def _ends_with_measure(name: str) -> bool:
    return any(name.endswith(noun) for noun in catalogue.MEASURE_NOUNS)


def _joined_name(subject: str, name: str) -> str:
    """纺织行业 + 行业增加值 → 纺织行业增加值: the shared words are written once."""
    for overlap in range(min(len(subject), len(name)), 0, -1):
        if subject.endswith(name[:overlap]):
            return subject + name[overlap:]
    return subject + name


def _leading_industry(name: str) -> bool:
    return _LEADING_INDUSTRY.match(name) is not None


def _measure_of(name: str) -> str:
    """The measure noun a name ends with, longest first (规模以上工业增加值 → 增加值)."""
    return next((noun for noun in _MEASURES_LONGEST_FIRST if name.endswith(noun)), "")


_MEASURES_LONGEST_FIRST = sorted(catalogue.MEASURE_NOUNS, key=len, reverse=True)


def _complete_items(items: list[str]) -> list[str]:
    """Give every coordinated item the population prefix of the first and the head of the last."""
    prefix_match = _POPULATION_PREFIX.match(items[0])
    prefix = prefix_match.group() if prefix_match else ""
    cores = [item[len(prefix) :] if index == 0 else item for index, item in enumerate(items)]
    last = cores[-1]
    last_prefix = _POPULATION_PREFIX.match(last)
    if last_prefix and prefix:
        last = last[last_prefix.end() :]
    head_start = _head_start(last)
    needs_head = any(not _ends_with_measure(core) for core in cores[:-1])
    completed: list[str] = []
    if head_start is not None and needs_head:
        head = last[head_start:]
        cores[-1] = last[:head_start]
        for core in cores:
            completed.append(_with_head(core, head))
    else:
        completed = cores
    return [item if _POPULATION_PREFIX.match(item) or not prefix else prefix + item for item in completed]


def _head_start(item: str) -> int | None:
    positions = [position for start in catalogue.HEAD_STARTS if (position := item.find(start, 1)) > 0]
    return min(positions) if positions else None


def _with_head(core: str, head: str) -> str:
    alternative = _ALTERNATIVE_HEAD.match(head)
    if alternative:
        # 销售额（营业额）: 住宿 and 餐饮 report the bracketed measure.
        if any(core.endswith(sector) or core.startswith(sector) for sector in catalogue.TURNOVER_SECTORS):
            head = alternative["main"] + alternative["alternative"]
        else:
            head = alternative["main"] + alternative["measure"]
    for overlap in range(min(len(core), len(head)), 0, -1):
        if core.endswith(head[:overlap]):
            return core + head[overlap:]
    return core + head


@dataclass(frozen=True)
class _Boundary:
    start: int
    end: int
    local: bool  # the sentence before it was a parenthetical (its period stays inside)


class _Reader:
    def __init__(self, cleaned: Cleaned) -> None:
        self.cleaned = cleaned
        self.text = cleaned.text
        self.drafts: list[_Draft] = []
        self.period: str | None = None
        self.year: str | None = None

    # --- segmentation -------------------------------------------------------------------------

    def read(self) -> None:
        text = self.text
        quantities = find_quantities(text)
        self.garbled_counts: list[Quantity] = []
        self.suppressed = self._suppressed(quantities)
        self.quantities = [q for q in quantities if (q.start, q.end) not in self.suppressed]
        self.runs = self._list_runs(self.quantities)
        self.last_direction: tuple[str, str] | None = None
        self.skip_through = -1
        self.current: Quantity | None = None
        self.last_unscored: str | None = None
        self.next_quantity = 0
        self.paragraph_drafts: list[_Draft] = []
        self.heading: str | None = None
        self.clause_period = False
        self.pending_list: str | None = None
        self.in_brackets = False
        sentence_start = 0
        for boundary in self._sentence_boundaries():
            if sentence_start == 0 or text[sentence_start - 1] == "\n":
                self.paragraph_drafts = []
                self.heading = None
            self._read_sentence(sentence_start, boundary.start, boundary.local)
            sentence_start = boundary.end

    def _list_runs(self, quantities: list[Quantity]) -> dict[int, tuple[int, int]]:
        """For each quantity (by start): how many quantities of its family are listed from it on,
        and where the last of them starts."""
        runs: dict[int, tuple[int, int]] = {}
        following, last = 0, 0
        for index in range(len(quantities) - 1, -1, -1):
            quantity = quantities[index]
            if index + 1 < len(quantities):
                after = quantities[index + 1]
                joint = self.text[quantity.end : after.start]
                same = _FAMILY.get(quantity.kind) == _FAMILY.get(after.kind)
                if same and joint in _LIST_JOINTS:
                    following += 1
                else:
                    following, last = 1, quantity.start
            else:
                following, last = 1, quantity.start
            runs[quantity.start] = (following, last)
        return runs

    def _run(self) -> int:
        return self.runs.get(self.current.start, (1, 0))[0] if self.current is not None else 1

    def _skip_run(self) -> None:
        """Read none of the numbers of the current list."""
        if self.current is not None:
            self.skip_through = self.runs.get(self.current.start, (1, self.current.start))[1]

    def _sentence_boundaries(self) -> list[_Boundary]:
        text = self.text
        cuts: list[_Boundary] = []
        for match in _BRACKETS.finditer(text):
            inner = match.group()[1:-1]
            # (含基础能源) belongs to a name; (到2025年,实现…) is a sentence of its own.
            if re.search(r"[，,；;：:]|\d", inner):
                cuts.append(_Boundary(match.start(), match.start() + 1, False))
                cuts.append(_Boundary(match.end() - 1, match.end(), True))
        for match in _SENTENCE_END.finditer(text):
            cuts.append(_Boundary(match.start(), match.end(), False))
        cuts.sort(key=lambda cut: cut.start)
        cuts.append(_Boundary(len(text), len(text), False))
        return cuts

    def _suppressed(self, quantities: list[Quantity]) -> set[tuple[int, int]]:
        text = self.text
        suppressed: set[tuple[int, int]] = set()
        in_slogan = bytearray(len(text) + 1)
        for match in _QUOTED.finditer(text):
            if len(match.group()) - 2 <= _SLOGAN_LENGTH:
                in_slogan[match.start() : match.end()] = b"\1" * (match.end() - match.start())
        if "《" in text:
            for match in _TITLE.finditer(text):
                in_slogan[match.start() : match.end()] = b"\1" * (match.end() - match.start())
        for quantity in quantities:
            span = (quantity.start, quantity.end)
            in_slogan_text = in_slogan[quantity.start]
            is_amount = quantity.kind == "amount"
            is_threshold = is_amount and (
                _THRESHOLD_AFTER.match(text, quantity.end)
                or (
                    _TIER_BEFORE.search(text, max(0, quantity.start - 2), quantity.start)
                    and _TIER_AFTER.match(text, quantity.end)
                )
                or _CAPACITY_AFTER.match(text, quantity.end)
            )
            is_ordinal = text[quantity.start - 1 : quantity.start] == "第"
            is_garbled = text[quantity.start - 1 : quantity.start] == "+" and _GARBLED_BEFORE.search(
                text, max(0, quantity.start - 2), quantity.start
            )
            if in_slogan_text or is_threshold or is_ordinal or is_garbled:
                suppressed.add(span)
            if is_garbled and quantity.kind == "count":
                self.garbled_counts.append(quantity)
        return suppressed

    def _read_sentence(self, start: int, end: int, local: bool) -> None:
        saved_period = self.period
        if start == 0 or self.text[start - 1] != "\n":
            # A list broken by a line break continues on the next line; any other sentence starts afresh.
            self.pending_list = None
        # A figure inside brackets is stated beside the sentence's figure: never the owner of what follows.
        self.in_brackets = start > 0 and self.text[start - 1] in "(（"
        if self.in_brackets and self._reference_value(start, end):
            return
        self.sentence_drafts: list[_Draft] = []
        self.target = False
        self.plan = False
        self.projection = False
        self.breakdown = False
        # Target and plan words make the clause holding them, and every later clause, a target.
        self.target_from = self._target_start(start, end)
        projection = _PROJECTION.search(self.text, start, end)
        self.projection_from = projection.start() if projection else end
        plan = _PLAN_WORDS.search(self.text, start, end)
        self.plan_from = plan.start() if plan else end
        group_start = start
        for match in [*_GROUP_END.finditer(self.text, start, end), None]:
            group_end = match.start() if match else end
            self._read_group(group_start, group_end)
            group_start = match.end() if match else end
        if local:
            self.period = saved_period

    def _reference_value(self, start: int, end: int) -> bool:
        """增速较上半年(4.0%)回落0.9个百分点: the bracket states the same indicator's rate in the base period."""
        inner = self._quantities_in(start, end)
        if len(inner) != 1 or inner[0].kind != "percent" or (inner[0].start, inner[0].end) != (start, end):
            if inner:
                self.next_quantity -= len(inner)
            return False
        basis = _REFERENCE_BASIS.search(self.text, max(0, start - 12), start - 1)
        owner = self._owner()
        if basis is None or owner is None:
            self.next_quantity -= 1
            return False
        reference = self._new_draft(owner.indicator)
        reference.aside = True
        reference.entity = owner.entity
        if basis["target"]:
            reference.target = True
            reference.period = self.year
        else:
            reference.period = basis["period"]
            reference.notes.append("reference value")
        reference.growth_pct = inner[0].value
        reference.spans.append((inner[0].start, inner[0].end))
        return True

    def _target_start(self, start: int, end: int) -> int:
        """Where the first target word outside a completion phrase sits in the sentence, else ``end``."""
        text = self.text
        for match in _TARGET_WORDS.finditer(text, start, end):
            before = text[max(start, match.start() - 10) : match.start()]
            after = text[match.end() : min(end, match.end() + 16)]
            if _COMPLETION_BEFORE.search(before) or _COMPLETION_AFTER.search(after):
                continue
            return match.start()
        return end

    def _read_group(self, start: int, end: int) -> None:
        self.subset = False
        self.topic: str | None = None
        self.subject_list: tuple[str, ...] | list[str] = []
        self.last_count_name: str | None = None
        self.attribute_before_count: tuple[Quantity, str, str | None] | None = None
        self.group: list[_Draft] = []
        self.group_drafts: list[_Draft] = []
        self.list_next: int | None = None
        clause_start = start
        for match in [*_CLAUSE_END.finditer(self.text, start, end), None]:
            clause_end = match.start() if match else end
            self._read_clause(clause_start, clause_end)
            clause_start = match.end() if match else end

    # --- clauses ------------------------------------------------------------------------------

    def _read_clause(self, start: int, end: int) -> None:
        text = self.text
        period = period_at(text, start, end)
        position = start
        if period is not None and _PERIOD_LIST_AHEAD.match(text, period[1]):
            period = None  # 一季度、上半年和前三季度工业增加值增速…: the periods of a list, read with its names
        self.clause_period = False
        if period is not None and period[1] > start:
            self._set_period(period[0])
            position = period[1]
            self.clause_period = True
        if self.target_from < end:
            self.target = True
        if self.plan_from < end:
            self.plan = True
        if self.projection_from < end:
            self.projection = True
        if text.startswith("其中", position) or text.startswith("、其中", position):
            self.subset = True
        if _BREAKDOWN.fullmatch(text, position, end):
            self.breakdown = True
        for garbled in self.garbled_counts:
            if start <= garbled.start < end:
                # 在谈项目12,345+06个，总投资48亿元: the count is lost, the group it names is not.
                lead = re.sub(r"[\d,.+]+$", "", text[position : garbled.start])
                self.last_count_name = names.name_parts(lead).name or None
        quantities = self._quantities_in(start, end)
        if not quantities and text[end : end + 1] in ("：", ":") and self._opens_paragraph(start):
            heading = names.name_parts(text[position:end]).name
            # 规上工业总产值：国有企业工业总产值…，民营企业完成总产值…: a heading names what the items break down.
            self.heading = heading if _measure_of(heading) else None
        if not quantities and _LIST_ONLY.fullmatch(text, position, end):
            # A comma between items separates them; a line break inside the last item only breaks the line.
            joint = "" if text[end : end + 1] == "\n" else "、"
            self.pending_list = (self.pending_list + "、" if self.pending_list else "") + text[position:end] + joint
            return
        if not quantities:
            self._note_topic(position, end)
            subjects = _SUBJECT_LIST.match(text, position, end)
            self.subject_list = names.place_items(subjects["items"]) if subjects else []
        cursor = position
        for index, quantity in enumerate(quantities):
            if quantity.start < cursor:
                continue
            tail_end = quantities[index + 1].start if index + 1 < len(quantities) else end
            lead_text = text[cursor : quantity.start]
            if self.pending_list:
                if "分别" in lead_text or "均" in lead_text:
                    lead_text = self.pending_list + lead_text
                self.pending_list = None
            self._read_quantity(quantity, lead_text, text[quantity.end : tail_end])
            cursor = quantity.end

    def _opens_paragraph(self, start: int) -> bool:
        before = self.text.rfind("\n", 0, start)
        return not self.text[before + 1 : start].strip("0123456789一二三四五六七八九十、.．()（） ")

    def _note_topic(self, start: int, end: int) -> None:
        """服务业利用外资快速增长，合同外资额为…: the industry the clause names owns the figures after it."""
        topic = _TOPIC_CLAUSE.match(self.text, start, end)
        if topic:
            self.topic = topic["industry"]

    def _quantities_in(self, start: int, end: int) -> list[Quantity]:
        quantities = self.quantities
        index = self.next_quantity
        while index < len(quantities) and quantities[index].start < start:
            index += 1
        found: list[Quantity] = []
        while index < len(quantities) and quantities[index].end <= end:
            found.append(quantities[index])
            index += 1
        self.next_quantity = index
        return found

    def _set_period(self, period: str) -> None:
        self.period = period
        if has_year(period):
            year = _YEAR.search(period)
            self.year = year.group() if year else self.year
        if is_future_target(period):
            self.target = True

    def _period_for_target(self) -> str | None:
        period = self.period
        if not (self.target and self.year) or (period is not None and has_year(period)):
            return period
        return self.year if period is None or period == "全年" else self.year + period

    # --- one number ---------------------------------------------------------------------------

    def _read_quantity(self, quantity: Quantity, lead_text: str, tail: str) -> None:
        opens_item = len(lead_text) > 1 and lead_text.endswith("、")
        if opens_item:
            # 办理、9个服务专区: a new list item opens with the number; the words before are not its name.
            lead_text = ""
        lead = _analyse(lead_text)
        lead.continuation = lead.continuation and not opens_item
        if quantity.kind == "percent" and lead.keyword is None and _GROWTH_AFTER.match(tail):
            # 保持了12%以上的增长速度: the growth word follows the rate.
            lead.keyword = "增长"
        if quantity.kind == "percent" and lead.keyword is None and _PRICE_INDEX.search(lead.name):
            # 居民消费价格指数控制在3%以内: a price index moves by its rate of change.
            lead.keyword = "上涨"
        qualifier_after = _QUALIFIER_AFTER.match(tail)
        if qualifier_after and lead.qualifier is None:
            lead.qualifier = qualifier_after.group()
        if quantity.approximate and lead.qualifier is None:
            lead.qualifier = quantity.approximate
        if quantity.kind == "bare":
            if lead.keyword not in _BARE_GROWTH_WORDS:
                return
            # 增长37。: the percent sign was lost in scraping, and only a rate can follow 增长 bare.
            quantity = replace(quantity, kind="percent", unit="%")
        if quantity.start <= self.skip_through:
            return
        self.current = quantity
        self.counting = False
        kind = self._unscored_kind(lead_text, quantity, tail)
        if kind is None:
            self.last_unscored = None
        if kind == "gap":
            for draft in self.group[-1:]:
                draft.notes.append(f"gap: {lead_text}{quantity.value}{quantity.unit}")
            return
        if kind is not None:
            self._unscored(kind, lead, quantity)
            return
        if quantity.kind in ("percent", "times", "doubling"):
            self._growth(quantity, lead)
        elif quantity.kind == "pp":
            self._percentage_points(quantity, lead, lead_text)
        else:
            self._level(quantity, lead, tail, lead_text)

    def _unscored_kind(self, lead_text: str, quantity: Quantity, tail: str = "") -> str | None:
        against_itself = _TIMES_OF_BASIS.search(lead_text[-12:]) is not None
        if (
            quantity.kind == "times"
            and not against_itself
            and (_RATIO_BEFORE.search(lead_text[-12:]) or tail.startswith("之多"))
        ):
            # 比…多出四倍, 是其余各县总和的两倍之多: one quantity against another, not a growth.
            return "ratio"
        if quantity.kind not in ("percent", "pp"):
            return None
        kind = _rate_kind(lead_text)
        if kind is not None:
            return kind
        if quantity.kind == "pp" and self.last_unscored == "share":
            return "share"
        return None

    def _unscored(self, kind: str, lead: _Lead, quantity: Quantity) -> None:
        owner = self.group[-1].indicator if self.group else ""
        name = lead.name or owner
        if lead.name.startswith("占") and owner:
            # 占全市比重为11.4% after 一般公共预算收入…: the share of that indicator.
            name = owner + lead.name
        draft = self._new_draft(name or kind)
        draft.kind = kind
        draft.value = quantity.value
        draft.unit = quantity.unit
        draft.spans.append((quantity.start, quantity.end))
        # A share, rank or completion between a figure and its growth does not end that figure.
        self.last_unscored = kind

    def _growth(self, quantity: Quantity, lead: _Lead) -> None:
        bare_rate = quantity.kind == "percent" and lead.keyword is None and not lead.continuation
        if bare_rate and (lead.name or lead.distribution is None):
            # A bare rate after a name (税负率3%) is a ratio, not growth.
            self._unscored("share", lead, quantity)
            return
        growth = quantity.value
        if quantity.kind == "times":
            growth = (quantity.value - 1) * 100 if lead.times_of_basis else quantity.value * 100
        if lead.keyword in _NEGATIVE_GROWTH and not lead.to_level and growth > 0:
            growth = -growth
        notes: list[str] = []
        if quantity.kind == "times":
            notes.append(f"{quantity.value}倍")
        if quantity.high is not None:
            notes.append(f"range: {quantity.value}–{quantity.high}")
        basis = _growth_basis(lead.basis)

        def assign(draft: _Draft) -> None:
            if draft.growth_pct is None:
                draft.growth_pct = growth
                draft.growth_basis = basis
                draft.notes.extend(notes)
                draft.spans.append((quantity.start, quantity.end))
                if lead.qualifier and draft.qualifier is None:
                    draft.qualifier = lead.qualifier

        self._place(lead, assign)

    def _percentage_points(self, quantity: Quantity, lead: _Lead, lead_text: str) -> None:
        direction = lead.keyword or ""
        if not direction and lead.continuation and self.last_direction:
            # 分别比一季度提高1.5、3.2个百分点: the later numbers keep the first one's word.
            direction, lead_text = self.last_direction
        narrowing_decline = (lead.subject == "降幅") or "降幅" in lead_text
        if direction not in _NEGATIVE_DIRECTION and direction not in _POSITIVE_DIRECTION:
            return
        self.last_direction = (direction, lead_text)
        basis = lead.basis

        def sign_for(draft: _Draft) -> int:
            # 降幅收窄 is a better rate (+), 降幅扩大 a worse one (−), and a decline that narrows is one even
            # when the text does not say 降幅 (下降6.2%，较一季度收窄1.8个百分点); otherwise the word says the sign.
            if direction in ("收窄", "缩小", "扩大"):
                declining = narrowing_decline or (draft.growth_pct is not None and draft.growth_pct < 0)
                if declining:
                    return -1 if direction == "扩大" else 1
            return -1 if direction in _NEGATIVE_DIRECTION else 1

        def assign(draft: _Draft) -> None:
            if draft.growth_pp is None:
                change = quantity.value * sign_for(draft)
                draft.growth_pp = change
                draft.spans.append((quantity.start, quantity.end))
                if basis:
                    draft.notes.append(f"pp basis: {basis}")

        if lead.name in ("增速", "增幅", "降幅", "增长"):
            lead.name = ""
        self._place(lead, assign)

    def _level(self, quantity: Quantity, lead: _Lead, tail: str, lead_text: str) -> None:
        is_count = quantity.kind == "count"
        self.counting = is_count
        owner = self._owner()
        if _CONVERSION.search(lead_text[-8:]) and owner is not None:
            # 按年平均汇率折算为12480美元: the same figure in another currency.
            owner.notes.append(f"conversion: {quantity.value}{quantity.unit}")
            return
        if _BASE_VALUE.match(lead.name) and owner is not None:
            # 去年同期406万吨: the base the growth is measured against.
            owner.notes.append(f"base: {lead.name}{quantity.value}{quantity.unit}")
            return
        if _TASK_AMOUNT.search(lead.name) and owner is not None:
            # 完成年度任务4亿美元的65%, （任务数12家）: the target the figure is measured against.
            self._task_target(owner, quantity)
            return
        if lead.keyword in _ABSOLUTE_CHANGE and (lead.basis or not lead.name):
            # 较年初净增1,032户: a change of the fact before it, not a fact of its own.
            sign = "-" if lead.keyword in ("净减", "减少", "减") else "+"
            for draft in self.group[-1:]:
                draft.notes.append(f"abs_change: {sign}{quantity.value}{quantity.unit}")
                draft.spans.append((quantity.start, quantity.end))
            return
        if lead.keyword is not None and lead.name:
            # 规上工业产值增长100亿元 and the like: a change stated as an amount is not a level.
            return
        project = _NAMED_PROJECT.match(tail) if not is_count else None
        if project and lead_text.rsplit("、", 1)[-1].endswith("投资"):
            # 投资32亿元的光伏组件项目: the investment of the project the amount describes.
            draft = self._new_draft("项目投资")
            draft.entity = project["project"]
            draft.value, draft.unit, draft.qualifier = quantity.value, quantity.unit, lead.qualifier
            draft.spans.append((quantity.start, quantity.end))
            return
        attribute = _ATTRIBUTE_BEFORE_COUNT.search(lead.name) if not is_count and tail == "的" else None
        if attribute:
            self.attribute_before_count = (quantity, attribute.group(), lead.qualifier)
            return
        if is_count and not (lead.continuation and lead_text.strip("、，, ")):
            counted = self._counted_noun(tail, lead, quantity)
            if counted is None:
                return
            lead.name = counted
        measure = _MEASURE_AFTER.match(tail)

        def assign(draft: _Draft) -> None:
            if is_count:
                if draft.count is None:
                    draft.count = int(quantity.value)
                    draft.count_unit = quantity.unit
                    draft.spans.append((quantity.start, quantity.end))
                return
            if draft.value is None or (
                draft.qualifier in _MILESTONE_QUALIFIERS and not lead.qualifier and draft.unit == quantity.unit
            ):
                if draft.value is not None:
                    # 突破一千亿元，达到一千零八十七亿元: the milestone gives way to the figure.
                    draft.qualifier = None
                    draft.spans.clear()
                draft.value = quantity.value
                draft.unit = quantity.unit
                draft.spans.append((quantity.start, quantity.end))
                if lead.qualifier and draft.qualifier is None:
                    draft.qualifier = lead.qualifier

        if lead.name and _WORK_QUANTITY.search(lead.name):
            return
        if lead.name:
            lead.name = self._group_attribute(lead.name)
            if is_count:
                self.last_count_name = lead.name
                if _NOT_COUNTED.search(lead.name):
                    return
        self._place(lead, assign, measure.group() if measure else "", level=True)
        if is_count and self.attribute_before_count is not None:
            amount, money_name, qualifier = self.attribute_before_count
            self.attribute_before_count = None
            for draft in self.group[:1]:
                money = self._new_draft(draft.indicator + money_name)
                money.value, money.unit, money.qualifier = amount.value, amount.unit, qualifier
                money.entity = draft.entity
                money.spans.append((amount.start, amount.end))
                self.group_drafts.remove(money)

    def _counted_noun(self, tail: str, lead: _Lead, quantity: Quantity) -> str | None:
        """The name of a count; None when the count is not a fact (a base set, industries, areas)."""
        match = _COUNTED_NOUN.match(tail)
        if match is None:
            return lead.name
        noun = match["noun"]
        cut = _COUNTED_NOUN_END.search(noun)
        after = noun[cut.start() :] if cut else ""
        noun = noun[: cut.start()] if cut else noun
        rest = tail[match.start("noun") + len(noun) :]
        if not noun:
            return lead.name
        if _BASE_SET.match(rest) or after.startswith("中有") or (noun.endswith("中") and not after):
            return None
        stage_end = catalogue.STAGE_AFTER.search(noun)
        if stage_end and not after:
            noun, rest = noun[: stage_end.start()], noun[stage_end.start() :] + rest
        items = names.place_items(lead.name) if lead.name else ()
        if len(items) == int(quantity.value) > 1 and not self._written_in_digits(quantity):
            # 纺织、化工、建材三个行业增加值均增长5%: the numeral counts the items listed, the figure follows.
            self.subject_list = [item + noun for item in items] if _NOT_COUNTED.search(noun) else list(items)
            return None
        if _NOT_COUNTED.search(noun) or _NOT_COUNTED_START.search(noun):
            return None
        counted = _COUNTED_HEAD.search(noun)
        if counted and counted.end() < len(noun):
            # 168户企业利润同比实现增长: the counted head is 企业, the words after it say which ones.
            noun, after = noun[: counted.end()], noun[counted.end() :] + after
        growing = _GROWING.match(after) if after else None
        if growing:
            # 有96户企业产值同比实现增长: the enterprises whose output grew.
            return growing.group().replace("实现", "") + noun
        if lead.name and not self._written_in_digits(quantity) and not catalogue.STAGE_PREFIX.fullmatch(lead.name):
            return lead.name
        stage_after = catalogue.STAGE_AFTER.match(rest)
        if stage_after:
            # 18家外资企业落户: the stage written after the noun opens its name.
            return stage_after.group() + noun
        stage = catalogue.STAGE_PREFIX.fullmatch(lead.name) if lead.name else None
        if stage:
            # 新开工32个工业项目: the stage before the count is part of what is counted.
            return lead.name + noun
        return noun

    def _owner(self) -> "_Draft | None":
        """The figure being stated: the last scored fact of the paragraph."""
        return next(
            (draft for draft in reversed(self.paragraph_drafts) if draft.kind is None and not draft.aside), None
        )

    def _task_target(self, owner: _Draft, quantity: Quantity) -> None:
        target = self._new_draft(owner.indicator)
        target.entity = owner.entity
        target.target = True
        target.aside = True
        target.period = self.year
        if quantity.kind == "count":
            target.count, target.count_unit = int(quantity.value), quantity.unit
        else:
            target.value, target.unit = quantity.value, quantity.unit
        target.spans.append((quantity.start, quantity.end))
        # The target sits beside the figure: it does not take the figure's place for what follows.
        self.group_drafts.remove(target)

    def _written_in_digits(self, quantity: Quantity) -> bool:
        return self.text[quantity.start : quantity.start + 1].isdigit()

    def _group_attribute(self, name: str) -> str:
        """总投资 after 项目41个 is the money of that project group; 成交额 after 贸易成交合同512宗 is 贸易成交额."""
        if catalogue.GROUP_ATTRIBUTE.match(name) and self.last_count_name:
            group = self.last_count_name
            for length in range(min(len(name), 4), 1, -1):
                position = group.find(name[:length])
                if position > 0:
                    return group[:position] + name
            return group + name
        return name

    # --- placing a number on facts --------------------------------------------------------------

    def _place(self, lead: _Lead, assign: Callable[[_Draft], None], measure: str = "", level: bool = False) -> None:
        """Put a number on the facts its lead names, or on the facts being built."""
        if lead.period and not self._second_basis(lead, assign):
            self._set_period(lead.period)
        elif lead.period:
            return
        drafts: list[_Draft] | None = None
        if lead.entity_only and lead.entity:
            drafts = self._entity_drafts(lead)
        elif lead.name:
            drafts = self._named_drafts(lead, measure)
        if drafts is not None:
            if not drafts:
                return
            self.group = drafts
            self._distribute(drafts, lead, assign)
            if lead.distribution in ("均", "都") and len(drafts) > 1:
                for draft in drafts:
                    draft.notes.append("均")
            return
        group = self.group
        if not group and not level:
            # 增长了1.5倍 after a semicolon, 同比增长5.4% in the next sentence: the figure before it;
            # 二季度同比增长4.6% after 一季度…增长9.1%: the same indicator in the period the clause names.
            previous = self._owner()
            if previous is not None and self.period != previous.period and self.clause_period:
                later = self._new_draft(previous.indicator)
                later.entity = previous.entity
                previous = later
            group = [previous] if previous is not None else []
        if not group:
            return
        if lead.continuation and self.list_next is not None and self.list_next < len(group):
            assign(group[self.list_next])
            self.list_next += 1
            return
        run = self._run()
        if len(group) == 1 and lead.distribution in ("分别", "依次") and run > 1:
            # 水产品产量…，水果产量…，茶叶产量…，分别比上年增长3.4%、6.0%、1.2%: the facts just stated.
            stated = [draft for draft in self.group_drafts if draft.kind is None][-run:]
            if len(stated) == run:
                self.group = group = stated
        self._distribute(group, lead, assign)

    def _distribute(self, drafts: list[_Draft], lead: _Lead, assign: Callable[[_Draft], None]) -> None:
        """One number for all, or a list of numbers in order; a list of the wrong length gives none."""
        run = self._run()
        respectively = lead.distribution in ("分别", "依次")
        if len(drafts) > 1 and (respectively or (run == len(drafts) and lead.distribution not in ("均", "都"))):
            if run != len(drafts):
                # 家具、家电、建材、五金类…分别增长4.4%、6.1%、2.0%: which value is whose is a guess.
                self.list_next = len(drafts)
                self._skip_run()
                return
            assign(drafts[0])
            self.list_next = 1
            return
        for draft in drafts:
            assign(draft)
        self.list_next = None

    def _named_drafts(self, lead: _Lead, measure: str) -> list[_Draft]:
        collective = _COLLECTIVE.match(lead.name)
        if collective and lead.distribution in ("分别", "依次"):
            # 两大产业增速分别比一季度提高…: the three facts the paragraph just stated.
            number = collective["number"] or lead.name[0]
            count = int(number) if number.isdigit() else _SMALL_NUMBERS.get(number, 0)
            stated = [draft for draft in self.paragraph_drafts if draft.kind is None and draft.has_numbers()]
            return stated[-count:] if 1 < count <= len(stated) else []
        periods, name = _period_list(lead.name)
        if periods:
            drafts = [
                self._draft_for(name, measure) if index == 0 else self._new_draft(name)
                for index, _ in enumerate(periods)
            ]
            for draft, period in zip(drafts, periods, strict=True):
                draft.period = period
            return drafts
        names_found = list(_split_names(lead.name, lead.distribution is not None))
        if lead.shared_head:
            names_found = [name if name.endswith(lead.shared_head) else name + lead.shared_head for name in names_found]
        if not self.counting and lead.entity is None and not measure:
            names_found = [self._complete_elliptical(name) for name in names_found]
        names_found = self._inherit_stage(names_found, lead)
        names_found = self._borrow_sibling_head(names_found, measure)
        entities = names_of_entities(lead.entity, len(names_found))
        if self.heading:
            broken_down = [self._under_heading(name) for name in names_found]
            entities = [entity or found[1] for entity, found in zip(entities, broken_down, strict=False)]
            names_found = [found[0] for found in broken_down]
        if self.topic and len(names_found) == 1 and not _leading_industry(names_found[0]):
            names_found = [self.topic + names_found[0]]
        if self.subject_list and len(names_found) == 1:
            respectively = lead.distribution in ("分别", "依次") and self._run() == len(self.subject_list)
            if respectively or lead.distribution in ("均", "都"):
                # 新能源汽车产业和集成电路产业增势强劲，产值增速分别为…: the subjects of the clause before.
                names_found = [_joined_name(subject, names_found[0]) for subject in self.subject_list]
                entities = [None] * len(names_found)
                self.subject_list = []
        drafts = [
            self._draft_for(name, measure, entity)
            for name, entity in zip(names_found, [*entities, *[None] * len(names_found)], strict=False)
        ]
        if len(drafts) == 1 and len(entities) > 1:
            drafts = [drafts[0], *(self._twin(drafts[0], entity) for entity in entities[1:] if entity)]
        return drafts

    def _under_heading(self, name: str) -> tuple[str, str | None]:
        """国有企业工业总产值 under 规上工业总产值： is 工业总产值 of 国有企业."""
        heading = self.heading or ""
        core = _POPULATION_PREFIX.sub("", heading)
        shared = 0
        while shared < min(len(core), len(name)) and core[-1 - shared] == name[-1 - shared]:
            shared += 1
        for length in range(shared, 1, -1):
            group = name[: len(name) - length]
            if _BREAKDOWN_GROUP.search(group):
                return core, group
        return name, None

    def _complete_elliptical(self, name: str) -> str:
        """Give an item the text leaves elliptical the measure (and population) of the item before it.

        增加值12100万元 after 建筑业总产值46300万元 is 建筑业增加值; after 分行业看 or in the same clause
        group, 食品制造业增长3.1% after 规模以上化学原料制造业增加值… is 规模以上食品制造业增加值.
        """
        if catalogue.code_for(name) is not None:
            return name
        bare_measure = name in catalogue.MEASURE_NOUNS
        if (_ends_with_measure(name) or _COMPLETE_END.search(name)) and not bare_measure:
            return name
        candidates = self.group_drafts if bare_measure or not self.breakdown else self.paragraph_drafts
        source = next(
            (
                draft
                for draft in reversed(candidates)
                if draft.kind is None and not draft.aside and draft.count is None and _measure_of(draft.indicator)
            ),
            None,
        )
        if source is None:
            return name
        measure = _measure_of(source.indicator)
        if bare_measure:
            stem = source.indicator[: len(source.indicator) - len(measure)]
            return stem + name if stem and not stem.endswith(name) else name
        prefix = _POPULATION_PREFIX.match(source.indicator)
        if prefix and not _POPULATION_PREFIX.match(name):
            name = prefix.group() + name
        return name + measure

    def _second_basis(self, lead: _Lead, assign: Callable[[_Draft], None]) -> bool:
        """同比2022年增长35%、2021年增长12%: the same figure against a second base year."""
        if lead.name or lead.keyword is None or lead.period is None or not self.group:
            return False
        if not re.fullmatch(r"\d{4}年(?:同期)?", lead.period):
            return False
        owner = self.group[-1]
        if owner.growth_pct is None:
            return False
        twin = self._new_draft(owner.indicator)
        twin.entity = owner.entity
        twin.period = owner.period
        twin.notes.append(f"basis: 比{lead.period}")
        assign(twin)
        return True

    def _entity_drafts(self, lead: _Lead) -> list[_Draft]:
        """综合保税区0.8亿美元 after 甲区实际使用外资2.1亿美元: the same indicator, another entity."""
        previous = self._owner()
        if previous is None or lead.entity is None:
            return []
        places = names.place_items(lead.entity)
        drafts = [self._new_draft(previous.indicator) for _place in places]
        for draft, entity in zip(drafts, places, strict=True):
            draft.entity = entity
        return drafts

    def _twin(self, draft: _Draft, entity: str) -> _Draft:
        twin = self._new_draft(draft.indicator)
        twin.entity = entity
        twin.base_name = draft.base_name
        return twin

    def _draft_for(self, name: str, measure: str, entity: str | None = None) -> _Draft:
        indicator = name if not measure or name.endswith(measure) else name + measure
        # The same indicator of the same entity named again in the clause group gets its missing
        # numbers, not a twin.
        for draft in reversed(self.group_drafts):
            if (
                draft.indicator == indicator
                and draft.entity == entity
                and draft.kind is None
                and draft.period == self._period_for_target()
            ):
                return draft
        draft = self._new_draft(indicator)
        draft.entity = entity
        draft.base_name = name
        return draft

    def _new_draft(self, indicator: str) -> _Draft:
        draft = _Draft(
            indicator=indicator,
            period=self._period_for_target(),
            target=self.target,
            plan=self.plan,
            subset=self.subset,
            projection=self.projection,
        )
        draft.aside = self.in_brackets
        self.drafts.append(draft)
        self.paragraph_drafts.append(draft)
        self.sentence_drafts.append(draft)
        self.group_drafts.append(draft)
        return draft

    def _inherit_stage(self, names: list[str], lead: _Lead) -> list[str]:
        """实质性开工工业项目35个、技改项目93个: the second group was also 实质性开工."""
        if not lead.joined or not self.group:
            return names
        previous = self.group[-1].indicator
        stage = catalogue.STAGE_PREFIX.match(previous)
        if stage is None or catalogue.GROUP_ATTRIBUTE.match(names[0]):
            return names
        return [name if catalogue.STAGE_PREFIX.match(name) else stage.group() + name for name in names]

    def _borrow_sibling_head(self, names: list[str], measure: str) -> list[str]:
        """新光电、高档轻工均达100亿元规模 after 高端汽车零部件产业达200亿元规模: they are 产业 too."""
        if not measure:
            return names
        for draft in reversed(self.sentence_drafts):
            if draft.indicator.endswith(measure) and draft.base_name:
                head = next((h for h in catalogue.SIBLING_HEADS if draft.base_name.endswith(h)), None)
                if head is None:
                    return names
                return [
                    name if any(name.endswith(h) for h in catalogue.SIBLING_HEADS) else name + head for name in names
                ]
        return names


_PERIOD_LIST_AHEAD = re.compile(
    r"(?:、|和|及|与)(?:前[一二三]季度|第?[一二三四1-4]季度|上半年|下半年|全年|\d{1,2}(?:—|–|-|~|～|至)\d{1,2}月|\d{1,2}月)"
)
_PERIOD_ITEM = re.compile(
    r"(?:前[一二三]季度|第?[一二三四1-4]季度|上半年|下半年|全年|\d{1,2}(?:—|–|-|~|～|至)\d{1,2}月份?|\d{1,2}月份?)"
)


def _period_list(name: str) -> tuple[list[str], str]:
    """一季度、上半年和前三季度工业增加值 → the three periods and 工业增加值."""
    periods: list[str] = []
    position = 0
    while True:
        match = _PERIOD_ITEM.match(name, position)
        if match is None:
            break
        periods.append(match.group())
        position = match.end()
        joint = re.match(r"、|和|及|与|以及", name[position:])
        if joint is None:
            break
        position += joint.end()
    if len(periods) < 2 or position >= len(name):
        return [], name
    return periods, name[position:]


def names_of_entities(entity: str | None, items: int) -> list[str | None]:
    """The entities of a list of facts: one for all, or a list of places split in order."""
    if entity is None:
        return [None] * items
    places = names.entity_items(entity)
    if len(places) == 1:
        return [places[0]] * items
    return list(places)


def _growth_basis(basis: str | None) -> str:
    if basis is None or basis in ("同比",) or basis.startswith(("比上年", "较上年", "比去年", "较去年")):
        return "同比"
    return basis


def extract(text: str) -> list[Fact]:
    """Every economic fact the text states, in reading order, duplicates dropped."""
    cleaned = clean(text)
    reader = _Reader(cleaned)
    reader.read()
    facts: list[Fact] = []
    seen: set[tuple[object, ...]] = set()
    for draft in reader.drafts:
        if not draft.indicator or not draft.has_numbers() or not draft.spans:
            continue
        fact = draft.to_fact(cleaned)
        key = (
            catalogue.normalise_name(fact.indicator),
            fact.value,
            fact.unit,
            fact.growth_pct,
            fact.growth_pp,
            fact.count,
            fact.kind,
            fact.entity,
        )
        if key in seen:
            continue
        seen.add(key)
        facts.append(fact)
    if len(facts) > 1:
        facts = _without_repeats(facts, _title_end(text))
    return facts


_NUMBERS = ("value", "growth_pct", "growth_pp", "count")
_MILESTONE_ROUNDING = {
    "超过": (1, 1.2),
    "超": (1, 1.2),
    "突破": (1, 1.2),
    "逾": (1, 1.2),
    "过": (1, 1.2),
    "近": (0.8, 1),
}


def _title_end(text: str) -> int:
    """Where the headline ends: the first line, when it is not a sentence and the text goes on."""
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    line_end = stripped.find("\n")
    if line_end < 0 or "。" in stripped[:line_end]:
        return 0
    return offset + line_end


def _without_repeats(facts: list[Fact], title_end: int) -> list[Fact]:
    """Drop a fact another fact repeats with more numbers, and a headline figure the body states.

    The same indicator (by name or catalogue code) in the same period whose numbers are all among
    another fact's is that fact stated again (a headline 318.4亿 and the body's 318.4亿元, +6.6%; 全年
    and the year itself). A headline figure the body states again, exactly or rounded to a milestone
    (超800亿元 for 812.6亿元), is a repeat whatever the headline calls it.
    """
    by_name: dict[str, list[Fact]] = {}
    for fact in facts:
        by_name.setdefault(catalogue.normalise_name(fact.indicator), []).append(fact)
        if fact.code is not None:
            by_name.setdefault(fact.code, []).append(fact)
    kept: list[Fact] = []
    for fact in facts:
        same = by_name[catalogue.normalise_name(fact.indicator)]
        if fact.code is not None:
            same = same + by_name[fact.code]
        repeated = any(other is not fact and _repeats(fact, other) for other in same)
        in_title = fact.span[1] <= title_end and any(
            other.span[0] > title_end and _rounds(fact, other) for other in facts
        )
        if not (repeated or in_title):
            kept.append(fact)
    return kept


def _same_unit(first: str | None, second: str | None) -> bool:
    return (first or "").removesuffix("元") == (second or "").removesuffix("元")


def _same_period(first: str | None, second: str | None) -> bool:
    if first is None or second is None or first == second:
        return True
    first_part, second_part = _YEAR.sub("", first), _YEAR.sub("", second)
    if first_part and first_part == second_part and (first_part == first or second_part == second):
        return True  # 上半年 and 2023年上半年 in one report are one period
    whole_year = {first, second} - {"全年"}
    return len(whole_year) == 1 and bool(re.fullmatch(r"\d{4}年", next(iter(whole_year)))) and "全年" in (first, second)


def _repeats(fact: Fact, other: Fact) -> bool:
    """Whether ``other`` states ``fact`` again with at least as many numbers (and more, or later)."""
    if not (fact.is_scored and other.is_scored) or (fact.kind == "target") != (other.kind == "target"):
        return False
    same_name = catalogue.normalise_name(fact.indicator) == catalogue.normalise_name(other.indicator)
    if not same_name and (fact.code is None or fact.code != other.code):
        return False
    if (fact.entity and other.entity and fact.entity != other.entity) or not _same_period(fact.period, other.period):
        return False
    mine = [name for name in _NUMBERS if getattr(fact, name) is not None]
    if not mine or any(getattr(fact, name) != getattr(other, name) for name in mine):
        return False
    if fact.value is not None and not _same_unit(fact.unit, other.unit):
        return False
    theirs = [name for name in _NUMBERS if getattr(other, name) is not None]
    if len(theirs) != len(mine):
        return len(theirs) > len(mine)
    if fact.unit != other.unit:
        return not (fact.unit or "").endswith("元")  # 318.4亿 repeats 318.4亿元
    return other.span[0] < fact.span[0]  # the same numbers again: the first statement stays


def _rounds(headline: Fact, body: Fact) -> bool:
    if headline.value is None or body.value is None or not _same_unit(headline.unit, body.unit):
        return headline.value is None and headline.growth_pct is not None and headline.growth_pct == body.growth_pct
    low, high = _MILESTONE_ROUNDING.get(headline.qualifier or "", (1, 1))
    return headline.value * Decimal(str(low)) <= body.value <= headline.value * Decimal(str(high))
