"""Creating a period and opening it in one transaction: the reports of the user's units after it, and nothing
after a refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reports import services
from reports.models import Period, Report

pytestmark = pytest.mark.django_db


def test_a_period_is_created_with_the_reports_of_the_users_units(tree, district_officer):
    period, created = services.period_create_and_open(user=district_officer, kind="year", year=2024)
    assert created == 3
    assert Period.objects.get() == period
    assert period.due_date == datetime.date(2024, 12, 15) and period.opened_at is not None
    assert set(Report.objects.filter(period=period).values_list("unit__name", flat=True)) == {
        "Bảo Lâm",
        "Vĩnh Quang",
        "Lý Bôn",
    }


def test_a_commune_officer_opens_the_period_for_their_commune_only(tree, officer):
    period, created = services.period_create_and_open(user=officer, kind="year", year=2024)
    assert created == 1
    assert list(Report.objects.filter(period=period).values_list("unit__name", flat=True)) == ["Vĩnh Quang"]


def test_a_period_that_exists_is_refused_and_nothing_is_added(tree, district_officer, annual_period):
    with pytest.raises(ValidationError):
        services.period_create_and_open(user=district_officer, kind="year", year=2024)
    assert Period.objects.count() == 1
    assert Report.objects.count() == 4  # the province, the district and its two communes


def test_a_failed_opening_leaves_no_period_behind(tree, district_officer, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError("refused")

    monkeypatch.setattr(services, "period_open", refuse)
    with pytest.raises(ValidationError):
        services.period_create_and_open(user=district_officer, kind="year", year=2024)
    assert not Period.objects.exists()
    assert not Report.objects.exists()
