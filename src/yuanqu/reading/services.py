"""Turning a published report into observations a statistician reviews before they count."""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuanqu.core.models import Place, Source
from yuanqu.core.services import audit_record
from yuanqu.indicators.models import Indicator, Observation, PriceBasis
from yuanqu.periods import Period, PeriodError
from yuanqu.textmine import Fact, extract
from yuanqu.textmine.periods import is_previous_year, period_months, western_year

Actor = User | AnonymousUser | None
# Units a fact may be written in, as a factor to the catalogue's 亿元.
TO_YI = {"亿元": Decimal(1), "万元": Decimal("0.0001"), "万亿元": Decimal(10_000)}
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


class IngestError(ValueError):
    """The report cannot be ingested; the message is for the user, in Chinese."""


@dataclass
class IngestReport:
    file_name: str
    facts: int = 0
    stored: int = 0
    skipped: list[str] = field(default_factory=list)
    already: bool = False

    @property
    def summary(self) -> str:
        if self.already:
            return f"{self.file_name}：此前已导入，未重复写入"
        return (
            f"{self.file_name}：识别事实 {self.facts} 条，存为待审核观测值 {self.stored} 条，"
            f"跳过 {len(self.skipped)} 条"
        )


def locator(start: int, end: int, text: str) -> str:
    """Where a figure sits in its document: 原文第18—24字：6.2% (the offsets are read back by the review page)."""
    return f"原文第{start}—{end}字：{text[start:end]}"[:120]


def fact_period(fact: Fact, default_year: int | None) -> Period:
    """The period a fact governs, with the year from the fact or else the document's.

    Years may be written in Chinese numerals (二〇一九年) or in the Taiwan calendar (101年度);
    上年 and 去年 are the year before the document's.
    """
    text = (fact.period or "").strip()
    if not text:
        raise IngestError("没有时期")
    year = western_year(text)
    if year is None and default_year is not None:
        year = default_year - 1 if is_previous_year(text) else default_year
    if year is None:
        raise IngestError(f"时期“{text}”没有年份")
    months = period_months(text)
    if months is None:
        raise IngestError(f"无法识别时期“{text}”")
    try:
        return Period(year, *months)
    except PeriodError as exc:
        raise IngestError(f"无法识别时期“{text}”") from exc


def is_about_zone(entity: str | None, zone: Place) -> bool:
    """Whether a fact's entity is the zone the report was uploaded for (no entity: the report's own zone)."""
    if not entity:
        return True
    names = {name for name in (zone.name, zone.short_name) if name}
    return any(entity == name or name.endswith(entity) or entity.endswith(name) for name in names)


