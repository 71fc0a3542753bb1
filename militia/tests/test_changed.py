"""The rosters' writes mark the places they changed (units.freshness): the record's commune with its district
and province — both communes when a record moves — never the neighbouring commune."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from militia import services
from militia.models import DutyKind, ForceType, MemberStatus, MilitiaDutyGround, ReservistStatus
from tests.caches import places
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
)

JOIN = datetime.date(2024, 6, 15)


@pytest.fixture
def post(tree):
    return ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"]))


def test_enlisting_moves_the_commune_and_its_ancestors_only(moved, officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    with moved() as keys:
        services.member_enlist(
            user=officer,
            person=person,
            unit=tree["vinh_quang"],
            force_type=ForceType.objects.get(code="tai_cho"),
            joined_on=JOIN,
        )
    assert keys == places(tree["vinh_quang"])
    assert f"u{tree['ly_bon'].pk}" not in keys


def test_changing_and_ending_a_membership_move_its_commune(moved, officer, tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=JOIN)
    with moved() as keys:
        services.member_update(user=officer, member=member, extension_years=2, extension_decision="15/QĐ-UBND")
    assert keys == places(tree["vinh_quang"])
    with moved() as keys:
        services.member_end(
            user=officer,
            member=member,
            status=MemberStatus.MOVED,
            exit_date=JOIN + datetime.timedelta(days=30),
            exit_reason="Chuyển đi",
        )
    assert keys == places(tree["vinh_quang"])


def test_moving_a_membership_to_another_commune_moves_both(moved, district_officer, tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=JOIN)
    with moved() as keys:
        services.member_update(user=district_officer, member=member, unit=tree["ly_bon"])
    assert keys == places(tree["vinh_quang"], tree["ly_bon"])


def test_the_reservist_services_move_the_reservists_commune(moved, district_officer, tree, post):
    person = PersonFactory(home_unit=tree["lb_hamlet"])
    with moved() as keys:
        reservist = services.reservist_register(
            user=district_officer,
            person=person,
            unit=tree["ly_bon"],
            category="hsq_bs",
            tier="1",
            specialty_code="BB-01",
            registered_on=JOIN,
        )
    assert keys == places(tree["ly_bon"])
    with moved() as keys:
        services.reservist_update(user=district_officer, reservist=reservist, post=post, placed_on=JOIN)
    assert keys == places(tree["ly_bon"])
    with moved() as keys:
        services.reservist_set_status(
            user=district_officer, reservist=reservist, status=ReservistStatus.REMOVED, reason="Chuyển đi"
        )
    assert keys == places(tree["ly_bon"])


def test_moving_a_reservist_to_another_commune_moves_both(moved, district_officer, tree):
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"])
    with moved() as keys:
        services.reservist_update(user=district_officer, reservist=reservist, unit=tree["ly_bon"])
    assert keys == places(tree["vinh_quang"], tree["ly_bon"])


def test_duty_records_move_their_commune(moved, officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1999, 3, 4))
    with moved() as keys:
        record = services.duty_record_create(
            user=officer,
            person=person,
            unit=tree["vinh_quang"],
            kind=DutyKind.DEFERMENT,
            recorded_on=datetime.date(2024, 1, 1),
            ends_on=datetime.date(2024, 12, 31),
            ground=MilitiaDutyGround.objects.get(code="11.1h"),
        )
    assert keys == places(tree["vinh_quang"])
    with moved() as keys:
        services.duty_record_end(user=officer, record=record, ends_on=datetime.date(2024, 6, 30))
    assert keys == places(tree["vinh_quang"])


def test_an_import_moves_the_places_of_its_rows(moved, client, officer, tree, settings, tmp_path):
    from militia.tests.test_import import member_row, xlsx

    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    client.force_login(officer)
    response = client.post(
        reverse("militia:import", kwargs={"roster": "members"}),
        {"file": SimpleUploadedFile("danh-sach.xlsx", xlsx([member_row(1), member_row(2)]))},
    )
    assert response.status_code == 302
    with moved() as keys:
        assert client.post(response["Location"], {"confirm": "1"}).status_code == 302
    # New people in Nà Đoỏng, their memberships in Vĩnh Quang.
    assert keys == places(tree["vq_hamlet"], tree["vinh_quang"])
