"""`seed_demo --reform-2025`: the six communes, the area command, and the records where they belong."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from activities.models import DutyLog, PolicyVisit, Training, WorkDay
from militia.models import MilitiaMember, Reservist
from recruitment.models import Candidate
from reorg.demo import REFORM_DAY
from reports import selectors
from reports.models import Indicator, IndicatorValue, Report, ReportStatus, SectionText
from units.figures import get_figure
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


def test_the_province_staff_officer_files_the_province_report(reformed, client):
    report = Report.objects.get(unit__code="04", period__year=2026)
    section = report.template.sections.order_by("order").first()
    client.force_login(_user("trolytinh"))
    page = client.get(f"/reports/{report.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data[f"text_{section.pk}"] = "Toàn tỉnh duy trì nghiêm chế độ trực."
    response = client.post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 302
    assert SectionText.objects.get(report=report, section=section).text == "Toàn tỉnh duy trì nghiêm chế độ trực."
    report.refresh_from_db()
    assert report.last_saved_by == _user("trolytinh")
    # The commander of the province reads it; a commune of the area command is the staff officer's to read.
    assert Report.objects.visible_to(_user("chqstinh")).filter(pk=report.pk).exists()


YEAR_2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
FIRST_HALF_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))


def _figure(code, unit, period):
    return get_figure(code).compute(unit=unit, start=period[0], end=period[1])


def test_the_new_communes_did_the_2026_activities(reformed):
    communes = list(Unit.objects.current().communes())
    for commune in communes:
        assert _figure("activities.duty_person_shifts", commune, YEAR_2026) > 0, commune.name
        assert _figure("activities.trainings", commune, YEAR_2026) > 0, commune.name
        assert _figure("activities.policy_visits", commune, YEAR_2026) > 0, commune.name
    # No record dated after the reform sits on a commune that had ended.
    for model, field in (
        (DutyLog, "on_date"),
        (Training, "starts_on"),
        (PolicyVisit, "visited_on"),
        (WorkDay, "on_date"),
    ):
        assert not model.objects.filter(unit__valid_to__isnull=False, **{f"{field}__gte": REFORM_DAY}).exists()
    # The approved 2026 reports of the new communes carry them.
    for code in ("sscd_duty_shifts", "policy_visits", "militia_trained_share"):
        values = IndicatorValue.objects.filter(
            report__period__year=2026, report__unit__in=communes, indicator=Indicator.objects.get(code=code)
        )
        assert values.count() == 6 and all(v.value > 0 for v in values), code


def test_what_the_old_communes_did_before_the_reform_stays_with_them(reformed):
    ly_bon = Unit.objects.get(code="01294", valid_to__isnull=False)
    assert _figure("activities.trainings", ly_bon, FIRST_HALF_2025) > 0
    assert _figure("activities.duty_person_shifts", ly_bon, FIRST_HALF_2025) > 0
    new = Unit.objects.get(code="01294", valid_to__isnull=True)
    assert _figure("activities.trainings", new, FIRST_HALF_2025) == 0


def test_the_new_communes_and_the_area_command_file_2025_too(reformed):
    """2025 was under way on the day of the reform: the old units keep their reports, the new ones get theirs."""
    area = Unit.objects.get(code="04-PTKV-01")
    new = list(Unit.objects.current().communes()) + [area]
    reports = Report.objects.filter(period__year=2025, period__kind="year", unit__in=new)
    assert sorted(r.unit.name for r in reports) == sorted(u.name for u in new)
    assert Report.objects.filter(period__year=2025, unit__code="042").exists()


def test_a_second_run_changes_nothing(reformed):
    units = Unit.objects.count()
    call_command("seed_demo", reform=True, quiet=True, stdout=io.StringIO())
    assert Unit.objects.count() == units
