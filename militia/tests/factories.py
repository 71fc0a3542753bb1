"""factory_boy factories of the militia and reserve rosters."""

import datetime

import factory
from django.utils import timezone

from militia import rules as militia_rules
from militia.models import ForceType, MilitiaMember
from people.models import Person
from people.tests.factories import PersonFactory
from units.tests.factories import UnitFactory
from units.text import fold, normalize_name


def _today():
    return timezone.localdate()


def militia_force_type(code):
    """A militia force type loaded by the data migration: tai_cho, co_dong, thuong_truc, ..."""
    return ForceType.objects.get(code=code)


class MilitiaMemberFactory(factory.django.DjangoModelFactory):
    """An active member of the person's commune militia (local force, joined a year ago)."""

    class Meta:
        model = "militia.MilitiaMember"
        exclude = ["force_code"]

    force_code = "tai_cho"
    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda o: o.person.commune)
    force_type = factory.LazyAttribute(lambda o: militia_force_type(o.force_code))
    joined_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=365))


class ReserveUnitFactory(factory.django.DjangoModelFactory):
    """A combat reserve company of a district."""

    class Meta:
        model = "militia.ReserveUnit"

    name = factory.Sequence(lambda n: f"Đại đội dự bị {n}")
    kind = "company"
    district = factory.SubFactory(UnitFactory, kind_code="district")
    is_combat = True


class ReservePostFactory(factory.django.DjangoModelFactory):
    """A post needing ten riflemen (BB-01) with the usual 10 % margin."""

    class Meta:
        model = "militia.ReservePost"

    reserve_unit = factory.SubFactory(ReserveUnitFactory)
    title = factory.Sequence(lambda n: f"Chiến sĩ bộ binh {n}")
    specialty_code = "BB-01"
    required_count = 10
    margin_percent = 10


class ReservistFactory(factory.django.DjangoModelFactory):
    """An active tier-one NCO/soldier registered at the person's commune, not placed unless given a post."""

    class Meta:
        model = "militia.Reservist"

    person = factory.SubFactory(PersonFactory)
    unit = factory.LazyAttribute(lambda o: o.person.commune)
    category = "hsq_bs"
    tier = factory.LazyAttribute(lambda o: "1" if o.category == "hsq_bs" else "")
    rank = factory.LazyAttribute(lambda o: "binh_nhat" if o.category == "hsq_bs" else "thieu_uy")
    specialty_code = "BB-01"
    registered_on = factory.LazyFunction(lambda: _today() - datetime.timedelta(days=400))
    post = None
    placed_on = factory.LazyAttribute(lambda o: o.registered_on + datetime.timedelta(days=30) if o.post else None)


def bulk_militia_members(hamlet, count, **member_fields):
    """`count` active militia members living in `hamlet`, written with two bulk inserts: the query-count
    tests need a thousand of them without a thousand saves."""
    people = PersonFactory.build_batch(count, home_unit=hamlet)
    for person in people:
        person.full_name = normalize_name(person.full_name)
        person.search_key = fold(person.full_name)
    people = Person.objects.bulk_create(people)
    force_type = member_fields.pop("force_type", None) or militia_force_type("tai_cho")
    joined_on = member_fields.pop("joined_on", None) or _today() - datetime.timedelta(days=365)
    commune = hamlet if hamlet.kind.is_commune_level else hamlet.parent
    members = [
        MilitiaMember(
            person=person,
            unit=commune,
            force_type=force_type,
            joined_on=joined_on,
            term_ends_on=militia_rules.militia_term_ends_on(joined_on, force_type.term_years, 0),
            **member_fields,
        )
        for person in people
    ]
    return MilitiaMember.objects.bulk_create(members)
