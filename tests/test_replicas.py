"""Read replicas (baolam_portal/replicas.py): which reads go to the replica, and reading one's own writes.

The end-to-end test runs a gunicorn node whose replica is a copy of the database taken before a
change: a page that reads the replica does not show the change, a page that reads the primary does,
and a user who has just written reads the primary.
"""

import os
import subprocess
import urllib.parse

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import resolve

from baolam_portal import replicas
from people.models import Person
from tests.factories import PersonFactory
from tests.test_scale_out import Node, _database_url, _sign_in, on_postgresql

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


def _with_replica():
    """Settings that name a replica (the routing decisions read them; no query is sent to it)."""
    databases = {**settings.DATABASES}
    databases["replica"] = {**databases["default"]}
    return override_settings(DATABASES=databases)


def test_without_a_replica_every_read_goes_to_the_primary():
    router = replicas.ReplicaRouter()
    token = replicas._replica_reads.set(True)
    try:
        assert router.db_for_read(Person) is None
    finally:
        replicas._replica_reads.reset(token)


def test_a_listed_read_goes_to_the_replica_and_sign_in_records_stay_on_the_primary():
    router = replicas.ReplicaRouter()
    with _with_replica():
        assert router.db_for_read(Person) is None  # not inside a listed page
        token = replicas._replica_reads.set(True)
        try:
            assert router.db_for_read(Person) == "replica"
            assert router.db_for_read(Session) is None
        finally:
            replicas._replica_reads.reset(token)
        assert router.db_for_write(Person) == "default"
        assert router.allow_migrate("replica", "people") is False
        assert router.allow_migrate("default", "people") is True


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary():
    router = replicas.ReplicaRouter()
    with _with_replica():
        token = replicas._replica_reads.set(True)
        try:
            with transaction.atomic():
                assert router.db_for_read(Person) is None
            assert router.db_for_read(Person) == "replica"
        finally:
            replicas._replica_reads.reset(token)


def _through_middleware(method, path, view, cookies=None):
    request = getattr(RequestFactory(), method.lower())(path)
    request.COOKIES.update(cookies or {})
    request.resolver_match = resolve(path)
    seen = {}

    def get_response(request):
        middleware.process_view(request, view, (), {})
        seen["replica"] = replicas._replica_reads.get()
        return view(request)

    middleware = replicas.ReplicaMiddleware(get_response)
    response = middleware(request)
    return response, seen["replica"]


@pytest.mark.django_db
def test_a_user_who_wrote_reads_the_primary_for_a_while(tree):
    def writes_a_person(request):
        PersonFactory(home_unit=tree["vq_hamlet"])
        return HttpResponse("ok")

    def writes_only_the_session(request):
        Session.objects.create(session_key="x" * 32, session_data="", expire_date="2030-01-01T00:00Z")
        return HttpResponse("ok")

    with _with_replica():
        response, used_replica = _through_middleware("GET", "/people/", lambda r: HttpResponse("list"))
        assert used_replica
        assert replicas.PIN_COOKIE not in response.cookies

        response, used_replica = _through_middleware("POST", "/people/new/", writes_a_person)
        assert not used_replica  # a POST never reads the replica
        pin = response.cookies[replicas.PIN_COOKIE]
        assert int(pin["max-age"]) == 10

        # The next page of the list, pinned by that cookie, reads the primary.
        _, used_replica = _through_middleware(
            "GET", "/people/", lambda r: HttpResponse("list"), {replicas.PIN_COOKIE: pin.value}
        )
        assert not used_replica

        response, _ = _through_middleware("POST", "/people/new/", writes_only_the_session)
        assert replicas.PIN_COOKIE not in response.cookies

        # A page that is not listed (a person's record, an edit form) always reads the primary.
        _, used_replica = _through_middleware("GET", "/people/1/", lambda r: HttpResponse("detail"))
        assert not used_replica


def _pg_env():
    s = connection.settings_dict
    env = {**os.environ, "PGHOST": s["HOST"] or "127.0.0.1", "PGPORT": str(s["PORT"] or 5432)}
    env["PGUSER"] = s["USER"] or "postgres"
    if s["PASSWORD"]:
        env["PGPASSWORD"] = s["PASSWORD"]
    return env


def _run(*args, **kwargs):
    return subprocess.run(args, env=_pg_env(), check=True, capture_output=True, **kwargs)  # noqa: S603


@pytest.fixture
def stale_replica():
    """A copy of the test database as it is now: a replica that has not yet received what comes next."""
    source = connection.settings_dict["NAME"]
    name = f"{source}_replica"
    _run("psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"')
    _run("psql", "-d", "postgres", "-c", f'CREATE DATABASE "{name}"')
    dump = _run("pg_dump", "--no-owner", "-d", source)
    _run("psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", name, input=dump.stdout)
    yield urllib.parse.urlsplit(_database_url())._replace(path=f"/{name}").geturl()
    _run("psql", "-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_lists_read_the_replica_and_a_user_who_wrote_reads_the_primary(tree, district_officer, request):
    PersonFactory(full_name="Hoàng Thị Trước", home_unit=tree["vq_hamlet"])
    replica_url = request.getfixturevalue("stale_replica")
    # Written to the primary after the replica's copy was taken: the replica has not caught up.
    late = PersonFactory(full_name="Vàng Văn Sau", home_unit=tree["vq_hamlet"])

    node = Node(_database_url(), DATABASE_REPLICA_URL=replica_url, REPLICA_PIN_SECONDS="30")
    try:
        node.wait_ready()
        cookies = {}
        _sign_in(node, cookies, district_officer.username)
        # Signing in wrote (the last sign-in time): the user's next pages read the primary.
        assert replicas.PIN_COOKIE in cookies
        status, _, page = node.get("/people/", cookies)
        assert status == 200, node.log if node.proc.poll() is not None else page[-2000:]
        assert "Vàng Văn Sau".encode() in page

        # Later (the pin has expired): the list reads the replica, which does not have the late record yet.
        del cookies[replicas.PIN_COOKIE]
        status, _, page = node.get("/people/", cookies)
        assert status == 200
        assert "Hoàng Thị Trước".encode() in page
        assert "Vàng Văn Sau".encode() not in page

        # A person's own record is not a listed page: it reads the primary.
        status, _, page = node.get(f"/people/{late.pk}/", cookies)
        assert status == 200
        assert "Vàng Văn Sau".encode() in page
    finally:
        node.stop()
