"""A unit moved under another keeps its old parent for the periods that ended before the day: roll-ups,
automatic figures, completeness and who reads its reports follow where it stood on each period's last day."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reorg import services
from reports import selectors
from reports import services as report_services
from reports.models import Indicator, IndicatorValue, Report, ReportStatus
from tests.factories import MilitiaMemberFactory, PersonFactory, UnitFactory, make_user_with_role
from units.figures import get_figure
from units.models import FormerParent, Unit
from units.roles import Role

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db

DAY_BEFORE = REFORM_DAY - datetime.timedelta(days=1)


@pytest.fixture
def moved(world):
    """Vĩnh Quang (with its hamlets and a militia member since 2020) moved from Bảo Lâm to Bảo Lạc on
    1 July 2025; the 2024 and 2026 periods opened for both districts."""
    other = UnitFactory(kind_code="district", name="Bảo Lạc", code="043", parent=world["province"])
    member = MilitiaMemberFactory(
        person=PersonFactory(full_name="Sầm Văn Chính", home_unit=world["vq_hamlet"]),
        joined_on=datetime.date(2020, 3, 1),
    )
    services.unit_move(unit=world["vinh_quang"], new_parent=other, on=REFORM_DAY, basis=BASIS)
    for period in (world["p2024"], world["p2026"]):
        report_services.period_open(period=period)
    return {
        **world,
        "vinh_quang": Unit.objects.get(pk=world["vinh_quang"].pk),  # its path changed
        "other": other,
        "member": member,
        "other_officer": make_user_with_role("baolac", other, Role.DISTRICT_OFFICER),
    }


def _children(unit, period):
    report = Report.objects.get(unit=unit, period=period)
    return {row["unit"].name for row in selectors.rollup(report, [])["children"]}


def test_the_move_records_where_the_unit_stood(moved):
    assert list(FormerParent.objects.values_list("unit__name", "parent__name", "until")) == [
        ("Vĩnh Quang", "Bảo Lâm", DAY_BEFORE)
    ]
    assert Unit.objects.get(pk=moved["vinh_quang"].pk).parent == moved["other"]


def test_rollups_count_the_unit_under_the_parent_it_had_on_the_periods_last_day(moved):
    assert _children(moved["district"], moved["p2024"]) == {"Vĩnh Quang", "Lý Bôn"}
    assert _children(moved["other"], moved["p2024"]) == set()
    assert _children(moved["district"], moved["p2026"]) == {"Lý Bôn"}
    assert _children(moved["other"], moved["p2026"]) == {"Vĩnh Quang"}


def test_both_sides_of_the_day(moved):
    """A half-year ending the day before counts it under Bảo Lâm; one beginning on the day, under Bảo Lạc."""
    before = report_services.period_create(kind="half", year=2025, number=1)
    after = report_services.period_create(kind="half", year=2025, number=2)
    for period, district, other in ((before, {"Vĩnh Quang", "Lý Bôn"}, set()), (after, {"Lý Bôn"}, {"Vĩnh Quang"})):
        for unit, expected in ((moved["district"], district), (moved["other"], other)):
            from units.selectors import reporting_to_q

            below = Unit.objects.filter(reporting_to_q(unit.pk, start=period.start, end=period.end))
            assert set(below.values_list("name", flat=True)) == expected, (period, unit)


def test_the_rolled_up_figure_follows_the_day(moved):
    militia = Indicator.objects.filter(aggregation="sum").order_by("code").first()
    for period in (moved["p2024"], moved["p2026"]):
        report = Report.objects.get(unit=moved["vinh_quang"], period=period)
        IndicatorValue.objects.create(report=report, indicator=militia, value=Decimal(30))
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)
    old_2024 = selectors.rollup(Report.objects.get(unit=moved["district"], period=moved["p2024"]), [militia])
    new_2024 = selectors.rollup(Report.objects.get(unit=moved["other"], period=moved["p2024"]), [militia])
    new_2026 = selectors.rollup(Report.objects.get(unit=moved["other"], period=moved["p2026"]), [militia])
    assert old_2024["indicators"][militia.pk]["total"] == Decimal(30)
    assert new_2024["indicators"][militia.pk]["total"] is None
    assert new_2026["indicators"][militia.pk]["total"] == Decimal(30)


def test_live_figures_count_the_subtree_as_it_stood(moved):
    active = get_figure("militia.active")
    for unit, period, expected in (
        (moved["district"], moved["p2024"], 1),
        (moved["other"], moved["p2024"], 0),
        (moved["district"], moved["p2026"], 0),
        (moved["other"], moved["p2026"], 2),  # with the world's member who joined in December 2025
        (moved["province"], moved["p2024"], 1),
        (moved["vinh_quang"], moved["p2024"], 1),
    ):
        assert active.compute(unit=unit, start=period.start, end=period.end) == expected, (unit, period)
    # Duty days of Vĩnh Quang in 2024 are Bảo Lâm's; those of 2026, Bảo Lạc's.
    from activities.models import DutyLog

    DutyLog.objects.create(
        unit=moved["vinh_quang"], on_date=datetime.date(2024, 5, 2), officer="Sầm Văn Chính", on_duty=4
    )
    shifts = get_figure("activities.duty_person_shifts")
    assert shifts.compute(unit=moved["district"], start=moved["p2024"].start, end=moved["p2024"].end) == 4
    assert shifts.compute(unit=moved["other"], start=moved["p2024"].start, end=moved["p2024"].end) == 0


def test_completeness_and_reading_follow_the_day(client, moved):
    old, new = moved["district_officer"], moved["other_officer"]
    rows = {p: {r["unit"].name for r in selectors.completeness(period=moved[p], user=old)["rows"]} for p in ("p2024",)}
    assert "Vĩnh Quang" in rows["p2024"]
    assert "Vĩnh Quang" not in {r["unit"].name for r in selectors.completeness(period=moved["p2026"], user=old)["rows"]}
    assert "Vĩnh Quang" not in {r["unit"].name for r in selectors.completeness(period=moved["p2024"], user=new)["rows"]}
    assert "Vĩnh Quang" in {r["unit"].name for r in selectors.completeness(period=moved["p2026"], user=new)["rows"]}
    report_2024 = Report.objects.get(unit=moved["vinh_quang"], period=moved["p2024"])
    report_2026 = Report.objects.get(unit=moved["vinh_quang"], period=moved["p2026"])
    client.force_login(old)
    assert client.get(reverse("reports:report_detail", args=[report_2024.pk])).status_code == 200
    assert client.get(reverse("reports:report_detail", args=[report_2026.pk])).status_code == 404
    assert set(Report.objects.editable_by(old).filter(unit=moved["vinh_quang"])) == set()
    client.force_login(new)  # the new parent reads the unit's history, as every unit above it does today
    assert client.get(reverse("reports:report_detail", args=[report_2024.pk])).status_code == 200
    assert client.get(reverse("reports:report_detail", args=[report_2026.pk])).status_code == 200
