"""State changes of the indicators app: imports, observations, same-scope totals.

Each public function is atomic and writes its audit row.
"""

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser, User
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from yuanqu.core.models import Place, Source
from yuanqu.core.services import audit_record
from yuanqu.indicators.fastcsv import enterprise_csv_read, enterprise_table_check
from yuanqu.indicators.import_diff import (
    ROW_COLUMNS,
    CumulativeMismatch,
    ImportReport,
    MonthDiff,
    PriorRevision,
    RowChange,
    Values,
    file_values,
)
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
    MonthCoverage,
    NewProduction,
    Observation,
    ScopeTotal,
)
from yuanqu.indicators.scope import MonthCoverage as ScopeCoverage
from yuanqu.indicators.scope import MonthRows, ScopeSum, coverage, industry_key, own_cumulative, scope_sums
from yuanqu.indicators.tabular import Table, UnreadableFile, gc_paused, read_table
from yuanqu.periods import Period

Actor = User | AnonymousUser | None
BATCH = 2_000


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


Waiting = Callable[[str], None]


def enterprise_months_import(
    *,
    path: Path,
    zone: Place,
    actor: Actor = None,
    dry_run: bool = False,
    replace_month: bool = False,
    file_name: str | None = None,
    ip_address: str | None = None,
    on_wait: Waiting | None = None,
) -> ImportReport:
    """Validate a monthly file; if it has no error, write the enterprise-months it contains.

    Additive by default: rows of the file are added or updated, identical ones left alone,
    nothing else removed. With ``replace_month`` the file is the zone's full report of each
    month it covers, and the month's rows of enterprises not in the file are removed.
    Importing the same data again changes nothing. See ``import_diff`` for the preview.
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
            replace_month=replace_month,
            ip_address=ip_address,
            on_wait=on_wait,
        )


def enterprise_rows_import(
    *,
    rows: list[EnterpriseRow],
    zone: Place,
    file_name: str,
    sha256: str = "",
    actor: Actor = None,
    dry_run: bool = False,
    replace_month: bool = False,
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
        replace_month=replace_month,
        ip_address=ip_address,
        source_kind=source_kind,
    )


WAITING_MESSAGE = "另一个导入正在写入本园区的数据，等待其完成后继续……"


def zone_lock(zone: Place, on_wait: Waiting | None = None) -> None:
    """Serialise the writers of a zone's enterprise data and same-scope totals.

    Two imports of one zone at once would each compute the totals from the rows they saw
    before the other's were committed, and store wrong totals. On PostgreSQL the zone's row is
    locked (``SELECT … FOR UPDATE``) until the transaction ends: a second import waits, says so,
    and then reads the first one's rows. On SQLite every transaction starts with the database's
    write lock (``transaction_mode`` IMMEDIATE in the settings), which serialises them already.
    """
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():  # a savepoint: a refused NOWAIT must not spoil the import's transaction
            list(Place.objects.select_for_update(nowait=True).filter(pk=zone.pk).values_list("pk"))
        return
    except DatabaseError:
        pass
    if on_wait is not None:
        on_wait(WAITING_MESSAGE)
    list(Place.objects.select_for_update().filter(pk=zone.pk).values_list("pk"))


@dataclass
class _Stored:
    enterprise_id: int
    name: str
    values: Values


@transaction.atomic
def enterprise_columns_import(
    *,
    columns: EnterpriseColumns,
    zone: Place,
    file_name: str,
    sha256: str = "",
    actor: Actor = None,
    dry_run: bool = False,
    replace_month: bool = False,
    ip_address: str | None = None,
    source_kind: str = Source.Kind.IMPORT_FILE,
    on_wait: Waiting | None = None,
) -> ImportReport:
    zone_lock(zone, on_wait)
    report = ImportReport(file_name=file_name, dry_run=dry_run, replace_month=replace_month, rows=len(columns))
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
    _reject_other_zones(columns, known, zone, file_name)

    existing = _stored_rows(zone, months)
    diffs = {code: MonthDiff(period=code) for code in report.months}
    to_write = _diff(columns, existing, diffs, report, replace_month=replace_month)
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
    if nothing_changes:
        _month_figures(zone, columns, diffs, report, existing, to_write, {}, described, years)
        if not dry_run:
            audit_record(
                action="import.enterprise_months",
                summary=report.summary,
                actor=actor,
                detail={"file": file_name, "sha256": sha256, "zone": zone.code, "months": report.months},
                ip_address=ip_address,
            )
        return report

    id_of = {code: values[0] for code, values in known.items()}
    source: Source | None = None
    if dry_run:
        # Enterprises the import would register get stand-in ids, for the arithmetic only.
        id_of.update({code: -index for index, code in enumerate(new_codes, start=1)})
    else:
        source = Source.objects.create(
            kind=source_kind,
            title=f"企业月度数据导入：{file_name}",
            file_name=file_name,
            sha256=sha256,
            created_by=actor if isinstance(actor, User) else None,
        )
        report.source_id = source.pk
        if new_codes:
            _enterprises_register(new_codes, described, zone, id_of, file_name)
        for enterprise_id, name, industry in renamed:
            Enterprise.objects.filter(pk=enterprise_id).update(name=name, industry_code=industry)
    final = _month_figures(zone, columns, diffs, report, existing, to_write, id_of, described, years)
    if dry_run:
        return report

    assert source is not None and final is not None
    wanted = {*years, *(year + 1 for year in years)}
    _enterprise_months_delete(zone, _replaced_keys(columns, to_write, existing))
    # SQLite and PostgreSQL do the insert's work without Python's interpreter lock: the
    # same-scope sums are computed meanwhile, on the same connection's thread left free.
    with _in_background(_insert_enterprise_months, columns, to_write, id_of, zone, source):
        sums = scope_sums(final, wanted, _new_production_marks(zone, wanted))
        month_coverage = coverage(final, wanted)
    _scope_totals_store(zone, wanted, sums)
    _coverage_store(zone, wanted, month_coverage)
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
            **report.audit_detail(),
        },
        ip_address=ip_address,
    )
    return report


def _reject_other_zones(
    columns: EnterpriseColumns, known: dict[str, tuple[int, int, str, str]], zone: Place, file_name: str
) -> None:
    elsewhere = {code: zone_id for code, (_, zone_id, _, _) in known.items() if zone_id != zone.pk}
    if not elsewhere:
        return
    zone_names = dict(Place.objects.filter(pk__in=set(elsewhere.values())).values_list("pk", "name"))
    raise ImportRejected(
        [
            ImportIssue(
                file_name, number, "统一社会信用代码", f"该企业已登记在“{zone_names[elsewhere[code]]}”，不属于本园区"
            )
            for number, code in zip(columns.rows, columns.uscc, strict=True)
            if code in elsewhere
        ][:200]
    )


def _stored_rows(zone: Place, months: list[tuple[int, int]]) -> dict[tuple[str, int, int], _Stored]:
    """The zone's stored rows of the given months, by (code, year, month)."""
    existing: dict[tuple[str, int, int], _Stored] = {}
    query = EnterpriseMonth.objects.filter(zone=zone)
    for year in sorted({year for year, _ in months}):
        in_year = [month for y, month in months if y == year]
        for code, name, enterprise_id, row_year, row_month, *values in query.filter(
            year=year, month__in=in_year
        ).values_list("enterprise__uscc", "enterprise__name", "enterprise_id", "year", "month", *ROW_COLUMNS):
            existing[(code, row_year, row_month)] = _Stored(enterprise_id, name, tuple(values))
    return existing


