"""State changes of the indicators app: imports, observations, same-scope totals.

Each public function is atomic and writes its audit row.
"""

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from yuanqu.core.models import Place, Source
from yuanqu.core.services import audit_record
from yuanqu.indicators.fastcsv import enterprise_csv_read, enterprise_table_check
from yuanqu.indicators.importing import (
    AMOUNT_FIELDS,
    EnterpriseColumns,
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
from yuanqu.indicators.scope import MonthRows, ScopeSum, industry_key, scope_sums
from yuanqu.indicators.tabular import Table, UnreadableFile, gc_paused, read_table
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


def enterprise_file_read(path: Path, file_name: str | None = None) -> EnterpriseColumns:
    """Read and check an enterprise file; raises ImportRejected naming every problem.

    A clean .csv file is read and checked column by column (``fastcsv``). Other files (.xlsx,
    a .csv with quotes or blank lines) are read row by row and then checked column by column.
    A file with any problem, or anything unusual, is checked row by row, which names each
    problem by row and column.
    """
    with gc_paused():
        columns = enterprise_csv_read(path, file_name=file_name)
        if columns is not None:
            return columns
        table = _table_or_reject(path, file_name)
        columns = enterprise_table_check(table)
        if columns is not None:
            return columns
        parsed = parse_enterprise_months(table)
    if parsed.issues:
        raise ImportRejected(parsed.issues)
    return EnterpriseColumns.from_rows(parsed.rows, table.file_name)


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
    with gc_paused(), _own_keys_only():
        columns = enterprise_file_read(path, file_name)
        return enterprise_columns_import(
            columns=columns,
            zone=zone,
            file_name=columns.file_name,
            sha256=file_digest(path),
            actor=actor,
            dry_run=dry_run,
            ip_address=ip_address,
        )


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
    """``enterprise_columns_import`` for rows built in code (the demo, tests)."""
    return enterprise_columns_import(
        columns=EnterpriseColumns.from_rows(rows, file_name),
        zone=zone,
        file_name=file_name,
        sha256=sha256,
        actor=actor,
        dry_run=dry_run,
        ip_address=ip_address,
        source_kind=source_kind,
    )


@transaction.atomic
def enterprise_columns_import(
    *,
    columns: EnterpriseColumns,
    zone: Place,
    file_name: str,
    sha256: str = "",
    actor: Actor = None,
    dry_run: bool = False,
    ip_address: str | None = None,
    source_kind: str = Source.Kind.IMPORT_FILE,
) -> ImportReport:
    report = ImportReport(file_name=file_name, dry_run=dry_run, rows=len(columns))
    months = sorted(set(zip(columns.year, columns.month, strict=True)))
    report.months = [Period.month(year, month).code for year, month in months]
    years = sorted({year for year, _ in months})

    # code -> (id, zone id, name, industry code) of the enterprises already registered.
    known: dict[str, tuple[int, int, str, str]] = {}
    codes = sorted(set(columns.uscc))
    for start in range(0, len(codes), 500):
        for code, *record in Enterprise.objects.filter(uscc__in=codes[start : start + 500]).values_list(
            "uscc", "id", "zone_id", "name", "industry_code"
        ):
            known[code] = tuple(record)  # type: ignore[assignment]
    elsewhere = {code: zone_id for code, (_, zone_id, _, _) in known.items() if zone_id != zone.pk}
    if elsewhere:
        zone_names = dict(Place.objects.filter(pk__in=set(elsewhere.values())).values_list("pk", "name"))
        raise ImportRejected(
            [
                ImportIssue(
                    file_name,
                    number,
                    "统一社会信用代码",
                    f"该企业已登记在“{zone_names[elsewhere[code]]}”，不属于本园区",
                )
                for number, code in zip(columns.rows, columns.uscc, strict=True)
                if code in elsewhere
            ][:200]
        )

    existing: dict[tuple[str, int, int], tuple[object, ...]] = {}
    existing_query = EnterpriseMonth.objects.filter(zone=zone)
    for year in years:
        in_year = [month for y, month in months if y == year]
        for values in existing_query.filter(year=year, month__in=in_year).values_list(
            "enterprise__uscc", "year", "month", *ROW_COLUMNS
        ):
            existing[(values[0], values[1], values[2])] = tuple(values[3:])
    if existing:
        new_rows = dict(
            zip(
                zip(columns.uscc, columns.year, columns.month, strict=True),
                zip(columns.above_scale, *(columns.amounts[key] for key in AMOUNT_FIELDS), strict=True),
                strict=True,
            )
        )
        for key, values in new_rows.items():
            if key not in existing:
                report.added += 1
            elif existing[key] != values:
                report.changed += 1
            else:
                report.unchanged += 1
        report.removed = sum(1 for key in existing if key not in new_rows)
    else:
        report.added = len(columns)  # months new to the zone: nothing to compare with
    # Name and industry of each enterprise as its last row in the file gives them; an empty
    # industry code keeps the one on record.
    described = {
        code: (name, industry or (known[code][3] if code in known else ""))
        for code, (name, industry) in dict(
            zip(columns.uscc, zip(columns.name, columns.industry_code, strict=True), strict=True)
        ).items()
    }
    new_codes = [code for code in described if code not in known]
    report.enterprises_created = len(new_codes)
    renamed = [
        (known[code][0], name, industry)
        for code, (name, industry) in described.items()
        if code in known and (known[code][2], known[code][3]) != (name, industry)
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
    id_of = {code: values[0] for code, values in known.items()}
    if new_codes:
        registered_at = connection.ops.adapt_datetimefield_value(timezone.now())
        rows_insert(
            Enterprise._meta.db_table,
            ["uscc", "name", "industry_code", "zone_id", "created_at"],
            ((code, *described[code], zone.pk, registered_at) for code in new_codes),
        )
        for start in range(0, len(new_codes), 500):
            id_of.update(
                Enterprise.objects.filter(zone=zone, uscc__in=new_codes[start : start + 500]).values_list("uscc", "id")
            )
    for enterprise_id, name, industry in renamed:
        Enterprise.objects.filter(pk=enterprise_id).update(name=name, industry_code=industry)

    for year in years:
        in_year = [month for y, month in months if y == year]
        EnterpriseMonth.objects.filter(zone=zone, year=year, month__in=in_year).delete()
    # The same-scope totals need every row of the zone in the years around the file's: the
    # file's rows are at hand, the others (other months of those years) are read before the
    # file's rows are written.
    wanted = {*years, *(year + 1 for year in years)}
    others = _zone_rows(zone, sorted({*wanted, *(year - 1 for year in wanted)}))
    enterprise_ids = list(map(id_of.__getitem__, columns.uscc))
    # SQLite and PostgreSQL do the insert's work without Python's interpreter lock: the
    # same-scope sums are computed meanwhile, on the same connection's thread left free.
    with _in_background(_insert_enterprise_months, columns, enterprise_ids, zone, source):
        industry_of = {id_of[code]: industry_key(industry) for code, (_, industry) in described.items()}
        mine = MonthRows.build(
            enterprise=enterprise_ids,
            industry=list(map(industry_of.__getitem__, enterprise_ids)),
            year=columns.year,
            month=columns.month,
            in_scope=columns.above_scale,
            values=[columns.amounts[name] for name in FIELDS],
        )
        sums = scope_sums(MonthRows.join(others, mine), wanted)
    _scope_totals_store(zone, wanted, sums)
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


@contextmanager
def _own_keys_only() -> Iterator[None]:
    """On SQLite, leave out the per-row foreign key lookups of an import's writes.

    Every key an import writes was read or created in the import's own transaction (the zone,
    the source, the enterprises, the user), so SQLite's lookup of each would only repeat that;
    on a large file those lookups are a tenth of the import. SQLite ignores the switch inside a
    transaction, so an import within a larger one keeps the checks; they are always switched
    back on after.
    """
    database = connections[DEFAULT_DB_ALIAS]
    if database.vendor != "sqlite" or database.in_atomic_block:
        yield
        return
    with database.constraint_checks_disabled():
        yield


@contextmanager
def _in_background(work: Callable[..., None], *arguments: Any) -> Iterator[None]:
    """Run ``work`` in a thread while the block runs; its error, if any, is raised after.

    ``work`` gets this thread's database connection as its first argument: Django's
    connections belong to threads, and the rows must go into this transaction.
    """
    errors: list[BaseException] = []
    database = connections[DEFAULT_DB_ALIAS]
    database.ensure_connection()

    def run() -> None:
        try:
            work(database, *arguments)
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="yuanqu-import-writer")
    thread.start()
    try:
        yield
    finally:
        thread.join()
    if errors:
        raise errors[0]


def _insert_enterprise_months(
    database: BaseDatabaseWrapper, columns: EnterpriseColumns, enterprise_ids: list[int], zone: Place, source: Source
) -> None:
    names = ["enterprise_id", "zone_id", "year", "month", "source_id", "source_row", *ROW_COLUMNS]
    rows = zip(
        enterprise_ids,
        repeat(zone.pk),
        columns.year,
        columns.month,
        repeat(source.pk),
        columns.rows,
        columns.above_scale,
        *(columns.amounts[key] for key in AMOUNT_FIELDS),
    )
    rows_insert(EnterpriseMonth._meta.db_table, names, rows, database=database)


def rows_insert(
    table: str, names: list[str], rows: Iterable[tuple[Any, ...]], *, database: BaseDatabaseWrapper | None = None
) -> None:
    """Insert plain rows (no ORM objects, no signals), up to 2,000 in one statement.

    For files of a million rows: building model instances costs more than the insert, and
    a statement per row costs SQLite more than twice the time of one per thousand rows
    (each statement opens the table, its indexes and the tables its keys refer to).
    ``database`` is this thread's connection unless given.
    """
    database = database or connections[DEFAULT_DB_ALIAS]
    database.ensure_connection()
    raw: Any = database.connection
    if database.vendor == "sqlite":
        mark, limit = "?", raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    else:
        mark, limit = "%s", 65_535
    per_statement = max(1, min(2_000, limit // len(names)))
    values = "(" + ", ".join([mark] * len(names)) + ")"
    head = f"INSERT INTO {database.ops.quote_name(table)} ({', '.join(names)}) VALUES "
    full = head + ", ".join([values] * per_statement)
    pending = iter(rows)
    while batch := list(islice(pending, per_statement)):
        sql = full if len(batch) == per_statement else head + ", ".join([values] * len(batch))
        raw.execute(sql, list(chain.from_iterable(batch)))


# -- same-scope totals -------------------------------------------------------------------

FIELDS = [choice.value for choice in EnterpriseField]


def scope_totals_refresh(*, zone: Place, years: Iterable[int]) -> int:
    """Recompute the same-scope totals of a zone for the given years; returns rows written.

    Reads every row of the zone in those years and the year before each (see ``scope``
    for the arithmetic).
    """
    wanted = set(years)
    if not wanted:
        return 0
    rows = _zone_rows(zone, sorted({*wanted, *(year - 1 for year in wanted)}))
    return _scope_totals_store(zone, wanted, scope_sums(rows, wanted))


def _zone_rows(zone: Place, years: list[int]) -> MonthRows:
    """Every enterprise-month row of a zone in the given years, with its industry key."""
    # A plain cursor: the ORM's per-value converters cost more than the arithmetic.
    em, ent = EnterpriseMonth._meta.db_table, Enterprise._meta.db_table
    sql = (
        f"SELECT m.enterprise_id, e.industry_code, m.year, m.month, m.above_scale, "
        f"{', '.join('m.' + name for name in FIELDS)} "
        f"FROM {em} m JOIN {ent} e ON e.id = m.enterprise_id "
        f"WHERE m.zone_id = %s AND m.year IN ({', '.join(['%s'] * len(years))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [zone.pk, *years])
        found = cursor.fetchall()
    width = len(FIELDS)
    if not found:
        return MonthRows.build(
            enterprise=[], industry=[], year=[], month=[], in_scope=[], values=[[] for _ in range(width)]
        )
    enterprise, industry, year, month, in_scope, *values = zip(*found, strict=True)
    return MonthRows.build(
        enterprise=enterprise,
        industry=[industry_key(code) for code in industry],
        year=year,
        month=month,
        in_scope=[bool(flag) for flag in in_scope],
        values=values,
    )


def _scope_totals_store(zone: Place, wanted: set[int], sums: list[ScopeSum]) -> int:
    ScopeTotal.objects.filter(zone=zone, year__in=wanted).delete()
    names = ["zone_id", "year", "month", "field", "industry", "current", "base", "enterprises", "enterprises_with_base"]
    objects = [
        (zone.pk, item.year, item.month, name, item.industry, current, base, item.enterprises, item.with_base)
        for item in sums
        for name, current, base in zip(FIELDS, item.current, item.base, strict=True)
    ]
    rows_insert(ScopeTotal._meta.db_table, names, objects)
    return len(objects)


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
