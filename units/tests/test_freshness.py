"""Cached summaries (units.freshness): a committed write to the records makes every page read them again,
a rolled-back one does not, and a page read twice costs fewer queries the second time."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from people.models import Person
from tests.caches import cold
from tests.factories import PersonFactory
from units import freshness
from units.models import AuditEvent, Unit


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _generation():
    freshness.forget()
    return freshness.generation()


# --- The generation moves on after a commit, and only then (real transactions) -------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_moves_the_generation_on_and_a_rolled_back_one_does_not(tree):
    before = _generation()
    with transaction.atomic():
        PersonFactory(home_unit=tree["vq_hamlet"])
        # Not yet: other requests cannot see the new person before the commit.
        assert _generation() == before
    after = _generation()
    assert after != before

    with pytest.raises(RuntimeError), transaction.atomic():
        PersonFactory(home_unit=tree["vq_hamlet"])
        raise RuntimeError
    assert _generation() == after


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_and_updates_move_it_on_but_sessions_and_the_audit_trail_do_not(tree):
    first = _generation()
    Person.objects.filter(home_unit=tree["vq_hamlet"]).update(is_party_member=True)
    second = _generation()
    assert second != first
    Unit.objects.filter(pk=tree["vq_hamlet"].pk).update(name="Nà Đoỏng mới")
    third = _generation()
    assert third != second

    AuditEvent.objects.create(kind=AuditEvent.Kind.EXPORT, username="x")
    Session.objects.all().delete()
    assert _generation() == third


@pytest.mark.django_db(transaction=True)
def test_a_new_person_shows_in_the_list_and_its_count_right_after_the_commit(client, officer, tree):
    PersonFactory.create_batch(2, home_unit=tree["vq_hamlet"])
    client.force_login(officer)
    assert "2 people" in client.get("/people/").content.decode()
    assert "2 people" in client.get("/people/").content.decode()  # from the cache

    PersonFactory(full_name="Lò Văn Mới", home_unit=tree["vq_hamlet"])  # committed at once (autocommit)
    page = client.get("/people/").content.decode()
    assert "3 people" in page
    assert "Lò Văn Mới" in page


@pytest.mark.django_db(transaction=True)
def test_a_role_given_in_the_admin_shows_at_the_next_request(client, viewer, tree):
    client.force_login(viewer)
    assert "Register a person" not in client.get("/people/").content.decode()
    group = Group.objects.create(name="Extra")
    group.permissions.add(Permission.objects.get(codename="add_person"))
    viewer.groups.add(group)
    viewer.assignments.update(role="commune_officer")
    assert "Register a person" in client.get("/people/").content.decode()


# --- Inside a test transaction (Django's TestCase) the generation moves at once -------------------------------


def test_a_transaction_that_wrote_reads_its_own_writes_not_the_cache(tree):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert freshness.remember(("probe",), compute) == 1
    assert freshness.remember(("probe",), compute) == 1  # cached
    with transaction.atomic():
        PersonFactory(home_unit=tree["vq_hamlet"])
        assert freshness.remember(("probe",), compute) == 2
        assert freshness.remember(("probe",), compute) == 3  # never cached while the transaction is open


def test_a_person_registered_through_the_page_is_listed_at_once(client, officer, tree):
    client.force_login(officer)
    assert "Trần Văn Mới" not in client.get("/people/").content.decode()
    PersonFactory(full_name="Trần Văn Mới", home_unit=tree["vq_hamlet2"])
    assert "Trần Văn Mới" in client.get("/people/").content.decode()


# --- What the cache saves ----------------------------------------------------------------------------------------


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_second_read_of_the_people_list_skips_the_count_the_scope_and_the_permissions(client, officer, tree):
    PersonFactory.create_batch(30, home_unit=tree["vq_hamlet"])
    url = f"/people/?hamlet={tree['vq_hamlet'].pk}"  # a filtered list: its rows are counted
    client.force_login(officer)
    client.get(url)  # the session
    cold()
    first = _queries(client, url)
    second = _queries(client, url + "&page=2")  # another page of the same list: the same count
    assert any("COUNT(*)" in sql for sql in first)
    assert not any("COUNT(*)" in sql for sql in second)
    assert not any("units_assignment" in sql or "auth_permission" in sql for sql in second)
    assert len(second) <= len(first) - 6, second


def test_the_dashboard_read_again_costs_a_handful_of_queries(client, commander, tree):
    client.force_login(commander)
    client.get("/")
    cold()
    first = _queries(client, "/")
    second = [sql for sql in _queries(client, "/") if "SAVEPOINT" not in sql]
    assert len(first) > 30
    # the session, the user, the generation and the session's save: nothing that grows with the data
    assert len(second) == 4, "\n".join(second)
