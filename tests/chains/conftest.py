from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from tests import factories


@pytest.fixture(scope="module")
def demo_chains(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo zone and its chains, loaded once per module and rolled back at its end.

    Module scope, not package scope: the browser tests need real transactions and run last
    (pytest-django orders them so), which they cannot while a demo transaction is open.
    """
    from yuanqu.chains.demo import demo_load
    from yuanqu.core.demo import demo_load_all

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_load_all()
            demo_load()  # idempotent: harmless once demo_load_all loads the chains too
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(demo_chains: None, db: None) -> None:
    """Overrides the suite's demo fixture with the module's loaded zone and chains."""


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def new_energy_leader() -> User:
    """The demo 链长 of 新能源."""
    return User.objects.get(username="chainleader")


@pytest.fixture
def leader(demo: None) -> Client:
    return signed_in(factories.a_leader())


@pytest.fixture
def statistician(demo: None) -> Client:
    return signed_in(factories.a_statistician())


@pytest.fixture
def investment_officer(demo: None) -> Client:
    return signed_in(factories.an_investment_officer())


@pytest.fixture
def outsider(demo: None) -> Client:
    return signed_in(factories.an_outsider())


@pytest.fixture
def chain_leader(demo: None) -> Client:
    """赵链长, 链长 of 新能源 (and of no other chain)."""
    return signed_in(new_energy_leader())


@pytest.fixture
def other_chain_leader(demo: None) -> Client:
    """A 链长 who leads no chain of the demo."""
    return signed_in(factories.a_chain_leader())
