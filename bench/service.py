"""Service-centre benchmark: the manager's dashboard for a month over a year of 200,000 cases.

Run by ``make bench`` as ``.venv/bin/python bench/service.py``.

1. Creates a fresh SQLite database under ``bench/out/``, the demo zone's centre (134 items,
   9 service zones, 30 windows) and 200,000 cases accepted on the working days of 2023, made by
   the demo's own generator (``yuanqu.service.demo.generate_cases``) and written with its writer.
2. Times the manager's dashboard page for June 2023 through Django's test client (the view, the
   scorecard, the chart series and the template): cold (the first request of the process, on a
   new database connection; and again on a new connection once the code is loaded) and warm
   (the median of the following requests).
3. Computes the month's headline figures again with plain aggregate SQL on the same tables,
   times it, and checks that both give the same numbers.
4. Prints the figures against the goals (≤ 100 ms warm, ≤ 1 s cold); exits non-zero when a check fails.

Options: ``--small`` (20,000 cases) for a quick check, ``--keep`` to reuse the database of an
earlier run of the same size.
"""

import argparse
import os
import platform
import shlex
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
FULL_CASES, SMALL_CASES = 200_000, 20_000
YEAR_FIRST, YEAR_LAST = date(2023, 1, 1), date(2023, 12, 31)
MONTH = "2023-06"
MONTH_FIRST, MONTH_LAST = date(2023, 6, 1), date(2023, 6, 30)
GOAL_WARM_MS, GOAL_COLD_MS = 100.0, 1000.0
WARM_CALLS = 20
BATCH = 20_000


def command_line() -> str:
    args = " ".join(shlex.quote(arg) for arg in sys.argv[1:])
    direct = f"python bench/service.py{' ' + args if args else ''}"
    return f"make bench  ({direct})" if os.environ.get("MAKELEVEL") else direct


def log(message: str) -> None:
    print(f"  … {message}", file=sys.stderr, flush=True)


