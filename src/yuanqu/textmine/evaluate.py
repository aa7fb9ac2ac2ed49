"""Score extracted facts against a gold set (``docNN.txt`` beside ``docNN.expected.json``).

Gold and predicted facts pair by a normalised fuzzy indicator name (规上 = 规模以上, GDP = 地区生产总值,
Traditional = Simplified); a pair matches when every non-null number of the gold fact is equal after
rounding to the gold's own precision and the units agree. Predicted facts of unscored kinds (shares,
ranks, contributions, target completion) are left out of precision.

Every miss and false fact is reported with the sentence it came from, so that the rule to write
can be read off the report: a false fact's own span, a miss's sentence found by its numbers.
"""

import json
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from yuanqu.textmine import catalogue
from yuanqu.textmine.clean import clean, simplified
from yuanqu.textmine.extract import extract
from yuanqu.textmine.facts import Fact
from yuanqu.textmine.numbers import find_quantities

# Names at least this similar (difflib ratio on normalised names) are the same indicator.
NAME_SIMILARITY = 0.8
_NUMERIC_FIELDS = ("value", "growth_pct", "growth_pp", "count")


@dataclass(frozen=True)
class GoldFact:
    indicator: str
    period: str | None
    value: Decimal | None
    unit: str | None
    growth_pct: Decimal | None
    growth_pp: Decimal | None
    count: Decimal | None
    note: str | None

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> "GoldFact":
        return cls(
            indicator=record["indicator"],
            period=record.get("period"),
            value=_decimal(record.get("value")),
            unit=record.get("unit"),
            growth_pct=_decimal(record.get("growth_pct")),
            growth_pp=_decimal(record.get("growth_pp")),
            count=_decimal(record.get("count")),
            note=record.get("note"),
        )

    def describe(self) -> str:
        return _describe(
            self.indicator, self.period, self.value, self.unit, self.growth_pct, self.growth_pp, self.count
        )


def _decimal(number: object) -> Decimal | None:
    if number is None:
        return None
    return number if isinstance(number, Decimal) else Decimal(str(number))


def _describe(
    indicator: str,
    period: str | None,
    value: Decimal | None,
    unit: str | None,
    growth_pct: Decimal | None,
    growth_pp: Decimal | None,
    count: Decimal | int | None,
) -> str:
    parts = [f"{indicator} [{period or '-'}]"]
    if value is not None:
        parts.append(f"{value}{unit or ''}")
    if count is not None:
        parts.append(f"{count}{unit or ''}")
    if growth_pct is not None:
        parts.append(f"{growth_pct:+}%")
    if growth_pp is not None:
        parts.append(f"{growth_pp:+}pp")
    return " ".join(parts)


def describe_fact(fact: Fact) -> str:
    unit = fact.unit if fact.count is None else fact.count_unit
    text = _describe(fact.indicator, fact.period, fact.value, unit, fact.growth_pct, fact.growth_pp, fact.count)
    return f"{text} ({fact.kind})"


def name_key(name: str) -> str:
    return catalogue.normalise_name(simplified(unicodedata.normalize("NFKC", name)))


def name_similarity(gold: str, predicted: str) -> float:
    gold_key, predicted_key = name_key(gold), name_key(predicted)
    if gold_key == predicted_key:
        return 1.0
    gold_code, predicted_code = catalogue.code_for(gold_key), catalogue.code_for(predicted_key)
    if gold_code is not None and gold_code == predicted_code:
        return 1.0
    return SequenceMatcher(None, gold_key, predicted_key).ratio()


def _unit_key(unit: str | None) -> str:
    return simplified(unicodedata.normalize("NFKC", unit or "")).strip()


def _same_number(gold: Decimal, predicted: Decimal | int | None) -> bool:
    if predicted is None:
        return False
    exponent = gold.as_tuple().exponent
    places = Decimal(1).scaleb(exponent) if isinstance(exponent, int) else Decimal(1)
    return Decimal(predicted).quantize(places) == gold.quantize(places)


def numbers_agree(gold: GoldFact, fact: Fact) -> list[str]:
    """The differences between a gold fact and a predicted one; empty when they match."""
    differences: list[str] = []
    for name in _NUMERIC_FIELDS:
        expected = getattr(gold, name)
        if expected is not None and not _same_number(expected, getattr(fact, name)):
            differences.append(f"{name} {getattr(fact, name)} ≠ {expected}")
    if gold.unit is not None and (gold.value is not None or gold.count is not None):
        predicted_unit = fact.count_unit if gold.count is not None else fact.unit
        if _unit_key(predicted_unit) != _unit_key(gold.unit):
            differences.append(f"unit {predicted_unit} ≠ {gold.unit}")
    return differences


@dataclass
class DocumentScore:
    name: str
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    misses: list[str] = field(default_factory=list)
    false_facts: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Evaluation:
    documents: list[DocumentScore]

    @property
    def overall(self) -> DocumentScore:
        total = DocumentScore("overall")
        for document in self.documents:
            total.gold += document.gold
            total.predicted += document.predicted
            total.matched += document.matched
        return total

    def report(self) -> str:
        """Precision, recall and F1 per document and overall, then every miss and false fact."""
        lines = [f"{'document':<10} {'gold':>5} {'pred':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}"]
        for score in [*self.documents, self.overall]:
            lines.append(
                f"{score.name:<10} {score.gold:>5} {score.predicted:>5} {score.matched:>5} "
                f"{score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f}"
            )
        for score in self.documents:
            for miss in score.misses:
                lines.append(f"miss  {score.name}: {miss}")
            for false_fact in score.false_facts:
                lines.append(f"false {score.name}: {false_fact}")
        return "\n".join(lines)


