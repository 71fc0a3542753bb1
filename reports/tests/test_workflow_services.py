"""The services of the reports: opening a period, saving with a version check, the workflow and
its refused steps, numbering, and the roll-up against hand-computed values."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import selectors, services
from reports.models import Indicator, IndicatorValue, Report, ReportStatus, ReportTransition
from reports.tests.conftest import fill_report
from tests.factories import UnitFactory, make_user_with_role
from units.roles import Role
from units.services import assignment_create

pytestmark = pytest.mark.django_db


def test_opening_a_period_creates_one_report_per_expected_unit_once(tree, annual_period):
    units = set(Report.objects.filter(period=annual_period).values_list("unit__name", flat=True))
    # The province files its annual report too (the template of the province level); the hamlets file none.
    assert units == {"Cao Bằng", "Bảo Lâm", "Vĩnh Quang", "Lý Bôn"}
    assert services.period_open(period=annual_period) == 0
    assert Report.objects.filter(period=annual_period).count() == 4


def test_a_unit_created_after_the_period_owes_no_report(tree):
    UnitFactory(
        kind_code="commune", name="Xã Mới", code="09999", parent=tree["district"], valid_from=datetime.date(2025, 7, 1)
    )
    period = services.period_create(kind="year", year=2024)
    services.period_open(period=period)
    assert not Report.objects.filter(period=period, unit__name="Xã Mới").exists()


def test_a_stale_save_is_refused_and_changes_nothing(reports, officer):
    report = reports["vinh_quang"]
    section = report.template.sections.first()
    services.report_save(
        user=officer, report=report, version=0, draft=services.Draft(texts={section.pk: "Bản của người thứ nhất"})
    )
    with pytest.raises(services.ReportConflict) as conflict:
        services.report_save(user=officer, report=report, version=0, draft=services.Draft(texts={section.pk: "Bản cũ"}))
    assert conflict.value.report.version == 1
    assert report.texts.get(section=section).text == "Bản của người thứ nhất"


def test_an_automatic_figure_changed_without_a_reason_is_refused(reports, officer):
    report = reports["vinh_quang"]
    active = Indicator.objects.get(code="militia_active")
    with pytest.raises(ValidationError) as error:
        services.report_save(
            user=officer,
            report=report,
            version=0,
            draft=services.Draft(values={active.pk: ("12", "")}),
            live={active.pk: Decimal(10)},
        )
    assert f"reason_{active.pk}" in error.value.message_dict
    assert not IndicatorValue.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.version == 0


def test_values_typed_the_vietnamese_way_are_read(reports, officer):
    report = reports["vinh_quang"]
    budget = Indicator.objects.get(code="defence_budget_spent")
    services.report_save(
        user=officer, report=report, version=0, draft=services.Draft(values={budget.pk: ("1.234,5", "")})
    )
    assert IndicatorValue.objects.get(report=report, indicator=budget).value == Decimal("1234.5")


def test_workflow_submit_return_resubmit_approve(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    services.report_submit(user=officer, report=report)
    with pytest.raises(ValidationError):
        services.report_return(user=commander, report=report, comment="  ")
    services.report_return(user=commander, report=report, comment="Bổ sung số liệu huấn luyện")
    assert report.status == ReportStatus.RETURNED
    report = fill_report(Report.objects.get(pk=report.pk), officer)
    services.report_submit(user=officer, report=report)
    services.report_approve(user=commander, report=report)
    report.refresh_from_db()
    assert (report.status, report.doc_number, report.approved_by) == (ReportStatus.APPROVED, 1, commander)
    steps = list(ReportTransition.objects.filter(report=report).values_list("to_status", "actor__username", "comment"))
    assert steps == [
        ("submitted", "vinhquang", ""),
        ("returned", "chihuy", "Bổ sung số liệu huấn luyện"),
        ("submitted", "vinhquang", ""),
        ("approved", "chihuy", ""),
    ]


def test_approved_reports_are_read_only_until_a_commander_reopens_them(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    services.report_submit(user=officer, report=report)
    services.report_approve(user=commander, report=report)
    with pytest.raises(PermissionDenied):
        services.report_save(user=officer, report=report, version=report.version, draft=services.Draft())
    with pytest.raises(ValidationError):
        services.report_reopen(user=commander, report=report, reason="")
    services.report_reopen(user=commander, report=report, reason="Sửa số liệu dân quân")
    assert report.status == ReportStatus.DRAFT
    services.report_submit(user=officer, report=report)
    services.report_approve(user=commander, report=report)
    report.refresh_from_db()
    assert report.doc_number == 1  # the number allocated at the first approval is kept


def test_nobody_approves_their_own_report(tree, reports):
    both = make_user_with_role("capphong", tree["district"], Role.DISTRICT_OFFICER)
    assignment_create(user=both, unit=tree["district"], role=Role.COMMANDER)
    report = fill_report(reports["district"], both)
    services.report_submit(user=both, report=report)
    with pytest.raises(ValidationError):
        services.report_approve(user=both, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_officers_cannot_review_and_outsiders_cannot_file(reports, officer, outsider):
    report = fill_report(reports["vinh_quang"], officer)
    services.report_submit(user=officer, report=report)
    with pytest.raises(PermissionDenied):
        services.report_approve(user=outsider, report=report)
    with pytest.raises(PermissionDenied):
        services.report_save(user=outsider, report=reports["vinh_quang"], version=0, draft=services.Draft())


def test_numbers_count_up_per_unit_and_year(reports, officer, district_officer, commander):
    for key, user in (("vinh_quang", officer), ("district", district_officer)):
        report = fill_report(reports[key], user)
        services.report_submit(user=user, report=report)
        services.report_approve(user=commander, report=report)
    assert services.allocate_number(unit=reports["vinh_quang"].unit, year=2030) == 1
    assert Report.objects.get(pk=reports["vinh_quang"].pk).doc_number == 1
    assert Report.objects.get(pk=reports["district"].pk).doc_number == 1


def test_rollup_sums_approved_communes_and_marks_the_missing(tree, reports, officer, outsider, commander):
    vq, lb = tree["vinh_quang"], tree["ly_bon"]
    vq.population, lb.population = 2000, 6000
    vq.save()
    lb.save()
    typed = {"vinh_quang": (officer, "12", "80"), "ly_bon": (outsider, "30", "60")}
    for key, (user, sessions, good_rate) in typed.items():
        report = fill_report(
            reports[key],
            user,
            values={"political_sessions": Decimal(sessions), "training_good_rate": Decimal(good_rate)},
        )
        services.report_submit(user=user, report=report)
    services.report_approve(user=commander, report=Report.objects.get(pk=reports["vinh_quang"].pk))

    roll = selectors.rollup(reports["district"])
    sessions = Indicator.objects.get(code="political_sessions")
    assert roll["indicators"][sessions.pk]["total"] == Decimal(12)  # only the approved commune counts
    assert [u.name for u in roll["missing"]] == ["Lý Bôn"]

    services.report_approve(user=commander, report=Report.objects.get(pk=reports["ly_bon"].pk))
    roll = selectors.rollup(reports["district"])
    good = Indicator.objects.get(code="training_good_rate")
    assert roll["indicators"][sessions.pk]["total"] == Decimal(42)
    # (80 × 2000 + 60 × 6000) / 8000 = 65
    assert roll["indicators"][good.pk]["total"] == Decimal("65.0")
    assert roll["missing"] == []
    live = selectors.live_values(reports["district"])
    assert live[sessions.pk][0] == Decimal(42)


def test_completeness_counts_late_missing_and_not_yet_existing_units(tree, officer, outsider):
    UnitFactory(
        kind_code="commune",
        name="Xã Chưa Có",
        code="09998",
        parent=tree["district"],
        valid_from=datetime.date(2025, 3, 1),
    )
    period = services.period_create(kind="year", year=2024, due_date=datetime.date(2024, 12, 15))
    services.period_open(period=period)
    on_time = fill_report(Report.objects.get(period=period, unit=tree["vinh_quang"]), officer)
    services.report_submit(user=officer, report=on_time)
    Report.objects.filter(pk=on_time.pk).update(
        first_submitted_at=datetime.datetime(2024, 12, 14, 9, tzinfo=datetime.UTC)
    )
    late = fill_report(Report.objects.get(period=period, unit=tree["ly_bon"]), outsider)
    services.report_submit(user=outsider, report=late)
    Report.objects.filter(pk=late.pk).update(first_submitted_at=datetime.datetime(2024, 12, 20, 9, tzinfo=datetime.UTC))
    superuser = make_user_with_role("tonghop", tree["district"], Role.COMMANDER)

    result = selectors.completeness(period=period, user=superuser)
    states = {row["unit"].name: row["state"] for row in result["rows"]}
    assert states == {"Bảo Lâm": "not_started", "Vĩnh Quang": "on_time", "Lý Bôn": "late"}
    assert (result["expected"], result["submitted"], result["on_time"]) == (3, 2, 1)
    assert result["on_time_rate"] == round(100 / 3, 1)
    assert result["overdue"] == 1  # the district's own report, never started


def test_an_officer_opens_a_period_for_the_units_they_keep_only(tree, district_officer):
    other = UnitFactory(kind_code="district", name="Bảo Lạc", code="043", parent=tree["province"])
    UnitFactory(kind_code="commune", name="Cốc Pàng", code="01320", parent=other)
    period = services.period_create(kind="year", year=2024)
    assert services.period_open(period=period, user=district_officer) == 3
    assert set(Report.objects.filter(period=period).values_list("unit__name", flat=True)) == {
        "Bảo Lâm",
        "Vĩnh Quang",
        "Lý Bôn",
    }
    # The system (or a superuser) opens it for everyone: Bảo Lạc, Cốc Pàng and the province.
    assert services.period_open(period=period) == 3
