"""The reports' writes mark the places they changed (units.freshness): a report its unit with the units above
it (whose roll-ups read it), never a neighbour; periods, which every unit reads, everything."""

import datetime

import pytest

from reports import services
from reports.tests.conftest import fill_report
from tests.caches import places

pytestmark = pytest.mark.django_db


def test_creating_and_opening_a_period_move_everything(moved, tree):
    with moved() as keys:
        period = services.period_create(kind="year", year=2023, due_date=datetime.date(2023, 12, 15))
    assert keys == places(everything=True)
    with moved() as keys:
        services.period_open(period=period)
    assert keys == places(everything=True)


def test_saving_a_draft_moves_its_unit_and_the_units_above_only(moved, reports, officer, tree):
    report = reports["vinh_quang"]
    section = report.template.sections.first()
    with moved() as keys:
        services.report_save(user=officer, report=report, version=0, draft=services.Draft(texts={section.pk: "Mới"}))
    assert keys == places(tree["vinh_quang"], records={"reports"})
    assert f"u{tree['ly_bon'].pk}" not in keys


def test_a_refused_save_moves_nothing(moved, reports, officer):
    report = reports["vinh_quang"]
    with moved() as keys, pytest.raises(services.ReportConflict):
        services.report_save(user=officer, report=report, version=7, draft=services.Draft())
    assert keys == set()


def test_every_step_of_the_workflow_and_a_comment_move_the_reports_unit(moved, reports, officer, commander, tree):
    report = fill_report(reports["vinh_quang"], officer)
    steps = [
        lambda: services.report_submit(user=officer, report=report),
        lambda: services.report_withdraw(user=officer, report=report, comment="Quên số liệu"),
        lambda: services.report_submit(user=officer, report=report),
        lambda: services.report_return(user=commander, report=report, comment="Bổ sung số liệu"),
        lambda: services.report_submit(user=officer, report=report),
        lambda: services.report_approve(user=commander, report=report),
        lambda: services.report_reopen(user=commander, report=report, reason="Sửa số liệu"),
        lambda: services.comment_add(user=commander, report=report, text="Xem lại mục 2"),
    ]
    for step in steps:
        with moved() as keys:
            step()
        assert keys == places(tree["vinh_quang"], records={"reports"})


def test_the_district_report_moves_the_district_which_its_communes_see(moved, reports, district_officer, tree):
    report = reports["district"]
    section = report.template.sections.first()
    with moved() as keys:
        services.report_save(
            user=district_officer, report=report, version=0, draft=services.Draft(texts={section.pk: "Huyện"})
        )
    assert keys == places(tree["district"], records={"reports"})
