"""Scoping across the reform: an area command reaches the communes that answer to it on the day; a unit's
users read the history of the units merged into it."""

import datetime
from unittest import mock

import pytest

from militia.models import MilitiaMember
from reorg import services
from reorg.services import NewUnit
from tests.factories import UnitFactory, make_user_with_role
from units.models import CommandLink, Unit, UnitKind
from units.roles import Role
from units.scoping import get_scope

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db


def test_an_area_command_sees_its_communes_from_the_day_on(world):
    area = UnitFactory(kind_code="area", name="PTKV 1", code="PTKV1", parent=world["province"])
    CommandLink.objects.create(unit=world["vinh_quang"], commander=area, valid_from=datetime.date(2026, 1, 1))
    officer = make_user_with_role("ptkv", area, Role.DISTRICT_OFFICER)
    # The day before the link, the commune is not the area command's yet.
    with mock.patch("units.scoping.timezone.localdate", return_value=datetime.date(2025, 12, 31)):
        assert not get_scope(officer).can_read_path(world["vinh_quang"].path)
    officer = type(officer).objects.get(pk=officer.pk)
    assert get_scope(officer).can_write_path(world["vq_hamlet"].path)
    assert not get_scope(officer).can_read_path(world["ly_bon"].path)
    assert MilitiaMember.objects.visible_to(officer).count() == 2


def test_the_successor_reads_the_history_of_the_merged_units(world):
    new = NewUnit(name="Lý Bôn", code="01294", kind=UnitKind.objects.get(code="commune"), parent=world["province"])
    services.unit_merge(sources=[world["ly_bon"], world["vinh_quang"]], into=new, on=REFORM_DAY, basis=BASIS)
    merged = Unit.objects.get(code="01294", valid_to__isnull=True)
    newcomer = make_user_with_role("moi", merged, Role.COMMUNE_OFFICER)
    scope = get_scope(newcomer)
    assert scope.can_read_path(world["vinh_quang"].path) and not scope.can_write_path(world["vinh_quang"].path)
    # The member who left before the merger is history of the old Vĩnh Quang: readable, not editable.
    assert MilitiaMember.objects.visible_to(newcomer).filter(pk=world["left"].pk).exists()
    assert not MilitiaMember.objects.editable_by(newcomer).filter(pk=world["left"].pk).exists()
