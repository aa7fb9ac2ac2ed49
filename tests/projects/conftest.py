from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from pytest_django import Settings


@pytest.fixture(autouse=True)
def evidence_in_a_temporary_folder(settings: Settings, tmp_path: Path) -> None:
    """Evidence files of a test go to its own folder, never into the project's var/."""
    settings.VAR_DIR = tmp_path


@pytest.fixture(scope="module")
def demo_projects(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo zone with its projects, loaded once per module in a transaction rolled back at the end."""
    from yuanqu.core.demo import demo_load_all
    from yuanqu.projects.demo import demo_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load_all()
            demo_load()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_projects: None, db: None) -> None:
    """Overrides the suite's demo fixture: the demo zone and its projects, already loaded."""
