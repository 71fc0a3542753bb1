"""Turning an uploaded roster file into rows of raw cells, refusing what is unsafe or not a roster.

The checks themselves (size, rows, type by content, zip bomb, header, repeated national IDs) live in
`portal_io.reading`; this module gives them the roster's columns and the roster's limits.
"""

from portal_io import reading as _base
from portal_io.reading import (  # noqa: F401 - the names the roster import and its tests use
    FORMULA_PREFIXES,
    HEADER_SEARCH_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_MEMBERS,
    FileRejected,
    ParsedFile,
    is_blank,
    national_id_text,
    normalize_cell,
)

from .columns import columns_of

MAX_FILE_BYTES = _base.MAX_FILE_BYTES
MAX_ROWS = _base.MAX_ROWS
ESSENTIAL = ("full_name", "national_id")


def read_upload(uploaded, roster) -> ParsedFile:
    """Check an uploaded file and return its data rows, or raise FileRejected."""
    return read_bytes(_base.read_upload_bytes(uploaded, max_bytes=MAX_FILE_BYTES), roster)


def read_bytes(data: bytes, roster) -> ParsedFile:
    return _base.read_bytes(
        data,
        columns_of(roster),
        essential=ESSENTIAL,
        id_key="national_id",
        max_rows=MAX_ROWS,
        max_unpacked=MAX_UNCOMPRESSED_BYTES,
        max_members=MAX_ZIP_MEMBERS,
    )
