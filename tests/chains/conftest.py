import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import factories


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """Overrides the suite's demo fixture with the module's loaded zone and its chains."""


def new_energy_leader() -> User:
    """The demo 链长 of 新能源."""
    return User.objects.get(username="chainleader")


@pytest.fixture
def chain_leader(demo: None) -> Client:
    """赵链长, 链长 of 新能源 (and of no other chain)."""
    return factories.signed_in(new_energy_leader())


@pytest.fixture
def other_chain_leader(demo: None) -> Client:
    """A 链长 who leads no chain of the demo."""
    return factories.signed_in(factories.a_chain_leader())
