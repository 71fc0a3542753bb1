"""The militia and reserve rules evaluated on a date: each at its boundary (the day before, the day of, the
day after) and on a date in the past, with refusals that name their article in Vietnamese."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from militia import rules, services
from militia.models import (
    DutyKind,
    ForceType,
    MilitiaDutyGround,
    MilitiaDutyRecord,
    MilitiaMember,
    PostExtensionLimit,
    Reservist,
)
from people.rules import years_before
from tests.factories import MilitiaMemberFactory, PersonFactory, ReservePostFactory, ReserveUnitFactory

DAY = datetime.timedelta(days=1)
PAST = datetime.date(2019, 7, 1)  # a date in the past on which the rules are evaluated too


def refused(func, **kwargs):
    """The refusal's messages as a Vietnamese user reads them (lazy messages are rendered in Vietnamese)."""
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            func(**kwargs)
        return " ".join(str(m) for m in caught.value.messages)


class _Member:
    """The facts `rules.is_over_age` reads, without the database."""

    def __init__(self, birth_date, sex, volunteer=False):
        self.person = type("P", (), {"birth_date": birth_date, "sex": sex})()
        self.is_volunteer = volunteer


# --- Law 48/2019 art. 8.1 every day ---------------------------------------------------------------


@pytest.mark.parametrize("on", [datetime.date(2026, 5, 10), PAST])
@pytest.mark.parametrize(
    ("sex", "volunteer", "limit"), [("M", False, 45), ("F", False, 40), ("M", True, 50), ("F", True, 45)]
)
def test_over_age_from_the_birthday_after_the_limit(on, sex, volunteer, limit):
    member = _Member(years_before(on, limit + 1), sex, volunteer)  # the birthday after the limit is `on`
    assert rules.militia_age_limit(sex, volunteer=volunteer) == limit
    assert not rules.is_over_age(member, on - DAY)  # the last day of duty
    assert rules.is_over_age(member, on)
    assert rules.is_over_age(member, on + DAY)
    assert rules.militia_last_day(member.person.birth_date, sex, volunteer=volunteer) == on - DAY


def test_a_29_february_birthday_reaches_the_limit_on_1_march():
    member = _Member(datetime.date(1980, 2, 29), "M")
    assert rules.militia_last_day(datetime.date(1980, 2, 29), "M", volunteer=False) == datetime.date(2026, 2, 28)
    assert not rules.is_over_age(member, datetime.date(2026, 2, 28))
    assert rules.is_over_age(member, datetime.date(2026, 3, 1))


@pytest.mark.parametrize(
    ("joined_on", "term_years", "last_day", "ends_on"),
    [
        # A term that would outlast the age limit ends on the last day of duty.
        (datetime.date(2024, 6, 15), 4, datetime.date(2026, 12, 31), datetime.date(2026, 12, 31)),
        # The term ends first: the limit does not move it.
        (datetime.date(2024, 6, 15), 2, datetime.date(2026, 12, 31), datetime.date(2026, 6, 14)),
        (datetime.date(2024, 6, 15), 2, datetime.date(2026, 6, 14), datetime.date(2026, 6, 14)),
        (datetime.date(2024, 6, 15), 2, datetime.date(2026, 6, 13), datetime.date(2026, 6, 13)),
        (datetime.date(2016, 6, 15), 4, datetime.date(2019, 1, 1), datetime.date(2019, 1, 1)),
    ],
)
def test_the_term_is_capped_at_the_age_limit(joined_on, term_years, last_day, ends_on):
    assert rules.militia_term_ends_on(joined_on, term_years, 0, last_day=last_day) == ends_on


def test_a_members_term_ends_at_the_age_limit_on_save(tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1981, 3, 10))
    member = MilitiaMemberFactory(person=person, joined_on=datetime.date(2024, 6, 15))
    # 46 on 10/03/2027: the four-year term (to 14/06/2028) ends on 09/03/2027.
    assert member.term_ends_on == datetime.date(2027, 3, 9)
    assert not member.is_over_age(datetime.date(2027, 3, 9))
    assert member.is_over_age(datetime.date(2027, 3, 10))


# --- Law 48/2019 art. 8.2: extensions per force type and post (data) ---------------------------------


