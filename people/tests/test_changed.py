"""The registry's writes mark the places they changed (units.freshness): the person's hamlet with its commune,
district and province — both hamlets when a person moves — and never the neighbouring commune."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from people import services
from people.models import Person
from tests.caches import places
from tests.factories import PersonFactory, ethnicity


def test_registering_a_person_moves_their_hamlet_and_its_ancestors_only(moved, officer, tree):
    with moved() as keys:
        services.person_create(
            user=officer,
            full_name="Lò Văn Mới",
            birth_date=datetime.date(1998, 5, 17),
            sex="M",
            ethnicity=ethnicity("Tày"),
            home_unit=tree["vq_hamlet"],
        )
    assert keys == places(tree["vq_hamlet"], records={"people"})
    assert f"u{tree['ly_bon'].pk}" not in keys


def test_moving_a_person_to_another_hamlet_moves_both(moved, district_officer, tree, vq_person):
    with moved() as keys:
        services.person_update(user=district_officer, person=vq_person, home_unit=tree["lb_hamlet"])
    assert keys == places(tree["vq_hamlet"], tree["lb_hamlet"], records={"people"})


def test_a_refused_change_moves_nothing(moved, officer, tree, lb_person):
    with moved() as keys, pytest.raises(PermissionDenied):
        services.person_update(user=officer, person=lb_person, full_name="Không được")
    assert keys == set()


def _admin_request(user):
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


def test_the_admin_marks_the_old_and_the_new_place_of_a_saved_person(moved, superuser, tree, vq_person):
    person_admin = admin.site.get_model_admin(Person)
    vq_person.home_unit = tree["lb_hamlet"]
    with moved() as keys:
        person_admin.save_model(_admin_request(superuser), vq_person, form=None, change=True)
    assert keys == places(tree["vq_hamlet"], tree["lb_hamlet"], records={"people"})


def test_the_admin_marks_the_places_of_deleted_people(moved, superuser, tree, vq_person, lb_person):
    person_admin = admin.site.get_model_admin(Person)
    with moved() as keys:
        person_admin.delete_model(_admin_request(superuser), vq_person)
    assert keys == places(tree["vq_hamlet"])

    other = PersonFactory(home_unit=tree["vq_hamlet2"])
    with moved() as keys:
        person_admin.delete_queryset(_admin_request(superuser), Person.objects.filter(pk__in=[other.pk, lb_person.pk]))
    assert keys == places(tree["vq_hamlet2"], tree["lb_hamlet"])
