"""Scale-out: two gunicorn instances on different ports, one PostgreSQL database, the same users.

Web nodes keep no state of their own: the session lives in the database (django.contrib.sessions' db
backend) and is signed with the shared SECRET_KEY, so a user who signs in on one node is signed in on
every node, and signing out on any node ends the session everywhere. See docs/scaling.md.

The two-node test runs only on PostgreSQL (SQLite's file is not a shared server); `bench/run.py --scale-out`
runs it. The province-shaped seed (`seed_demo --scale N`, what the bench measures) is checked at scale 2.
"""

import datetime
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parent.parent
SECRET = "scale-out-test-secret-key-shared-by-both-nodes-0123456789-abcdefghijklmnop"

on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="scale-out needs a shared PostgreSQL server (set DATABASE_URL)",
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url():
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Node:
    """One web node: `gunicorn -w 1` on its own port, with the settings every node shares."""

    def __init__(self, database_url, cache_url=None, **extra_env):
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
        env.update(
            DJANGO_SETTINGS_MODULE="baolam_portal.settings.test",
            DATABASE_URL=database_url,
            SECRET_KEY=SECRET,
            ALLOWED_HOSTS="127.0.0.1",
        )
        if cache_url:
            env["CACHE_URL"] = cache_url
        env.update(extra_env)
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [gunicorn, "baolam_portal.wsgi", "-w", "1", "-b", f"127.0.0.1:{self.port}", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )

    def wait_ready(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if self.get("/healthz", {})[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def request(self, method, path, cookies, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                if morsel.value:
                    cookies[key] = morsel.value
                else:
                    cookies.pop(key, None)
        return response.status, response.headers, data

    def get(self, path, cookies):
        return self.request("GET", path, cookies)

    def post(self, path, cookies, data):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": cookies.get("csrftoken", "")})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{self.port}/"}
        return self.request("POST", path, cookies, body, headers)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self.log = self.proc.stderr.read().decode(errors="replace")
        self.proc.stderr.close()


@pytest.fixture
def nodes():
    url = _database_url()
    started = [Node(url), Node(url)]
    try:
        for node in started:
            node.wait_ready()
        yield started
    finally:
        for node in started:
            node.stop()


REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (CI starts one)")
    return client


@pytest.fixture
def shared_cache_nodes():
    client = _redis()
    client.flushdb()
    url = _database_url()
    started = [Node(url, REDIS_URL), Node(url, REDIS_URL)]
    try:
        for node in started:
            node.wait_ready()
        yield started, client
    finally:
        for node in started:
            node.stop()
        client.flushdb()


def _sign_in(node, cookies, username):
    status, _, page = node.get("/login/", cookies)
    assert status == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    cookies["csrftoken"] = cookies.get("csrftoken") or token
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{node.port}/login/"}
    status, _, _ = node.request("POST", "/login/", cookies, body, headers)
    assert status == 302, "sign-in failed"
    assert "sessionid" in cookies


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_session_started_on_one_node_works_on_the_other(nodes):
    first, second = nodes
    assert first.port != second.port
    user = UserFactory(username="scaleout")
    cookies = {}

    # Not signed in: both nodes send the visitor to the sign-in page.
    assert first.get("/ping", dict(cookies))[0] == 302
    assert second.get("/ping", dict(cookies))[0] == 302

    _sign_in(first, cookies, user.username)
    assert first.get("/ping", cookies)[0] == 200
    # The other node knows the session: it is a row in the shared database, not memory of the first node.
    assert second.get("/ping", cookies)[0] == 200
    assert second.get("/", cookies)[0] == 200

    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=cookies["sessionid"]).exists()

    # Signing out on the second node ends the session on the first one too.
    status, _, _ = second.post("/logout/", cookies, {})
    assert status == 302
    assert not Session.objects.filter(session_key=cookies.get("sessionid", "")).exists()
    assert first.get("/ping", cookies)[0] == 302


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_summary_computed_on_one_node_is_served_by_the_other(shared_cache_nodes, tree, district_officer):
    (first, second), redis_client = shared_cache_nodes
    from tests.factories import PersonFactory

    people = PersonFactory.create_batch(3, home_unit=tree["vq_hamlet"])
    cookies = {}
    _sign_in(first, cookies, district_officer.username)

    status, _, page = first.get("/people/", cookies)
    if status != 200:
        first.stop()
        pytest.fail(f"the first node answered {status}: {first.log[-3000:]}")
    keys = set(redis_client.keys("*"))
    assert keys, "the first node stored its summaries in the shared cache"
    hits = redis_client.info("stats")["keyspace_hits"]

    status, _, again = second.get("/people/", cookies)
    assert status == 200
    # The second node read the first node's summaries and computed none of its own.
    assert redis_client.info("stats")["keyspace_hits"] > hits
    assert set(redis_client.keys("*")) == keys
    for person in people:
        assert person.full_name.encode() in page
        assert person.full_name.encode() in again

    # A person registered (committed, here by this process: a third node) moves the generations of their hamlet:
    # both nodes compute the list again and show them; summaries of places it did not touch stay shared.
    from people import services
    from tests.factories import ethnicity

    services.person_create(
        user=district_officer,
        full_name="Lò Văn Mới",
        birth_date=datetime.date(1998, 5, 17),
        sex="M",
        ethnicity=ethnicity("Tày"),
        home_unit=tree["vq_hamlet"],
    )
    for node in (second, first):
        status, _, page = node.get("/people/", cookies)
        assert status == 200
        assert "Lò Văn Mới".encode() in page


@pytest.mark.django_db
def test_the_seed_is_province_shaped_above_scale_1():
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from militia.models import MilitiaMember
    from people.models import Person
    from recruitment.models import Campaign
    from units.models import Unit

    call_command("seed_demo", "--scale", "2", quiet=True, stdout=io.StringIO())
    district = Unit.objects.get(code="042")
    others = Unit.objects.filter(kind__code="district").exclude(pk=district.pk)
    assert others.count() == 1
    other = others.get()
    assert other.parent == district.parent  # the same province
    assert Unit.objects.filter(parent=other).count() == 14
    assert Unit.objects.filter(parent__parent=other).count() == 14 * 5
    # Bảo Lâm keeps its 3,000 people; the other district holds the rest, in its hamlets.
    assert Person.objects.filter(home_unit__path__startswith=district.path).count() == 3000
    assert Person.objects.filter(home_unit__path__startswith=other.path, home_unit__depth=3).count() > 2900
    assert MilitiaMember.objects.filter(unit__parent=other).count() > 100
    assert set(Campaign.objects.filter(district=other).values_list("year", flat=True)) == set(range(2022, 2028))
    assert set(Campaign.objects.filter(district=district).values_list("year", flat=True)) == set(range(2022, 2028))
    reader = get_user_model().objects.get(username="chihuytinh")
    assert reader.assignments.get().unit == district.parent
    counts = (Person.objects.count(), MilitiaMember.objects.count(), Campaign.objects.count(), Unit.objects.count())
    call_command("seed_demo", "--scale", "2", quiet=True, stdout=io.StringIO())
    assert (
        Person.objects.count(),
        MilitiaMember.objects.count(),
        Campaign.objects.count(),
        Unit.objects.count(),
    ) == counts
