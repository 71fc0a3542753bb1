"""unit_merge and the reports: the merged unit files one report per period under way (its own, or the sources'
draft of a period from the day on, which takes the template of its new level); approved reports stay."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from reorg import services
from reorg.services import NewUnit
from reports import selectors
from reports import services as report_services
from reports.models import (
    Indicator,
    IndicatorValue,
    IssuingBody,
    Report,
    ReportComment,
    ReportStatus,
    SectionText,
)
from reports.tests.conftest import fill_report
from tests.factories import UnitFactory, make_user_with_role
from units.models import CommandLink, Unit, UnitKind
from units.roles import Role

from .conftest import BASIS, REFORM_DAY

pytestmark = pytest.mark.django_db


def _new_ly_bon(world):
    return NewUnit(name="Lý Bôn", code="01294", kind=UnitKind.objects.get(code="commune"), parent=world["province"])


def _merge_communes(world):
    services.unit_merge(
        sources=[world["ly_bon"], world["vinh_quang"]], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS
    )
    return Unit.objects.get(code="01294", valid_to__isnull=True)


def _open_2025():
    period = report_services.period_create(kind="year", year=2025, due_date=datetime.date(2025, 12, 15))
    report_services.period_open(period=period)
    return period


def test_the_merged_commune_files_its_own_report_for_the_period_under_way(world):
    p2025 = _open_2025()
    old_2025 = set(Report.objects.filter(period=p2025, unit__kind__code="commune").values_list("pk", flat=True))
    plan = services.merge_preview(
        sources=[world["ly_bon"], world["vinh_quang"]], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS
    )
    assert [(unit.name, period.year) for unit, period in plan.new_reports] == [("Lý Bôn", 2025)]

    new = _merge_communes(world)

    # 2025 was under way on the day: the old communes keep their reports (they existed for half of it) and the
    # new commune gets a draft of its own, with the communes' template.
    assert set(Report.objects.filter(period=p2025, unit__valid_to__isnull=False).values_list("pk", flat=True)) == (
        old_2025
    )
    own = Report.objects.get(period=p2025, unit=new)
    assert own.status == ReportStatus.DRAFT and own.template.unit_kinds.filter(code="commune").exists()
    # 2026 begins after the day: one source's draft went to it, no second report is made.
    assert Report.objects.filter(period=world["p2026"], unit=new).count() == 1
    # 2024 ended before the day: nothing for the new commune.
    assert not Report.objects.filter(period=world["p2024"], unit=new).exists()
    # The expected units of each period have one report each.
    for period in (world["p2024"], p2025, world["p2026"]):
        expected = set(selectors.units_expected(period).values_list("pk", flat=True))
        assert expected <= set(Report.objects.filter(period=period).values_list("unit_id", flat=True))


def test_the_officer_of_the_merged_commune_opens_its_report_of_the_period_under_way(world):
    p2025 = _open_2025()
    new = _merge_communes(world)
    officer = make_user_with_role("lybonmoi", new, Role.COMMUNE_OFFICER)
    client = Client()
    client.force_login(officer)
    report = Report.objects.get(period=p2025, unit=new)
    page = client.get(f"/reports/{report.pk}/edit/")
    assert page.status_code == 200 and "Năm 2025" in page.content.decode()


def test_the_draft_most_worked_on_goes_to_the_merged_commune_and_the_other_stays_readable(world):
    vq_2026 = Report.objects.get(unit=world["vinh_quang"], period=world["p2026"])
    lb_2026 = Report.objects.get(unit=world["ly_bon"], period=world["p2026"])
    section = vq_2026.template.sections.order_by("order").first()
    fill_report(vq_2026, world["vq_officer"], texts={section.pk: "Vĩnh Quang trực đủ quân số."})
    Report.objects.filter(pk=vq_2026.pk).update(signer_name="Lò Văn Ký")  # typed by the officer
    plan = services.merge_preview(
        sources=[world["ly_bon"], world["vinh_quang"]], into=_new_ly_bon(world), on=REFORM_DAY, basis=BASIS
    )
    assert plan.line("reports").count == 1 and plan.line("reports_covered").count == 1

    new = _merge_communes(world)

    assert Report.objects.get(pk=vq_2026.pk).unit == new
    assert SectionText.objects.get(report=vq_2026, section=section).text == "Vĩnh Quang trực đủ quân số."
    assert Report.objects.get(pk=vq_2026.pk).signer_name == "Lò Văn Ký"  # a typed signer stays
    assert Report.objects.get(pk=lb_2026.pk).unit == world["ly_bon"]  # not deleted, not a second report
    assert Report.objects.filter(period=world["p2026"], unit=new).count() == 1


@pytest.fixture
def area(world):
    area = UnitFactory(kind_code="area", name="PTKV 1", code="PTKV1", parent=world["province"], valid_from=REFORM_DAY)
    new = _merge_communes(world)
    CommandLink.objects.create(unit=new, commander=area, valid_from=REFORM_DAY)
    return area


def test_the_districts_draft_taken_over_by_the_area_command_takes_the_area_template(world, area):
    report = Report.objects.get(unit=world["district"], period=world["p2026"])
    district_template = report.template
    sections = list(district_template.sections.order_by("order"))
    militia = Indicator.objects.get(code="militia_active")
    reserve = Indicator.objects.get(code="reserve_total")
    fill_report(
        report,
        world["district_officer"],
        values={"reserve_total": Decimal(77)},
        texts={sections[0].pk: "Huyện duy trì trực 24/24.", sections[2].pk: "Huấn luyện đạt yêu cầu."},
    )
    # What the district's figure was when its officer saved (not the area command's).
    IndicatorValue.objects.filter(report=report, indicator=militia).update(value=999, auto_value=999)
    ReportComment.objects.create(report=report, section=sections[2], author=world["district_officer"], text="Bổ sung")

    IssuingBody.objects.create(unit=area, signer_title="CHỈ HUY TRƯỞNG", signer_name="Nông Văn Khu")
    services.unit_merge(sources=[world["district"]], into=area, on=REFORM_DAY, basis=BASIS)

    report.refresh_from_db()
    assert report.unit == area
    # The district's signer was the report's by default: the area command's signs it now.
    assert (report.signer_title, report.signer_name) == ("CHỈ HUY TRƯỞNG", "Nông Văn Khu")
    assert report.template != district_template and report.template.unit_kinds.filter(code="area").exists()
    texts = {t.section.heading: t.text for t in SectionText.objects.filter(report=report).select_related("section")}
    assert texts[sections[0].heading] == "Huyện duy trì trực 24/24."
    assert texts[sections[2].heading] == "Huấn luyện đạt yêu cầu."
    assert all(t.section.template_id == report.template_id for t in SectionText.objects.filter(report=report))
    assert ReportComment.objects.get(report=report).section.template_id == report.template_id
    # The automatic figure is the area command's now; the figure typed with a reason stays.
    live = selectors.live_values(report)
    saved = IndicatorValue.objects.get(report=report, indicator=militia)
    assert saved.value == saved.auto_value == live[militia.pk][0] != 999
    typed = IndicatorValue.objects.get(report=report, indicator=reserve)
    assert typed.value == 77 and typed.override_reason == "Số liệu của đơn vị"
    # What the area command's officer sees: the narrative under the heading of the area template.
    officer = make_user_with_role("ptkv", area, Role.DISTRICT_OFFICER)
    client = Client()
    client.force_login(officer)
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "Huyện duy trì trực 24/24." in page
    # 2024 ended before the day: the district keeps its approved report and template.
    kept = Report.objects.get(unit=world["district"], period=world["p2024"])
    assert kept.template.unit_kinds.filter(code="district").exists()


def test_an_approved_report_stays_and_the_area_command_gets_its_own(world, area):
    report = Report.objects.get(unit=world["district"], period=world["p2026"])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.APPROVED)

    services.unit_merge(sources=[world["district"]], into=area, on=REFORM_DAY, basis=BASIS)

    kept = Report.objects.get(pk=report.pk)
    assert (kept.unit, kept.template) == (world["district"], report.template)
    own = Report.objects.get(unit=area, period=world["p2026"])
    assert own.status == ReportStatus.DRAFT and own.template.unit_kinds.filter(code="area").exists()
