"""Indicator names as reports write them, and the catalogue codes they stand for.

Also the small vocabularies of statistical Chinese the extractor leans on: measure nouns that
end an indicator name, heads shared by coordinated names, stage verbs of investment projects.
"""

import re
import unicodedata
from functools import lru_cache

CODES: dict[str, tuple[str, ...]] = {
    "gdp": ("地区生产总值", "GDP", "经济总量", "生产总值"),
    "industrial_value_added": ("规上工业增加值", "规模工业增加值"),
    "industrial_output": ("规上工业总产值", "规上工业产值"),
    "industrial_invoiced_sales": ("工业开票销售", "工业开票销售收入", "工业开票销售额"),
    "fixed_asset_investment": ("全社会固定资产投资", "固定资产投资"),
    "retail_sales": ("社会消费品零售总额", "社零总额"),
    "trade_total": ("进出口总额", "外贸进出口总额", "外贸进出口", "进出口"),
    "budget_revenue": ("一般公共预算收入", "一般预算收入"),
    "fiscal_capacity": ("综合财力",),
}

# Spellings that mean the same population or quantity; applied before looking a name up.
_SYNONYMS = (
    ("规模以上", "规上"),
    ("规模工业", "规上工业"),
    ("限额以上", "限上"),
    ("gdp", "地区生产总值"),
)


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """A key for comparing names: full-width folded, spaces and quotes gone, 规模以上 → 规上."""
    key = unicodedata.normalize("NFKC", name).lower()
    key = re.sub(r"[\s“”‘’\"'「」]", "", key)
    for written, canonical in _SYNONYMS:
        key = key.replace(written, canonical)
    return key


_CODE_OF_NAME = {normalise_name(name): code for code, names in CODES.items() for name in names}


_LATIN_GLOSS = re.compile(r"\([a-z0-9 ]+\)")


@lru_cache(maxsize=65536)
def code_for(indicator: str) -> str | None:
    """The catalogue code of an indicator name, or None when it is not a catalogue indicator.

    A Latin gloss such as 地区生产总值（GDP） does not change the indicator.
    """
    return _CODE_OF_NAME.get(normalise_name(indicator)) or _CODE_OF_NAME.get(
        normalise_name(_LATIN_GLOSS.sub("", unicodedata.normalize("NFKC", indicator).lower()))
    )


# Nouns that complete an indicator name: a coordinated item ending in one needs no shared head.
MEASURE_NOUNS = (
    "增加值",
    "总产值",
    "产值",
    "产量",
    "开票销售",
    "销售额",
    "销售收入",
    "销售",
    "营业额",
    "营业收入",
    "营收",
    "收入",
    "总额",
    "总值",
    "投资",
    "规模",
    "利润",
    "税收",
    "财力",
    "出口",
    "进口",
    "用电量",
    "余额",
    "总量",
    "零售额",
    "金额",
    "价格",
    "面积",
    "出栏",
    "资金",
    "外资",
    "内资",
)

# Where the shared head of "高端装备、新材料和生物医药产业产值" begins in the last item.
HEAD_STARTS = ("产业", "行业", "业", "居民", *MEASURE_NOUNS)

# Heads that a sibling's bare name borrows ("新光电、高档轻工均达100亿元规模" after "…产业达600亿元规模").
SIBLING_HEADS = ("产业", "行业", "集群", "产业链")

# National statistics report wholesale and retail by 销售额 but accommodation and catering by
# 营业额, which is why reports write "批发、零售、住宿和餐饮业销售额（营业额）".
TURNOVER_SECTORS = ("住宿", "餐饮")

# A project or enterprise group's stage, shared by the later items of a 、-list
# ("实质性开工工业项目35个、技改项目93个" → 实质性开工技改项目).
STAGE_PREFIX = re.compile(
    r"^(?:新|累计|全年)?(?:实质性)?(?:签约|开工|竣工投产|竣工|投产|达产|落户|引进|招引|备案|注册|在建|续建|"
    r"新建|建成|认定|入库|培育|增|招商)+"
)

# Money of a project group ("总投资约280亿元" after "项目26个", "合同利用外资额为8亿美元" after
# "外资项目57宗", "成交额9亿美元" after "贸易成交合同640宗") belongs to that group.
GROUP_ATTRIBUTE = re.compile(
    r"^(?:协议|合同|计划|年度计划|年度|实际|累计|已完成|完成|拟|拟投)?总?投资(?:额|总额)?$"
    r"|^(?:合同|实际)(?:利用|到位|使用)?外资(?:额)?$|^成交(?:金)?额$"
)

# Stage words written after the counted noun (25家上海企业落户): they open the name (落户上海企业).
STAGE_AFTER = re.compile(r"(?:落户|开工|投产|竣工|签约|入驻|注册|落地|建成)(?=[，,。；;、]|$)")
