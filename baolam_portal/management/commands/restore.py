"""`manage.py restore FILE [--database-url URL] [--force] [--noinput]`: load a backup made by `manage.py backup`.

The target is the configured database, or the one named by `--database-url` (restore into a fresh
database first, check it, then switch `DATABASE_URL`). A target that already holds tables is refused
unless `--force`; the command asks for confirmation unless `--noinput`.

PostgreSQL: `pg_restore --no-owner --clean --if-exists --single-transaction --exit-on-error`, so the
restore is all or nothing. SQLite: the backup is copied back page by page with SQLite's backup API.
A PostgreSQL dump cannot be restored into SQLite or the other way round. See docs/operations.md.
"""

import contextlib
import sqlite3
import subprocess
from pathlib import Path

import environ
import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from .backup import pg_connection_args, pg_environment, pg_tool

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
ENGINES = {"django.db.backends.postgresql": "postgresql", "django.db.backends.sqlite3": "sqlite"}


def backup_kind(path):
    with open(path, "rb") as source:
        head = source.read(16)
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    raise CommandError(f"{path} is neither a pg_dump custom-format file nor a SQLite database.")


def target_config(database_url, alias):
    if database_url:
        try:
            config = environ.Env.db_url_config(database_url)
        except Exception as exc:  # django-environ raises several kinds for a bad URL
            raise CommandError(f"--database-url is not a valid database URL: {exc}") from None
    else:
        config = dict(connections[alias].settings_dict)
    vendor = ENGINES.get(config.get("ENGINE"))
    if vendor is None:
        raise CommandError(f"Restoring into {config.get('ENGINE')} is not supported.")
    return vendor, config


def pg_conninfo(config):
    keys = {"HOST": "host", "PORT": "port", "USER": "user", "PASSWORD": "password", "NAME": "dbname"}
    return {keys[k]: str(v) for k, v in config.items() if k in keys and v not in (None, "")}


def pg_table_count(config):
    try:
        with psycopg.connect(**pg_conninfo(config)) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
    except psycopg.OperationalError as exc:
        raise CommandError(f"Cannot connect to the target database: {str(exc).strip()}") from None


def sqlite_table_count(path):
    if not Path(path).exists() or Path(path).stat().st_size == 0:
        return 0
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database (or any with --force)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup: a pg_dump custom-format file or a SQLite database.")
        parser.add_argument("--database-url", help="Restore into this database instead of the configured one.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias when no URL is given.")
        parser.add_argument("--force", action="store_true", help="Replace the contents of a non-empty database.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask.")

    def handle(self, *args, file, database_url, database, force, interactive, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"No such backup file: {source}")
        kind = backup_kind(source)
        vendor, config = target_config(database_url, database)
        if kind != vendor:
            raise CommandError(f"{source} is a {kind} backup; it cannot be restored into a {vendor} database.")
        name = config["NAME"]
        if vendor == "postgresql":
            self._pg_check(source)
            tables = pg_table_count(config)
        else:
            self._sqlite_check(source)
            tables = sqlite_table_count(name)
        if tables and not force:
            raise CommandError(
                f"The database {name} is not empty ({tables} tables). Restore into a new, empty database, "
                f"or pass --force to replace its contents."
            )
        if interactive:
            action = "REPLACE the contents of" if tables else "restore into"
            answer = input(f"This will {action} the database {name} from {source}.\nType 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        if vendor == "postgresql":
            self._pg_restore(source, config)
        else:
            self._sqlite_restore(source, name)
        for conn in connections.all():
            conn.close()  # a connection opened before the restore may have cached the old schema
        self.stdout.write(
            self.style.SUCCESS(f"Restored {source} into {name}. Run `manage.py migrate` if the code is newer.")
        )

    def _pg_check(self, source):
        """Read the dump's table of contents before touching the target: a damaged file stops here."""
        result = subprocess.run(  # noqa: S603
            [pg_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"{source} cannot be read by pg_restore: {result.stderr.strip()}")

    def _pg_restore(self, source, config):
        command = [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            *pg_connection_args(config),
            f"--dbname={config['NAME']}",
            str(source),
        ]
        result = subprocess.run(command, env=pg_environment(config), capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(
                f"pg_restore failed (exit {result.returncode}); nothing was changed: {result.stderr.strip()}"
            )

    def _sqlite_check(self, source):
        try:
            with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as conn:
                check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise CommandError(f"{source} is not a readable SQLite database: {exc}") from None
        if check != "ok":
            raise CommandError(f"{source} failed SQLite's integrity check: {check}")

    def _sqlite_restore(self, source, name):
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        with (
            contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reader,
            contextlib.closing(sqlite3.connect(name)) as target,
        ):
            reader.backup(target)  # replaces every page of the target in one step
