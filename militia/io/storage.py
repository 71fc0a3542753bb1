"""The parsed upload kept between the preview and the confirmation, as a file under `var/imports/<token>`.

A file rather than the session: the preview and the confirmation may reach different gunicorn workers,
and a 20,000-row upload does not belong in a session row. The file records who uploaded it; only that
user can see or confirm it, and it is ignored (and removed) after a day.
"""

import json
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_SUFFIX = ".json"


def import_dir() -> Path:
    folder = Path(getattr(settings, "MILITIA_IMPORT_DIR", None) or Path(settings.BASE_DIR) / "var" / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token) -> Path | None:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return import_dir() / f"{token}{_SUFFIX}"


def save(*, user, roster, filename, rows, plan, ignored_headers=(), token=None) -> str:
    """Write the upload (atomically) and return its token; pass `token` to replace a stored plan."""
    token = token or secrets.token_urlsafe(32)
    payload = {
        "version": 1,
        "user_id": user.pk,
        "roster": roster,
        "filename": filename,
        "created": time.time(),
        "ignored_headers": list(ignored_headers),
        "rows": rows,
        "plan": plan,
    }
    folder = import_dir()
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(temp_name, _path(token))
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return token


def load(token, *, user, roster) -> dict | None:
    """The stored upload, or None when it does not exist, is another user's or roster's, or is too old."""
    path = _path(token)
    if path is None or not path.is_file():
        return None
    try:
        with path.open(encoding="utf-8") as source:
            payload = json.load(source)
    except (OSError, ValueError):
        return None
    if time.time() - payload.get("created", 0) > MAX_AGE_SECONDS:
        path.unlink(missing_ok=True)
        return None
    if payload.get("user_id") != user.pk or payload.get("roster") != roster:
        return None
    return payload


def delete(token):
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_expired(now=None):
    """Remove uploads older than a day (and temporary files left by a crash)."""
    now = now or time.time()
    for path in import_dir().iterdir():
        try:
            if now - path.stat().st_mtime > MAX_AGE_SECONDS:
                path.unlink(missing_ok=True)
        except OSError:
            continue
