"""unit_split, unit_rename, unit_move, and a merge followed by a split."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from militia.models import MilitiaMember, Reservist
from people.models import Person
from recruitment.models import Candidate
from reorg import services
from reorg.services import NewUnit
from tests.factories import UnitFactory
from units.models import Unit, UnitKind

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db


def _parts(world, kind="commune"):
    commune = UnitKind.objects.get(code=kind)
    parent = world["vinh_quang"].parent
    return [
        (NewUnit(name="Vĩnh Quang", code="01300", kind=commune, parent=parent), [world["vq_hamlet"]]),
        (NewUnit(name="Vĩnh Tân", code="01399", kind=commune, parent=parent), [world["vq_hamlet2"]]),
    ]


def test_split_sends_each_record_with_its_hamlet(world):
    services.unit_split(source=world["vinh_quang"], parts=_parts(world), on=REFORM_DAY, basis=BASIS)
    first = Unit.objects.get(code="01300", valid_to__isnull=True)
    second = Unit.objects.get(code="01399")
    old = Unit.objects.get(pk=world["vinh_quang"].pk)
    assert (old.valid_to, old.successor) == (datetime.date(2025, 6, 30), first)
    assert Unit.objects.get(pk=world["vq_hamlet"].pk).parent == first
    assert Unit.objects.get(pk=world["vq_hamlet2"].pk).parent == second
    # The serving member lives in the first hamlet, the reservist in the second; the person registered at
    # the commune itself goes with the first part (the successor).
    assert MilitiaMember.objects.get(pk=world["serving"].pk).unit == first
    assert Reservist.objects.get(pk=world["reservist"].pk).unit == second
    assert Person.objects.get(pk=world["at_commune"].pk).home_unit == first
    assert Candidate.objects.get(pk=world["candidate"].pk).commune == first
    assert MilitiaMember.objects.get(pk=world["left"].pk).unit == old


def test_split_needs_every_hamlet_named_once(world):
    parts = _parts(world)
    parts[1] = (parts[1][0], [])
    with pytest.raises(ValidationError, match="Bản Tìn"):
        services.unit_split(source=world["vinh_quang"], parts=parts, on=REFORM_DAY, basis=BASIS)
    assert Unit.objects.get(pk=world["vinh_quang"].pk).valid_to is None


def test_merge_then_split(world):
    new = NewUnit(name="Lý Bôn", code="01294", kind=UnitKind.objects.get(code="commune"), parent=world["province"])
    services.unit_merge(sources=[world["ly_bon"], world["vinh_quang"]], into=new, on=REFORM_DAY, basis=BASIS)
    merged = Unit.objects.get(code="01294", valid_to__isnull=True)
    later = datetime.date(2026, 1, 1)
    commune = UnitKind.objects.get(code="commune")
    services.unit_split(
        source=merged,
        parts=[
            (NewUnit(name="Lý Bôn", code="01294", kind=commune, parent=world["province"]), [world["lb_hamlet"]]),
            (
                NewUnit(name="Vĩnh Quang", code="01300", kind=commune, parent=world["province"]),
                [world["vq_hamlet"], world["vq_hamlet2"]],
            ),
        ],
        on=later,
        basis=BASIS,
    )
    again = Unit.objects.get(code="01300", valid_to__isnull=True)
    assert MilitiaMember.objects.get(pk=world["serving"].pk).unit == again
    assert Unit.objects.get(pk=merged.pk).valid_to == datetime.date(2025, 12, 31)
    # Two units have held the code 01300 in turn; only one is in force.
    assert Unit.objects.filter(code="01300").count() == 2


def test_rename_keeps_records_and_the_old_name_in_history(world):
    services.unit_rename(unit=world["vinh_quang"], name="Vĩnh Quang Mới", on=REFORM_DAY, basis=BASIS)
    unit = Unit.objects.get(pk=world["vinh_quang"].pk)
    assert unit.name == "Vĩnh Quang Mới"
    assert unit.history.order_by("history_date")[0].name == "Vĩnh Quang"
    assert MilitiaMember.objects.get(pk=world["serving"].pk).unit == unit
    with pytest.raises(ValidationError):
        services.unit_rename(unit=unit, name="  ", on=REFORM_DAY, basis=BASIS)


def test_move_takes_the_subtree_and_its_records(world):
    other = UnitFactory(kind_code="district", name="Bảo Lạc", code="043", parent=world["province"])
    services.unit_move(unit=world["vinh_quang"], new_parent=other, on=REFORM_DAY, basis=BASIS)
    unit = Unit.objects.get(pk=world["vinh_quang"].pk)
    assert unit.parent == other
    assert Unit.objects.get(pk=world["vq_hamlet"].pk).path.startswith(other.path)
    assert (
        Person.objects.filter(home_unit__path__startswith=other.path).count()
        == Person.objects.filter(home_unit__path__startswith=unit.path).count()
    )
    with pytest.raises(ValidationError):
        services.unit_move(unit=other, new_parent=unit, on=REFORM_DAY, basis=BASIS)