@dataclass
class _ToWrite:
    """The file's rows to insert, by index into its columns, and the stored keys to remove."""

    added: list[int] = field(default_factory=list)
    changed: list[int] = field(default_factory=list)
    removed: list[tuple[str, int, int]] = field(default_factory=list)
    # Values of changed rows where the file lacks a 上年同期累计 column (the stored one is kept).
    merged: dict[int, Values] = field(default_factory=dict)

    @property
    def rows(self) -> list[int]:
        return self.added + self.changed

    def values(self, columns: EnterpriseColumns, at: int) -> Values:
        return self.merged.get(at) or file_values(columns, at)


def _diff(
    columns: EnterpriseColumns,
    existing: dict[tuple[str, int, int], _Stored],
    diffs: dict[str, MonthDiff],
    report: ImportReport,
    *,
    replace_month: bool,
) -> _ToWrite:
    to_write = _ToWrite()
    code_of = {
        (year, month): Period.month(year, month).code
        for year, month in set(zip(columns.year, columns.month, strict=True))
    }
    if not existing:
        # Months new to the zone: every row is added, nothing to compare with.
        counts: dict[tuple[int, int], int] = {}
        for pair in zip(columns.year, columns.month, strict=True):
            counts[pair] = counts.get(pair, 0) + 1
        for month_key, count in counts.items():
            diffs[code_of[month_key]].in_file = diffs[code_of[month_key]].added = count
        to_write.added = list(range(len(columns)))
        report.added = len(columns)
        report.added_from, report.added_index = columns, to_write.added
        return to_write
    missing_prior = [index for index, key in enumerate(AMOUNT_FIELDS) if key not in columns.prior_given]
    first_prior = 1 + len(AMOUNT_FIELDS)
    in_file: set[tuple[str, int, int]] = set()
    for at, key in enumerate(zip(columns.uscc, columns.year, columns.month, strict=True)):
        in_file.add(key)
        diff = diffs[code_of[(key[1], key[2])]]
        diff.in_file += 1
        stored = existing.get(key)
        if stored is None:
            diff.added += 1
            to_write.added.append(at)
            continue
        values = file_values(columns, at)
        if missing_prior:
            merged = list(values)
            for index in missing_prior:
                merged[first_prior + index] = stored.values[first_prior + index]
            values = tuple(merged)
            to_write.merged[at] = values
        if values == stored.values:
            diff.unchanged += 1
        else:
            diff.changed += 1
            to_write.changed.append(at)
            if any(old is not None and new is None for old, new in zip(stored.values, values, strict=True)):
                diff.cleared += 1
            report.changes.append(
                RowChange("changed", key[0], stored.name, diff.period, columns.rows[at], stored.values, values)
            )
    for key, stored in sorted(existing.items(), key=lambda item: (item[0][1], item[0][2], item[1].name)):
        diff = diffs[Period.month(key[1], key[2]).code]
        diff.stored += 1
        if key in in_file:
            continue
        if replace_month:
            diff.removed += 1
            to_write.removed.append(key)
            report.changes.append(RowChange("removed", key[0], stored.name, diff.period, None, stored.values, None))
        else:
            diff.kept += 1
    report.added_from, report.added_index = columns, to_write.added
    for diff in diffs.values():
        report.added += diff.added
        report.changed += diff.changed
        report.removed += diff.removed
        report.unchanged += diff.unchanged
        report.kept += diff.kept
    return to_write


