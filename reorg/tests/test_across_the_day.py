"""Reports, campaigns and figures across the reform: before the day the old units count and roll up into
the district, after it the new ones roll up into the area command."""

import datetime
from decimal import Decimal

import pytest

from recruitment.models import Campaign
from reorg import services
from reorg.services import NewUnit
from reports import selectors
from reports import services as report_services
from reports.models import Indicator, IndicatorValue, Report, ReportStatus
from tests.factories import UnitFactory, make_user_with_role
from units.models import CommandLink, Unit, UnitKind
from units.roles import Role

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def reformed(world):
    """The two communes merged into a new Lý Bôn under the province, answering to an area command that took
    over the district."""
    area = UnitFactory(kind_code="area", name="PTKV 1", code="PTKV1", parent=world["province"], valid_from=REFORM_DAY)
    new = NewUnit(name="Lý Bôn", code="01294", kind=UnitKind.objects.get(code="commune"), parent=world["province"])
    services.unit_merge(sources=[world["ly_bon"], world["vinh_quang"]], into=new, on=REFORM_DAY, basis=BASIS)
    merged = Unit.objects.get(code="01294", valid_to__isnull=True)
    CommandLink.objects.create(unit=merged, commander=area, valid_from=REFORM_DAY)
    services.unit_merge(sources=[world["district"]], into=area, on=REFORM_DAY, basis=BASIS)
    report_services.period_open(period=world["p2026"])
    return {**world, "area": area, "merged": merged}


def _approve(report, value, indicator):
    IndicatorValue.objects.update_or_create(report=report, indicator=indicator, defaults={"value": value})
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)


def test_rollups_follow_the_line_of_each_period(reformed):
    militia = Indicator.objects.filter(aggregation="sum").order_by("code").first()
    area_report = Report.objects.get(unit=reformed["area"], period=reformed["p2026"])
    merged_report = Report.objects.get(unit=reformed["merged"], period=reformed["p2026"])
    _approve(merged_report, Decimal(40), militia)
    roll = selectors.rollup(area_report, [militia])
    assert [row["unit"] for row in roll["children"]] == [reformed["merged"]]
    assert roll["indicators"][militia.pk]["total"] == Decimal(40)
    # The province's children in 2026: the area command, not the commune that answers to it.
    province_children = Unit.objects.filter(
        selectors.reporting_to_q(
            reformed["province"].pk, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
        )
    )
    assert set(province_children) == {reformed["area"], reformed["district"]}
    # 2024: the district rolls up the two old communes, as it did.
    district_report = Report.objects.get(unit=reformed["district"], period=reformed["p2024"])
    children = [row["unit"] for row in selectors.rollup(district_report, [militia])["children"]]
    assert set(children) == {reformed["vinh_quang"], reformed["ly_bon"]}


def test_last_period_of_a_merged_commune_adds_up_its_predecessors(reformed):
    indicator = Indicator.objects.filter(aggregation="sum").order_by("code").first()
    p2025 = report_services.period_create(kind="year", year=2025, due_date=datetime.date(2025, 12, 15))
    report_services.period_open(period=p2025)
    for unit, value in ((reformed["vinh_quang"], 7), (reformed["ly_bon"], 5)):
        report = Report.objects.get(unit=unit, period=p2025)
        _approve(report, Decimal(value), indicator)
    sheet = selectors.report_sheet(Report.objects.get(unit=reformed["merged"], period=reformed["p2026"]))
    row = next(r for block in sheet["sections"] for r in block["rows"] if r["indicator"].pk == indicator.pk)
    assert row["last"] == Decimal(12)
    assert "Lý Bôn" in sheet["last_label"] and "Vĩnh Quang" in sheet["last_label"]


def test_the_new_communes_staff_see_the_area_commands_campaign(reformed):
    assert Campaign.objects.get(pk=reformed["open_campaign"].pk).district == reformed["area"]
    officer = make_user_with_role("lybonmoi", reformed["merged"], Role.COMMUNE_OFFICER)
    visible = set(Campaign.objects.visible_to(officer))
    # The open campaign, now run by the area command; and the closed one, history of the old district.
    assert visible == {reformed["open_campaign"], reformed["closed_campaign"]}
    area_officer = make_user_with_role("ptkv", reformed["area"], Role.DISTRICT_OFFICER)
    assert reformed["merged"] in set(Unit.objects.visible_to(area_officer))


def test_completeness_counts_the_units_of_each_period(reformed):
    superuser = make_user_with_role("tinh", reformed["province"], Role.COMMANDER)
    units_2024 = {row["unit"] for row in selectors.completeness(period=reformed["p2024"], user=superuser)["rows"]}
    units_2026 = {row["unit"] for row in selectors.completeness(period=reformed["p2026"], user=superuser)["rows"]}
    assert {reformed["vinh_quang"], reformed["ly_bon"], reformed["district"]} <= units_2024
    assert reformed["merged"] not in units_2024 and reformed["area"] not in units_2024
    assert {reformed["merged"], reformed["area"]} <= units_2026
    assert reformed["vinh_quang"] not in units_2026 and reformed["district"] not in units_2026


def test_the_area_command_and_the_province_file_their_own_annual_report(reformed):
    """The templates of the area command and the province ship with the migrations: a year opened after the
    reform gives each its own report; the area's rolls up its communes, the province's the area command; in
    2024 the province rolled up the district. (The area's 2026 report is the district's, moved to it by the
    merger: it keeps the form it was begun on.)"""
    militia = Indicator.objects.filter(aggregation="sum").order_by("code").first()
    p2027 = report_services.period_create(kind="year", year=2027, due_date=datetime.date(2027, 12, 15))
    report_services.period_open(period=p2027)
    area_report = Report.objects.get(unit=reformed["area"], period=p2027)
    province_report = Report.objects.get(unit=reformed["province"], period=p2027)
    assert area_report.template.name == "Báo cáo tổng kết năm — Ban CHPTKV"
    assert province_report.template.name == "Báo cáo tổng kết năm — cấp tỉnh"
    _approve(Report.objects.get(unit=reformed["merged"], period=p2027), Decimal(40), militia)
    roll = selectors.rollup(area_report, [militia])
    assert [row["unit"] for row in roll["children"]] == [reformed["merged"]]
    assert selectors.live_values(area_report, [militia])[militia.pk][0] == Decimal(40)
    _approve(area_report, Decimal(45), militia)
    roll = selectors.rollup(province_report, [militia])
    assert [row["unit"] for row in roll["children"]] == [reformed["area"]]
    assert roll["indicators"][militia.pk]["total"] == Decimal(45)
    province_2024 = Report.objects.get(unit=reformed["province"], period=reformed["p2024"])
    assert [row["unit"] for row in selectors.rollup(province_2024, [militia])["children"]] == [reformed["district"]]