def document_year(text: str) -> int | None:
    """The first year the report names (its headline year), if any."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


@transaction.atomic
def report_ingest(
    *, path: Path, zone: Place, year: int | None = None, actor: Actor = None, name: str = ""
) -> IngestReport:
    """Read the report at ``path``; ``name`` (the file's own name, by default ``path``'s) is its title."""
    name = name or path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise IngestError(f"{name}：无法识别文件编码") from exc
    report = IngestReport(name)
    digest = hashlib.sha256(data).hexdigest()
    if Source.objects.filter(kind=Source.Kind.DOCUMENT, sha256=digest).exists():
        report.already = True
        return report
    user = actor if isinstance(actor, User) else None
    source = Source.objects.create(
        kind=Source.Kind.DOCUMENT, title=name, file_name=name, sha256=digest, text=text, created_by=user
    )
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    default_year = year or document_year(text)
    facts = extract(text)
    report.facts = len(facts)
    for fact in facts:
        indicator = indicators.get(fact.code or "")
        if indicator is None or fact.kind not in {"level", "growth"}:
            report.skipped.append(f"{fact.indicator}：不是指标库中的指标")
            continue
        if not is_about_zone(fact.entity, zone):
            report.skipped.append(
                _("%(entity)s的%(indicator)s：不是所选地区（%(zone)s）的数据")
                % {"entity": fact.entity, "indicator": fact.indicator, "zone": zone.display_name}
            )
            continue
        try:
            period = fact_period(fact, default_year)
        except IngestError as exc:
            report.skipped.append(f"{fact.indicator}：{exc}")
            continue
        value = fact.value
        unit = fact.unit or ""
        if value is not None and unit in TO_YI and indicator.unit == "亿元":
            value, unit = value * TO_YI[unit], "亿元"
        if value is None and fact.growth_pct is None:
            report.skipped.append(f"{fact.indicator}：没有数值")
            continue
        start, end = fact.span
        Observation.objects.create(
            indicator=indicator,
            place=zone,
            period=period.code,
            value=value,
            unit=unit if value is not None else "",
            growth_pct=fact.growth_pct,
            price_basis=indicator.price_basis,
            status=Observation.Status.UNREVIEWED,
            source=source,
            source_locator=locator(start, end, text),
            recorded_by=user,
            note="；".join(part for part in [fact.indicator, fact.qualifier or "", fact.note or ""] if part)[:300],
        )
        report.stored += 1
    audit_record(
        action="ingest.report",
        summary=report.summary,
        actor=actor,
        detail={"file": name, "sha256": digest, "zone": zone.code, "stored": report.stored},
    )
    return report


@transaction.atomic
def observation_review(
    *,
    observation: Observation,
    decision: str,
    actor: Actor = None,
    value: Decimal | None = None,
    growth_pct: Decimal | None = None,
) -> Observation:
    """Accept, correct or reject an unreviewed observation.

    Accepting makes it the current figure (a figure already current is closed, as a
    revision); a correction is stored as a new accepted row beside the rejected original,
    so the extracted and the corrected numbers both stay on record.
    """
    if observation.status != Observation.Status.UNREVIEWED:
        raise IngestError(f"观测值#{observation.pk}已审核（{observation.get_status_display()}）")
    if decision not in {"accept", "correct", "reject"}:
        raise IngestError(f"未知审核决定“{decision}”")
    if (
        decision == "accept"
        and observation.value is not None
        and observation.unit not in {"", observation.indicator.unit}
    ):
        raise IngestError(
            f"观测值#{observation.pk}单位为“{observation.unit}”，与指标单位“{observation.indicator.unit}”不一致，请更正后再确认"
        )
    now = timezone.now()
    user = actor if isinstance(actor, User) else None
    result = observation
    if decision == "reject":
        observation.status = Observation.Status.REJECTED
        observation.save(update_fields=["status"])
    else:
        Observation.objects.accepted().as_of(None).filter(
            indicator=observation.indicator, place=observation.place, period=observation.period
        ).update(superseded_at=now)
        if decision == "accept":
            observation.status = Observation.Status.ACCEPTED
            observation.recorded_at = max(observation.recorded_at, now)
            observation.save(update_fields=["status", "recorded_at"])
        else:
            observation.status = Observation.Status.REJECTED
            observation.save(update_fields=["status"])
            result = Observation.objects.create(
                indicator=observation.indicator,
                place=observation.place,
                period=observation.period,
                value=value if value is not None else observation.value,
                unit=observation.indicator.unit if (value is not None or observation.value is not None) else "",
                growth_pct=growth_pct if growth_pct is not None else observation.growth_pct,
                price_basis=observation.price_basis or PriceBasis.NOMINAL,
                status=Observation.Status.ACCEPTED,
                source=observation.source,
                source_locator=observation.source_locator,
                recorded_at=now,
                recorded_by=user,
                note=f"更正自观测值#{observation.pk}",
            )
    audit_record(
        action=f"observation.review.{decision}",
        summary=(
            f"审核观测值#{observation.pk}（{observation.indicator.name} {observation.place} "
            f"{observation.period}）：{decision}"
        ),
        actor=actor,
        detail={"observation": observation.pk, "result": result.pk},
    )
    return result
