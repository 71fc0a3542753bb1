"""The reviewer's return comment where the officer fixes the report: at the top of the edit page, a
section's comments at that section, and in the inbox row."""

import re

import pytest
from django.urls import reverse

from reports import services
from reports.tests.conftest import fill_report
from reports.tests.test_filing_pages import client_for

pytestmark = pytest.mark.django_db

RETURN = "Đề nghị bổ sung số liệu huấn luyện dân quân."
ON_TRAINING = "Số người đạt khá, giỏi chưa khớp với kết quả kiểm tra."
GENERAL = "Ghi rõ nguồn số liệu ở phần kết luận."


@pytest.fixture
def returned(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    services.report_submit(user=officer, report=report)
    sections = list(report.template.sections.order_by("order"))
    services.comment_add(user=commander, report=report, text=ON_TRAINING, section=sections[2])
    services.comment_add(user=commander, report=report, text=GENERAL)
    services.report_return(user=commander, report=report, comment=RETURN)
    return report, sections


def section_card(html, section):
    """The markup of one section's card on the edit page."""
    start = html.index(f'id="section-{section.pk}"')
    end = html.find('class="card mb-3 report-section"', start)
    return html[start : end if end > 0 else len(html)]


def test_the_edit_page_shows_the_return_comment_at_the_top(returned, officer):
    report, _sections = returned
    html = client_for(officer).get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    notes = html[html.index('id="review-notes"') : html.index('id="report-form"')]
    assert "Ý kiến của người duyệt" in notes
    assert re.search(r"chihuy đã trả lại lúc \d\d/\d\d/\d{4} \d\d:\d\d:</strong> " + RETURN, notes)
    assert GENERAL in notes
    assert ON_TRAINING not in notes  # a section's comment shows at the section, with a link from the top


def test_a_section_comment_shows_at_its_section_only(returned, officer):
    report, sections = returned
    html = client_for(officer).get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    training = section_card(html, sections[2])
    assert "Ý kiến về mục này" in training and ON_TRAINING in training
    for other in (sections[0], sections[3]):
        assert ON_TRAINING not in section_card(html, other)
    edit = reverse("reports:report_edit", args=[report.pk])
    link = f"{edit}?section={sections[2].pk}#section-comments-{sections[2].pk}"
    assert link in html


def test_editing_one_section_shows_its_comments_and_the_return_comment(returned, officer):
    report, sections = returned
    url = f"{reverse('reports:report_edit', args=[report.pk])}?section={sections[2].pk}"
    html = client_for(officer).get(url).content.decode()
    assert RETURN in html and ON_TRAINING in section_card(html, sections[2])


def test_a_draft_never_returned_shows_no_review_notes(reports, officer):
    html = client_for(officer).get(reverse("reports:report_edit", args=[reports["vinh_quang"].pk])).content.decode()
    assert 'id="review-notes"' not in html and 'id="return-note"' not in html


def test_after_resubmission_and_a_second_return_the_latest_comment_shows(returned, officer, commander):
    report, _sections = returned
    report = services.report_submit(user=officer, report=report)
    services.report_return(user=commander, report=report, comment="Lần hai: thiếu chữ ký.")
    html = client_for(officer).get(reverse("reports:report_edit", args=[report.pk])).content.decode()
    assert "Lần hai: thiếu chữ ký." in html and RETURN not in html


def test_the_inbox_row_shows_the_return_comment(returned, officer):
    report, _sections = returned
    html = client_for(officer).get(reverse("reports:inbox")).content.decode()
    returned_list = html[html.index('id="returned"') : html.index('id="overdue"')]
    row = returned_list[returned_list.index(f'data-report="{report.pk}"') :].split("</tr>")[0]
    assert "return-note" in row and RETURN in row and "chihuy" in row


def test_a_long_return_comment_is_shortened_in_the_inbox_but_whole_on_hover(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    services.report_submit(user=officer, report=report)
    long = "Bổ sung số liệu. " * 20
    services.report_return(user=commander, report=report, comment=long)
    html = client_for(officer).get(reverse("reports:inbox")).content.decode()
    row = html[html.index(f'data-report="{report.pk}"') :].split("</tr>")[0]
    assert f'title="{long.strip()}"' in row and "…" in row
