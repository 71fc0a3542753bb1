"""report_withdraw: the unit takes back a report it submitted, before anyone reviews it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reports import selectors, services
from reports.models import Report, ReportStatus, ReportTransition
from reports.tests.conftest import fill_report
from reports.tests.test_filing_pages import client_for

pytestmark = pytest.mark.django_db


def submitted(report, officer):
    report = fill_report(report, officer)
    return services.report_submit(user=officer, report=report)


def withdraw_url(report):
    return reverse("reports:report_action", args=[report.pk, "withdraw"])


def test_a_submitted_report_goes_back_to_draft_with_the_step_on_the_timeline(reports, officer):
    report = submitted(reports["vinh_quang"], officer)
    services.report_withdraw(user=officer, report=report, comment="Quên số liệu dân quân")
    report = Report.objects.get(pk=report.pk)
    assert report.status == ReportStatus.DRAFT and report.is_editable
    assert (report.submitted_at, report.submitted_by, report.first_submitted_at) == (None, None, None)
    steps = list(ReportTransition.objects.filter(report=report).values_list("from_status", "to_status", "comment"))
    assert steps[-1] == ("submitted", "draft", "Quên số liệu dân quân")
    # Taken back before any review, it no longer counts as submitted.
    row = next(r for r in selectors.completeness(period=report.period, user=officer)["rows"] if r["report"] == report)
    assert row["state"] == selectors.UnitState.DRAFT


def test_a_report_returned_once_keeps_its_first_submission_after_a_withdrawal(reports, officer, commander):
    report = submitted(reports["vinh_quang"], officer)
    services.report_return(user=commander, report=report, comment="Bổ sung")
    first = Report.objects.get(pk=report.pk).first_submitted_at
    report = services.report_submit(user=officer, report=Report.objects.get(pk=report.pk))
    services.report_withdraw(user=officer, report=report)
    assert Report.objects.get(pk=report.pk).first_submitted_at == first


@pytest.mark.parametrize("step", ["approve", "return"])
def test_it_cannot_be_withdrawn_once_reviewed(reports, officer, commander, step):
    report = submitted(reports["vinh_quang"], officer)
    if step == "approve":
        services.report_approve(user=commander, report=report)
    else:
        services.report_return(user=commander, report=report, comment="Bổ sung")
    with pytest.raises(ValidationError):
        services.report_withdraw(user=officer, report=Report.objects.get(pk=report.pk))
    assert Report.objects.get(pk=report.pk).status == step + ("d" if step == "approve" else "ed")


def test_a_draft_cannot_be_withdrawn(reports, officer):
    with pytest.raises(ValidationError):
        services.report_withdraw(user=officer, report=reports["vinh_quang"])
    assert not ReportTransition.objects.exists()


def test_only_the_units_filers_withdraw(reports, officer, outsider, commander, viewer):
    report = submitted(reports["vinh_quang"], officer)
    for user in (outsider, commander, viewer):
        with pytest.raises(PermissionDenied):
            services.report_withdraw(user=user, report=report)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_the_page_asks_for_confirmation_then_withdraws_on_post(reports, officer):
    report = submitted(reports["vinh_quang"], officer)
    client = client_for(officer)
    detail = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert f'id="action-withdraw" href="{withdraw_url(report)}"' in detail
    confirm = client.get(withdraw_url(report))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "Rút lại báo cáo" in page and 'id="confirm-action"' in page
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED  # a GET changes nothing
    response = client.post(withdraw_url(report), {"comment": ""}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:report_detail", args=[report.pk])
    html = response.content.decode()
    assert "Đã rút lại báo cáo" in html
    assert 'class="text-muted step-withdrawn"' in html
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT


def test_no_withdraw_button_once_approved_and_a_post_is_refused(reports, officer, commander):
    report = submitted(reports["vinh_quang"], officer)
    services.report_approve(user=commander, report=report)
    client = client_for(officer)
    assert 'id="action-withdraw"' not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    response = client.post(withdraw_url(report), {"comment": ""}, follow=True)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()


def test_a_reviewer_sees_no_withdraw_button_and_is_refused(reports, officer, commander):
    report = submitted(reports["vinh_quang"], officer)
    client = client_for(commander)
    assert 'id="action-withdraw"' not in client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert client.post(withdraw_url(report), {"comment": ""}).status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_another_communes_officer_gets_404(reports, officer, outsider):
    report = submitted(reports["vinh_quang"], officer)
    assert client_for(outsider).post(withdraw_url(report), {"comment": ""}).status_code == 404
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
