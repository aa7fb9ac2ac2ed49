"""What the extractor reports: one economic quantity stated by a report."""

from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

# Kinds the dev-set scoring ignores: they are extracted for their own use, never scored as facts.
UNSCORED_KINDS = frozenset({"share", "rank", "contribution", "completion", "ratio"})


@dataclass(frozen=True)
class Fact:
    """A quantity of the zone as the report states it.

    ``span`` is the (start, end) range in the original text covering the fact's numbers;
    ``entity`` is the place or group the figure is of when the text names one (江都区, 保税区),
    None for the report's own zone.
    """

    indicator: str
    code: str | None
    period: str | None
    value: Decimal | None
    unit: str | None
    growth_pct: Decimal | None
    growth_basis: str | None
    growth_pp: Decimal | None
    count: int | None
    count_unit: str | None
    kind: str
    qualifier: str | None
    note: str | None
    span: tuple[int, int]
    entity: str | None = None

    @property
    def is_scored(self) -> bool:
        return self.kind not in UNSCORED_KINDS

    def without_span(self) -> "Fact":
        return replace(self, span=(0, 0))

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict: Decimals become numbers (int when whole and written so), span a list."""
        record = asdict(self)
        for key, field_value in record.items():
            if isinstance(field_value, Decimal):
                record[key] = json_number(field_value)
        record["span"] = list(self.span)
        return record


def json_number(number: Decimal) -> int | float:
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= 0:
        return int(number)
    # Short decimals round-trip through float repr digit for digit (18.06 stays 18.06).
    return float(number)
