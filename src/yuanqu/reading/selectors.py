"""The observations extracted from reports, as the review page lists them."""

import re
from dataclasses import dataclass
from decimal import Decimal

from yuanqu import figures
from yuanqu.core.models import Source
from yuanqu.indicators.models import Observation, ObservationQuerySet

REVIEWED_SHOWN = 20
# The offsets report_ingest writes into the locator: 原文第61—65字：…
_LOCATOR = re.compile(r"^原文第(?P<start>\d+)—(?P<end>\d+)字")
_SENTENCE_END = "。！？!?\n"
# The longest stretch of a sentence shown on either side of the figure.
_CONTEXT = 90


def _from_documents() -> ObservationQuerySet:
    return Observation.objects.filter(source__kind=Source.Kind.DOCUMENT).select_related(
        "indicator", "place", "source", "recorded_by"
    )


def pending_observations() -> ObservationQuerySet:
    """Every extracted observation still waiting for a statistician, oldest first."""
    return (
        Observation.objects.filter(status=Observation.Status.UNREVIEWED)
        .select_related("indicator", "place", "source", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def reviewed_observations(limit: int = REVIEWED_SHOWN) -> ObservationQuerySet:
    """The latest accepted or rejected observations that came from a report."""
    return (
        _from_documents()
        .filter(status__in=[Observation.Status.ACCEPTED, Observation.Status.REJECTED])
        .order_by("-recorded_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class ReviewRow:
    """An extracted observation with its figures written the office way and the sentence it came from."""

    observation: Observation
    value: str
    growth: str
    before: str
    figure: str
    after: str

    @property
    def has_sentence(self) -> bool:
        return bool(self.figure)


def _places(number: Decimal) -> int:
    """The decimals a figure was written with, at least one (142.3000 → 1, 18.06 → 2, 8 → 1)."""
    exponent = number.normalize().as_tuple().exponent
    return max(1, -exponent) if isinstance(exponent, int) else 1


def _sentence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The sentence around ``text[start:end]``, split into what comes before, the figure and after."""
    begin = start
    while begin > 0 and start - begin < _CONTEXT and text[begin - 1] not in _SENTENCE_END:
        begin -= 1
    finish = end
    while finish < len(text) and finish - end < _CONTEXT and text[finish - 1 : finish] not in _SENTENCE_END:
        finish += 1
    before = text[begin:start].lstrip()
    after = text[end:finish].rstrip()
    if begin > 0 and text[begin - 1] not in _SENTENCE_END:
        before = "…" + before
    if finish < len(text) and text[finish - 1] not in _SENTENCE_END:
        after += "…"
    return before, text[start:end], after


def review_rows(observations: ObservationQuerySet) -> list[ReviewRow]:
    """The review page's rows: each figure as the office writes it, with its sentence, span marked."""
    rows: list[ReviewRow] = []
    for obs in observations:
        value = figures.amount_in(obs.value, obs.unit, _places(obs.value)) if obs.value is not None else "—"
        growth = figures.percent(obs.growth_pct, _places(obs.growth_pct)) if obs.growth_pct is not None else "—"
        before = figure = after = ""
        span = _LOCATOR.match(obs.source_locator)
        text = obs.source.text
        if span is not None and text:
            start, end = int(span["start"]), int(span["end"])
            if 0 <= start < end <= len(text):
                before, figure, after = _sentence(text, start, end)
        rows.append(ReviewRow(obs, value, growth, before, figure, after))
    return rows
