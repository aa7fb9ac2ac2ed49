from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests import factories


@pytest.fixture(autouse=True, scope="session")
def audit_lock_lifted_for_flush() -> Iterator[None]:
    """The database refuses to delete audit rows (yuanqu.core.audit_lock), which is what Django's
    flush between transactional (browser) tests does: only for that flush, and only in the test
    suite, the triggers are taken off and put back."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from yuanqu.core.audit_lock import audit_lock_install, audit_lock_remove

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        audit_lock_remove(self.connection)
        try:
            original(self, sql_list)
        finally:
            audit_lock_install(self.connection)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rolled-back tests reuse row ids."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db: None) -> None:
    """The demo zone as `make run` loads it."""
    from yuanqu.core.demo import demo_load_all

    demo_load_all()


@pytest.fixture(scope="module")
def demo_module(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo zone, loaded once per module inside a transaction rolled back at its end.

    For modules whose tests only read the demo: each test still runs in its own savepoint (the
    ``db`` fixture), so tests cannot see each other's changes and nothing leaks into other
    modules. Per module, not per package: the browser tests need real transactions and run last
    (pytest-django orders them so), which they cannot while a demo transaction is open.
    A package uses it by overriding ``demo``: ``def demo(demo_module, db): ...``.
    """
    from yuanqu.core.demo import demo_load_all

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load_all()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# Clients logged in as the personas; ``demo`` is whichever the requesting test's package uses.
@pytest.fixture
def leader(demo: None) -> Client:
    return factories.signed_in(factories.a_leader())


@pytest.fixture
def statistician(demo: None) -> Client:
    return factories.signed_in(factories.a_statistician())


@pytest.fixture
def investment_officer(demo: None) -> Client:
    return factories.signed_in(factories.an_investment_officer())


@pytest.fixture
def outsider(demo: None) -> Client:
    return factories.signed_in(factories.an_outsider())
