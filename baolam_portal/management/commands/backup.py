"""`manage.py backup [--output FILE]`: a consistent backup of the portal's database.

PostgreSQL: `pg_dump --format=custom` (one consistent snapshot, restorable with `manage.py restore` or
pg_restore). SQLite: a page-by-page copy through SQLite's online backup API, consistent even while the
portal writes. The file is written under a temporary name and renamed when complete, so a backup that
failed half-way never looks like a good one. See docs/operations.md.
"""

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


def pg_environment(config):
    """The environment of a PostgreSQL client tool: the password never appears on a command line."""
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    return env


def pg_connection_args(config):
    args = ["--no-password"]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", str(config["USER"])]
    return args


def pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} is not installed or not on PATH; install the PostgreSQL client "
            f"(Debian: apt-get install postgresql-client) of the server's major version or newer."
        )
    return path


def default_output(vendor, name):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = Path(str(name)).stem if vendor == "sqlite" else str(name)
    return Path(settings.BASE_DIR) / "var" / "backups" / f"{base}-{stamp}{SUFFIXES[vendor]}"


class Command(BaseCommand):
    help = "Back up the database: pg_dump custom format (PostgreSQL) or a consistent copy (SQLite)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="File to write (default: var/backups/<database>-<time>.<ext>).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args, output, database, **options):
        connection = connections[database]
        vendor = connection.vendor
        if vendor not in SUFFIXES:
            raise CommandError(f"Backups of {vendor} databases are not supported.")
        config = connection.settings_dict
        target = Path(output) if output else default_output(vendor, config["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.partial")
        try:
            if vendor == "postgresql":
                self._pg_dump(config, partial)
            else:
                self._sqlite_copy(connection, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        size = target.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target} ({size:,} bytes)."))

    def _pg_dump(self, config, partial):
        command = [
            pg_tool("pg_dump"),
            "--format=custom",
            f"--file={partial}",
            *pg_connection_args(config),
            str(config["NAME"]),
        ]
        result = subprocess.run(command, env=pg_environment(config), capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed (exit {result.returncode}): {result.stderr.strip()}")

    def _sqlite_copy(self, connection, partial):
        # Through Django's own connection: it also works for an in-memory database (the test suite's).
        connection.ensure_connection()
        destination = sqlite3.connect(partial)
        try:
            connection.connection.backup(destination)
            check = destination.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            destination.close()
        if check != "ok":
            raise CommandError(f"The copy failed SQLite's integrity check: {check}")
