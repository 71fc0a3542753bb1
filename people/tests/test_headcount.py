"""The per-unit head counts (people.models.UnitHeadcount) follow every kind of write to the registry, and
the unfiltered people list shows the same total as counting the rows."""

import pytest
from django.conf import settings
from django.db.models import Count

from people.models import Person, UnitHeadcount
from people.selectors import people_count_in_scope
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _counted():
    rows = Person.objects.order_by().values("home_unit").annotate(n=Count("pk")).values_list("home_unit", "n")
    return {unit: n for unit, n in rows if n}


def _kept():
    return {unit: n for unit, n in UnitHeadcount.objects.values_list("unit_id", "people") if n}


def test_the_head_counts_follow_inserts_moves_updates_and_deletes(tree):
    vq, vq2, lb = tree["vq_hamlet"], tree["vq_hamlet2"], tree["lb_hamlet"]
    people = PersonFactory.create_batch(3, home_unit=vq)
    PersonFactory.create_batch(2, home_unit=lb)
    assert _kept() == _counted() == {vq.pk: 3, lb.pk: 2}

    moved = people[0]
    moved.home_unit = vq2
    moved.save()  # a move through the ORM
    Person.objects.filter(pk=people[1].pk).update(home_unit=lb)  # a bulk update
    Person.objects.filter(pk=people[2].pk).update(full_name="Đổi tên")  # not a move
    assert _kept() == _counted() == {vq.pk: 1, vq2.pk: 1, lb.pk: 3}

    Person.objects.filter(home_unit=lb).delete()
    Person.objects.bulk_create([PersonFactory.build(home_unit=vq) for _ in range(4)])  # as imports do
    assert _kept() == _counted() == {vq.pk: 5, vq2.pk: 1}


def test_the_count_of_a_users_units_is_the_sum_of_their_units(tree, officer, commander, superuser):
    PersonFactory.create_batch(3, home_unit=tree["vq_hamlet"])
    PersonFactory.create_batch(2, home_unit=tree["lb_hamlet"])
    assert people_count_in_scope(user=officer) == 3
    assert people_count_in_scope(user=commander) == 5
    assert people_count_in_scope(user=superuser) == 5


def test_the_unfiltered_list_shows_the_total_and_a_filtered_one_counts_its_rows(client, commander, tree):
    PersonFactory.create_batch(30, home_unit=tree["vq_hamlet"])
    PersonFactory.create_batch(12, home_unit=tree["lb_hamlet"])
    client.force_login(commander)
    assert "of 42" in client.get("/people/").content.decode()
    assert "of 42" in client.get("/people/", {"page": 2, "sort": "-birth_date"}).content.decode()
    assert "12 people" in client.get("/people/", {"commune": tree["ly_bon"].pk}).content.decode()
    assert "of 30" in client.get("/people/", {"commune": tree["vinh_quang"].pk}).content.decode()
