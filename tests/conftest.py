import pytest


@pytest.fixture
def demo(db: None) -> None:
    """The demo zone as `make run` loads it."""
    from yuanqu.core.demo import demo_load_all

    demo_load_all()