def _replaced_keys(
    columns: EnterpriseColumns, to_write: _ToWrite, existing: dict[tuple[str, int, int], _Stored]
) -> list[tuple[int, int, int]]:
    """(enterprise id, year, month) of the stored rows the import replaces or removes."""
    keys = [(columns.uscc[at], columns.year[at], columns.month[at]) for at in to_write.changed]
    return [(existing[key].enterprise_id, key[1], key[2]) for key in [*keys, *to_write.removed]]


def _month_figures(
    zone: Place,
    columns: EnterpriseColumns,
    diffs: dict[str, MonthDiff],
    report: ImportReport,
    existing: dict[tuple[str, int, int], _Stored],
    to_write: _ToWrite,
    id_of: dict[str, int],
    described: dict[str, tuple[str, str]],
    years: list[int],
) -> MonthRows | None:
    """Totals, coverage, revisions and warnings of each month after the import; the zone's rows as
    they would be after it (None when nothing changes: the stored rows are the final ones)."""
    first_amount = 1
    for key, stored in existing.items():
        diff = diffs[Period.month(key[1], key[2]).code]
        for index, name in enumerate(AMOUNT_FIELDS, start=first_amount):
            value = stored.values[index]
            if isinstance(value, int):
                diff.totals_before[name] = diff.totals_before.get(name, 0) + value
    needed = sorted({*years, *(year - 1 for year in years), *(year + 1 for year in years)})
    stored_rows = _zone_rows(zone, needed)
    if id_of:
        replaced = set(_replaced_keys(columns, to_write, existing))
        final = MonthRows.join(_without(stored_rows, replaced), _file_rows(columns, to_write, id_of, described))
    else:
        final = stored_rows
    by_month = _month_totals(final, [(Period.parse(code).year, Period.parse(code).last_month) for code in diffs])
    month_coverage = {(item.year, item.month): item for item in coverage(final, years)}
    for code, diff in diffs.items():
        period = Period.parse(code)
        diff.totals_after = by_month.get((period.year, period.last_month), {})
        found = month_coverage.get((period.year, period.last_month))
        if found is not None:
            diff.expected, diff.reported_of_expected = found.expected, found.reported_of_expected
        diff.check(replace_month=report.replace_month)
    report.month_diffs = [diffs[code] for code in sorted(diffs)]
    if id_of:
        _revisions_and_mismatches(final, columns, id_of, report)
    return final if id_of else None


