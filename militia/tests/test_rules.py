"""The law's rules on the rosters, each at its boundary, called directly and through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from militia import rules, services
from militia.models import ForceType, MemberStatus, MilitiaMember, Reservist, ReservistStatus
from people.rules import years_before
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
)

JOIN = datetime.date(2024, 6, 15)
DAY = datetime.timedelta(days=1)


def nth_birthday_on(years, day):
    """The birth date of someone whose `years`-th birthday is `day`."""
    return years_before(day, years)


def names_rule(messages, *, article, clause=None, law=None):
    """True when a message cites the article in English ("art. 8.1") or in Vietnamese ("Khoản 1 Điều 8")."""
    text = " ".join(messages)
    english = f"art. {article}.{clause}" if clause else f"art. {article}"
    vietnamese = f"Khoản {clause} Điều {article} " if clause else f"Điều {article} "
    law_named = law is None or law in text or "Luật Dân quân tự vệ năm 2019" in text
    return (english in text or vietnamese in text) and law_named


def refusal(func, **kwargs):
    with pytest.raises(ValidationError) as caught:
        func(**kwargs)
    return caught.value


# --- Militia age on joining: Law 48/2019 art. 8.1 ------------------------------------------------


@pytest.mark.parametrize(
    ("sex", "years", "volunteer", "accepted"),
    [
        # 18th birthday: the day before is too young, the day itself is old enough.
        ("M", 18, False, True),
        ("F", 18, False, True),
        # Men serve to the end of 45: refused on the 46th birthday unless a volunteer.
        ("M", 46, False, False),
        ("M", 46, True, True),
        # Volunteers to the end of 50: refused on the 51st birthday.
        ("M", 51, True, False),
        # Women serve to the end of 40, volunteers to the end of 45.
        ("F", 41, False, False),
        ("F", 41, True, True),
        ("F", 46, True, False),
    ],
)
def test_militia_age_on_the_birthday(sex, years, volunteer, accepted):
    birth_date = nth_birthday_on(years, JOIN)
    call = {"birth_date": birth_date, "sex": sex, "on": JOIN, "volunteer": volunteer}
    if accepted:
        rules.validate_militia_age(**call)
    else:
        error = refusal(rules.validate_militia_age, **call)
        assert error.code == "militia_too_old"
        assert names_rule(error.messages, article=8, clause=1, law="48/2019")


@pytest.mark.parametrize(
    ("sex", "years", "volunteer", "accepted"),
    [
        ("M", 18, False, False),  # the day before the 18th birthday: still 17
        ("F", 18, False, False),
        ("M", 46, False, True),  # the day before the 46th birthday: still 45
        ("M", 51, True, True),
        ("F", 41, False, True),
        ("F", 46, True, True),
    ],
)
def test_militia_age_the_day_before_the_birthday(sex, years, volunteer, accepted):
    call = {"birth_date": nth_birthday_on(years, JOIN), "sex": sex, "on": JOIN - DAY, "volunteer": volunteer}
    if accepted:
        rules.validate_militia_age(**call)
    else:
        error = refusal(rules.validate_militia_age, **call)
        assert error.code == "militia_too_young"
        assert names_rule(error.messages, article=8, clause=1, law="48/2019")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_age_messages_name_the_rule_in_both_languages(language):
    with translation.override(language):
        young = refusal(
            rules.validate_militia_age, birth_date=nth_birthday_on(18, JOIN), sex="M", on=JOIN - DAY, volunteer=False
        )
        old = refusal(rules.validate_militia_age, birth_date=nth_birthday_on(46, JOIN), sex="M", on=JOIN)
    for error in (young, old):
        assert names_rule(error.messages, article=8, clause=1)
    if language == "en":
        assert "48/2019" in young.messages[0] and "8.1" in young.messages[0]
        assert "volunteer" in old.messages[0]
    else:
        assert "Khoản 1 Điều 8 Luật Dân quân tự vệ năm 2019" in young.messages[0]
        assert "tình nguyện" in old.messages[0]


def test_militia_age_counts_a_29_february_birthday_from_1_march():
    birth_date = datetime.date(2008, 2, 29)
    refusal(rules.validate_militia_age, birth_date=birth_date, sex="M", on=datetime.date(2026, 2, 28))
    rules.validate_militia_age(birth_date=birth_date, sex="M", on=datetime.date(2026, 3, 1))


# --- Term: Law 48/2019 art. 8.2–8.3 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("joined_on", "term_years", "extension", "ends_on"),
    [
        (datetime.date(2024, 6, 15), 2, 0, datetime.date(2026, 6, 14)),
        (datetime.date(2024, 6, 15), 4, 0, datetime.date(2028, 6, 14)),
        (datetime.date(2024, 6, 15), 4, 2, datetime.date(2030, 6, 14)),
        (datetime.date(2024, 1, 1), 4, 0, datetime.date(2027, 12, 31)),
        (datetime.date(2024, 3, 1), 4, 0, datetime.date(2028, 2, 29)),
        # Joined on 29 February: the term ends on the last day of February.
        (datetime.date(2024, 2, 29), 2, 0, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 4, 0, datetime.date(2028, 2, 28)),
        (datetime.date(2024, 2, 29), 4, 1, datetime.date(2029, 2, 28)),
    ],
)
def test_term_ends_on(joined_on, term_years, extension, ends_on):
    assert rules.militia_term_ends_on(joined_on, term_years, extension) == ends_on


@pytest.mark.parametrize(("code", "years"), [("thuong_truc", 2), ("tai_cho", 4), ("co_dong", 4), ("y_te", 4)])
def test_force_types_carry_the_term_of_the_law(db, code, years):
    assert ForceType.objects.get(code=code).term_years == years


@pytest.mark.parametrize(("code", "ends_on"), [("thuong_truc", datetime.date(2026, 6, 14)), ("tai_cho", None)])
def test_enlisting_computes_the_term_from_the_force_type(officer, tree, code, ends_on):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    member = services.member_enlist(
        user=officer,
        person=person,
        unit=tree["vinh_quang"],
        force_type=ForceType.objects.get(code=code),
        joined_on=JOIN,
    )
    member.refresh_from_db()
    assert member.term_ends_on == (ends_on or datetime.date(2028, 6, 14))


def test_an_extension_of_two_years_with_its_decision_moves_the_end(officer, tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=JOIN)
    assert member.term_ends_on == datetime.date(2028, 6, 14)
    services.member_update(user=officer, member=member, extension_years=2, extension_decision="15/QĐ-UBND")
    member.refresh_from_db()
    assert member.term_ends_on == datetime.date(2030, 6, 14)


def test_an_extension_beyond_two_years_is_refused(officer, tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=JOIN)
    error = refusal(
        services.member_update, user=officer, member=member, extension_years=3, extension_decision="15/QĐ-UBND"
    )
    assert names_rule(error.message_dict["extension_years"], article=8, clause=2)
    member.refresh_from_db()
    assert (member.extension_years, member.term_ends_on) == (0, datetime.date(2028, 6, 14))


def test_an_extension_needs_its_decision_number(officer, tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=JOIN)
    error = refusal(services.member_update, user=officer, member=member, extension_years=1, extension_decision=" ")
    assert names_rule(error.message_dict["extension_years"], article=8, clause=2)
    rules.validate_militia_extension(0, "")
    rules.validate_militia_extension(2, "15/QĐ-UBND")


# --- Enlisting through the service --------------------------------------------------------------


def enlist(user, person, unit, **fields):
    return services.member_enlist(
        user=user, person=person, unit=unit, force_type=ForceType.objects.get(code="tai_cho"), **fields
    )


def test_enlisting_on_the_18th_birthday(officer, tree):
    today = timezone.localdate()
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(today, 18))
    assert enlist(officer, person, tree["vinh_quang"], joined_on=today).status == MemberStatus.ACTIVE


def test_enlisting_the_day_before_the_18th_birthday_is_refused(officer, tree):
    today = timezone.localdate()
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(today, 18) + DAY)
    error = refusal(enlist, user=officer, person=person, unit=tree["vinh_quang"], joined_on=today)
    assert names_rule(error.message_dict["joined_on"], article=8, clause=1)
    assert not MilitiaMember.objects.exists()


def test_enlisting_a_man_on_his_46th_birthday_needs_the_volunteer_box(officer, tree):
    today = timezone.localdate()
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(today, 46))
    error = refusal(enlist, user=officer, person=person, unit=tree["vinh_quang"], joined_on=today)
    assert names_rule(error.message_dict["joined_on"], article=8, clause=1)
    member = enlist(officer, person, tree["vinh_quang"], joined_on=today, is_volunteer=True)
    assert member.is_volunteer


def test_the_joining_date_cannot_be_in_the_future(officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    error = refusal(enlist, user=officer, person=person, unit=tree["vinh_quang"], joined_on=timezone.localdate() + DAY)
    assert "joined_on" in error.message_dict


def test_a_person_holds_one_active_membership(officer, district_officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    first = enlist(officer, person, tree["vinh_quang"], joined_on=JOIN)
    error = refusal(enlist, user=district_officer, person=person, unit=tree["ly_bon"], joined_on=JOIN)
    assert "Vĩnh Quang" in " ".join(error.message_dict["person"])
    assert MilitiaMember.objects.count() == 1
    services.member_end(
        user=officer, member=first, status=MemberStatus.MOVED, exit_date=JOIN + DAY * 30, exit_reason="Chuyển đi"
    )
    second = enlist(district_officer, person, tree["ly_bon"], joined_on=JOIN + DAY * 40)
    assert list(person.militia_memberships.order_by("pk")) == [first, second]


def test_the_database_refuses_a_second_active_membership(tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"])
    with pytest.raises(IntegrityError), transaction.atomic():
        MilitiaMemberFactory(person=member.person)


def test_an_outsider_cannot_enlist_into_another_commune(outsider, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    with pytest.raises(PermissionDenied):
        enlist(outsider, person, tree["vinh_quang"], joined_on=JOIN)
    assert not MilitiaMember.objects.exists()


def test_members_belong_to_a_commune(district_officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    error = refusal(enlist, user=district_officer, person=person, unit=tree["vq_hamlet"], joined_on=JOIN)
    assert "unit" in error.message_dict


def test_ending_needs_a_date_and_a_reason(officer, tree):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"])
    error = refusal(
        services.member_end, user=officer, member=member, status=MemberStatus.DISCHARGED, exit_date=None, exit_reason=""
    )
    assert {"exit_date", "exit_reason"} <= set(error.message_dict)
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    error = refusal(
        services.member_end, user=officer, member=member, status=MemberStatus.ACTIVE, exit_date=JOIN, exit_reason="x"
    )
    assert "status" in error.message_dict


# --- Law 48/2019 art. 10.3: placed reservists stay out of the militia ---------------------------


@pytest.fixture
def post(tree):
    return ReservePostFactory(reserve_unit=ReserveUnitFactory(name="Đại đội 1", district=tree["district"]))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_person_placed_in_a_reserve_unit_cannot_enlist(officer, tree, post, language):
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"], post=post)
    with translation.override(language):
        error = refusal(enlist, user=officer, person=reservist.person, unit=tree["vinh_quang"], joined_on=JOIN)
    messages = error.message_dict["person"]
    assert names_rule(messages, article=10, clause=3)
    assert "Đại đội 1" in " ".join(messages)
    assert not MilitiaMember.objects.exists()


def test_a_reservist_not_placed_may_enlist(officer, tree):
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"])
    assert enlist(officer, reservist.person, tree["vinh_quang"], joined_on=JOIN).pk


def test_a_reservist_taken_off_the_roster_may_enlist(officer, tree, post):
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"], post=post)
    services.reservist_set_status(user=officer, reservist=reservist, status=ReservistStatus.REMOVED, reason="Chuyển")
    assert enlist(officer, reservist.person, tree["vinh_quang"], joined_on=JOIN).pk


def register(user, person, unit, **fields):
    fields.setdefault("category", "hsq_bs")
    fields.setdefault("tier", "1" if fields["category"] == "hsq_bs" else "")
    fields.setdefault("specialty_code", "BB-01")
    fields.setdefault("registered_on", JOIN)
    return services.reservist_register(user=user, person=person, unit=unit, **fields)


def test_an_active_militia_member_cannot_be_placed(district_officer, tree, post):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"])
    error = refusal(
        register, user=district_officer, person=member.person, unit=tree["vinh_quang"], post=post, placed_on=JOIN
    )
    assert names_rule(error.message_dict["post"], article=10, clause=3)
    assert not Reservist.objects.exists()
    # Registered without a placement is allowed: the rule is about the reserve unit.
    assert register(district_officer, member.person, tree["vinh_quang"]).post is None


def test_placing_a_registered_militia_member_later_is_refused(district_officer, tree, post):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"])
    reservist = ReservistFactory(person=member.person)
    error = refusal(services.reservist_update, user=district_officer, reservist=reservist, post=post, placed_on=JOIN)
    assert names_rule(error.message_dict["post"], article=10, clause=3)
    reservist.refresh_from_db()
    assert reservist.post is None


# --- Reservists: age, combat placement, capacity, tier, specialty --------------------------------


@pytest.mark.parametrize(
    ("sex", "years", "on_birthday", "accepted"),
    [
        ("M", 46, False, True),
        ("M", 46, True, False),
        ("F", 41, False, True),
        ("F", 41, True, False),
    ],
)
def test_reservist_soldier_age_limit(sex, years, on_birthday, accepted):
    day = JOIN if on_birthday else JOIN - DAY
    call = {"birth_date": nth_birthday_on(years, JOIN), "sex": sex, "category": "hsq_bs", "on": day}
    assert rules.reservist_is_over_age(**call) is not accepted
    if not accepted:
        assert names_rule(refusal(rules.validate_reservist_age, **call).messages, article=37)


@pytest.mark.parametrize("category", ["officer", "qncn"])
def test_the_soldier_age_limit_does_not_apply_to_officers_and_qncn(category):
    rules.validate_reservist_age(birth_date=nth_birthday_on(50, JOIN), sex="M", category=category, on=JOIN)


def test_registering_a_man_of_46_as_soldier_is_refused(district_officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(timezone.localdate(), 46))
    error = refusal(register, user=district_officer, person=person, unit=tree["vinh_quang"])
    assert names_rule(error.message_dict["person"], article=37)
    assert not Reservist.objects.exists()
    younger = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(timezone.localdate(), 46) + DAY)
    assert register(district_officer, younger, tree["vinh_quang"]).pk


@pytest.mark.parametrize(
    ("category", "years", "is_combat", "accepted"),
    [
        ("hsq_bs", 35, True, True),
        ("hsq_bs", 36, True, False),
        ("hsq_bs", 36, False, True),
        ("qncn", 40, True, True),
        ("qncn", 41, True, False),
        ("officer", 50, True, True),
    ],
)
def test_combat_placement_age(category, years, is_combat, accepted):
    # `years` reached the day of placement: 36 means the 36th birthday is that day.
    call = {
        "birth_date": nth_birthday_on(years, JOIN),
        "sex": "M",
        "category": category,
        "on": JOIN,
        "is_combat": is_combat,
    }
    if accepted:
        rules.validate_placement(**call)
    else:
        assert names_rule(refusal(rules.validate_placement, **call).messages, article=15)


@pytest.mark.parametrize(("age", "is_combat", "accepted"), [(35, True, True), (36, True, False), (36, False, True)])
def test_placing_a_soldier_in_a_combat_unit(district_officer, tree, age, is_combat, accepted):
    placed_on = timezone.localdate() - DAY * 10
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"], is_combat=is_combat))
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(placed_on, age))
    call = {"user": district_officer, "person": person, "unit": tree["vinh_quang"], "post": post}
    if accepted:
        assert register(**call, placed_on=placed_on).post == post
    else:
        error = refusal(register, **call, placed_on=placed_on)
        assert names_rule(error.message_dict["post"], article=15)
        assert not Reservist.objects.exists()


@pytest.mark.parametrize(
    ("required", "margin", "capacity"), [(10, 10, 11), (10, 15, 12), (7, 10, 8), (20, 10, 22), (1, 0, 1), (0, 10, 0)]
)
def test_post_capacity_is_the_count_plus_the_margin_rounded_up(required, margin, capacity):
    assert rules.post_capacity(required, margin) == capacity


def test_a_post_takes_its_count_plus_the_margin_and_no_more(district_officer, tree, post):
    assert (post.required_count, post.margin_percent, post.capacity) == (10, 10, 11)
    for _n in range(10):
        ReservistFactory(person__home_unit=tree["vq_hamlet"], post=post)
    eleventh = register(
        district_officer, PersonFactory(home_unit=tree["vq_hamlet"]), tree["vinh_quang"], post=post, placed_on=JOIN
    )
    assert eleventh.post == post
    twelfth = PersonFactory(home_unit=tree["vq_hamlet"])
    error = refusal(register, user=district_officer, person=twelfth, unit=tree["vinh_quang"], post=post, placed_on=JOIN)
    messages = error.message_dict["post"]
    assert names_rule(messages, article=16)
    assert "11" in " ".join(messages)
    assert Reservist.objects.filter(post=post).count() == 11
    # A place freed by a reservist leaving the roster can be taken again.
    services.reservist_set_status(
        user=district_officer, reservist=eleventh, status=ReservistStatus.OVER_AGE, reason="x"
    )
    assert register(district_officer, twelfth, tree["vinh_quang"], post=post, placed_on=JOIN).post == post


def test_a_placement_needs_its_date(district_officer, tree, post):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    error = refusal(register, user=district_officer, person=person, unit=tree["vinh_quang"], post=post)
    assert "placed_on" in error.message_dict


def test_soldiers_need_a_tier(district_officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    error = refusal(register, user=district_officer, person=person, unit=tree["vinh_quang"], tier="")
    assert names_rule(error.message_dict["tier"], article=3)
    assert register(district_officer, person, tree["vinh_quang"], tier="2").tier == "2"


@pytest.mark.parametrize("category", ["officer", "qncn"])
def test_officers_and_qncn_have_no_tier(district_officer, tree, category):
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    error = refusal(
        register, user=district_officer, person=person, unit=tree["vinh_quang"], category=category, tier="1"
    )
    assert "tier" in error.message_dict
    assert register(district_officer, person, tree["vinh_quang"], category=category).tier == ""


def test_a_person_holds_one_active_reservist_record(district_officer, tree):
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"])
    error = refusal(register, user=district_officer, person=reservist.person, unit=tree["vinh_quang"])
    assert "person" in error.message_dict


@pytest.mark.parametrize(
    ("reservist_code", "post_code", "matches"),
    [("BB-01", "BB-01", True), (" bb-01 ", "BB-01", True), ("TT-02", "BB-01", False), ("BB-01", None, False)],
)
def test_specialty_match_is_computed_on_save(tree, reservist_code, post_code, matches):
    post = ReservePostFactory(reserve_unit__district=tree["district"], specialty_code=post_code) if post_code else None
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"], specialty_code=reservist_code, post=post)
    reservist.refresh_from_db()
    assert reservist.specialty_matches is matches


def test_specialty_match_follows_a_change_of_post(district_officer, tree):
    unit = ReserveUnitFactory(district=tree["district"])
    rifle = ReservePostFactory(reserve_unit=unit, specialty_code="BB-01")
    signals = ReservePostFactory(reserve_unit=unit, specialty_code="TT-02")
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"], specialty_code="TT-02", post=rifle)
    assert not reservist.specialty_matches
    services.reservist_update(user=district_officer, reservist=reservist, post=signals)
    reservist.refresh_from_db()
    assert reservist.specialty_matches
    services.reservist_set_status(user=district_officer, reservist=reservist, status="removed", reason="Chuyển đi")
    reservist.refresh_from_db()
    assert (reservist.post, reservist.placed_on, reservist.specialty_matches) == (None, None, False)


def test_a_status_change_needs_a_reason(district_officer, tree):
    reservist = ReservistFactory(person__home_unit=tree["vq_hamlet"])
    error = refusal(
        services.reservist_set_status, user=district_officer, reservist=reservist, status="removed", reason=" "
    )
    assert "status_reason" in error.message_dict
    reservist.refresh_from_db()
    assert reservist.status == ReservistStatus.ACTIVE
