"""Especially disadvantaged communes as dated periods: in force from the first day to the last, never two at
once for a commune, only communes; the rule that depends on it reads the commune's status on its day."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from units.models import DisadvantagedPeriod
from units.selectors import disadvantaged_on, disadvantaged_on_days, is_disadvantaged

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
START, END = datetime.date(2021, 6, 4), datetime.date(2025, 12, 31)
GROUND = "Quyết định 861/QĐ-TTg ngày 04/6/2021"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def period(unit, start=START, end=END):
    return DisadvantagedPeriod.objects.create(unit=unit, start=start, end=end, legal_ground=GROUND)


def test_a_period_is_in_force_from_its_first_to_its_last_day(tree):
    vq = tree["vinh_quang"]
    period(vq)
    assert [is_disadvantaged(vq, day) for day in (START - DAY, START, START + DAY)] == [False, True, True]
    assert [is_disadvantaged(vq, day) for day in (END - DAY, END, END + DAY)] == [True, True, False]
    assert not is_disadvantaged(tree["ly_bon"], START)


def test_an_open_period_lasts_and_several_days_are_read_at_once(tree, django_assert_num_queries):
    vq, lb = tree["vinh_quang"], tree["ly_bon"]
    period(vq)
    open_one = period(lb, start=datetime.date(2026, 1, 1), end=None)
    hand_overs = [datetime.date(2025, 2, 25), datetime.date(2026, 2, 25), datetime.date(2040, 2, 25)]
    with django_assert_num_queries(1):
        by_day = disadvantaged_on_days(unit_ids=[vq.pk, lb.pk], days=hand_overs)
    assert {day: set(units) for day, units in by_day.items()} == {
        hand_overs[0]: {vq.pk},
        hand_overs[1]: {lb.pk},
        hand_overs[2]: {lb.pk},
    }
    assert disadvantaged_on(unit_ids=[vq.pk, lb.pk], on=hand_overs[1]) == {lb.pk: open_one}


def test_two_periods_of_a_commune_may_not_overlap(tree):
    vq = tree["vinh_quang"]
    period(vq)
    clash = DisadvantagedPeriod(unit=vq, start=END, end=None, legal_ground=GROUND)
    with pytest.raises(ValidationError, match="already listed"):
        clash.full_clean()
    DisadvantagedPeriod(unit=vq, start=END + DAY, end=None, legal_ground=GROUND).full_clean()  # the day after
    DisadvantagedPeriod(unit=tree["ly_bon"], start=END, end=None, legal_ground=GROUND).full_clean()


def test_only_a_commune_with_dates_in_order_and_a_legal_ground(tree):
    with pytest.raises(ValidationError) as error:
        DisadvantagedPeriod(unit=tree["vq_hamlet"], start=END, end=START, legal_ground="").full_clean()
    assert set(error.value.message_dict) == {"unit", "end", "legal_ground"}


def test_the_quota_boxes_become_periods_of_the_commune():
    """The data migration: runs of consecutive ticked campaigns become one period each, from the April that
    prepared the first to the hand-over of the last; a run reaching the latest campaign stays open."""
    migration = importlib.import_module("recruitment.migrations.0007_disadvantaged_flags_to_periods")
    series = [
        SimpleNamespace(pk=year, year=year, handover_date=datetime.date(year, 2, 25)) for year in range(2022, 2028)
    ]
    periods = migration.periods_of(series, {2022, 2023, 2025, 2026, 2027})
    assert periods == [
        (datetime.date(2021, 4, 1), datetime.date(2023, 2, 25), "2022, 2023"),
        (datetime.date(2024, 4, 1), None, "2025, 2026, 2027"),
    ]
    assert migration.periods_of(series, {2024}) == [(datetime.date(2023, 4, 1), datetime.date(2024, 2, 25), "2024")]
    assert migration.periods_of(series, set()) == []