def _without(rows: MonthRows, keys: set[tuple[int, int, int]]) -> MonthRows:
    """The rows whose (enterprise id, year, month) is not among ``keys``."""
    if not keys or not len(rows):
        return rows
    stamp = rows.enterprise * 1_000_000 + rows.year * 100 + rows.month
    drop = np.fromiter((e * 1_000_000 + y * 100 + m for e, y, m in keys), dtype=np.int64, count=len(keys))
    keep = ~np.isin(stamp, drop)
    return MonthRows(
        enterprise=rows.enterprise[keep],
        industry=[name for name, kept in zip(rows.industry, keep, strict=True) if kept],
        year=rows.year[keep],
        month=rows.month[keep],
        in_scope=rows.in_scope[keep],
        values=rows.values[keep],
        prior=rows.prior[keep],
        prior_present=rows.prior_present[keep],
    )


def _file_rows(
    columns: EnterpriseColumns, to_write: _ToWrite, id_of: dict[str, int], described: dict[str, tuple[str, str]]
) -> MonthRows:
    """The file's rows the import writes, as arrays."""
    industry_of = {code: industry_key(industry) for code, (_, industry) in described.items()}
    if not to_write.changed and not to_write.merged and len(to_write.added) == len(columns):
        return MonthRows.build(
            enterprise=list(map(id_of.__getitem__, columns.uscc)),
            industry=list(map(industry_of.__getitem__, columns.uscc)),
            year=columns.year,
            month=columns.month,
            in_scope=columns.above_scale,
            values=[columns.amounts[name] for name in FIELDS],
            prior=[columns.prior[name] for name in FIELDS],
        )
    picked = to_write.rows
    values = [to_write.values(columns, at) for at in picked]
    width = len(FIELDS)
    return MonthRows.build(
        enterprise=[id_of[columns.uscc[at]] for at in picked],
        industry=[industry_of[columns.uscc[at]] for at in picked],
        year=[columns.year[at] for at in picked],
        month=[columns.month[at] for at in picked],
        in_scope=[bool(row[0]) for row in values],
        values=[[row[1 + index] for row in values] for index in range(width)],  # type: ignore[misc]
        prior=[[row[1 + width + index] for row in values] for index in range(width)],  # type: ignore[misc]
    )


