"""factory_boy factories of units: users, units and role assignments."""

import datetime

import factory
from django.contrib.auth import get_user_model

from units.models import Restructuring, Unit, UnitKind
from units.services import assignment_create

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)
    is_active = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        exclude = ["kind_code"]

    kind_code = "commune"
    kind = factory.LazyAttribute(lambda o: UnitKind.objects.get(code=o.kind_code))
    name = factory.Sequence(lambda n: f"Xã {n}")
    code = factory.Sequence(lambda n: f"T{n:05d}")
    population = 5000


def make_user_with_role(username, unit, role, **extra):
    user = UserFactory(username=username, **extra)
    assignment_create(user=user, unit=unit, role=role)
    return get_user_model().objects.get(pk=user.pk)


def restructuring_of(*units, kind="rename", on=datetime.date(2025, 7, 1)):
    """A recorded reorganisation of `units` (the record reorg.services keeps), written directly."""
    record = Restructuring.objects.create(
        kind=kind,
        effective_on=on,
        basis="1667/NQ-UBTVQH15",
        basis_date=datetime.date(2025, 6, 16),
        summary={"moves": {"people": [1, 2, 3]}, "stays": {"reports_kept": 2}},
    )
    record.units.set(units)
    return record