def extend(user, member, years):
    return services.member_update(user=user, member=member, extension_years=years, extension_decision="15/QĐ-UBND")


@pytest.mark.parametrize(
    ("force_code", "position", "years", "accepted"),
    [
        ("tai_cho", "soldier", 2, True),
        ("tai_cho", "soldier", 3, False),
        ("thuong_truc", "soldier", 3, False),
        ("bien", "soldier", 3, True),  # maritime militia: to the age limit
        ("tu_ve", "soldier", 5, True),  # self-defence: to the age limit
        ("tai_cho", "squad_leader", 3, True),  # commanders: to the age limit
        ("tai_cho", "company_commander", 6, True),
    ],
)
def test_extension_allowance_by_force_type_and_post(officer, tree, force_code, position, years, accepted):
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1990, 1, 1))
    member = MilitiaMemberFactory(person=person, force_code=force_code, position=position, joined_on=PAST)
    if accepted:
        extend(officer, member, years)
        member.refresh_from_db()
        assert member.extension_years == years
        # Capped at the last day of the age of duty (31/12/2035) if the extension reaches beyond it.
        assert member.term_ends_on <= datetime.date(2035, 12, 31)
    else:
        message = refused(extend, user=officer, member=member, years=years)
        assert "Khoản 2 Điều 8 Luật Dân quân tự vệ năm 2019" in message
        member.refresh_from_db()
        assert member.extension_years == 0


def test_the_allowance_is_data_an_admin_can_change(officer, tree):
    ForceType.objects.filter(code="tai_cho").update(max_extension_years=1)
    PostExtensionLimit.objects.filter(position="squad_leader").update(max_extension_years=2)
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=PAST)
    assert "Khoản 2 Điều 8" in refused(extend, user=officer, member=member, years=2)
    leader = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], position="squad_leader", joined_on=PAST)
    extend(officer, leader, 2)
    assert "Khoản 2 Điều 8" in refused(extend, user=officer, member=leader, years=3)


def test_a_long_extension_of_maritime_militia_ends_at_the_age_limit(officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1980, 4, 2))
    member = MilitiaMemberFactory(person=person, force_code="bien", joined_on=datetime.date(2022, 4, 1))
    extend(officer, member, 10)
    member.refresh_from_db()
    assert member.term_ends_on == datetime.date(2026, 4, 1)  # the eve of the 46th birthday


# --- Law 48/2019 art. 9 and 11: registration, deferment and exemption ----------------------------


def ground(code):
    return MilitiaDutyGround.objects.get(code=code)


def enlist(user, person, unit, joined_on, **fields):
    return services.member_enlist(
        user=user,
        person=person,
        unit=unit,
        force_type=ForceType.objects.get(code="tai_cho"),
        joined_on=joined_on,
        **fields,
    )


def test_the_grounds_of_article_11_are_loaded_with_their_citation(db):
    assert MilitiaDutyGround.objects.filter(kind="deferment").count() == 8
    assert MilitiaDutyGround.objects.filter(kind="exemption").count() == 5
    assert ground("11.2c").law_ref == "Luật DQTV 2019 Điều 11 khoản 2 điểm c"


@pytest.mark.parametrize(
    ("joined_on", "accepted"),
    [
        (datetime.date(2024, 12, 31), True),  # the day before the deferment
        (datetime.date(2025, 1, 1), False),  # its first day
        (datetime.date(2025, 6, 30), False),  # its last day
        (datetime.date(2025, 7, 1), True),  # the day after
    ],
)
def test_a_deferred_person_cannot_be_enrolled_during_the_deferment(officer, tree, joined_on, accepted):
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="F", birth_date=datetime.date(1998, 1, 1))
    services.duty_record_create(
        user=officer,
        person=person,
        unit=tree["vinh_quang"],
        kind=DutyKind.DEFERMENT,
        recorded_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 6, 30),
        ground=ground("11.1a"),
    )
    if accepted:
        enlist(officer, person, tree["vinh_quang"], joined_on)
        assert MilitiaMember.objects.filter(person=person).count() == 1
    else:
        message = refused(enlist, user=officer, person=person, unit=tree["vinh_quang"], joined_on=joined_on)
        assert "Khoản 1 Điều 11 Luật Dân quân tự vệ năm 2019" in message
        assert "11.1a" in message and "30/06/2025" in message
        assert not MilitiaMember.objects.filter(person=person).exists()