def _month_totals(rows: MonthRows, months: list[tuple[int, int]]) -> dict[tuple[int, int], dict[str, int]]:
    """Each month's total of every amount field over all its rows, in base units."""
    result = {}
    for year, month in months:
        chosen = (rows.year == year) & (rows.month == month)
        sums = rows.values[chosen].sum(axis=0) if chosen.any() else [0] * len(FIELDS)
        result[(year, month)] = {name: int(value) for name, value in zip(FIELDS, sums, strict=True)}
    return result


def _revisions_and_mismatches(
    final: MonthRows, columns: EnterpriseColumns, id_of: dict[str, int], report: ImportReport
) -> None:
    """Reported 上年同期累计 that differ from the enterprise's own rows (revisions, listed), and
    reported 本年累计 that differ from the sum of its months (listed for checking).

    Compared as whole columns: only the rows that differ become Python objects.
    """
    reported = {("prior", name): columns.prior[name] for name in FIELDS if name in columns.prior_given}
    reported.update(
        {("cumulative", name): columns.cumulative[name] for name in FIELDS if _has_values(columns.cumulative[name])}
    )
    if not reported:
        return
    year = np.asarray(columns.year, dtype=np.int64)
    month = np.asarray(columns.month, dtype=np.int64)
    enterprise = np.fromiter(map(id_of.__getitem__, columns.uscc), dtype=np.int64, count=len(columns))
    for this in sorted(set(columns.year)):
        picks = np.flatnonzero(year == this)
        this_year, last_year, has_last_year = own_cumulative(final, this, enterprise[picks], month[picks])
        for (kind, name), values in reported.items():
            given = [values[at] for at in picks.tolist()]
            own = (last_year if kind == "prior" else this_year)[:, FIELDS.index(name)]
            differs = _differing(given, own, has_last_year if kind == "prior" else None)
            for position in differs:
                at = int(picks[position])
                code = columns.uscc[at]
                period = Period.month(this, columns.month[at]).code
                value = given[position]
                assert value is not None
                if kind == "prior":
                    report.revisions.append(
                        PriorRevision(code, columns.name[at], period, name, int(own[position]), value)
                    )
                else:
                    report.mismatches.append(
                        CumulativeMismatch(
                            code, columns.name[at], period, columns.rows[at], name, int(own[position]), value
                        )
                    )


def _has_values(column: Sequence[int | None]) -> bool:
    if isinstance(column, list):
        return column.count(None) != len(column)  # in C: a large empty column is common
    return any(value is not None for value in column)


def _differing(given: list[int | None], own: Any, required: Any) -> list[int]:
    """Positions where a given figure differs from ``own`` (and ``required`` holds, when given)."""
    present = np.array([value is not None for value in given], dtype=np.bool_)
    if required is not None:
        present &= required
    if not present.any():
        return []
    if own.dtype == np.int64:
        numbers = np.array([value if value is not None else 0 for value in given], dtype=np.int64)
        return np.flatnonzero(present & (numbers != own)).tolist()
    return [at for at in np.flatnonzero(present).tolist() if given[at] != int(own[at])]


