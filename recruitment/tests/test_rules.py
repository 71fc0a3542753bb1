"""The law's rules at their boundaries: age on the hand-over date, health class, education, grounds, quota."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from people.rules import years_before
from recruitment import rules
from tests.factories import deferral_ground

HANDOVER = datetime.date(2027, 2, 20)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the rules' messages in English, the language of the code."""
    with translation.override("en"):
        yield


def birthday(age):
    """Birth date of someone whose `age`-th birthday is the hand-over date."""
    return years_before(HANDOVER, age)


def test_age_18_on_the_handover_date_is_callable_and_the_day_before_is_not():
    rules.validate_call_up_age(birth_date=birthday(18), on=HANDOVER)
    with pytest.raises(ValidationError) as exc:
        rules.validate_call_up_age(birth_date=birthday(18) + DAY, on=HANDOVER)
    assert exc.value.code == "too_young"


def test_age_ends_with_25_the_26th_birthday_on_the_handover_date_is_too_old():
    # The 26th birthday the day after the hand-over: still 25, callable.
    rules.validate_call_up_age(birth_date=birthday(26) + DAY, on=HANDOVER)
    with pytest.raises(ValidationError) as exc:
        rules.validate_call_up_age(birth_date=birthday(26), on=HANDOVER)
    assert exc.value.code == "too_old"
    assert "art. 30" in exc.value.messages[0]


def test_students_deferred_under_41_1g_are_callable_to_the_end_of_27():
    rules.validate_call_up_age(birth_date=birthday(26), on=HANDOVER, deferred_for_study=True)
    rules.validate_call_up_age(birth_date=birthday(28) + DAY, on=HANDOVER, deferred_for_study=True)
    with pytest.raises(ValidationError):
        rules.validate_call_up_age(birth_date=birthday(28), on=HANDOVER, deferred_for_study=True)


def test_health_class_value_is_1_to_6():
    rules.validate_health_class_value(6)
    for value in (0, 7, None):
        with pytest.raises(ValidationError):
            rules.validate_health_class_value(value)


@pytest.mark.django_db
def test_deferment_and_exemption_need_their_ground():
    deferment, exemption = deferral_ground("41.1b"), deferral_ground("41.2a")
    rules.validate_ground(stage="deferred", ground=deferment, ground_ends_on=HANDOVER)
    for ground, ends in ((None, HANDOVER), (exemption, HANDOVER), (deferment, None)):
        with pytest.raises(ValidationError):
            rules.validate_ground(stage="deferred", ground=ground, ground_ends_on=ends)
    rules.validate_ground(stage="exempt", ground=exemption, ground_ends_on=None)
    for ground in (None, deferment):
        with pytest.raises(ValidationError):
            rules.validate_ground(stage="exempt", ground=ground, ground_ends_on=None)
    with pytest.raises(ValidationError):
        rules.validate_ground(stage="not_selected", ground=None, ground_ends_on=None, reason="  ")
    rules.validate_ground(stage="not_selected", ground=None, ground_ends_on=None, reason="Vắng mặt")


@pytest.mark.django_db
def test_a_study_deferment_records_the_level_of_study():
    study = deferral_ground("41.1g")
    with pytest.raises(ValidationError) as exc:
        rules.validate_ground(stage="deferred", ground=study, ground_ends_on=HANDOVER)
    assert exc.value.code == "study_level"
    for level in ("general", "college", "university"):
        rules.validate_ground(stage="deferred", ground=study, ground_ends_on=HANDOVER, study_level=level)


@pytest.mark.django_db
def test_the_reference_table_holds_the_grounds_of_articles_13_14_and_41():
    from recruitment.models import DeferralGround

    assert DeferralGround.objects.filter(kind="deferment").count() == 7
    assert DeferralGround.objects.filter(kind="exemption").count() == 5
    assert set(DeferralGround.objects.filter(kind="not_registered").values_list("code", flat=True)) == {
        "13.1a",
        "13.1b",
        "13.1c",
    }
    assert list(DeferralGround.objects.filter(kind="registration_exempt").values_list("code", flat=True)) == ["14"]


def test_every_stage_lists_where_it_may_go():
    from recruitment.models import Stage

    assert set(rules.TRANSITIONS) == set(Stage.values) | {""}
    rules.validate_transition("examined", "approved")
    with pytest.raises(ValidationError) as exc:
        rules.validate_transition("registered", "approved")
    assert "Registered" in exc.value.messages[0] and "Approved" in exc.value.messages[0]


def test_quota_sum_names_the_difference():
    rules.validate_quota_sum(district_quota=10, commune_total=10)
    with pytest.raises(ValidationError) as exc:
        rules.validate_quota_sum(district_quota=10, commune_total=8)
    assert "-2" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("41.1c", "điểm c khoản 1 Điều 41", "point c, clause 1, Article 41"),
        ("41.2đ", "điểm đ khoản 2 Điều 41", "point đ, clause 2, Article 41"),
        ("X-1", "X-1", "X-1"),
        ("", "", ""),
    ],
)
def test_a_ground_code_is_written_as_the_law_cites_it(code, vi, en):
    from django.utils import translation

    with translation.override("vi"):
        assert rules.ground_in_words(code) == vi
    with translation.override("en"):
        assert rules.ground_in_words(code) == en
