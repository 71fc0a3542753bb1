"""The sane range and order of every date (units.dates), on a given day and through each model's clean()."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from units.dates import EARLIEST_DATE, latest_date, validate_date_order, validate_date_range


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


ON = datetime.date(2024, 3, 15)  # a day in the past: the rule is evaluated on the day it is given
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize("planned", [False, True])
def test_the_first_day_is_1_january_1900(planned):
    validate_date_range(EARLIEST_DATE, on=ON, planned=planned)
    validate_date_range(EARLIEST_DATE + DAY, on=ON, planned=planned)
    with pytest.raises(ValidationError, match="not be before 01/01/1900"):
        validate_date_range(EARLIEST_DATE - DAY, on=ON, planned=planned)
    with pytest.raises(ValidationError):
        validate_date_range(datetime.date(1, 1, 1), on=ON, planned=planned)


def test_a_date_of_the_past_ends_on_the_day():
    validate_date_range(ON - DAY, on=ON)
    validate_date_range(ON, on=ON)
    with pytest.raises(ValidationError, match=r"not be after today \(15/03/2024\)"):
        validate_date_range(ON + DAY, on=ON)


def test_a_planned_date_may_lie_ten_years_ahead():
    last = datetime.date(2034, 3, 15)
    assert latest_date(on=ON, planned=True) == last
    validate_date_range(last - DAY, on=ON, planned=True)
    validate_date_range(last, on=ON, planned=True)
    with pytest.raises(ValidationError, match="not be after 15/03/2034"):
        validate_date_range(last + DAY, on=ON, planned=True)
    with pytest.raises(ValidationError):
        validate_date_range(datetime.date(9999, 12, 31), on=ON, planned=True)


def test_ten_years_after_29_february():
    assert latest_date(on=datetime.date(2024, 2, 29), planned=True) == datetime.date(2034, 2, 28)


def test_dates_in_order():
    validate_date_order(ON, ON, earlier_label="x")
    validate_date_order(ON, ON + DAY, earlier_label="x")
    validate_date_order(None, ON, earlier_label="x")
    with pytest.raises(ValidationError, match=r"not be before «registered on» \(15/03/2024\)"):
        validate_date_order(ON, ON - DAY, earlier_label="«registered on»")
