from pathlib import Path

import pytest
from pytest_django.fixtures import Settings


@pytest.fixture(autouse=True)
def attachments_in_a_temporary_folder(settings: Settings, tmp_path: Path) -> None:
    """Report attachments of a test go to its own folder, never into the project's var/."""
    settings.VAR_DIR = tmp_path


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
