"""The people admin: folded search, and the same scoping as the pages for staff who are not superusers."""

import pytest
from django.conf import settings

from people.models import Person
from tests.factories import PersonFactory, ethnicity, make_user_with_role
from units.roles import Role

CHANGELIST = "/admin/people/person/"


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def staff_officer(tree):
    """Commune officer of Vĩnh Quang who may also open the admin."""
    return make_user_with_role("canbovq", tree["vinh_quang"], Role.COMMUNE_OFFICER, is_staff=True)


def change_url(person):
    return f"/admin/people/person/{person.pk}/change/"


def listed(response):
    assert response.status_code == 200
    return sorted(str(person) for person in response.context["cl"].result_list)


@pytest.mark.parametrize("query", ["nguyen van duc", "Nguyễn Văn Đức", "VAN DUC"])
def test_superuser_finds_a_person_without_diacritics(client, superuser, vq_person, lb_person, tree, query):
    PersonFactory(full_name="Nguyễn Văn Dũng", home_unit=tree["vq_hamlet"])
    client.force_login(superuser)
    response = client.get(CHANGELIST, {"q": query})
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert f'href="/admin/people/person/{vq_person.pk}/change/' in response.content.decode()


def test_a_name_is_looked_for_in_the_folded_names_only(client, superuser, vq_person, lb_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(superuser)
    with CaptureQueriesContext(connection) as queries:
        assert listed(client.get(CHANGELIST, {"q": "seo pao"})) == ["Vàng Seo Páo"]
    searched = [q["sql"] for q in queries.captured_queries if "search_key" in q["sql"] and "LIKE" in q["sql"]]
    assert searched and not any("national_id" in sql.split("WHERE", 1)[1] for sql in searched)


def test_superuser_finds_by_national_id(client, superuser, vq_person, lb_person):
    client.force_login(superuser)
    assert listed(client.get(CHANGELIST, {"q": lb_person.national_id})) == ["Vàng Seo Páo"]


def test_superuser_sees_every_commune(client, superuser, vq_person, lb_person):
    client.force_login(superuser)
    assert listed(client.get(CHANGELIST)) == ["Nguyễn Văn Đức", "Vàng Seo Páo"]
    assert client.get(change_url(lb_person)).status_code == 200


def test_staff_officer_sees_only_own_commune(client, staff_officer, vq_person, lb_person):
    client.force_login(staff_officer)
    response = client.get(CHANGELIST)
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert "Vàng Seo Páo" not in response.content.decode()
    assert listed(client.get(CHANGELIST, {"q": "vang seo pao"})) == []
    assert listed(client.get(CHANGELIST, {"q": lb_person.national_id})) == []


def test_staff_officer_opens_own_commune_person(client, staff_officer, vq_person):
    client.force_login(staff_officer)
    response = client.get(change_url(vq_person))
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in response.content.decode()


def test_staff_officer_cannot_open_another_commune_person(client, staff_officer, lb_person):
    client.force_login(staff_officer)
    response = client.get(change_url(lb_person))
    # Outside the admin's queryset the object "does not exist": back to the admin index.
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert "Vàng Seo Páo" not in client.get(response.url).content.decode()


def test_staff_officer_cannot_change_another_commune_person(client, staff_officer, lb_person):
    client.force_login(staff_officer)
    response = client.post(change_url(lb_person), {"full_name": "Đổi Tên", "occupation": "Lái xe"})
    assert response.status_code == 302
    lb_person.refresh_from_db()
    assert lb_person.full_name == "Vàng Seo Páo"


def test_staff_officer_cannot_read_the_history_of_another_commune_person(client, staff_officer, lb_person):
    client.force_login(staff_officer)
    version = lb_person.history.get()
    for url in (
        f"/admin/people/person/{lb_person.pk}/history/",
        f"/admin/people/person/{lb_person.pk}/history/{version.history_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Vàng Seo Páo" not in response.content.decode()
        assert lb_person.national_id not in response.content.decode()


def test_staff_officer_reads_the_history_of_own_commune_person(client, staff_officer, vq_person):
    client.force_login(staff_officer)
    response = client.get(f"/admin/people/person/{vq_person.pk}/history/")
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in response.content.decode()


def test_staff_officer_cannot_add_a_person_in_another_commune(client, staff_officer, tree):
    client.force_login(staff_officer)
    data = {
        "full_name": "Lý A Páo",
        "national_id": "",
        "birth_date": "17/05/1998",
        "sex": "M",
        "ethnicity": ethnicity("Mông").pk,
        "religion": "none",
        "home_unit": tree["lb_hamlet"].pk,
        "qualification": "none",
    }
    response = client.post("/admin/people/person/add/", data)
    assert response.status_code == 200
    assert "home_unit" in response.context["adminform"].form.errors
    assert not Person.objects.exists()

    response = client.post("/admin/people/person/add/", {**data, "home_unit": tree["vq_hamlet"].pk})
    assert response.status_code == 302
    assert Person.objects.get().home_unit == tree["vq_hamlet"]


def test_a_commune_officer_without_staff_status_is_sent_to_login(client, officer, vq_person):
    client.force_login(officer)
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