def test_an_exempt_person_cannot_be_enrolled_from_the_exemption_on(officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1998, 1, 1))
    services.duty_record_create(
        user=officer,
        person=person,
        unit=tree["vinh_quang"],
        kind=DutyKind.EXEMPTION,
        recorded_on=datetime.date(2025, 3, 1),
        ground=ground("11.2a"),
    )
    message = refused(enlist, user=officer, person=person, unit=tree["vinh_quang"], joined_on=datetime.date(2025, 3, 1))
    assert "Khoản 2 Điều 11 Luật Dân quân tự vệ năm 2019" in message and "11.2a" in message
    enlist(officer, person, tree["vinh_quang"], datetime.date(2025, 2, 28))


def test_a_deferment_needs_a_ground_of_its_kind_and_an_exemption_has_no_end(officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    base = {"user": officer, "person": person, "unit": tree["vinh_quang"], "recorded_on": datetime.date(2025, 1, 1)}
    assert "Điều 11" in refused(services.duty_record_create, kind=DutyKind.DEFERMENT, **base)
    assert "Điều 11" in refused(services.duty_record_create, kind=DutyKind.DEFERMENT, ground=ground("11.2a"), **base)
    message = refused(
        services.duty_record_create,
        kind=DutyKind.EXEMPTION,
        ground=ground("11.2a"),
        ends_on=datetime.date(2026, 1, 1),
        **base,
    )
    assert "Khoản 2 Điều 11" in message
    assert not MilitiaDutyRecord.objects.exists()


@pytest.mark.parametrize(
    ("years", "offset", "accepted"),
    [
        (18, -DAY, False),  # the day before the 18th birthday
        (18, datetime.timedelta(0), True),
        (18, DAY, True),
        (46, -DAY, True),  # the last day of 45
        (46, datetime.timedelta(0), False),
    ],
)
def test_the_april_registration_is_for_citizens_of_militia_age(officer, tree, years, offset, accepted):
    day = datetime.date(2025, 4, 10)
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=years_before(day - offset, years))
    call = {
        "user": officer,
        "person": person,
        "unit": tree["vinh_quang"],
        "kind": DutyKind.REGISTRATION,
        "recorded_on": day,
    }
    if accepted:
        services.duty_record_create(**call)
        assert MilitiaDutyRecord.objects.filter(person=person, kind="registration").exists()
    else:
        assert "Điều 9 Luật Dân quân tự vệ năm 2019" in refused(services.duty_record_create, **call)


def test_the_duty_form_records_a_deferment_and_the_roster_refuses_enrolment(client, officer, tree):
    person = PersonFactory(
        full_name="Lò Thị Hoãn", home_unit=tree["vq_hamlet"], sex="F", birth_date=datetime.date(2000, 2, 2)
    )
    client.force_login(officer)
    response = client.post(
        "/militia/duty/new/",
        {
            "person_national_id": person.national_id,
            "unit": tree["vinh_quang"].pk,
            "kind": "deferment",
            "recorded_on": "01/01/2025",
            "ends_on": "",
            "ground": ground("11.1b").pk,
            "decision": "05/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    body = client.get("/militia/duty/").content.decode()
    assert "Lò Thị Hoãn" in body and "11.1b" in body
    message = refused(enlist, user=officer, person=person, unit=tree["vinh_quang"], joined_on=datetime.date(2025, 5, 1))
    assert "11.1b" in message and "không có thời hạn" in message


def test_the_duty_pages_need_the_right_role(client, viewer, outsider, tree):
    client.force_login(viewer)
    assert client.get("/militia/duty/").status_code == 200
    assert client.get("/militia/duty/new/").status_code == 403
    client.logout()
    assert client.get("/militia/duty/").status_code == 302


# --- Reserve: rank and category, age by rank, placement -------------------------------------------


def register(user, person, unit, **fields):
    defaults = {"category": "hsq_bs", "tier": "1", "rank": "binh_nhat", "specialty_code": "BB-01"}
    defaults.update(fields)
    return services.reservist_register(
        user=user, person=person, unit=unit, registered_on=datetime.date(2024, 1, 1), **defaults
    )


@pytest.mark.parametrize(
    ("category", "rank", "accepted"),
    [
        ("hsq_bs", "thuong_si", True),
        ("hsq_bs", "dai_ta", False),
        ("hsq_bs", "thieu_uy", False),
        ("qncn", "thuong_ta", True),
        ("qncn", "dai_ta", False),
        ("qncn", "trung_si", False),
        ("officer", "dai_ta", True),
        ("officer", "thuong_si", False),
    ],
)
def test_a_rank_must_fit_the_category(district_officer, tree, category, rank, accepted):
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1995, 1, 1))
    fields = {"category": category, "rank": rank, "tier": "1" if category == "hsq_bs" else ""}
    if accepted:
        register(district_officer, person, tree["vinh_quang"], **fields)
    else:
        message = refused(register, user=district_officer, person=person, unit=tree["vinh_quang"], **fields)
        assert "Điều" in message and ("Luật" in message)
        assert not Reservist.objects.filter(person=person).exists()


