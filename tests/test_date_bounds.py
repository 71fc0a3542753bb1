"""Every date field has a sane range (from 1900; not after today when it records the past, not more than
ten years ahead when it is planned) and follows its sibling dates: through the model's clean(), so the
forms, the imports, the services and the admin all refuse 31/12/9999 and 01/01/0001."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from reports.models import Period
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    UnitFactory,
)
from units.dates import latest_date

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
FIRST = datetime.date(1900, 1, 1)


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def messages_of(obj, field):
    try:
        obj.full_clean()
    except ValidationError as exc:
        return exc.message_dict.get(field, [])
    return []


def out_of_range(obj, field):
    return any("must not be before 01/01/1900" in m or "must not be after" in m for m in messages_of(obj, field))


def _person(tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], is_party_member=True)
    person.birth_date = datetime.date(1899, 1, 1)  # so that 1900 passes the order rules; the ID is not checked
    person.national_id = None
    return person


def _member(tree):
    member = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    member.status, member.exit_reason = "discharged", "moved away"
    member.exit_date = timezone.localdate()
    return member


def _reservist(tree):
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"]))
    return ReservistFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), post=post)


def _candidate(tree):
    return CandidateFactory(
        campaign=CampaignFactory(district=tree["district"]), person=PersonFactory(home_unit=tree["vq_hamlet"])
    )


def _campaign(tree):
    return CampaignFactory(district=tree["district"])


def _period(tree):
    from reports import services

    return services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))


def _unit(tree):
    return UnitFactory(parent=tree["district"])


# (what, make, field, planned)
FIELDS = [
    ("person", _person, "birth_date", False),
    ("person", _person, "party_joined_on", False),
    ("member", _member, "joined_on", False),
    ("member", _member, "exit_date", False),
    ("reservist", _reservist, "registered_on", False),
    ("reservist", _reservist, "placed_on", False),
    ("candidate", _candidate, "ground_ends_on", True),
    ("candidate", _candidate, "handover_date", True),
    ("campaign", _campaign, "handover_date", True),
    ("period", _period, "due_date", True),
    ("unit", _unit, "valid_from", True),
    ("unit", _unit, "valid_to", True),
]


@pytest.mark.parametrize("what,make,field,planned", FIELDS, ids=[f"{w}.{f}" for w, _m, f, _p in FIELDS])
def test_the_last_day_of_each_date(tree, what, make, field, planned):
    obj = make(tree)
    last = latest_date(on=timezone.localdate(), planned=planned)
    if what == "campaign":
        obj.year = last.year - 1  # the hand-over falls in the campaign's year or early the next one
    for day, refused in ((last - DAY, False), (last, False), (last + DAY, True)):
        if what == "unit" and field == "valid_from":
            obj.valid_to = None
        setattr(obj, field, day)
        assert out_of_range(obj, field) is refused, (field, day, messages_of(obj, field))


@pytest.mark.parametrize("what,make,field,planned", FIELDS, ids=[f"{w}.{f}" for w, _m, f, _p in FIELDS])
def test_the_first_day_of_each_date(tree, what, make, field, planned):
    obj = make(tree)
    for day, refused in ((FIRST - DAY, True), (FIRST, False), (FIRST + DAY, False)):
        setattr(obj, field, day)
        assert out_of_range(obj, field) is refused, (field, day, messages_of(obj, field))
    setattr(obj, field, datetime.date(1, 1, 1))
    assert out_of_range(obj, field)


def test_a_placement_follows_the_registration(tree):
    reservist = _reservist(tree)
    reservist.registered_on = datetime.date(2024, 3, 15)
    for day, refused in ((reservist.registered_on - DAY, True), (reservist.registered_on, False)):
        reservist.placed_on = day
        messages = messages_of(reservist, "placed_on")
        assert any("must not be before «registered on» (15/03/2024)" in m for m in messages) is refused, messages


@pytest.mark.parametrize("field", ["joined_on"])
def test_a_militia_membership_starts_after_birth(tree, field):
    member = _member(tree)
    member.person.birth_date = datetime.date(1998, 5, 17)
    for day, refused in ((datetime.date(1998, 5, 16), True), (datetime.date(1998, 5, 17), False)):
        member.joined_on = day
        messages = messages_of(member, field)
        assert any("not be before the birth date (17/05/1998)" in m for m in messages) is refused, messages


def test_a_registration_starts_after_birth(tree):
    reservist = _reservist(tree)
    reservist.person.birth_date = datetime.date(1995, 1, 1)
    reservist.registered_on = datetime.date(1994, 12, 31)
    assert any("birth date (01/01/1995)" in m for m in messages_of(reservist, "registered_on"))


def test_a_rule_evaluated_on_a_day_in_the_past():
    from units.dates import validate_date_range

    on = datetime.date(2020, 6, 30)
    validate_date_range(on, on=on)
    with pytest.raises(ValidationError, match=r"today \(30/06/2020\)"):
        validate_date_range(on + DAY, on=on)


# --- Through the pages --------------------------------------------------------------------------------


def test_the_reservist_form_refuses_dates_without_bounds(client, district_officer, tree, settings):
    from militia.models import Reservist

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    reservist = _reservist(tree)
    before = (reservist.registered_on, reservist.placed_on)
    client.force_login(district_officer)
    url = f"/militia/reservists/{reservist.pk}/edit/"
    from tests.test_stored_text import page_data

    data = {**page_data(client, url), "registered_on": "31/12/9999", "placed_on": "01/01/0001"}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any("must not be after today" in m for m in errors["registered_on"]), errors
    assert any("must not be before 01/01/1900" in m for m in errors["placed_on"]), errors
    reservist = Reservist.objects.get(pk=reservist.pk)
    assert (reservist.registered_on, reservist.placed_on) == before


def test_an_imported_roster_refuses_dates_without_bounds(client, officer, tree, settings, tmp_path):
    from militia.tests import test_import as helpers

    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    rows = [helpers.member_row(1, **{"Ngày vào": "31/12/9999"}), helpers.member_row(2, **{"Ngày vào": "01/01/1899"})]
    location, _page = helpers.preview_of(client, helpers.upload(client, helpers.xlsx(rows)))
    plan = helpers.stored_plan(location)
    assert [row["action"] for row in plan.values()] == ["reject", "reject"]
    reasons = " ".join(" ".join(row["reasons"]) for row in plan.values())
    assert "must not be after today" in reasons and "must not be before 01/01/1900" in reasons


def test_a_period_cannot_be_due_in_the_year_9999(client, district_officer, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(district_officer)
    response = client.post(
        "/reports/periods/new/", {"kind": "year", "year": "2024", "number": "", "due_date": "31/12/9999"}
    )
    assert response.status_code == 200
    assert not Period.objects.exists()
