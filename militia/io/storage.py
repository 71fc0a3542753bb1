"""The parsed roster upload kept between the preview and the confirmation (see `portal_io.storage`).

The folder is the setting MILITIA_IMPORT_DIR, by default `var/imports`; the upload's kind is the roster.
"""

from portal_io.storage import MAX_AGE_SECONDS, StoreUnavailable, UploadStore  # noqa: F401

_store = UploadStore("MILITIA_IMPORT_DIR")
import_dir = _store.folder
_path = _store.path
delete = _store.delete


def save(*, user, roster, filename, rows, plan, ignored_headers=(), token=None) -> str:
    """Write the upload (atomically) and return its token; pass `token` to replace a stored plan."""
    return _store.save(
        user=user,
        kind=roster,
        filename=filename,
        rows=rows,
        plan=plan,
        token=token,
        ignored_headers=list(ignored_headers),
    )


def load(token, *, user, roster) -> dict | None:
    """The stored upload, or None when it does not exist, is another user's or roster's, or is too old."""
    return _store.load(token, user=user, kind=roster, max_age=MAX_AGE_SECONDS)


def purge_expired(now=None):
    """Remove uploads older than a day (and temporary files left by a crash)."""
    _store.purge_expired(now, max_age=MAX_AGE_SECONDS)
