"""Enlisting a member and registering a reservist together with a new person, in one transaction: what the
database holds after each, and after a refusal (no person left behind)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from militia import services
from militia.models import MilitiaMember, Reservist
from militia.tests.factories import militia_force_type
from people.models import Person
from people.tests.factories import PersonFactory, ethnicity

pytestmark = pytest.mark.django_db


def _new_person(home_unit, **overrides):
    return {
        "full_name": "Hoàng Văn Thắng",
        "birth_date": datetime.date(2000, 5, 17),
        "sex": "M",
        "ethnicity": ethnicity("Tày"),
        "home_unit": home_unit,
        "general_education": 12,
    } | overrides


def _membership(unit):
    return {
        "unit": unit,
        "force_type": militia_force_type("tai_cho"),
        "joined_on": timezone.localdate() - datetime.timedelta(days=30),
    }


def _registration(unit):
    return {
        "unit": unit,
        "category": "hsq_bs",
        "tier": "1",
        "rank": "binh_nhat",
        "specialty_code": "BB-01",
        "registered_on": timezone.localdate() - datetime.timedelta(days=30),
    }


def test_a_new_person_is_enlisted_in_one_step(tree, officer):
    member = services.member_enlist_person(
        user=officer, new_person=_new_person(tree["vq_hamlet"]), **_membership(tree["vinh_quang"])
    )
    stored = MilitiaMember.objects.select_related("person").get()
    assert stored.pk == member.pk
    assert (stored.person.full_name, stored.unit, stored.status) == ("Hoàng Văn Thắng", tree["vinh_quang"], "active")


def test_an_existing_person_is_enlisted_without_a_new_person(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2000, 5, 17))
    people = Person.objects.count()
    member = services.member_enlist_person(user=officer, person=person, **_membership(tree["vinh_quang"]))
    assert MilitiaMember.objects.get().person == person == member.person
    assert Person.objects.count() == people


def test_a_refused_membership_leaves_no_new_person_behind(tree, officer):
    """Past the age of militia service (Luật DQTV 2019 Điều 8): the membership is refused, the person too."""
    people = Person.objects.count()
    with pytest.raises(ValidationError):
        services.member_enlist_person(
            user=officer,
            new_person=_new_person(tree["vq_hamlet"], birth_date=datetime.date(1950, 1, 1)),
            **_membership(tree["vinh_quang"]),
        )
    assert Person.objects.count() == people
    assert not MilitiaMember.objects.exists()


def test_a_membership_outside_the_users_units_leaves_no_new_person_behind(tree, officer):
    people = Person.objects.count()
    with pytest.raises(PermissionDenied):
        services.member_enlist_person(
            user=officer, new_person=_new_person(tree["vq_hamlet"]), **_membership(tree["ly_bon"])
        )
    assert Person.objects.count() == people
    assert not MilitiaMember.objects.exists()


def test_a_new_person_is_registered_as_a_reservist_in_one_step(tree, officer):
    reservist = services.reservist_register_person(
        user=officer, new_person=_new_person(tree["vq_hamlet"]), **_registration(tree["vinh_quang"])
    )
    stored = Reservist.objects.select_related("person").get()
    assert stored.pk == reservist.pk
    assert (stored.person.full_name, stored.unit, stored.rank) == ("Hoàng Văn Thắng", tree["vinh_quang"], "binh_nhat")


def test_a_refused_reservist_leaves_no_new_person_behind(tree, officer):
    people = Person.objects.count()
    with pytest.raises(PermissionDenied):
        services.reservist_register_person(
            user=officer, new_person=_new_person(tree["vq_hamlet"]), **_registration(tree["ly_bon"])
        )
    with pytest.raises(ValidationError):
        services.reservist_register_person(
            user=officer,
            new_person=_new_person(tree["vq_hamlet"]),
            **(
                _registration(tree["vinh_quang"]) | {"registered_on": timezone.localdate() + datetime.timedelta(days=9)}
            ),
        )
    assert Person.objects.count() == people
    assert not Reservist.objects.exists()


def test_either_a_person_or_a_new_person(tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    with pytest.raises(TypeError):
        services.member_enlist_person(
            user=officer, person=person, new_person=_new_person(tree["vq_hamlet"]), **_membership(tree["vinh_quang"])
        )
    assert not MilitiaMember.objects.exists()
