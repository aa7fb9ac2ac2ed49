from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from tests import factories


@pytest.fixture
def demo(demo_module: None, db: None) -> None:
    """Overrides the suite's function-scoped demo fixture with the module's loaded zone."""


@pytest.fixture
def audit_admin(demo: None) -> Client:
    return factories.signed_in(factories.an_audit_admin())


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    # The real hasher is slow on purpose; these tests log in often and test roles, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def upload_dir(settings: Settings, tmp_path: Path) -> Path:
    """Uploaded files wait in a temporary folder, not in the developer's var/."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR
