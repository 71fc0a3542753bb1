"""Saves sent at the same moment, each from its own session and database connection (PostgreSQL): of
several saves made from the same loaded version exactly one wins, the others get the conflict page."""

import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from militia.models import MilitiaMember, Reservist
from people.models import Person
from recruitment.models import Candidate, StageChange
from tests.factories import (
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    QuotaFactory,
    ReservistFactory,
    make_user_with_role,
)
from units.roles import Role
from units.tests.test_concurrency import form_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
]


def _sessions(tree, count):
    clients = []
    for n in range(count):
        user = make_user_with_role(f"canbo{n}", tree["vinh_quang"], Role.COMMUNE_OFFICER)
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def _waiting_on_locks():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the view is otherwise frozen
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def post_together(url, posts, *, hold=None):
    """POST each (client, data) from its own thread and connection, all released at once; with `hold`
    (a model instance) its row is locked until every request waits on it, as when one save is being
    written while the others arrive. Returns the status codes in the order given."""
    barrier = threading.Barrier(len(posts))
    statuses = [None] * len(posts)

    def send(index, client, data):
        try:
            barrier.wait()
            statuses[index] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i, c, d)) for i, (c, d) in enumerate(posts)]
    if hold is None:
        for thread in threads:
            thread.start()
    else:
        with transaction.atomic():
            type(hold).objects.select_for_update().get(pk=hold.pk)
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + 20
            while _waiting_on_locks() < len(posts) and time.monotonic() < deadline:
                time.sleep(0.05)
    for thread in threads:
        thread.join(60)
    return statuses


@pytest.mark.parametrize("count", [2, 5])
def test_of_simultaneous_person_saves_exactly_one_wins(tree, count):
    person = PersonFactory(home_unit=tree["vq_hamlet"], occupation="", phone="")
    clients = _sessions(tree, count)
    url = reverse("people:update", args=[person.pk])
    posts = []
    for n, client in enumerate(clients):
        data = form_of(client, url)
        data["occupation"] = f"Nghề {n}"
        posts.append((client, data))
    statuses = post_together(url, posts, hold=person)
    assert sorted(statuses) == [302] + [409] * (count - 1)
    winner = statuses.index(302)
    assert Person.objects.get(pk=person.pk).occupation == f"Nghề {winner}"
    assert person.history.count() == 2  # created, then one change


def test_rounds_of_simultaneous_person_saves_never_accept_two(tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], occupation="")
    clients = _sessions(tree, 3)
    url = reverse("people:update", args=[person.pk])
    for round_ in range(5):
        posts = []
        for n, client in enumerate(clients):
            data = form_of(client, url)
            data["occupation"] = f"Vòng {round_} người {n}"
            posts.append((client, data))
        statuses = post_together(url, posts)
        assert statuses.count(302) == 1, statuses
        assert statuses.count(409) == 2, statuses


def test_of_simultaneous_member_saves_exactly_one_wins(tree):
    member = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), unit=tree["vinh_quang"])
    clients = _sessions(tree, 3)
    url = reverse("militia:member_update", args=[member.pk])
    posts = []
    for n, client in enumerate(clients):
        data = form_of(client, url)
        data["platoon"] = str(n + 1)
        posts.append((client, data))
    statuses = post_together(url, posts, hold=member)
    assert sorted(statuses) == [302, 409, 409]
    assert MilitiaMember.objects.get(pk=member.pk).platoon == str(statuses.index(302) + 1)


def test_of_simultaneous_reservist_saves_exactly_one_wins(tree):
    reservist = ReservistFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), unit=tree["vinh_quang"])
    clients = _sessions(tree, 3)
    url = reverse("militia:reservist_update", args=[reservist.pk])
    posts = []
    for n, client in enumerate(clients):
        data = form_of(client, url)
        data["notes"] = f"ghi chú {n}"
        posts.append((client, data))
    statuses = post_together(url, posts, hold=reservist)
    assert sorted(statuses) == [302, 409, 409]
    assert Reservist.objects.get(pk=reservist.pk).notes == f"ghi chú {statuses.index(302)}"


def test_of_simultaneous_stage_changes_exactly_one_is_recorded(tree):
    candidate = CandidateFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    QuotaFactory(campaign=candidate.campaign, commune=tree["vinh_quang"])
    clients = _sessions(tree, 3)
    detail = reverse("recruitment:candidate_detail", args=[candidate.pk])
    url = reverse("recruitment:candidate_stage", args=[candidate.pk])
    posts = []
    for n, client in enumerate(clients):
        data = form_of(client, detail, "stage-form")
        data.update(to_stage="prescreened", confirm="on", note=f"lần {n}")
        posts.append((client, data))
    statuses = post_together(url, posts, hold=candidate)
    assert sorted(statuses) == [302, 400, 400]
    assert Candidate.objects.get(pk=candidate.pk).stage == "prescreened"
    assert StageChange.objects.filter(candidate=candidate).count() == 1
