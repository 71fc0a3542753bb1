"""Identity numbers, phones and counts in the digits 0–9: fullwidth digits are the same number (so the
uniqueness of a national ID holds), other scripts' digits are refused with a message, in every entry
point (form, import, admin, service)."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import override

from people import services
from people.models import Person
from people.rules import normalize_national_id, normalize_phone, validate_national_id
from tests.factories import CampaignFactory, PersonFactory, QuotaFactory, person_form_data

CREATE_URL = "/people/new/"
DIGITS_MESSAGE = "Write the digits as 0–9 (other scripts' digits are not accepted)."
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
DEVANAGARI = str.maketrans("0123456789", "०१२३४५६७८९")


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with override("en"):
        yield


def half_fullwidth(number):
    return number[:6] + number[6:].translate(FULLWIDTH)  # "004086４３１８２６"


def errors_of(response):
    assert response.status_code == 200
    return {field: [str(m) for m in messages] for field, messages in response.context["form"].errors.items()}


# --- The rule -------------------------------------------------------------------------------------------------


def test_a_fullwidth_national_id_is_the_same_number():
    assert normalize_national_id("004086４３１８２６") == "004086431826"
    assert normalize_national_id(" ００４０８６４３１８２６ ") == "004086431826"


@pytest.mark.parametrize("table", [ARABIC_INDIC, DEVANAGARI])
def test_other_scripts_digits_are_refused(table):
    with pytest.raises(ValidationError) as caught:
        normalize_national_id("004086431826".translate(table))
    assert caught.value.messages == [DIGITS_MESSAGE]


@pytest.mark.parametrize("table", [FULLWIDTH, ARABIC_INDIC, DEVANAGARI])
def test_the_check_itself_takes_only_ascii_digits(table):
    """Before normalising, a number in any other digits is not 12 digits (re's \\d took them all)."""
    with pytest.raises(ValidationError, match="exactly 12 digits"):
        validate_national_id("004086431826".translate(table))


def test_a_phone_in_fullwidth_digits_is_stored_in_ascii():
    assert normalize_phone("０９１２ ３４５ ６７８") == "0912345678"
    with pytest.raises(ValidationError):
        normalize_phone("0912345678".translate(ARABIC_INDIC))


# --- The person form ------------------------------------------------------------------------------------------


def test_a_fullwidth_copy_of_a_known_national_id_is_caught_as_the_duplicate(client, officer, vq_person, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet2"], national_id=half_fullwidth(vq_person.national_id))
    errors = errors_of(client.post(CREATE_URL, data))
    assert errors["national_id"] == [
        f'This national ID already belongs to <a href="/people/{vq_person.pk}/">Nguyễn Văn Đức</a>'
    ]
    assert Person.objects.count() == 1


def test_a_fullwidth_national_id_is_stored_in_ascii(client, officer, tree):
    client.force_login(officer)
    data = person_form_data(tree["vq_hamlet"], national_id="００４０９８１２３４５６", phone="０９１２３４５６７８")
    response = client.post(CREATE_URL, data)
    assert response.status_code == 302, errors_of(response)
    person = Person.objects.get()
    assert (person.national_id, person.phone) == ("004098123456", "0912345678")


@pytest.mark.parametrize(
    "field,value",
    [
        ("national_id", "004098123456".translate(ARABIC_INDIC)),
        ("national_id", "004098123456".translate(DEVANAGARI)),
        ("phone", "0912345678".translate(ARABIC_INDIC)),
        ("general_education", "٩"),
        ("birth_date", "17/05/1998".translate(ARABIC_INDIC)),
    ],
)
def test_other_scripts_digits_are_refused_in_the_form(client, officer, tree, field, value):
    client.force_login(officer)
    response = client.post(CREATE_URL, person_form_data(tree["vq_hamlet"], **{field: value}))
    assert DIGITS_MESSAGE in errors_of(response)[field]
    assert not Person.objects.exists()


def test_the_service_and_the_admin_refuse_them_too(client, officer, superuser, tree):
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            user=officer,
            full_name="Hoàng Văn Thắng",
            national_id="004098123456".translate(ARABIC_INDIC),
            birth_date=datetime.date(1998, 5, 17),
            sex="M",
            home_unit=tree["vq_hamlet"],
        )
    assert caught.value.message_dict["national_id"] == [DIGITS_MESSAGE]
    known = PersonFactory(home_unit=tree["vq_hamlet"])
    client.force_login(superuser)
    data = {
        **person_form_data(tree["vq_hamlet"], national_id=half_fullwidth(known.national_id)),
        "birth_date": "17/05/1998",
        "_save": "Save",
    }
    response = client.post("/admin/people/person/add/", data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()  # the uniqueness check sees the same number
    data["national_id"] = "004098123456".translate(ARABIC_INDIC)
    response = client.post("/admin/people/person/add/", data)
    assert escape(DIGITS_MESSAGE) in response.content.decode()
    assert Person.objects.count() == 1


# --- Imports and counts -----------------------------------------------------------------------------------------


def test_an_import_finds_the_person_by_a_fullwidth_national_id(client, officer, vq_person, tree, settings, tmp_path):
    from militia.models import MilitiaMember
    from militia.tests import test_import as helpers

    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    client.force_login(officer)
    row = helpers.member_row(
        1,
        **{
            "Họ và tên": vq_person.full_name,
            "Số CCCD": half_fullwidth(vq_person.national_id),
            "Ngày sinh": vq_person.birth_date.strftime("%d/%m/%Y"),
        },
    )
    location = helpers.preview_of(client, helpers.upload(client, helpers.xlsx([row])))[0]
    assert client.post(location, {"confirm": "1"}).status_code == 302
    assert Person.objects.count() == 1  # the known person, not a second one with the same number
    assert MilitiaMember.objects.get().person == vq_person


def test_an_import_refuses_arabic_indic_digits(client, officer, tree, settings, tmp_path):
    from militia.tests import test_import as helpers

    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    client.force_login(officer)
    row = helpers.member_row(1)
    row["Số CCCD"] = row["Số CCCD"].translate(ARABIC_INDIC)
    row["Năm huấn luyện gần nhất"] = "٢٠٢٥"
    location, page = helpers.preview_of(client, helpers.upload(client, helpers.xlsx([row])))
    (plan,) = helpers.stored_plan(location).values()
    assert plan["action"] == "reject"
    assert not Person.objects.exists()


def test_a_quota_in_other_scripts_digits_is_refused(client, district_officer, tree):
    from recruitment.models import Quota

    campaign = CampaignFactory(
        district=tree["district"], year=2027, handover_date=datetime.date(2028, 2, 25), status="planning"
    )
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=2)
    client.force_login(district_officer)
    url = f"/recruitment/campaigns/{campaign.pk}/quotas/"
    client.post(url, {f"count_{tree['vinh_quang'].pk}": "٥", f"count_{tree['ly_bon'].pk}": "3"})
    assert Quota.objects.get(campaign=campaign, commune=tree["vinh_quang"]).count == 2
    client.post(url, {f"count_{tree['vinh_quang'].pk}": "５", f"count_{tree['ly_bon'].pk}": "3"})
    assert Quota.objects.get(campaign=campaign, commune=tree["vinh_quang"]).count == 5
