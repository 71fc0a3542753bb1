"""Registering and editing a person: who may, in which units, and the checks of the form."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from people import services
from people.models import Person
from tests.factories import PersonFactory, ethnicity, person_form_data
from units.concurrency import edit_token

CREATE_URL = "/people/new/"


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def edit_url(person):
    return f"/people/{person.pk}/edit/"


def form_errors(response):
    """Field → messages of the form the user sees again after a refused POST."""
    assert response.status_code == 200
    return {field: [str(m) for m in messages] for field, messages in response.context["form"].errors.items()}


# --- Create -----------------------------------------------------------------------------------------


def test_officer_registers_a_person(client, officer, tree):
    client.force_login(officer)
    assert client.get(CREATE_URL).status_code == 200
    data = person_form_data(
        tree["vq_hamlet"],
        full_name="  Hoàng   Văn Thắng ",
        national_id="004098001234",
        phone="+84 912 345 678",
        is_party_member="on",
        party_joined_on="03/02/2020",
    )
    response = client.post(CREATE_URL, data)

    person = Person.objects.get(national_id="004098001234")
    assert response.status_code == 302
    assert response.url == f"/people/{person.pk}/"
    assert person.full_name == "Hoàng Văn Thắng"
    assert person.search_key == "hoang van thang"
    assert person.birth_date == datetime.date(1998, 5, 17)
    assert person.party_joined_on == datetime.date(2020, 2, 3)
    assert person.phone == "0912345678"
    assert person.home_unit == tree["vq_hamlet"]
    assert person.ethnicity == ethnicity("Tày")
    record = person.history.get()
    assert record.history_type == "+"
    assert record.history_user == officer
    assert "Hoàng Văn Thắng has been registered." in client.get(response.url).content.decode()


def test_it_accepts_dates_in_vietnamese_pages_too(client, officer, tree):
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)  # the default language: Vietnamese
    client.force_login(officer)
    response = client.post(CREATE_URL, person_form_data(tree["vq_hamlet"], birth_date="01/12/2001", sex="F"))
    assert response.status_code == 302
    assert Person.objects.get().birth_date == datetime.date(2001, 12, 1)


def test_it_reads_day_before_month(client, officer, tree):
    client.force_login(officer)
    response = client.post(CREATE_URL, person_form_data(tree["vq_hamlet"], birth_date="05/17/1998"))
    assert "birth_date" in form_errors(response)
    assert not Person.objects.exists()


def test_it_rejects_viewer(client, viewer, tree):
    client.force_login(viewer)
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, person_form_data(tree["vq_hamlet"])).status_code == 403
    assert not Person.objects.exists()


def test_commander_may_not_register(client, commander, tree):
    client.force_login(commander)
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, person_form_data(tree["vq_hamlet"])).status_code == 403
    assert not Person.objects.exists()


def test_officer_cannot_register_in_another_commune(client, officer, tree):
    client.force_login(officer)
    body = client.get(CREATE_URL).content.decode()
    assert "Nà Đoỏng – Vĩnh Quang" in body
    assert "Nà Ké" not in body

    response = client.post(CREATE_URL, person_form_data(tree["lb_hamlet"]))
    assert form_errors(response)["home_unit"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Person.objects.exists()


def test_the_service_refuses_another_commune_too(officer, tree):
    with pytest.raises(PermissionDenied):
        services.person_create(
            user=officer,
            full_name="Lý A Páo",
            birth_date=datetime.date(1998, 5, 17),
            sex="M",
            ethnicity=ethnicity("Mông"),
            home_unit=tree["lb_hamlet"],
        )
    assert not Person.objects.exists()


def test_duplicate_national_id_links_to_the_visible_person(client, officer, vq_person, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet2"], full_name="Hoàng Văn Thắng", national_id=vq_person.national_id)
    response = client.post(CREATE_URL, data)
    assert form_errors(response)["national_id"] == [
        f'This national ID already belongs to <a href="/people/{vq_person.pk}/">Nguyễn Văn Đức</a>'
    ]
    assert f'<a href="/people/{vq_person.pk}/">Nguyễn Văn Đức</a>' in response.content.decode()
    assert Person.objects.count() == 1


def test_duplicate_national_id_of_another_commune_names_nobody(client, officer, lb_person, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet"], full_name="Hoàng Văn Thắng", national_id=lb_person.national_id)
    response = client.post(CREATE_URL, data)
    assert form_errors(response)["national_id"] == [
        "This national ID already belongs to a person registered in another unit."
    ]
    body = response.content.decode()
    assert "Vàng Seo Páo" not in body
    assert f"/people/{lb_person.pk}/" not in body
    assert Person.objects.count() == 1


def test_same_name_and_birth_date_asks_for_confirmation(client, officer, vq_person, tree):
    client.force_login(officer)
    # Typed without diacritics: the folded name is the same.
    data = person_form_data(tree["vq_hamlet2"], full_name="Nguyen Van Duc", birth_date="17/05/1998")
    response = client.post(CREATE_URL, data)

    errors = form_errors(response)
    assert list(errors) == ["confirm_duplicate"]
    assert f'<a href="/people/{vq_person.pk}/">Nguyễn Văn Đức (Nà Đoỏng)</a>' in errors["confirm_duplicate"][0]
    body = response.content.decode()
    assert 'type="checkbox" name="confirm_duplicate"' in body
    assert "A person with the same name and birth date is already registered:" in body
    assert Person.objects.count() == 1

    response = client.post(CREATE_URL, {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(search_key="nguyen van duc", birth_date=datetime.date(1998, 5, 17)).count() == 2


def test_same_name_in_another_commune_is_counted_not_named(client, officer, lb_person, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet"], full_name="Vàng Seo Páo", birth_date="17/05/1998")
    response = client.post(CREATE_URL, data)
    message = form_errors(response)["confirm_duplicate"][0]
    assert "(+1 in other units)" in message
    assert "Nà Ké" not in response.content.decode()
    assert f"/people/{lb_person.pk}/" not in response.content.decode()
    assert Person.objects.count() == 1


def test_a_different_birth_date_is_no_duplicate(client, officer, vq_person, tree):
    client.force_login(officer)
    response = client.post(
        CREATE_URL, person_form_data(tree["vq_hamlet"], full_name="Nguyễn Văn Đức", birth_date="18/05/1998")
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_it_rejects_a_national_id_that_disagrees_with_the_sex(client, officer, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet"], national_id="004198001234", sex="M", birth_date="17/05/1998")
    response = client.post(CREATE_URL, data)
    assert form_errors(response)["national_id"] == ["Digit 4 (1) says female but the person is entered as male."]
    assert "Digit 4 (1) says female" in response.content.decode()
    assert not Person.objects.exists()


def test_it_rejects_a_national_id_of_another_birth_year(client, officer, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet"], national_id="004097001234", birth_date="17/05/1998")
    response = client.post(CREATE_URL, data)
    assert form_errors(response)["national_id"] == [
        "Digits 5–6 (97) must be the last two digits of the birth year (1998)."
    ]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("birth_date", "31/12/1899"),
        ("phone", "12345"),
        ("national_id", "00409800123"),
        ("full_name", ""),
        ("general_education", "13"),
        ("party_joined_on", "01/01/2020"),  # without the Party member box
    ],
)
def test_it_refuses_bad_values_and_saves_nothing(client, officer, tree, field, value):
    client.force_login(officer)
    response = client.post(CREATE_URL, person_form_data(tree["vq_hamlet"], **{field: value}))
    assert field in form_errors(response)
    assert "Please correct the errors below. Nothing has been saved yet." in response.content.decode()
    assert not Person.objects.exists()


# --- Edit -------------------------------------------------------------------------------------------


def edit_data(person, **overrides):
    """The edit form as the page fills it for `person`, with `overrides` typed in."""
    current = {
        "full_name": person.full_name,
        "national_id": person.national_id,
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "sex": person.sex,
        "ethnicity": person.ethnicity_id,
        "general_education": person.general_education,
    }
    # The version the page puts in its hidden field (a form without it is refused as stale).
    current["loaded_version"] = edit_token(person)
    return {**person_form_data(person.home_unit, **current), **overrides}


def test_officer_edits_a_person(client, officer, vq_person, tree):
    client.force_login(officer)
    assert client.get(edit_url(vq_person)).status_code == 200
    response = client.post(
        edit_url(vq_person), edit_data(vq_person, occupation="Lái xe", home_unit=tree["vq_hamlet2"].pk)
    )
    assert response.status_code == 302
    assert response.url == f"/people/{vq_person.pk}/"
    vq_person.refresh_from_db()
    assert vq_person.occupation == "Lái xe"
    assert vq_person.home_unit == tree["vq_hamlet2"]
    record = vq_person.history.latest()
    assert record.history_type == "~"
    assert record.history_user == officer


def test_the_edit_form_shows_dates_as_dd_mm_yyyy(client, officer, vq_person):
    client.force_login(officer)
    assert 'value="17/05/1998"' in client.get(edit_url(vq_person)).content.decode()


def test_editing_keeps_its_own_national_id(client, officer, vq_person):
    client.force_login(officer)
    response = client.post(edit_url(vq_person), edit_data(vq_person, notes="Đã chuyển khẩu"))
    assert response.status_code == 302
    vq_person.refresh_from_db()
    assert vq_person.notes == "Đã chuyển khẩu"


def test_it_rejects_viewer_on_edit(client, viewer, vq_person):
    client.force_login(viewer)
    assert client.get(edit_url(vq_person)).status_code == 403
    assert client.post(edit_url(vq_person), edit_data(vq_person, occupation="Lái xe")).status_code == 403
    vq_person.refresh_from_db()
    assert vq_person.occupation == ""


def test_it_rejects_outsider_on_edit(client, outsider, vq_person):
    client.force_login(outsider)
    assert client.get(edit_url(vq_person)).status_code == 404
    assert client.post(edit_url(vq_person), edit_data(vq_person, occupation="Lái xe")).status_code == 404
    vq_person.refresh_from_db()
    assert vq_person.occupation == ""


def test_officer_cannot_move_a_person_to_another_commune(client, officer, vq_person, tree):
    client.force_login(officer)
    response = client.post(edit_url(vq_person), edit_data(vq_person, home_unit=tree["lb_hamlet"].pk))
    assert "home_unit" in form_errors(response)
    vq_person.refresh_from_db()
    assert vq_person.home_unit == tree["vq_hamlet"]


def test_edit_refuses_the_national_id_of_someone_else(client, officer, vq_person, tree):
    other = PersonFactory(full_name="Hoàng Văn Thắng", home_unit=tree["vq_hamlet2"])
    client.force_login(officer)
    response = client.post(edit_url(other), edit_data(other, national_id=vq_person.national_id))
    assert form_errors(response)["national_id"] == [
        f'This national ID already belongs to <a href="/people/{vq_person.pk}/">Nguyễn Văn Đức</a>'
    ]
    other.refresh_from_db()
    assert other.national_id != vq_person.national_id


def test_edit_does_not_ask_to_confirm_a_duplicate(client, officer, vq_person):
    client.force_login(officer)
    body = client.get(edit_url(vq_person)).content.decode()
    assert 'name="confirm_duplicate"' not in body
