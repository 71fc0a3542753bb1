"""`manage.py backup` and `manage.py restore`: a backup restored into a fresh database holds the same rows.

The data is committed (transactional tests) so pg_dump, another process, sees it. The restored database
is read through its own connection (psycopg or sqlite3), never through Django's.
"""

import contextlib
import datetime
import sqlite3
import uuid
from urllib.parse import quote

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from people.models import Person
from recruitment.services import candidate_change_stage
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReservistFactory,
)

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backup (DATABASE_URL)")
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup (no DATABASE_URL)")
SAMPLE = "SELECT id, full_name, national_id, birth_date, sex, home_unit_id FROM people_person ORDER BY id"


@pytest.fixture
def data(tree, officer, commander):
    """Rows in most tables: people with history, rosters, a campaign with candidates and stage changes."""
    people = [
        PersonFactory(full_name=name, home_unit=tree["vq_hamlet"], birth_date=datetime.date(2000, 1, 1 + i))
        for i, name in enumerate(["Nguyễn Văn Đức", "Lò Thị Mai", "Vàng Seo Páo", "Hoàng <b>Thắng</b>"])
    ]
    PersonFactory(full_name="Lý Văn Sình", home_unit=tree["lb_hamlet"])
    MilitiaMemberFactory(person=people[0])
    ReservistFactory(person=people[1])
    campaign = CampaignFactory(district=tree["district"])
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=3)
    candidate = CandidateFactory(campaign=campaign, person=people[2])
    candidate_change_stage(candidate=candidate, to_stage="prescreened", user=officer)
    return people


def table_counts_django():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (introspected)
            counts[table] = cursor.fetchone()[0]
    return counts


def sample_django():
    with connection.cursor() as cursor:
        cursor.execute(SAMPLE)
        return [tuple(str(v) for v in row) for row in cursor.fetchall()]


def model_tables():
    from django.apps import apps

    return {m._meta.db_table for m in apps.get_models(include_auto_created=True)}


# --- PostgreSQL -------------------------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_pg_database():
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    info = {
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
    }
    info = {k: str(v) for k, v in info.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **info) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        credentials = quote(info.get("user", ""), safe="")
        if "password" in info:
            credentials += ":" + quote(info["password"], safe="")
        at = "@" if credentials else ""
        url = f"postgres://{credentials}{at}{info.get('host', '')}:{info.get('port', '5432')}/{name}"
        yield name, info, url
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **info) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_counts(name, info, tables):
    with psycopg.connect(dbname=name, **info) as conn:
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database(data, tmp_path):
    dump = tmp_path / "portal.dump"
    call_command("backup", output=str(dump), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert dump.read_bytes().startswith(b"PGDMP")
    before, sample = table_counts_django(), sample_django()
    assert model_tables() <= before.keys()
    assert before["people_person"] == 5 and before["people_historicalperson"] >= 5
    assert before["recruitment_stagechange"] >= 1 and before["militia_militiamember"] == 1

    with fresh_pg_database() as (name, info, url):
        call_command("restore", str(dump), database_url=url, interactive=False, stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert pg_counts(name, info, before) == before
        with psycopg.connect(dbname=name, **info) as conn:
            restored = [tuple(str(v) for v in row) for row in conn.execute(SAMPLE).fetchall()]
            extension = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
        assert restored == sample
        assert extension is not None  # the search index's extension came along

        # The target now holds tables: a second restore is refused without --force …
        with pytest.raises(CommandError, match="not empty"):
            call_command("restore", str(dump), database_url=url, interactive=False)
        # … and with it, the contents are replaced, not doubled.
        call_command(
            "restore",
            str(dump),
            database_url=url,
            interactive=False,
            force=True,
            stdout=open("/dev/null", "w"),  # noqa: SIM115
        )
        assert pg_counts(name, info, before) == before


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_the_confirmation_prompt_stops_a_restore(data, tmp_path, monkeypatch):
    dump = tmp_path / "portal.dump"
    call_command("backup", output=str(dump), stdout=open("/dev/null", "w"))  # noqa: SIM115
    with fresh_pg_database() as (name, info, url):
        monkeypatch.setattr("builtins.input", lambda prompt: "no")
        with pytest.raises(CommandError, match="cancelled"):
            call_command("restore", str(dump), database_url=url)
        with psycopg.connect(dbname=name, **info) as conn:
            assert (
                conn.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
            )
        monkeypatch.setattr("builtins.input", lambda prompt: "yes")
        call_command("restore", str(dump), database_url=url, stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert pg_counts(name, info, ["people_person"]) == {"people_person": Person.objects.count()}


# --- SQLite -----------------------------------------------------------------------------------------------


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_fresh_file(data, tmp_path, monkeypatch):
    copy = tmp_path / "portal.sqlite3"
    call_command("backup", output=str(copy), stdout=open("/dev/null", "w"))  # noqa: SIM115
    before, sample = table_counts_django(), sample_django()
    assert model_tables() <= before.keys()
    assert before["people_person"] == 5

    target = tmp_path / "restored" / "db.sqlite3"
    call_command(
        "restore",
        str(copy),
        database_url=f"sqlite:///{target}",
        interactive=False,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    with contextlib.closing(sqlite3.connect(target)) as conn:
        after = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in before}  # noqa: S608
        restored = [tuple(str(v) for v in row) for row in conn.execute(SAMPLE).fetchall()]
    assert after == before
    assert restored == sample

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(copy), database_url=f"sqlite:///{target}", interactive=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(copy), database_url=f"sqlite:///{target}", force=True)
    call_command(
        "restore",
        str(copy),
        database_url=f"sqlite:///{target}",
        interactive=False,
        force=True,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    with contextlib.closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT count(*) FROM people_person").fetchone()[0] == 5


# --- Either database: what restore refuses ------------------------------------------------------------------


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_no_backup_and_a_backup_of_the_other_kind(tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"<html>not a backup</html>")
    with pytest.raises(CommandError, match="neither"):
        call_command("restore", str(junk), interactive=False)
    with pytest.raises(CommandError, match="No such backup"):
        call_command("restore", str(tmp_path / "missing.dump"), interactive=False)

    sqlite_file = tmp_path / "a.sqlite3"
    with contextlib.closing(sqlite3.connect(sqlite_file)) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(CommandError, match="cannot be restored into a postgresql"):
        call_command("restore", str(sqlite_file), database_url="postgres://nobody@127.0.0.1:1/none", interactive=False)
    pg_file = tmp_path / "b.dump"
    pg_file.write_bytes(b"PGDMP" + b"\0" * 100)
    with pytest.raises(CommandError, match="cannot be restored into a sqlite"):
        call_command("restore", str(pg_file), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}", interactive=False)
    with pytest.raises(CommandError, match="cannot be read by pg_restore"):
        call_command("restore", str(pg_file), database_url="postgres://nobody@127.0.0.1:1/none", interactive=False)
