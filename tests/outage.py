"""A database that cannot be reached, for real: the default connection is pointed at a closed port
(PostgreSQL) or at a file that cannot be opened (SQLite), so any query fails as it would during a restart."""

import socket
from contextlib import contextmanager

from django.db import connections


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free now, and nobody listens on it once closed


@contextmanager
def database_unreachable(tmp_path):
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    held = None
    if conn.vendor == "sqlite":
        # The test database lives in memory: keep its connection aside (closing it would drop it).
        held, conn.connection = conn.connection, None
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        conn.settings_dict["NAME"] = str(blocker / "portal.sqlite3")
    else:
        conn.close()
        conn.settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
    try:
        yield
    finally:
        if conn.vendor != "sqlite":
            conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)
        if held is not None:
            conn.connection = held
