"""A draft save racing a submission or an approval (PostgreSQL, separate connections): the save never
lands after the report left the unit's hands."""

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction

from reports import services
from reports.models import Indicator, IndicatorValue, Report, SectionText
from reports.tests.conftest import fill_report
from units.tests.test_concurrency_parallel import _waiting_on_locks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections need PostgreSQL"),
]


def _save_in_thread(report, user, version, draft):
    outcome = {}

    def run():
        try:
            services.report_save(user=user, report=report, version=version, draft=draft)
            outcome["result"] = "saved"
        except PermissionDenied:
            outcome["result"] = "refused"
        except services.ReportConflict:
            outcome["result"] = "conflict"
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    return thread, outcome


def _race(step, report, user):
    """`step` holds the report's row (a submission or approval being written) while an autosave made from
    the same page arrives; then it commits. Returns what happened to the autosave."""
    rescues = Indicator.objects.get(code="rescue_operations")
    section = report.template.sections.order_by("order").first()
    loaded = Report.objects.get(pk=report.pk)  # the page the autosave comes from, opened before the step
    draft = services.Draft(texts={section.pk: "Gõ sau khi gửi"}, values={rescues.pk: ("7", "")})
    thread, outcome = _save_in_thread(loaded, user, loaded.version, draft)
    with transaction.atomic():
        step()
        thread.start()
        deadline = time.monotonic() + 20
        while _waiting_on_locks() < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
    thread.join(60)
    return outcome.get("result"), rescues, section


def test_an_autosave_racing_a_submission_is_refused(reports, officer):
    report = fill_report(reports["vinh_quang"], officer)
    result, rescues, section = _race(lambda: services.report_submit(user=officer, report=report), report, officer)
    assert result == "refused"
    saved = Report.objects.get(pk=report.pk)
    assert saved.status == "submitted"
    assert saved.last_saved_at <= saved.submitted_at
    assert not IndicatorValue.objects.filter(report=report, indicator=rescues, value=7).exists()
    assert SectionText.objects.get(report=report, section=section).text != "Gõ sau khi gửi"


def test_an_autosave_racing_an_approval_is_refused(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    # Returned and submitted again: the officer's page was opened on the returned (editable) report.
    services.report_submit(user=officer, report=report)
    services.report_return(user=commander, report=report, comment="Bổ sung mục 1")
    report = Report.objects.get(pk=report.pk)

    def submit_then_approve():
        services.report_submit(user=officer, report=Report.objects.get(pk=report.pk))
        services.report_approve(user=commander, report=Report.objects.get(pk=report.pk))

    result, rescues, _section = _race(submit_then_approve, report, officer)
    assert result == "refused"
    saved = Report.objects.get(pk=report.pk)
    assert saved.status == "approved"
    assert saved.last_saved_at <= saved.submitted_at
    assert not IndicatorValue.objects.filter(report=report, indicator=rescues, value=7).exists()
