"""Both rosters in the admin: folded search, the law's rules on save, history, and scoping for staff officers."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from militia.models import ForceType, MilitiaMember
from people.rules import years_before
from tests.factories import MilitiaMemberFactory, PersonFactory, ReservistFactory, make_user_with_role
from units.roles import Role

MEMBERS = "/admin/militia/militiamember/"
RESERVISTS = "/admin/militia/reservist/"


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff_officer(tree):
    """Commune officer of Vĩnh Quang who may also open the admin."""
    return make_user_with_role("canbovq", tree["vinh_quang"], Role.COMMUNE_OFFICER, is_staff=True)


@pytest.fixture
def rosters(vq_person, lb_person, tree):
    """Nguyễn Văn Đức (Vĩnh Quang) and Vàng Seo Páo (Lý Bôn) on both rosters."""
    return {
        "vq_member": MilitiaMemberFactory(person=vq_person),
        "lb_member": MilitiaMemberFactory(person=lb_person),
        "vq_reservist": ReservistFactory(
            person=PersonFactory(full_name="Hoàng Văn Thắng", home_unit=tree["vq_hamlet"]), specialty_code="TT-02"
        ),
        "lb_reservist": ReservistFactory(person=PersonFactory(full_name="Lý A Sình", home_unit=tree["lb_hamlet"])),
    }


def listed(response):
    assert response.status_code == 200
    return sorted(obj.person.full_name for obj in response.context["cl"].result_list)


@pytest.mark.parametrize("query", ["nguyen van duc", "Nguyễn Văn Đức", "VAN DUC"])
def test_superuser_finds_a_member_without_diacritics(client, superuser, rosters, query):
    client.force_login(superuser)
    response = client.get(MEMBERS, {"q": query})
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert f'href="/admin/militia/militiamember/{rosters["vq_member"].pk}/change/' in response.content.decode()


def test_superuser_sees_both_rosters_of_every_commune(client, superuser, rosters):
    client.force_login(superuser)
    assert listed(client.get(MEMBERS)) == ["Nguyễn Văn Đức", "Vàng Seo Páo"]
    assert listed(client.get(RESERVISTS)) == ["Hoàng Văn Thắng", "Lý A Sình"]
    assert listed(client.get(MEMBERS, {"q": rosters["lb_member"].person.national_id})) == ["Vàng Seo Páo"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("hoang van thang", ["Hoàng Văn Thắng"]), ("LY A", ["Lý A Sình"]), ("TT-02", ["Hoàng Văn Thắng"])],
)
def test_superuser_searches_the_reserve_roster(client, superuser, rosters, query, expected):
    client.force_login(superuser)
    assert listed(client.get(RESERVISTS, {"q": query})) == expected


def test_superuser_filters_by_status(client, superuser, rosters):
    member = rosters["lb_member"]
    member.status, member.exit_date, member.exit_reason = "moved", timezone.localdate(), "Chuyển đi"
    member.save()
    client.force_login(superuser)
    assert listed(client.get(MEMBERS, {"status__exact": "active"})) == ["Nguyễn Văn Đức"]
    assert listed(client.get(MEMBERS, {"status__exact": "moved"})) == ["Vàng Seo Páo"]


def test_staff_officer_sees_only_own_communes_members(client, staff_officer, rosters):
    client.force_login(staff_officer)
    response = client.get(MEMBERS)
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert "Vàng Seo Páo" not in response.content.decode()
    assert listed(client.get(MEMBERS, {"q": "vang seo pao"})) == []
    assert listed(client.get(MEMBERS, {"q": rosters["lb_member"].person.national_id})) == []
    assert listed(client.get(RESERVISTS)) == ["Hoàng Văn Thắng"]


def test_staff_officer_opens_own_member_but_not_another_communes(client, staff_officer, rosters):
    client.force_login(staff_officer)
    own = client.get(f"{MEMBERS}{rosters['vq_member'].pk}/change/")
    assert own.status_code == 200
    assert "Nguyễn Văn Đức" in own.content.decode()
    other = client.get(f"{MEMBERS}{rosters['lb_member'].pk}/change/")
    # Outside the admin's queryset the object "does not exist": back to the admin index.
    assert (other.status_code, other.url) == (302, "/admin/")
    other = client.get(f"{RESERVISTS}{rosters['lb_reservist'].pk}/change/")
    assert (other.status_code, other.url) == (302, "/admin/")


def test_staff_officer_cannot_change_another_communes_member(client, staff_officer, rosters):
    member = rosters["lb_member"]
    client.force_login(staff_officer)
    client.post(f"{MEMBERS}{member.pk}/change/", {"squad": "Đổi", "person": member.person.pk})
    member.refresh_from_db()
    assert member.squad == ""


def admin_member_data(person, unit, **overrides):
    data = {
        "person": person.pk,
        "unit": unit.pk,
        "force_type": ForceType.objects.get(code="tai_cho").pk,
        "is_core": "on",
        "platoon": "",
        "squad": "Tiểu đội 1",
        "position": "soldier",
        "joined_on": (timezone.localdate() - datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        "extension_years": "0",
        "extension_decision": "",
        "last_trained_year": "",
        "status": "active",
        "exit_date": "",
        "exit_reason": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_the_admin_applies_the_laws_age_rule(client, superuser, tree):
    young = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(timezone.localdate(), 17))
    client.force_login(superuser)
    response = client.post(f"{MEMBERS}add/", admin_member_data(young, tree["vinh_quang"]))
    assert response.status_code == 200
    assert "48/2019 art. 8.1" in response.content.decode()
    assert not MilitiaMember.objects.exists()


def test_staff_officer_enlists_in_own_commune_and_the_history_records_who(client, staff_officer, vq_person, tree):
    client.force_login(staff_officer)
    response = client.post(f"{MEMBERS}add/", admin_member_data(vq_person, tree["vinh_quang"]))
    assert response.status_code == 302
    member = MilitiaMember.objects.get()
    assert member.term_ends_on is not None
    assert member.history.get().history_user == staff_officer


def test_staff_officer_cannot_enlist_into_another_commune(client, staff_officer, vq_person, tree):
    client.force_login(staff_officer)
    response = client.post(f"{MEMBERS}add/", admin_member_data(vq_person, tree["ly_bon"]))
    assert response.status_code == 200
    assert not MilitiaMember.objects.exists()
