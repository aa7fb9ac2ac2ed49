"""State changes of the indicators app: imports, observations, same-scope totals.

Each public function is atomic and writes its audit row.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, transaction
from django.utils import timezone

from yuanqu.core.models import Place, Source
from yuanqu.core.services import audit_record
from yuanqu.indicators.importing import (
    AMOUNT_FIELDS,
    EnterpriseRow,
    ImportIssue,
    ImportRejected,
    ObservationRow,
    parse_enterprise_months,
    parse_observations,
)
from yuanqu.indicators.models import (
    Enterprise,
    EnterpriseField,
    EnterpriseMonth,
    Indicator,
    Observation,
    ScopeTotal,
)
from yuanqu.indicators.tabular import Table, UnreadableFile, read_table
from yuanqu.periods import Period

Actor = User | AnonymousUser | None
BATCH = 2_000


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    months: list[str] = field(default_factory=list)
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    enterprises_created: int = 0
    written: bool = False
    source_id: int | None = None

    @property
    def summary(self) -> str:
        verb = "将" if self.dry_run else "已"
        if not (self.added or self.changed or self.removed or self.enterprises_created):
            return f"{self.file_name}：{self.rows} 行，与库中数据相同，无变化"
        return (
            f"{self.file_name}：{self.rows} 行，{verb}新增 {self.added}、更新 {self.changed}、"
            f"删除 {self.removed}、不变 {self.unchanged}，新建企业 {self.enterprises_created} 家"
        )


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _table_or_reject(path: Path, file_name: str | None) -> Table:
    try:
        return read_table(path, file_name=file_name)
    except UnreadableFile as exc:
        raise ImportRejected([ImportIssue(file_name or path.name, 0, "", str(exc))]) from exc


# -- enterprise monthly data ------------------------------------------------------------

ROW_COLUMNS = ["above_scale", *AMOUNT_FIELDS]


def _row_values(row: EnterpriseRow) -> tuple[object, ...]:
    return (row.above_scale, *(row.amounts[key] for key in AMOUNT_FIELDS))


def enterprise_months_import(
    *,
    path: Path,
    zone: Place,
    actor: Actor = None,
    dry_run: bool = False,
    file_name: str | None = None,
    ip_address: str | None = None,
) -> ImportReport:
    """Validate a monthly file; if it has no error, replace the months it covers for the zone.

    A file is a zone's submission for the months it contains: re-importing a month replaces
    that month (rows of enterprises no longer in the file are removed), and importing the
    same data again changes nothing.
    """
    table = _table_or_reject(path, file_name)
    parsed = parse_enterprise_months(table)
    if parsed.issues:
        raise ImportRejected(parsed.issues)
    return enterprise_rows_import(
        rows=parsed.rows,
        zone=zone,
        file_name=table.file_name,
        sha256=file_digest(path),
        actor=actor,
        dry_run=dry_run,
        ip_address=ip_address,
    )


@transaction.atomic
def enterprise_rows_import(
    *,
    rows: list[EnterpriseRow],
    zone: Place,
    file_name: str,
    sha256: str = "",
    actor: Actor = None,
    dry_run: bool = False,
    ip_address: str | None = None,
    source_kind: str = Source.Kind.IMPORT_FILE,
) -> ImportReport:
    report = ImportReport(file_name=file_name, dry_run=dry_run, rows=len(rows))
    months = sorted({(row.year, row.month) for row in rows})
    report.months = [Period.month(year, month).code for year, month in months]

    codes = sorted({row.uscc for row in rows})
    enterprises: dict[str, Enterprise] = {}
    for start in range(0, len(codes), 500):
        for enterprise in Enterprise.objects.filter(uscc__in=codes[start : start + 500]):
            enterprises[enterprise.uscc] = enterprise
    issues = [
        ImportIssue(
            file_name,
            row.row,
            "统一社会信用代码",
            f"该企业已登记在“{enterprises[row.uscc].zone}”，不属于本园区",
        )
        for row in rows
        if row.uscc in enterprises and enterprises[row.uscc].zone_id != zone.pk
    ]
    if issues:
        raise ImportRejected(issues[:200])

    existing: dict[tuple[str, int, int], tuple[object, ...]] = {}
    existing_query = EnterpriseMonth.objects.filter(zone=zone)
    for year in {year for year, _ in months}:
        in_year = [month for y, month in months if y == year]
        for values in existing_query.filter(year=year, month__in=in_year).values_list(
            "enterprise__uscc", "year", "month", *ROW_COLUMNS
        ):
            existing[(values[0], values[1], values[2])] = tuple(values[3:])
    if existing:
        new_rows = {(row.uscc, row.year, row.month): _row_values(row) for row in rows}
        for key, values in new_rows.items():
            if key not in existing:
                report.added += 1
            elif existing[key] != values:
                report.changed += 1
            else:
                report.unchanged += 1
        report.removed = sum(1 for key in existing if key not in new_rows)
    else:
        report.added = len(rows)  # months new to the zone: nothing to compare with
    new_names = {row.uscc: row for row in rows if row.uscc not in enterprises}
    report.enterprises_created = len(new_names)
    renamed = [
        row
        for row in {row.uscc: row for row in rows}.values()
        if row.uscc in enterprises
        and (
            enterprises[row.uscc].name != row.name
            or (row.industry_code and enterprises[row.uscc].industry_code != row.industry_code)
        )
    ]
    nothing_changes = not (report.added or report.changed or report.removed or report.enterprises_created or renamed)
    if dry_run or nothing_changes:
        if not dry_run:
            audit_record(
                action="import.enterprise_months",
                summary=report.summary,
                actor=actor,
                detail={"file": file_name, "sha256": sha256, "zone": zone.code, "months": report.months},
                ip_address=ip_address,
            )
        return report

    source = Source.objects.create(
        kind=source_kind,
        title=f"企业月度数据导入：{file_name}",
        file_name=file_name,
        sha256=sha256,
        created_by=actor if isinstance(actor, User) else None,
    )
    report.source_id = source.pk
    if new_names:
        Enterprise.objects.bulk_create(
            [
                Enterprise(uscc=row.uscc, name=row.name, industry_code=row.industry_code, zone=zone)
                for row in new_names.values()
            ],
            batch_size=BATCH,
        )
        created_codes = list(new_names)
        for start in range(0, len(created_codes), 500):
            for enterprise in Enterprise.objects.filter(zone=zone, uscc__in=created_codes[start : start + 500]):
                enterprises[enterprise.uscc] = enterprise
    for row in renamed:
        enterprise = enterprises[row.uscc]
        enterprise.name = row.name
        enterprise.industry_code = row.industry_code or enterprise.industry_code
        enterprise.save(update_fields=["name", "industry_code"])

    for year in {year for year, _ in months}:
        in_year = [month for y, month in months if y == year]
        EnterpriseMonth.objects.filter(zone=zone, year=year, month__in=in_year).delete()
    _insert_enterprise_months(rows, enterprises, zone, source)
    years = {year for year, _ in months}
    scope_totals_refresh(zone=zone, years=years | {year + 1 for year in years})
    report.written = True
    audit_record(
        action="import.enterprise_months",
        summary=report.summary,
        actor=actor,
        detail={
            "file": file_name,
            "sha256": sha256,
            "zone": zone.code,
            "months": report.months,
            "source": source.pk,
            "added": report.added,
            "changed": report.changed,
            "removed": report.removed,
        },
        ip_address=ip_address,
    )
    return report


def _insert_enterprise_months(
    rows: list[EnterpriseRow], enterprises: dict[str, Enterprise], zone: Place, source: Source
) -> None:
    # Plain executemany: ORM object construction costs more than the insert itself on
    # files of a million rows, and these rows carry no behaviour of their own.
    table = EnterpriseMonth._meta.db_table
    columns = ["enterprise_id", "zone_id", "year", "month", "source_id", "source_row", *ROW_COLUMNS]
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    zone_id, source_id = zone.pk, source.pk
    with connection.cursor() as cursor:
        batch: list[Any] = []
        for row in rows:
            batch.append(
                (
                    enterprises[row.uscc].pk,
                    zone_id,
                    row.year,
                    row.month,
                    source_id,
                    row.row,
                    row.above_scale,
                    *(row.amounts[key] for key in AMOUNT_FIELDS),
                )
            )
            if len(batch) >= 10_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


# -- same-scope totals -------------------------------------------------------------------

FIELDS = [choice.value for choice in EnterpriseField]
UNCLASSIFIED = "-"  # industry key of enterprises without a 行业代码 ('' is the zone total)


def scope_totals_refresh(*, zone: Place, years: Iterable[int]) -> int:
    """Recompute the same-scope totals of a zone for the given years; returns rows written.

    For each year Y and month N with data: the enterprises 规上 in month N; their values
    summed over months 1..N of Y (current) and over months 1..N of Y−1 (base, 0 for an
    enterprise that has no row last year, and counted in ``enterprises_with_base``). An
    enterprise without an industry code is counted under UNCLASSIFIED.

    Integer sums in Python over one ordered read of the rows: a plain pass is faster here
    than a self-join in SQL and gives the same result on every database.
    """
    wanted = sorted(set(years))
    if not wanted:
        return 0
    width = len(FIELDS)
    zero = [0] * width
    read_years = sorted({*wanted, *(year - 1 for year in wanted)})
    # A plain cursor: the ORM's per-value converters cost more than the arithmetic below.
    em, ent = EnterpriseMonth._meta.db_table, Enterprise._meta.db_table
    read_sql = (
        f"SELECT m.enterprise_id, e.industry_code, m.year, m.month, m.above_scale, "
        f"{', '.join('m.' + name for name in FIELDS)} "
        f"FROM {em} m JOIN {ent} e ON e.id = m.enterprise_id "
        f"WHERE m.zone_id = %s AND m.year IN ({', '.join(['%s'] * len(read_years))}) "
        f"ORDER BY m.enterprise_id, m.year, m.month"
    )
    # (year, month, industry) -> [enterprises, with base, current sums..., base sums...]
    sums: dict[tuple[int, int, str], list[int]] = {}
    wanted_set = set(wanted)

    def flush(years_of_enterprise: dict[int, list[tuple[int, bool, list[int]]]], industry: str) -> None:
        prefix: dict[int, list[list[int]]] = {}
        first_month: dict[int, int] = {}
        for year, months in years_of_enterprise.items():
            running = list(zero)
            by_month = [list(zero) for _ in range(13)]
            last = 0
            for month, _, values in months:
                for fill in range(last + 1, month):
                    by_month[fill] = list(running)
                running = [a + b for a, b in zip(running, values, strict=True)]
                by_month[month] = list(running)
                last = month
            for fill in range(last + 1, 13):
                by_month[fill] = list(running)
            prefix[year] = by_month
            first_month[year] = months[0][0]
        for year, months in years_of_enterprise.items():
            if year not in wanted_set:
                continue
            base_prefix = prefix.get(year - 1)
            for month, in_scope, _ in months:
                if not in_scope:
                    continue
                entry = sums.get((year, month, industry))
                if entry is None:
                    entry = sums[(year, month, industry)] = [0] * (2 + 2 * width)
                entry[0] += 1
                current = prefix[year][month]
                for index in range(width):
                    entry[2 + index] += current[index]
                if base_prefix is not None and first_month[year - 1] <= month:
                    entry[1] += 1
                    base = base_prefix[month]
                    for index in range(width):
                        entry[2 + width + index] += base[index]

    current_enterprise: int | None = None
    current_industry = ""
    collected: dict[int, list[tuple[int, bool, list[int]]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(read_sql, [zone.pk, *read_years])
        while batch := cursor.fetchmany(20_000):
            for enterprise_id, industry_code, year, month, in_scope, *values in batch:
                if enterprise_id != current_enterprise:
                    if current_enterprise is not None:
                        flush(collected, current_industry)
                    current_enterprise, collected = enterprise_id, {}
                    current_industry = (industry_code or "")[:3] or UNCLASSIFIED
                collected.setdefault(year, []).append((month, bool(in_scope), [value or 0 for value in values]))
    if current_enterprise is not None:
        flush(collected, current_industry)

    # The zone total is the sum of its industries: integer sums, so it is exact.
    totals: dict[tuple[int, int], list[int]] = {}
    objects: list[tuple[int | str, ...]] = []
    for (year, month, industry), entry in sums.items():
        total = totals.setdefault((year, month), [0] * (2 + 2 * width))
        for index, amount in enumerate(entry):
            total[index] += amount
        objects.extend(_scope_objects(zone, year, month, industry, entry))
    for (year, month), total in totals.items():
        objects.extend(_scope_objects(zone, year, month, "", total))
    ScopeTotal.objects.filter(zone=zone, year__in=wanted).delete()
    columns = [
        "zone_id",
        "year",
        "month",
        "field",
        "industry",
        "current",
        "base",
        "enterprises",
        "enterprises_with_base",
    ]
    insert_sql = (
        f"INSERT INTO {ScopeTotal._meta.db_table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(insert_sql, objects)
    return len(objects)


def _scope_objects(zone: Place, year: int, month: int, industry: str, entry: list[int]) -> list[tuple[int | str, ...]]:
    """ScopeTotal rows as tuples in the column order of the insert above."""
    width = len(FIELDS)
    return [
        (zone.pk, year, month, name, industry, entry[2 + index], entry[2 + width + index], entry[0], entry[1])
        for index, name in enumerate(FIELDS)
    ]


# -- reported observations ---------------------------------------------------------------


def spellings() -> tuple[dict[str, str], dict[str, str]]:
    """Every accepted spelling of indicators and places (code, name, short name) → code."""
    indicators: dict[str, str] = {}
    for code, name in Indicator.objects.values_list("code", "name"):
        indicators[code] = code
        indicators[name] = code
    places: dict[str, str] = {}
    for code, name, short_name in Place.objects.values_list("code", "name", "short_name"):
        places[code] = code
        places[name] = code
        if short_name:
            places[short_name] = code
    return indicators, places


@dataclass
class ObservationsReport:
    file_name: str
    dry_run: bool
    rows: int = 0
    added: int = 0
    revised: int = 0
    unchanged: int = 0
    written: bool = False

    @property
    def summary(self) -> str:
        verb = "将" if self.dry_run else "已"
        if not (self.added or self.revised):
            return f"{self.file_name}：{self.rows} 行，与库中数据相同，无变化"
        return f"{self.file_name}：{self.rows} 行，{verb}新增 {self.added}、修订 {self.revised}、不变 {self.unchanged}"


def observations_import(
    *,
    path: Path,
    actor: Actor = None,
    dry_run: bool = False,
    file_name: str | None = None,
    ip_address: str | None = None,
) -> ObservationsReport:
    table = _table_or_reject(path, file_name)
    indicators, places = spellings()
    rows, issues = parse_observations(table, indicators=indicators, places=places)
    if issues:
        raise ImportRejected(issues)
    return observation_rows_import(
        rows=rows,
        file_name=table.file_name,
        sha256=file_digest(path),
        actor=actor,
        dry_run=dry_run,
        ip_address=ip_address,
    )


def _same_figure(current: Observation, row: ObservationRow) -> bool:
    return (
        current.value == row.value
        and current.growth_pct == row.growth_pct
        and current.price_basis == row.price_basis
        and current.vintage == row.vintage
    )


@transaction.atomic
def observation_rows_import(
    *,
    rows: list[ObservationRow],
    file_name: str,
    sha256: str = "",
    actor: Actor = None,
    dry_run: bool = False,
    ip_address: str | None = None,
    source_kind: str = Source.Kind.IMPORT_FILE,
    recorded_at: datetime | None = None,
) -> ObservationsReport:
    """Add reported figures; a different figure for the same cell is a revision (append-only)."""
    report = ObservationsReport(file_name=file_name, dry_run=dry_run, rows=len(rows))
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    places = {place.code: place for place in Place.objects.all()}
    current = {
        (obs.indicator.code, obs.place.code, obs.period): obs
        for obs in Observation.objects.accepted()
        .as_of(None)
        .filter(period__in={row.period.code for row in rows})
        .select_related("indicator", "place")
    }
    to_write: list[tuple[ObservationRow, Observation | None]] = []
    for row in rows:
        existing = current.get((row.indicator_code, row.place_code, row.period.code))
        if existing is None:
            report.added += 1
            to_write.append((row, None))
        elif _same_figure(existing, row):
            report.unchanged += 1
        else:
            report.revised += 1
            to_write.append((row, existing))
    if dry_run or not to_write:
        return report
    moment = recorded_at or timezone.now()
    user = actor if isinstance(actor, User) else None
    sources: dict[str, Source] = {}
    for row, existing in to_write:
        title = row.source_title
        if title not in sources:
            sources[title] = Source.objects.create(
                kind=Source.Kind.SAMPLE if row.is_sample else source_kind,
                title=title,
                file_name=file_name,
                sha256=sha256,
                created_by=user,
                created_at=moment,
            )
        if existing is not None:
            existing.superseded_at = moment
            existing.save(update_fields=["superseded_at"])
        indicator = indicators[row.indicator_code]
        Observation.objects.create(
            indicator=indicator,
            place=places[row.place_code],
            period=row.period.code,
            value=row.value,
            unit=row.unit or (indicator.unit if row.value is not None else ""),
            growth_pct=row.growth_pct,
            price_basis=row.price_basis,
            vintage=row.vintage,
            is_sample=row.is_sample,
            source=sources[title],
            source_locator=row.locator or f"{file_name} 第{row.row}行",
            recorded_at=moment,
            recorded_by=user,
            note=row.note,
        )
    report.written = True
    audit_record(
        action="import.observations",
        summary=report.summary,
        actor=actor,
        detail={"file": file_name, "sha256": sha256, "added": report.added, "revised": report.revised},
        ip_address=ip_address,
    )
    return report
