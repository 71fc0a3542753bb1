"""`seed_demo --reform-2025`: the six communes, the area command, and the records where they belong."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from militia.models import MilitiaMember, Reservist
from recruitment.models import Candidate
from reports import selectors
from reports.models import Report, ReportStatus
from units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def reformed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", quiet=True, stdout=io.StringIO())
        before = {
            "militia": MilitiaMember.objects.filter(unit__code__in=["01294", "01300"], status="active").count(),
        }
        call_command("seed_demo", reform=True, quiet=True, stdout=io.StringIO())
        yield before
        transaction.set_rollback(True)


def _user(name):
    return get_user_model().objects.get(username=name)


def test_six_communes_under_the_province_answer_to_the_area_command(reformed):
    communes = Unit.objects.current().communes()
    assert sorted(communes.values_list("name", flat=True)) == [
        "Bảo Lâm",
        "Cốc Pàng",
        "Lý Bôn",
        "Nam Quang",
        "Quảng Lâm",
        "Yên Thổ",
    ]
    assert Unit.objects.filter(kind__is_commune_level=True, valid_to__isnull=False).count() == 13
    # The official conversion of the issue, read from the packages' data.
    formed = {c.code: set(c.predecessors.values_list("code", flat=True)) for c in communes}
    assert formed == {
        "01290": {"01290", "01309", "01312"},
        "01294": {"01294", "01300"},
        "01297": {"01296", "01297"},
        "01304": {"01303", "01304"},
        "01318": {"01315", "01316", "01318"},
        "01324": {"01291"},
    }
    assert Unit.objects.get(code="042").successor.code == "04-PTKV-01"
    ptkv = _user("ptkv")
    assert set(Unit.objects.visible_to(ptkv).current().communes()) == set(communes)


def test_lybon_sees_what_the_old_ly_bon_and_vinh_quang_had(reformed):
    lybon = _user("lybon")
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    assert MilitiaMember.objects.visible_to(lybon).active().count() == reformed["militia"]
    assert MilitiaMember.objects.filter(unit=new, status="active").count() == reformed["militia"]
    assert Reservist.objects.visible_to(lybon).active().filter(unit=new).exists()
    assert Candidate.objects.visible_to(lybon).exclude(campaign__status="closed").filter(commune=new).exists()
    assert not Candidate.objects.exclude(campaign__status="closed").filter(commune__valid_to__isnull=False).exists()


def test_2024_stays_on_the_district_and_2026_rolls_up_into_the_area_command(reformed):
    district_2024 = Report.objects.get(unit__code="042", period__year=2024)
    assert district_2024.status == ReportStatus.APPROVED
    assert len(selectors.rollup(district_2024)["children"]) == 13
    area_2026 = Report.objects.get(unit__code="04-PTKV-01", period__year=2026)
    roll = selectors.rollup(area_2026)
    assert (roll["approved_count"], len(roll["children"])) == (6, 6)
    assert not Report.objects.filter(period__year=2026, unit__valid_to__isnull=False).exists()


def test_the_new_ly_bon_trend_runs_on_across_the_merger(reformed, client):
    from dashboard.selectors import dashboard

    trend = {t["year"]: t["strength"] for t in dashboard(user=_user("lybon"))["trend"]}
    assert len(trend) == 5 and all(trend[year] > 0 for year in trend)
    assert trend[2024] <= trend[2025] * 2  # no gap at the merger


def test_a_second_run_changes_nothing(reformed):
    units = Unit.objects.count()
    call_command("seed_demo", reform=True, quiet=True, stdout=io.StringIO())
    assert Unit.objects.count() == units