def evaluate_document(name: str, facts: list[Fact], gold: list[GoldFact], text: str | None = None) -> DocumentScore:
    scored = [fact for fact in facts if fact.is_scored]
    score = DocumentScore(name, gold=len(gold), predicted=len(scored))
    candidates: list[tuple[float, int, int]] = []
    for gold_index, gold_fact in enumerate(gold):
        for fact_index, fact in enumerate(scored):
            similarity = name_similarity(gold_fact.indicator, fact.indicator)
            if similarity >= NAME_SIMILARITY and not numbers_agree(gold_fact, fact):
                candidates.append((similarity, gold_index, fact_index))
    # Best-named pairs first, each fact used once.
    candidates.sort(key=lambda candidate: (-candidate[0], candidate[1], candidate[2]))
    gold_matched: set[int] = set()
    facts_matched: set[int] = set()
    for _similarity, gold_index, fact_index in candidates:
        if gold_index in gold_matched or fact_index in facts_matched:
            continue
        gold_matched.add(gold_index)
        facts_matched.add(fact_index)
    score.matched = len(gold_matched)
    sentences = _Sentences(text) if text is not None else None
    for gold_index, gold_fact in enumerate(gold):
        if gold_index not in gold_matched:
            explanation = _explain_miss(gold_fact, scored, facts_matched)
            if sentences is not None:
                explanation += f"\n      «{sentences.for_gold(gold_fact)}»"
            score.misses.append(explanation)
    for fact_index, fact in enumerate(scored):
        if fact_index not in facts_matched:
            explanation = describe_fact(fact)
            if sentences is not None:
                explanation += f"\n      «{sentences.around(fact.span)}»"
            score.false_facts.append(explanation)
    return score


_SENTENCE_END = "。！？!?\n"
_SHOWN = 160


class _Sentences:
    """The sentences of a document, to show a miss or a false fact where it is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cleaned = clean(text)
        self.bounds: list[tuple[int, int]] = []
        start = 0
        for index, char in enumerate(self.cleaned.text):
            if char in _SENTENCE_END:
                self.bounds.append((start, index + 1))
                start = index + 1
        self.bounds.append((start, len(self.cleaned.text)))

    def around(self, span: tuple[int, int]) -> str:
        """The original text from the start of the sentence holding ``span`` to its end."""
        begin, end = span
        text = self.text
        while begin > 0 and text[begin - 1] not in _SENTENCE_END:
            begin -= 1
        while end < len(text) and text[end - 1 : end] not in _SENTENCE_END:
            end += 1
        return _shown(text[begin:end])

    def for_gold(self, gold: GoldFact) -> str:
        """The sentence whose numbers hold most of the gold fact's numbers."""
        wanted = [number for number in (gold.value, gold.growth_pct, gold.growth_pp, gold.count) if number is not None]
        best: tuple[int, int] | None = None
        best_hits = 0
        for start, end in self.bounds:
            written = {quantity.value for quantity in find_quantities(self.cleaned.text, start, end)}
            written |= {-value for value in written}
            hits = sum(1 for number in wanted if any(_same_number(number, value) for value in written))
            if hits > best_hits:
                best, best_hits = (start, end), hits
        if best is None:
            return "（原文中未找到这些数字）"
        begin, end = self.cleaned.original_span(*best)
        return _shown(self.text[begin:end])


def _shown(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= _SHOWN else sentence[: _SHOWN - 1] + "…"


def _explain_miss(gold: GoldFact, facts: list[Fact], taken: set[int]) -> str:
    best: tuple[float, int] | None = None
    for index, fact in enumerate(facts):
        similarity = name_similarity(gold.indicator, fact.indicator)
        if best is None or similarity > best[0]:
            best = (similarity, index)
    if best is None or best[0] < NAME_SIMILARITY:
        nearest = f"; nearest name {facts[best[1]].indicator!r} ({best[0]:.2f})" if best else ""
        return f"{gold.describe()} — no fact of that name{nearest}"
    fact = facts[best[1]]
    differences = numbers_agree(gold, fact)
    reason = ", ".join(differences) if differences else "its fact already paired with another gold fact"
    return f"{gold.describe()} — found {describe_fact(fact)}: {reason}"


def load_gold(path: Path) -> list[GoldFact]:
    document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    return [GoldFact.from_json(record) for record in document["facts"]]


def evaluate_dir(directory: Path) -> Evaluation:
    """Score ``extract`` on every docNN.txt that has a docNN.expected.json beside it."""
    documents: list[DocumentScore] = []
    for text_path in sorted(Path(directory).glob("*.txt")):
        gold_path = text_path.with_name(text_path.stem + ".expected.json")
        if not gold_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        documents.append(evaluate_document(text_path.stem, extract(text), load_gold(gold_path), text))
    return Evaluation(documents)
