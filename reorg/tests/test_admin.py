"""The reorganisations in the admin: a list filtered by kind and date, a detail page with what moved, and
nothing anyone may add, change or delete there."""

import datetime

import pytest
from django.conf import settings

from reorg import services
from tests.factories import UserFactory, make_user_with_role
from units.models import Restructuring
from units.roles import Role

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db

URL = "/admin/units/restructuring/"


@pytest.fixture
def merged(world):
    """Vĩnh Quang and Lý Bôn merged into Lý Bôn (the service's record), and a renaming of 2024."""
    record = services.unit_merge(
        sources=[world["vinh_quang"]], into=world["ly_bon"], on=REFORM_DAY, basis=BASIS, by=world["district_officer"]
    )
    rename = services.unit_rename(
        unit=world["ly_bon"],
        name="Lý Bôn mới",
        on=datetime.date(2025, 8, 1),
        basis=services.Basis(number="12/NQ-HĐND", date=datetime.date(2025, 7, 20)),
    )
    return {**world, "record": record, "rename": rename}


@pytest.fixture
def staff(merged):
    return make_user_with_role("trolyhuyenadmin", merged["district"], Role.DISTRICT_OFFICER, is_staff=True)


def test_the_list_filters_by_kind_and_date(client, staff, merged):
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    assert {r.pk for r in response.context["cl"].result_list} == {merged["record"].pk, merged["rename"].pk}
    response = client.get(URL, {"kind__exact": "merge"})
    assert [r.pk for r in response.context["cl"].result_list] == [merged["record"].pk]
    response = client.get(URL, {"effective_on__gte": "2025-07-15", "effective_on__lt": "2025-09-01"})
    assert [r.pk for r in response.context["cl"].result_list] == [merged["rename"].pk]


def test_the_detail_shows_the_basis_and_what_moved_in_vietnamese(client, staff, merged):
    client.force_login(staff)
    response = client.get(f"{URL}{merged['record'].pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "1667/NQ-UBTVQH15" in page
    assert "Dân quân đang thực hiện nghĩa vụ: 1" in page  # the serving militia member of Vĩnh Quang moved
    assert "Vĩnh Quang (đến 30/06/2025)" in page
    assert 'name="basis"' not in page  # nothing to edit


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_nobody_adds_changes_or_deletes_a_reorganisation(client, staff, merged, who):
    user = staff if who == "staff" else UserFactory(username="quantri", is_staff=True, is_superuser=True)
    client.force_login(user)
    record = merged["record"]
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}{record.pk}/change/", {"basis": "Khác"}).status_code == 403
    assert client.post(f"{URL}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    client.post(URL, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})
    record.refresh_from_db()
    assert record.basis == "1667/NQ-UBTVQH15"
    assert Restructuring.objects.count() == 2


def test_a_commune_officer_reads_only_the_reorganisations_of_their_commune(client, merged):
    officer = make_user_with_role("nguoixem", merged["vq_hamlet"], Role.VIEWER, is_staff=True)
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["cl"].result_list.count() == 0
    assert client.get(f"{URL}{merged['record'].pk}/change/").status_code == 302