def _enterprises_register(
    new_codes: list[str], described: dict[str, tuple[str, str]], zone: Place, id_of: dict[str, int], file_name: str
) -> None:
    """Register the file's new enterprises; one registered meanwhile by another zone's import is refused."""
    registered_at = connection.ops.adapt_datetimefield_value(timezone.now())
    database = connections[DEFAULT_DB_ALIAS]
    try:
        with transaction.atomic():
            rows_insert(
                Enterprise._meta.db_table,
                ["uscc", "name", "industry_code", "zone_id", "created_at"],
                ((code, *described[code], zone.pk, registered_at) for code in new_codes),
            )
    except (IntegrityError, database.Database.IntegrityError) as exc:  # type: ignore[attr-defined]
        taken = set(Enterprise.objects.filter(uscc__in=new_codes).values_list("uscc", flat=True))
        raise ImportRejected(
            [
                ImportIssue(
                    file_name, 0, "统一社会信用代码", f"企业“{code}”刚被同时进行的另一导入登记，请重新导入本文件"
                )
                for code in sorted(taken)[:200]
            ]
            or [ImportIssue(file_name, 0, "", "登记新企业时与同时进行的另一导入冲突，请重新导入本文件")]
        ) from exc
    for start in range(0, len(new_codes), 500):
        id_of.update(
            Enterprise.objects.filter(zone=zone, uscc__in=new_codes[start : start + 500]).values_list("uscc", "id")
        )


def _enterprise_months_delete(zone: Place, keys: list[tuple[int, int, int]]) -> None:
    """Delete the stored rows (enterprise id, year, month) the import replaces or removes."""
    by_month: dict[tuple[int, int], list[int]] = {}
    for enterprise_id, year, month in keys:
        by_month.setdefault((year, month), []).append(enterprise_id)
    table = EnterpriseMonth._meta.db_table
    with connection.cursor() as cursor:
        for (year, month), ids in by_month.items():
            for start in range(0, len(ids), 500):
                batch = ids[start : start + 500]
                cursor.execute(
                    f"DELETE FROM {table} WHERE zone_id = %s AND year = %s AND month = %s "
                    f"AND enterprise_id IN ({', '.join(['%s'] * len(batch))})",
                    [zone.pk, year, month, *batch],
                )


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
    database: BaseDatabaseWrapper,
    columns: EnterpriseColumns,
    to_write: _ToWrite,
    id_of: dict[str, int],
    zone: Place,
    source: Source,
) -> None:
    names = ["enterprise_id", "zone_id", "year", "month", "source_id", "source_row", *ROW_COLUMNS]
    table = EnterpriseMonth._meta.db_table
    if not to_write.changed and len(to_write.added) == len(columns):
        given = [columns.prior[key] for key in AMOUNT_FIELDS if key in columns.prior_given]
        head = list(
            zip(
                map(id_of.__getitem__, columns.uscc),
                repeat(zone.pk),
                columns.year,
                columns.month,
                repeat(source.pk),
                columns.rows,
                columns.above_scale,
                *(columns.amounts[key] for key in AMOUNT_FIELDS),
            )
        )
        # Most rows report no 上年同期累计: they are inserted without those columns (NULL by default),
        # which saves SQLite a third of the values to bind.
        reporting = _rows_with_values(given, len(columns))
        width = len(AMOUNT_FIELDS)
        if len(reporting):
            priors = [columns.prior[key] for key in AMOUNT_FIELDS]
            rows_insert(
                table,
                names,
                (head[at] + tuple(column[at] for column in priors) for at in reporting.tolist()),
                database=database,
            )
        plain = np.ones(len(columns), dtype=np.bool_)
        plain[reporting] = False
        rows_insert(table, names[:-width], (head[at] for at in np.flatnonzero(plain).tolist()), database=database)
        return
    rows = (
        (
            id_of[columns.uscc[at]],
            zone.pk,
            columns.year[at],
            columns.month[at],
            source.pk,
            columns.rows[at],
            *to_write.values(columns, at),
        )
        for at in to_write.rows
    )
    rows_insert(table, names, rows, database=database)


def _rows_with_values(columns: list[Sequence[int | None]], count: int) -> Any:
    """Indices of the rows where any of the columns has a value."""
    found = np.zeros(count, dtype=np.bool_)
    for column in columns:
        if isinstance(column, list) and column.count(None) == count:
            continue
        found |= np.array([value is not None for value in column], dtype=np.bool_)
    return np.flatnonzero(found)


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
SCOPE_VALUES = [
    "current",
    "base",
    "current_with_base",
    "enterprises",
    "enterprises_with_base",
    "continuing_enterprises",
    "continuing_current",
    "continuing_base",
    "reported_base_enterprises",
    "new_production_enterprises",
]