def django_start(database: Path, keep: bool) -> None:
    if not keep:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = "sqlite:///" + str(database.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "yuanqu.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    import django

    django.setup()


def data_make(count: int) -> tuple[Any, float]:
    """The zone, its centre and ``count`` cases of 2023; returns the zone and the seconds it took."""
    from django.db import transaction

    from yuanqu.core.models import Place
    from yuanqu.service.demo import cases_write, centre_ensure, generate_cases
    from yuanqu.service.selectors import zone_calendar

    started = time.perf_counter()
    zone = Place.objects.create(code="yz-etdz", name="扬州经济技术开发区", short_name="扬州经开区", level="zone")
    with transaction.atomic():
        centre = centre_ensure(zone)
    calendar = zone_calendar(zone)
    made = 0
    seed = 2023
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            batch = list(
                generate_cases(
                    centre,
                    calendar=calendar,
                    first=YEAR_FIRST,
                    last=YEAR_LAST,
                    count=size,
                    today=date(2024, 3, 31),
                    seed=seed,
                    start_number=made,
                    with_steps=False,
                )
            )
            cases_write(batch)
        made += size
        seed += 1
        log(f"{made:,} cases written")
    return zone, time.perf_counter() - started


def plain_figures(zone_id: int) -> dict[str, Decimal | int | None]:
    """The month's headline figures straight from the tables, in plain SQL (no ORM, no yuanqu code)."""
    from django.db import connection

    first, last = MONTH_FIRST.isoformat(), MONTH_LAST.isoformat()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), SUM(at_any_window), SUM(immediate) FROM service_case "
            "WHERE zone_id = %s AND accepted_on BETWEEN %s AND %s",
            [zone_id, first, last],
        )
        accepted, any_window, immediate = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*), SUM(elapsed_days <= promised_limit_days), SUM(supplements = 0), SUM(elapsed_days) "
            "FROM service_case WHERE zone_id = %s AND stage = 'issued' AND issued_on BETWEEN %s AND %s",
            [zone_id, first, last],
        )
        completed, on_time, one_visit, days = cursor.fetchone()
        cursor.execute(
            "SELECT service_zone_id, accepted_on, COUNT(*) FROM service_case "
            "WHERE zone_id = %s AND accepted_on BETWEEN %s AND %s GROUP BY service_zone_id, accepted_on",
            [zone_id, first, last],
        )
        by_day = sum(count for _, _, count in cursor.fetchall())
        cursor.execute(
            "SELECT COUNT(*), SUM(rating IN ('1', '2')) FROM service_evaluation "
            "WHERE zone_id = %s AND rated_on BETWEEN %s AND %s",
            [zone_id, first, last],
        )
        rated, bad = cursor.fetchone()

    def pct(numerator: int, denominator: int) -> Decimal | None:
        return Decimal(numerator) * 100 / Decimal(denominator) if denominator else None

    return {
        "accepted": accepted,
        "any_window_share": pct(any_window, accepted),
        "immediate_share": pct(immediate, accepted),
        "completed": completed,
        "on_time_rate": pct(on_time, completed),
        "one_visit_rate": pct(one_visit, completed),
        "average_days": Decimal(days) / completed if completed else None,
        "satisfaction_rate": pct(rated - bad, rated),
        "by_zone_and_day_total": by_day,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help=f"{SMALL_CASES:,} cases instead of {FULL_CASES:,}")
    parser.add_argument("--keep", action="store_true", help="reuse the database of an earlier run of the same size")
    options = parser.parse_args()
    count = SMALL_CASES if options.small else FULL_CASES
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    database = OUT_DIR / f"service_{count}.sqlite3"
    keep = options.keep and database.exists()
    django_start(database, keep)

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from yuanqu.core.models import Place
    from yuanqu.periods import Period
    from yuanqu.service.models import Case, Evaluation
    from yuanqu.service.views import dashboard_data

    call_command("migrate", verbosity=0)
    if keep and Case.objects.exists():
        zone, make_s = Place.objects.get(code="yz-etdz"), 0.0
    else:
        zone, make_s = data_make(count)
    # As a server's database would be after the writes: the WAL folded into the file, statistics fresh.
    with connections["default"].cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("PRAGMA optimize")
    cases, evaluations = Case.objects.count(), Evaluation.objects.count()
    month_cases = Case.objects.filter(accepted_on__gte=MONTH_FIRST, accepted_on__lte=MONTH_LAST).count()

    manager, _ = User.objects.get_or_create(username="bench-centre")
    manager.groups.add(Group.objects.get_or_create(name="service_manager")[0])
    client = Client()
    client.force_login(manager)
    url = f"/service/dashboard/?zone={zone.code}&period={MONTH}"

    # Cold: the first request of the process (URLconf, views and templates loaded on the way) on a
    # new database connection; then again on a new connection once another page has loaded the code.
    connections.close_all()
    started = time.perf_counter()
    response = client.get(url)
    cold_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        print(f"dashboard answered {response.status_code}", file=sys.stderr)
        return 1
    client.get(f"/service/dashboard/?zone={zone.code}&period=2023-01")
    connections.close_all()
    started = time.perf_counter()
    client.get(url)
    reconnect_ms = (time.perf_counter() - started) * 1000
    warm = []
    for _ in range(WARM_CALLS):
        started = time.perf_counter()
        client.get(url)
        warm.append((time.perf_counter() - started) * 1000)
    warm_ms = statistics.median(warm)
    # The figures the page showed, from the function the view calls (untimed).
    shown = dashboard_data(zone, Period.parse(MONTH))
    card, by_day_total = shown["card"], sum(shown["by_day"].totals)

    plain_runs = []
    for _ in range(5):
        started = time.perf_counter()
        plain = plain_figures(zone.pk)
        plain_runs.append((time.perf_counter() - started) * 1000)
    plain_ms = statistics.median(plain_runs)

    ours: dict[str, Decimal | int | None] = {code: card.value(code) for code in plain if code in card.figures}
    ours["by_zone_and_day_total"] = by_day_total
    mismatches = [
        f"{code}: dashboard {ours.get(code)} vs SQL {value}"
        for code, value in plain.items()
        if ours.get(code) != (Decimal(value) if isinstance(value, int) else value)
    ]

    print()
    print("yuanqu service-centre benchmark")
    print(f"command: {command_line()}")
    print(f"machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; SQLite")
    made = "reused" if keep else f"generated and written in {make_s:.1f} s"
    print(f"data: {cases:,} cases of 2023 and {evaluations:,} ratings ({made}); {month_cases:,} accepted in June")
    print()
    cold_goal, warm_goal = f"≤ {GOAL_COLD_MS:,.0f}", f"≤ {GOAL_WARM_MS:,.0f}"
    rows = [
        ("manager's dashboard, June 2023, cold (ms)", f"{cold_ms:,.1f}", cold_goal, cold_ms <= GOAL_COLD_MS),
        (
            "  the same on a new connection, code loaded (ms)",
            f"{reconnect_ms:,.1f}",
            cold_goal,
            reconnect_ms <= GOAL_COLD_MS,
        ),
        ("manager's dashboard, June 2023, warm median (ms)", f"{warm_ms:,.1f}", warm_goal, warm_ms <= GOAL_WARM_MS),
        ("plain aggregate SQL of the same figures (ms)", f"{plain_ms:,.1f}", "reference", True),
    ]
    width = max(len(label) for label, *_ in rows)
    print(f"{'figure':<{width}}  {'value':>10}  {'goal':>10}")
    for label, value, goal, ok in rows:
        print(f"{label:<{width}}  {value:>10}  {goal:>10}  {'OK' if ok else 'MISSED'}")
    print()
    print(f"check: dashboard figures vs plain SQL ({len(plain)} figures): {'OK' if not mismatches else 'MISMATCH'}")
    for problem in mismatches:
        print(f"  {problem}")
    print(
        f"  June: accepted {plain['accepted']:,}, completed {plain['completed']:,}, "
        f"综合窗口受理占比 {Decimal(plain['any_window_share'] or 0):.1f}%, "
        f"按时办结率 {Decimal(plain['on_time_rate'] or 0):.1f}%, 满意率 {Decimal(plain['satisfaction_rate'] or 0):.1f}%"
    )
    ok = not mismatches and max(cold_ms, reconnect_ms) <= GOAL_COLD_MS and warm_ms <= GOAL_WARM_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
