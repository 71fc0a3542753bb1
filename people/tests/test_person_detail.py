"""A person's page: who may see it, who may edit it, and the change history with who changed what."""

import pytest
from django.conf import settings

from people.models import Person
from tests.factories import person_form_data
from units.concurrency import edit_token


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(person):
    return f"/people/{person.pk}/"


def edit_link(person):
    return f'href="/people/{person.pk}/edit/"'


def test_officer_sees_the_person(client, officer, vq_person):
    client.force_login(officer)
    response = client.get(url(vq_person))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1" in body and "Nguyễn Văn Đức" in body
    assert vq_person.national_id in body
    assert "17/05/1998" in body
    assert "Nà Đoỏng, Vĩnh Quang" in body
    assert edit_link(vq_person) in body


def test_viewer_sees_the_person_without_edit_button(client, viewer, vq_person):
    client.force_login(viewer)
    response = client.get(url(vq_person))
    assert response.status_code == 200
    assert "Nguyễn Văn Đức" in response.content.decode()
    assert edit_link(vq_person) not in response.content.decode()


def test_commander_reads_without_edit_button(client, commander, vq_person):
    client.force_login(commander)
    response = client.get(url(vq_person))
    assert response.status_code == 200
    assert edit_link(vq_person) not in response.content.decode()


def test_district_officer_gets_the_edit_button(client, district_officer, vq_person):
    client.force_login(district_officer)
    assert edit_link(vq_person) in client.get(url(vq_person)).content.decode()


def test_it_rejects_outsider(client, outsider, vq_person):
    client.force_login(outsider)
    response = client.get(url(vq_person))
    assert response.status_code == 404
    assert "Nguyễn Văn Đức" not in response.content.decode()


def test_it_answers_404_for_a_missing_person(client, officer, tree):
    client.force_login(officer)
    assert client.get("/people/999999/").status_code == 404


def test_it_redirects_anonymous_to_login(client, vq_person):
    response = client.get(url(vq_person))
    assert response.status_code == 302
    assert response.url == f"/login/?next=/people/{vq_person.pk}/"


def test_it_shows_who_changed_what(client, officer, viewer, tree):
    officer.first_name, officer.last_name = "Hoàng Văn", "Tuấn"
    officer.save()
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet"], full_name="Lục Văn Kiên", occupation="Làm nương")
    response = client.post("/people/new/", data)
    person = Person.objects.get(full_name="Lục Văn Kiên")
    assert response.status_code == 302

    edit = {**data, "occupation": "Lái xe", "phone": "0912 345 678", "loaded_version": edit_token(person)}
    response = client.post(f"/people/{person.pk}/edit/", edit)
    assert response.status_code == 302

    # The officer who made the change and a read-only viewer both see it.
    change = "<strong>Occupation</strong>: <del>Làm nương</del> → <ins>Lái xe</ins>"
    assert change in client.get(url(person)).content.decode()
    client.force_login(viewer)
    response = client.get(url(person))
    assert response.status_code == 200
    body = response.content.decode()
    assert change in body
    assert "<strong>Phone</strong>: <del>—</del> → <ins>0912345678</ins>" in body
    assert body.count("Hoàng Văn Tuấn") == 2  # the creation and the change
    assert "created the record" in body
    # Only the fields that changed are listed, newest change first.
    history = response.context["history"]
    assert [entry["record"].history_type for entry in history] == ["~", "+"]
    assert {str(change["field"]) for change in history[0]["changes"]} == {"occupation", "phone"}


def test_it_says_system_for_changes_without_a_user(client, officer, vq_person):
    client.force_login(officer)
    body = client.get(url(vq_person)).content.decode()
    assert "system" in body
    assert "created the record" in body