@dataclass
class ScopeRefreshReport:
    """What ``scope_totals_refresh`` found: rows written, and the stored rows that were wrong."""

    rows: int = 0
    differing: list[str] = field(default_factory=list)  # one line per wrong or missing total
    months: int = 0


def scope_totals_refresh(*, zone: Place, years: Iterable[int], on_wait: Waiting | None = None) -> ScopeRefreshReport:
    """Recompute the same-scope totals and coverage of a zone for the given years from its rows.

    The operator's repair tool: reports every stored total that differed from the recomputation
    (or was missing, or should not exist), then stores the recomputed ones.
    """
    wanted = set(years)
    report = ScopeRefreshReport()
    if not wanted:
        return report
    with transaction.atomic():
        zone_lock(zone, on_wait)
        rows = _zone_rows(zone, sorted({*wanted, *(year - 1 for year in wanted)}))
        sums = scope_sums(rows, wanted, _new_production_marks(zone, wanted))
        before = {
            (y, m, span, f, i): tuple(values)
            for y, m, span, f, i, *values in ScopeTotal.objects.filter(zone=zone, year__in=wanted).values_list(
                "year", "month", "span", "field", "industry", *SCOPE_VALUES
            )
        }
        after = {key: values for key, values in _scope_total_rows(sums)}
        for key in sorted(set(before) | set(after)):
            if before.get(key) != after.get(key):
                year, month, span, name, industry = key
                label = f"{year}年1—{month}月" if span == ScopeTotal.Span.CUMULATIVE else f"{year}年{month}月"
                old, new = before.get(key), after.get(key)
                report.differing.append(
                    f"{label} {EnterpriseField(name).label} {industry or '合计'}："
                    f"库中 {_totals_text(old)}，重算 {_totals_text(new)}"
                )
        report.rows = _scope_totals_store(zone, wanted, sums)
        month_coverage = coverage(rows, wanted)
        report.months = len(month_coverage)
        _coverage_store(zone, wanted, month_coverage)
        audit_record(
            action="scope.refresh",
            summary=f"{zone.name}同口径汇总重算：{len(report.differing)} 处与库中不同，写入 {report.rows} 行",
            detail={"zone": zone.code, "years": sorted(wanted), "differing": report.differing[:200]},
        )
    return report


def _totals_text(values: tuple[int, ...] | None) -> str:
    if values is None:
        return "无"
    return f"本期{values[0]}元、上年同期{values[1]}元、企业{values[3]}家"


