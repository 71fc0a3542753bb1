"""A parsed upload kept between the preview and the confirmation, as a file under `var/imports/<token>`.

A file rather than the session: the preview and the confirmation may reach different gunicorn workers,
and a 20,000-row upload does not belong in a session row. The file records who uploaded it and what
kind of import it is; only that user can see or confirm it, for that kind, and it is ignored (and
removed) after a day.
"""

import json
import logging
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_SUFFIX = ".json"


class StoreUnavailable(Exception):
    """The upload could not be written (the folder is missing or not writable, the disk is full). Nothing
    was kept: the message says so to the user; the log has the cause."""

    def __init__(self):
        super().__init__(
            _(
                "The file could not be kept on the server for the preview: the import folder cannot be written "
                "or the disk is full. Nothing was imported. Tell the administrator, then try again."
            )
        )


class UploadStore:
    """Uploads in the folder named by the setting `setting` (default: `var/imports` under BASE_DIR)."""

    def __init__(self, setting="PORTAL_IMPORT_DIR"):
        self.setting = setting

    def location(self) -> Path:
        configured = getattr(settings, self.setting, None)
        return Path(configured or Path(settings.BASE_DIR) / "var" / "imports")

    def folder(self) -> Path:
        folder = self.location()
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def path(self, token) -> Path | None:
        if not isinstance(token, str) or not _TOKEN.fullmatch(token):
            return None
        return self.location() / f"{token}{_SUFFIX}"

    def save(self, *, user, kind, filename, rows, plan, token=None, **extra) -> str:
        """Write the upload (atomically) and return its token; pass `token` to replace a stored plan."""
        token = token or secrets.token_urlsafe(32)
        payload = {
            "version": 1,
            "user_id": user.pk,
            "kind": kind,
            "filename": filename,
            "created": time.time(),
            **extra,
            "rows": rows,
            "plan": plan,
        }
        try:
            handle, temp_name = tempfile.mkstemp(dir=self.folder(), prefix=".upload-", suffix=".tmp")
        except OSError as error:
            logger.error("Upload of %s not stored: %s cannot be written (%s)", filename, self.location(), error)
            raise StoreUnavailable from error
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, separators=(",", ":"), default=str)
            os.replace(temp_name, self.path(token))
        except OSError as error:  # the disk filled up while writing: the half-written file goes too
            Path(temp_name).unlink(missing_ok=True)
            logger.error("Upload of %s not stored in %s (%s)", filename, self.location(), error)
            raise StoreUnavailable from error
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return token

    def load(self, token, *, user, kind, max_age=None) -> dict | None:
        """The stored upload, or None when it does not exist, is another user's or kind's, or is too old."""
        path = self.path(token)
        if path is None or not path.is_file():
            return None
        try:
            with path.open(encoding="utf-8") as source:
                payload = json.load(source)
        except (OSError, ValueError):
            return None
        if time.time() - payload.get("created", 0) > (MAX_AGE_SECONDS if max_age is None else max_age):
            path.unlink(missing_ok=True)
            return None
        if payload.get("user_id") != user.pk or payload.get("kind") != kind:
            return None
        return payload

    def delete(self, token):
        path = self.path(token)
        if path is not None:
            path.unlink(missing_ok=True)

    def purge_expired(self, now=None, *, max_age=None):
        """Remove uploads older than a day (and temporary files left by a crash)."""
        now = now or time.time()
        max_age = MAX_AGE_SECONDS if max_age is None else max_age
        try:
            paths = list(self.location().iterdir())
        except OSError:  # no folder yet (or none can be made): nothing to purge; saving says what is wrong
            return
        for path in paths:
            try:
                if now - path.stat().st_mtime > max_age:
                    path.unlink(missing_ok=True)
            except OSError:
                continue
