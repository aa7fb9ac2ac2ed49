"""Two imports of one zone at once: serialised by the zone's lock, so every total is right.

PostgreSQL only: there, two transactions really run side by side (SQLite takes its write lock
at BEGIN, so its imports cannot overlap to begin with). CI runs the suite on PostgreSQL too.
"""

import csv
import threading
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from tests.factories import city_with_districts, enterprise_code, restore_migration_data
from yuanqu.core.models import Place
from yuanqu.indicators.models import Enterprise, Indicator
from yuanqu.indicators.selectors import same_scope
from yuanqu.indicators.services import WAITING_MESSAGE, enterprise_months_import, scope_totals_refresh
from yuanqu.periods import Period

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent transactions are a PostgreSQL matter"),
]
HEADER = ["统一社会信用代码", "企业名称", "所属期", "规上", "工业总产值", "工业开票销售", "营业收入", "利润总额",
          "税金总额", "用电量"]  # fmt: skip
ENTERPRISES = 50


def write(path: Path, months: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for number in range(1, ENTERPRISES + 1):
            for month in months:
                writer.writerow([enterprise_code(number), f"企业{number}", month, "是", "", "10", "", "", "", ""])
    return path


def test_two_imports_at_once_wait_for_each_other_and_store_right_totals(tmp_path: Path) -> None:
    restore_migration_data()
    _, (zone,) = city_with_districts("z")
    first = write(tmp_path / "a.csv", [f"2024-{month:02d}" for month in range(1, 7)])
    second = write(tmp_path / "b.csv", [f"2024-{month:02d}" for month in range(7, 13)])
    waited: list[str] = []
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            enterprise_months_import(path=path, zone=Place.objects.get(pk=zone.pk), on_wait=waited.append)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # Hold the zone's lock, start both imports (both new to the same 50 enterprises), let go.
    with transaction.atomic():
        list(Place.objects.select_for_update().filter(pk=zone.pk).values_list("pk"))
        threads = [threading.Thread(target=run, args=(path,)) for path in (first, second)]
        for thread in threads:
            thread.start()
        for _ in range(200):
            if len(waited) == 2:
                break
            threading.Event().wait(0.05)
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert waited == [WAITING_MESSAGE, WAITING_MESSAGE]
    assert Enterprise.objects.filter(zone=zone).count() == ENTERPRISES
    # 50 enterprises × 7 months × 10万元 = 3,500万元 for 1—7月: both files' months counted.
    figure = same_scope(zone, Indicator.objects.get(code="industrial_invoiced_sales"), Period(2024, 1, 7))
    assert figure is not None and figure.current_yuan == 35_000_000
    # Every stored total equals a recomputation from the rows.
    assert scope_totals_refresh(zone=zone, years=[2024]).differing == []
