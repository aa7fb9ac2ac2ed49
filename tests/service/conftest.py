import pytest
from pytest_django.fixtures import Settings

from tests.service.factory import Centre, a_centre


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def centre(db: None) -> Centre:
    return a_centre()