def _zone_rows(zone: Place, years: list[int]) -> MonthRows:
    """Every enterprise-month row of a zone in the given years, with its industry key."""
    # A plain cursor: the ORM's per-value converters cost more than the arithmetic.
    em, ent = EnterpriseMonth._meta.db_table, Enterprise._meta.db_table
    sql = (
        f"SELECT m.enterprise_id, e.industry_code, m.year, m.month, m.above_scale, "
        f"{', '.join('m.' + name for name in FIELDS)}, {', '.join('m.prior_' + name for name in FIELDS)} "
        f"FROM {em} m JOIN {ent} e ON e.id = m.enterprise_id "
        f"WHERE m.zone_id = %s AND m.year IN ({', '.join(['%s'] * len(years))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [zone.pk, *years])
        found = cursor.fetchall()
    width = len(FIELDS)
    if not found:
        return MonthRows.empty(width)
    enterprise, industry, year, month, in_scope, *values = zip(*found, strict=True)
    return MonthRows.build(
        enterprise=enterprise,
        industry=[industry_key(code) for code in industry],
        year=year,
        month=month,
        in_scope=[bool(flag) for flag in in_scope],
        values=values[:width],
        prior=values[width:],
    )


def _new_production_marks(zone: Place, years: Iterable[int]) -> dict[int, set[int]]:
    marks: dict[int, set[int]] = {}
    for enterprise_id, year in NewProduction.objects.filter(enterprise__zone=zone, year__in=list(years)).values_list(
        "enterprise_id", "year"
    ):
        marks.setdefault(year, set()).add(enterprise_id)
    return marks


def _scope_total_rows(sums: list[ScopeSum]) -> Iterator[tuple[tuple[Any, ...], tuple[int, ...]]]:
    """(year, month, span, field, industry) and the SCOPE_VALUES of each stored row."""
    for item in sums:
        for at, name in enumerate(FIELDS):
            yield (
                (item.year, item.month, item.span, name, item.industry),
                (
                    item.current[at],
                    item.base[at],
                    item.current_with_base[at],
                    item.enterprises,
                    item.with_base[at],
                    item.continuing_enterprises[at],
                    item.continuing_current[at],
                    item.continuing_base[at],
                    item.reported[at],
                    item.new_production[at],
                ),
            )


def _scope_totals_store(zone: Place, wanted: set[int], sums: list[ScopeSum]) -> int:
    ScopeTotal.objects.filter(zone=zone, year__in=wanted).delete()
    names = ["zone_id", "year", "month", "span", "field", "industry", *SCOPE_VALUES]
    objects = [(zone.pk, *key, *values) for key, values in _scope_total_rows(sums)]
    rows_insert(ScopeTotal._meta.db_table, names, objects)
    return len(objects)


def _coverage_store(zone: Place, wanted: set[int], found: list[ScopeCoverage]) -> None:
    MonthCoverage.objects.filter(zone=zone, year__in=wanted).delete()
    MonthCoverage.objects.bulk_create(
        MonthCoverage(
            zone=zone,
            year=item.year,
            month=item.month,
            reported=item.reported,
            expected=item.expected,
            reported_of_expected=item.reported_of_expected,
        )
        for item in found
    )


@transaction.atomic
def new_production_mark(*, enterprise: Enterprise, year: int, reason: str, actor: Actor = None) -> NewProduction:
    """Mark an enterprise 新投产（上年无生产） for a year: its base becomes zero; totals recomputed."""
    reason = reason.strip()
    if not reason:
        raise ValueError("请填写标记为新投产的理由")
    if len(reason) > 300:
        raise ValueError("理由最多300字")
    mark, created = NewProduction.objects.get_or_create(
        enterprise=enterprise,
        year=year,
        defaults={"reason": reason, "marked_by": actor if isinstance(actor, User) else None},
    )
    if not created:
        raise ValueError(f"{enterprise.name}已标记为{year}年新投产")
    scope_totals_refresh(zone=enterprise.zone, years=[year])
    audit_record(
        action="scope.new_production",
        summary=f"{enterprise.name}标记为{year}年新投产（上年无生产），上年同期按零计：{reason}",
        actor=actor,
        detail={"enterprise": enterprise.uscc, "year": year, "reason": reason, "before": None, "after": "新投产"},
    )
    return mark


@transaction.atomic
def new_production_unmark(*, enterprise: Enterprise, year: int, actor: Actor = None) -> None:
    mark = NewProduction.objects.filter(enterprise=enterprise, year=year).first()
    if mark is None:
        raise ValueError(f"{enterprise.name}没有{year}年新投产标记")
    reason = mark.reason
    mark.delete()
    scope_totals_refresh(zone=enterprise.zone, years=[year])
    audit_record(
        action="scope.new_production_removed",
        summary=f"取消{enterprise.name}的{year}年新投产标记",
        actor=actor,
        detail={"enterprise": enterprise.uscc, "year": year, "before": f"新投产：{reason}", "after": None},
    )


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
