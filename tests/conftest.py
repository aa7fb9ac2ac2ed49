from collections.abc import Iterator

import pytest
from django.core.cache import cache


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
