"""Uploaded import files kept between the preview and the confirmation.

A file is stored under a random token; the token (never a path) travels in the session,
so a user can confirm only a file they uploaded themselves.
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_SECONDS = 24 * 3600  # a preview nobody confirmed within a day is abandoned


def upload_keep(upload: UploadedFile) -> tuple[str, Path]:
    folder = Path(settings.UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    _forget_stale(folder)
    token = secrets.token_hex(16)
    path = folder / f"{token}{Path(upload.name or '').suffix.lower()}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return token, path


def upload_path(token: str, suffix: str) -> Path | None:
    if not TOKEN.match(token) or suffix not in {".xlsx", ".csv"}:
        return None
    path = Path(settings.UPLOAD_DIR) / f"{token}{suffix}"
    return path if path.is_file() else None


def upload_discard(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


def _forget_stale(folder: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    for path in folder.iterdir():
        if path.is_file() and TOKEN.match(path.stem) and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