@pytest.mark.parametrize("on", [datetime.date(2026, 5, 10), PAST])
@pytest.mark.parametrize(("rank", "limit"), [("dai_uy", 51), ("thieu_ta", 53), ("dai_ta", 60)])
def test_reserve_officers_serve_to_the_age_of_their_rank(db, on, rank, limit):
    born = years_before(on, limit + 1)
    call = {"birth_date": born, "sex": "M", "category": "officer", "rank": rank}
    assert not rules.reservist_is_over_age(on=on - DAY, **call)
    assert rules.reservist_is_over_age(on=on, **call)
    assert rules.reservist_is_over_age(on=on + DAY, **call)
    assert "Điều 38" in refused(rules.validate_reservist_age, on=on, **call)


@pytest.mark.parametrize(("sex", "limit"), [("M", 56), ("F", 55)])
def test_qncn_senior_lieutenant_colonels_by_sex(db, sex, limit):
    on = datetime.date(2026, 5, 10)
    call = {"birth_date": years_before(on, limit + 1), "sex": sex, "category": "qncn", "rank": "thuong_ta"}
    assert not rules.reservist_is_over_age(on=on - DAY, **call)
    assert rules.reservist_is_over_age(on=on, **call)


@pytest.mark.parametrize("on", [datetime.date(2026, 5, 10), PAST])
@pytest.mark.parametrize(
    ("sex", "category", "is_combat", "limit"),
    [
        ("M", "hsq_bs", True, 35),
        ("M", "qncn", True, 40),
        ("M", "hsq_bs", False, 45),
        ("M", "qncn", False, 45),
        ("F", "hsq_bs", False, 40),
        ("F", "qncn", False, 40),
    ],
)
def test_placement_age_at_its_boundary(on, sex, category, is_combat, limit):
    call = {"sex": sex, "category": category, "is_combat": is_combat, "birth_date": years_before(on, limit + 1)}
    rules.validate_placement(on=on - DAY, **call)  # the last day of the limit
    for day in (on, on + DAY):
        assert "Điều 15 Luật Lực lượng dự bị động viên năm 2019" in refused(rules.validate_placement, on=day, **call)


@pytest.mark.parametrize("category", ["hsq_bs", "qncn"])
def test_women_are_placed_only_in_support_units(category):
    call = {"sex": "F", "category": category, "birth_date": datetime.date(2000, 1, 1), "on": PAST.replace(year=2024)}
    rules.validate_placement(is_combat=False, **call)
    message = refused(rules.validate_placement, is_combat=True, **call)
    assert "Điều 15 Luật Lực lượng dự bị động viên năm 2019" in message and "nữ" in message


def test_placing_a_woman_in_a_combat_unit_is_refused_by_the_service(district_officer, tree):
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"], is_combat=True))
    person = PersonFactory(home_unit=tree["vq_hamlet"], sex="F", birth_date=datetime.date(2000, 1, 1))
    message = refused(
        register,
        user=district_officer,
        person=person,
        unit=tree["vinh_quang"],
        post=post,
        placed_on=datetime.date(2024, 2, 1),
    )
    assert "Điều 15" in message
    assert not Reservist.objects.filter(person=person).exists()
