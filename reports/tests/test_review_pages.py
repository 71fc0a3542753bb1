"""The review pages through the test client: check before submitting, the workflow steps and their
refusals, comments on sections, and the district's roll-up of its communes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports import services
from reports.models import Indicator, Report, ReportComment, ReportStatus, ReportTransition
from reports.tests.conftest import fill_report
from reports.tests.test_filing_pages import client_for
from tests.factories import make_user_with_role
from units.roles import Role
from units.services import assignment_create

pytestmark = pytest.mark.django_db


def action_url(report, action):
    return reverse("reports:report_action", args=[report.pk, action])


def detail(report):
    return reverse("reports:report_detail", args=[report.pk])


def submitted(report, user, **values):
    report = fill_report(Report.objects.get(pk=report.pk), user, values={k: Decimal(v) for k, v in values.items()})
    services.report_submit(user=user, report=report)
    return report


def fresh(report):
    return Report.objects.get(pk=report.pk)


def test_the_check_page_lists_what_is_missing_with_links(reports, officer):
    report = reports["vinh_quang"]
    section = report.template.sections.order_by("order").first()
    budget = Indicator.objects.get(code="defence_budget_spent")
    services.report_save(
        user=officer, report=report, version=0, draft=services.Draft(texts={section.pk: "Đã có nội dung"})
    )
    response = client_for(officer).get(reverse("reports:report_check", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    sections = report.template.sections.count()
    indicators = len(report.template_indicators())
    assert html.count('class="list-group-item missing-text"') == sections - 1
    assert html.count('class="list-group-item missing-value"') == indicators
    edit = reverse("reports:report_edit", args=[report.pk])
    assert f"{edit}?section={budget.sections.get(template=report.template).pk}#id_value_{budget.pk}" in html
    assert f'action="{action_url(report, "submit")}"' in html and "data-confirm=" in html


def test_the_check_page_flags_a_large_override(reports, officer):
    report = reports["vinh_quang"]
    active = Indicator.objects.get(code="militia_active")
    services.report_save(
        user=officer,
        report=report,
        version=0,
        draft=services.Draft(values={active.pk: ("50", "Danh sách chưa cập nhật")}),
        live={active.pk: Decimal(40)},
    )
    html = client_for(officer).get(reverse("reports:report_check", args=[report.pk])).content.decode()
    # The live figure is 0 in the empty roster: 50 is far more than 10 % away from it.
    warned = html.split('data-indicator="militia_active"')[1].split("</li>")[0]
    assert "50" in warned and "Danh sách chưa cập nhật" in warned


def test_submit_return_resubmit_approve_through_the_pages(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    filer, reviewer = client_for(officer), client_for(commander)

    assert filer.get(action_url(report, "submit")).status_code == 200
    assert filer.post(action_url(report, "submit"), {"comment": ""}).url == detail(report)
    assert fresh(report).status == ReportStatus.SUBMITTED
    html = reviewer.get(detail(report)).content.decode()
    assert 'id="action-return"' in html and 'id="action-approve"' in html and 'id="action-edit"' not in html

    refused = reviewer.post(action_url(report, "return"), {"comment": "   "})
    assert refused.status_code == 400
    assert fresh(report).status == ReportStatus.SUBMITTED
    reviewer.post(action_url(report, "return"), {"comment": "Bổ sung số liệu huấn luyện"})
    assert fresh(report).status == ReportStatus.RETURNED
    html = filer.get(detail(report)).content.decode()
    assert 'id="returned-note"' in html and "Bổ sung số liệu huấn luyện" in html
    assert 'id="action-edit"' in html

    filer.post(action_url(report, "submit"), {"comment": "Đã bổ sung"})
    reviewer.post(action_url(report, "approve"), {"comment": ""})
    report = fresh(report)
    assert (report.status, report.approved_by, report.doc_number) == (ReportStatus.APPROVED, commander, 1)
    steps = list(ReportTransition.objects.filter(report=report).values_list("from_status", "to_status", "comment"))
    assert steps == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Bổ sung số liệu huấn luyện"),
        ("returned", "submitted", "Đã bổ sung"),
        ("submitted", "approved", ""),
    ]
    timeline = reviewer.get(detail(report)).content.decode().split('id="timeline"')[1]
    assert timeline.count("<li class=") == 4 and "Bổ sung số liệu huấn luyện" in timeline


def test_nobody_approves_their_own_report(tree, reports):
    both = make_user_with_role("capphong", tree["district"], Role.DISTRICT_OFFICER)
    assignment_create(user=both, unit=tree["district"], role=Role.COMMANDER)
    report = submitted(reports["district"], both)
    client = client_for(both)
    assert 'id="action-approve"' not in client.get(detail(report)).content.decode()
    assert client.get(action_url(report, "approve")).url == detail(report)
    response = client.post(action_url(report, "approve"), {"comment": ""})
    assert response.url == detail(report)
    assert fresh(report).status == ReportStatus.SUBMITTED


def test_filers_do_not_review_and_reviewers_do_not_submit(reports, officer, commander, viewer):
    report = submitted(reports["vinh_quang"], officer)
    for action in ("approve", "return"):
        assert client_for(officer).post(action_url(report, action), {"comment": "x"}).status_code == 403
        assert client_for(viewer).get(action_url(report, action)).status_code == 403
    draft = reports["ly_bon"]
    assert client_for(commander).post(action_url(draft, "submit"), {}).status_code == 403
    assert client_for(commander).get(action_url(draft, "sign")).status_code == 404


def test_reopening_needs_a_reason(reports, officer, commander):
    report = submitted(reports["vinh_quang"], officer)
    services.report_approve(user=commander, report=report)
    client = client_for(commander)
    assert 'id="action-reopen"' in client.get(detail(report)).content.decode()
    assert client.post(action_url(report, "reopen"), {"comment": ""}).status_code == 400
    assert fresh(report).status == ReportStatus.APPROVED
    client.post(action_url(report, "reopen"), {"comment": "Sửa số liệu dân quân"})
    assert fresh(report).status == ReportStatus.DRAFT
    assert ReportTransition.objects.filter(report=report, to_status="draft", comment="Sửa số liệu dân quân").exists()
    assert client_for(officer).get(reverse("reports:report_edit", args=[report.pk])).status_code == 200


def test_comments_on_a_section_and_on_the_whole_report(reports, officer, viewer, outsider):
    report = reports["vinh_quang"]
    section = report.template.sections.order_by("order")[2]
    url = reverse("reports:report_comment", args=[report.pk])

    response = client_for(viewer).post(url, {"text": "Làm rõ số buổi huấn luyện", "section": section.pk})
    assert response.url == f"{detail(report)}#comments-{section.pk}"
    client_for(officer).post(url, {"text": "Nhận xét chung", "view": section.pk})
    assert client_for(officer).post(url, {"text": "  "}).status_code == 302
    assert client_for(outsider).post(url, {"text": "Không được"}).status_code == 404
    other = reports["district"].template.sections.first()
    client_for(officer).post(url, {"text": "Sai mục", "section": other.pk})

    comments = list(ReportComment.objects.filter(report=report).values_list("section_id", "author__username", "text"))
    assert comments == [(section.pk, "xemvq", "Làm rõ số buổi huấn luyện"), (None, "vinhquang", "Nhận xét chung")]
    html = client_for(officer).get(detail(report)).content.decode()
    in_section = html.split(f'id="comments-{section.pk}"')[1].split("</form>")[0]
    assert "Làm rõ số buổi huấn luyện" in in_section
    general = html.split('id="comments-general"')[1]
    assert "Nhận xét chung" in general
    assert client_for(officer).get(url).status_code == 405


def test_the_district_page_rolls_up_approved_communes_and_lists_the_missing(
    tree, reports, officer, outsider, commander, district_officer
):
    tree["vinh_quang"].population, tree["ly_bon"].population = 2000, 6000
    tree["vinh_quang"].save()
    tree["ly_bon"].save()
    vq = submitted(reports["vinh_quang"], officer, political_sessions="12", training_good_rate="80")
    lb = submitted(reports["ly_bon"], outsider, political_sessions="1234", training_good_rate="60")
    services.report_approve(user=commander, report=vq)
    client = client_for(district_officer)

    html = client.get(detail(reports["district"])).content.decode()
    row = html.split('data-indicator="political_sessions"')[1].split("</tr>\n      \n")[0]
    assert '<span class="rollup-total">12</span>' in row
    assert "<td>Vĩnh Quang</td><td" in row
    missing = html.split('id="rollup-missing"')[1].split("</div>")[0]
    assert "Lý Bôn" in missing and "Vĩnh Quang" not in missing

    services.report_approve(user=commander, report=lb)
    html = client.get(detail(reports["district"])).content.decode()
    row = html.split('data-indicator="political_sessions"')[1].split("</tr>\n      \n")[0]
    assert '<span class="rollup-total">1.246</span>' in row  # 12 + 1.234
    good = html.split('data-indicator="training_good_rate"')[1].split("</tr>\n      \n")[0]
    assert '<span class="rollup-total">65,0</span>' in good  # (80 × 2000 + 60 × 6000) / 8000
    assert 'id="rollup-missing"' not in html
    # The district's edit form opens with the roll-up as its automatic figure.
    sessions = Indicator.objects.get(code="political_sessions")
    edit = client.get(reverse("reports:report_edit", args=[reports["district"].pk]))
    assert edit.context["form"][f"value_{sessions.pk}"].value() == "1.246"
