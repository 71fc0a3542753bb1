"""The filing pages through the test client: the report page, editing with the version check, autosave,
the reason an automatic figure needs, read-only approved reports, scoping and the cost in queries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from reports import services
from reports.models import Indicator, IndicatorValue, Report, SectionText
from reports.tests.conftest import fill_report
from tests.caches import cold_queries
from tests.factories import MilitiaMemberFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(response):
    """The edit form as the browser would post it: every field with what the page shows."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def edit_url(report, section=None):
    url = reverse("reports:report_edit", args=[report.pk])
    return f"{url}?section={section.pk}" if section else url


def codes():
    return {i.code: i for i in Indicator.objects.all()}


# --- The report page ------------------------------------------------------------------------------------


def test_the_report_page_shows_sections_values_and_last_period(reports, officer, tree):
    last_year = services.period_create(kind="year", year=2023, due_date=datetime.date(2023, 12, 15))
    services.period_open(period=last_year)
    old = Report.objects.get(period=last_year, unit=tree["vinh_quang"])
    fill_report(old, officer, values={"defence_budget_spent": Decimal("900")})
    report = fill_report(reports["vinh_quang"], officer, values={"defence_budget_spent": Decimal("1234.5")})

    response = client_for(officer).get(reverse("reports:report_detail", args=[report.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card mb-3 report-section"') == report.template.sections.count()
    row = html.split('data-indicator="defence_budget_spent"')[1].split("</tr>")[0]
    assert "1.234,5" in row and "900" in row
    assert 'id="action-edit"' in html and 'id="action-check"' in html
    assert reverse("reports:report_docx", args=[report.pk]) in html  # the officer may export


def test_one_section_at_a_time(reports, officer):
    report = reports["vinh_quang"]
    second = report.template.sections.order_by("order")[1]
    response = client_for(officer).get(reverse("reports:report_detail", args=[report.pk]), {"section": second.pk})
    html = response.content.decode()
    assert html.count('class="card mb-3 report-section"') == 1
    assert f'id="section-{second.pk}"' in html
    assert response.context["current"] == second


# --- Editing ---------------------------------------------------------------------------------------------


def test_edit_and_save_a_draft(reports, officer):
    report = reports["vinh_quang"]
    section = report.template.sections.order_by("order").first()
    budget = codes()["defence_budget_spent"]
    client = client_for(officer)
    page = client.get(edit_url(report))
    assert page.status_code == 200
    data = form_data(page)
    assert data["version"] == 0
    data[f"text_{section.pk}"] = "Duy trì nghiêm chế độ trực."
    data[f"value_{budget.pk}"] = "1.234,5"

    response = client.post(edit_url(report), data)

    assert response.status_code == 302 and response.url == edit_url(report)
    report.refresh_from_db()
    assert (report.version, report.last_saved_by) == (1, officer)
    assert SectionText.objects.get(report=report, section=section).text == "Duy trì nghiêm chế độ trực."
    assert IndicatorValue.objects.get(report=report, indicator=budget).value == Decimal("1234.5")
    again = client.get(edit_url(report))
    assert form_data(again)[f"value_{budget.pk}"] == "1.234,5"


def test_saving_one_section_leaves_the_others_alone(reports, officer):
    report = fill_report(reports["vinh_quang"], officer, texts={})
    first, second = report.template.sections.order_by("order")[:2]
    client = client_for(officer)
    data = form_data(client.get(edit_url(report, second)))
    assert f"text_{first.pk}" not in data
    data[f"text_{second.pk}"] = "Mục hai sửa lại"
    assert client.post(edit_url(report, second), data).status_code == 302
    texts = dict(SectionText.objects.filter(report=report).values_list("section_id", "text"))
    assert texts[second.pk] == "Mục hai sửa lại"
    assert texts[first.pk] == f"Nội dung mục {first.order}"


def test_autosave_answers_the_new_version(reports, officer):
    report = reports["vinh_quang"]
    section = report.template.sections.order_by("order").first()
    client = client_for(officer)
    data = form_data(client.get(edit_url(report)))
    data[f"text_{section.pk}"] = "Đang gõ dở"
    url = reverse("reports:report_autosave", args=[report.pk])

    first = client.post(url, data)
    assert first.status_code == 200
    body = json.loads(first.content)
    assert body["ok"] is True and body["version"] == 1 and len(body["saved_at"]) == 5
    data["version"] = body["version"]
    data[f"text_{section.pk}"] = "Đang gõ dở, thêm nữa"
    second = json.loads(client.post(url, data).content)
    assert second["version"] == 2
    assert SectionText.objects.get(report=report, section=section).text == "Đang gõ dở, thêm nữa"
    assert client.get(url).status_code == 405


def test_autosave_of_a_stale_version_stops_with_a_conflict(reports, officer, district_officer):
    report = reports["vinh_quang"]
    data = form_data(client_for(officer).get(edit_url(report)))
    fill_report(report, district_officer)
    response = client_for(officer).post(reverse("reports:report_autosave", args=[report.pk]), data)
    assert response.status_code == 409
    assert json.loads(response.content)["stop"] is True


def test_a_stale_save_is_refused_keeping_the_input_and_showing_the_other_version(reports, officer, district_officer):
    report = reports["vinh_quang"]
    section = report.template.sections.order_by("order").first()
    budget = codes()["defence_budget_spent"]
    mine, theirs = client_for(officer), client_for(district_officer)
    my_data = form_data(mine.get(edit_url(report)))
    their_data = form_data(theirs.get(edit_url(report)))
    their_data[f"text_{section.pk}"] = "Bản của trợ lý huyện"
    their_data[f"value_{budget.pk}"] = "500"
    assert theirs.post(edit_url(report), their_data).status_code == 302

    my_data[f"text_{section.pk}"] = "Bản của xã"
    my_data[f"value_{budget.pk}"] = "700"
    response = mine.post(edit_url(report), my_data)

    assert response.status_code == 409
    assert SectionText.objects.get(report=report, section=section).text == "Bản của trợ lý huyện"
    assert IndicatorValue.objects.get(report=report, indicator=budget).value == Decimal(500)
    html = response.content.decode()
    conflict = html.split('id="conflict"')[1].split("</div>")[0]
    assert (district_officer.get_full_name() or district_officer.username) in conflict
    kept = form_data(response)
    assert kept[f"text_{section.pk}"] == "Bản của xã" and kept[f"value_{budget.pk}"] == "700"
    theirs_text = html.split(f'data-theirs="text_{section.pk}"')[1].split("</div>\n      </div>")[0]
    assert "Bản của trợ lý huyện" in theirs_text
    assert "500" in html.split(f'data-theirs="value_{budget.pk}"')[1].split("</div>")[0]
    # The fields nobody changed carry no "theirs" note.
    assert html.count("data-theirs=") == 2

    # Saving again, after seeing their version, is deliberate and wins.
    assert kept["version"] == "1"
    assert mine.post(edit_url(report), kept).status_code == 302
    assert SectionText.objects.get(report=report, section=section).text == "Bản của xã"


def test_changing_an_automatic_figure_needs_a_reason(reports, officer, tree):
    MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), joined_on=datetime.date(2023, 3, 1))
    report = reports["vinh_quang"]
    active = codes()["militia_active"]
    client = client_for(officer)
    data = form_data(client.get(edit_url(report)))
    assert data[f"value_{active.pk}"] == "1"  # prefilled with the live figure
    data[f"value_{active.pk}"] = "12"

    response = client.post(edit_url(report), data)

    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {f"reason_{active.pk}"}
    assert form_data(response)[f"value_{active.pk}"] == "12"  # the typed value is kept
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not IndicatorValue.objects.filter(report=report).exists()

    data[f"reason_{active.pk}"] = "Bổ sung 11 người chưa cập nhật danh sách"
    assert client.post(edit_url(report), data).status_code == 302
    saved = IndicatorValue.objects.get(report=report, indicator=active)
    assert (saved.value, saved.auto_value) == (Decimal(12), Decimal(1))
    assert saved.override_reason.startswith("Bổ sung")


def test_a_value_that_is_not_a_number_is_shown_beside_its_field(reports, officer):
    report = reports["vinh_quang"]
    budget = codes()["defence_budget_spent"]
    client = client_for(officer)
    data = form_data(client.get(edit_url(report)))
    data[f"value_{budget.pk}"] = "mười hai"
    response = client.post(edit_url(report), data)
    assert response.status_code == 200
    assert f"value_{budget.pk}" in response.context["form"].errors
    assert form_data(response)[f"value_{budget.pk}"] == "mười hai"


def test_an_approved_report_is_not_editable(reports, officer, commander):
    report = fill_report(reports["vinh_quang"], officer)
    services.report_submit(user=officer, report=report)
    services.report_approve(user=commander, report=report)
    client = client_for(officer)
    data = {"version": report.version}
    section = report.template.sections.first()
    data[f"text_{section.pk}"] = "Sửa sau khi duyệt"

    assert client.get(edit_url(report)).url == reverse("reports:report_detail", args=[report.pk])
    assert client.post(edit_url(report), data).status_code == 302
    assert client.post(reverse("reports:report_autosave", args=[report.pk]), data).status_code == 403
    assert SectionText.objects.get(report=report, section=section).text != "Sửa sau khi duyệt"
    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'id="action-edit"' not in html and 'id="action-check"' not in html


# --- Scoping ---------------------------------------------------------------------------------------------


def test_an_officer_of_another_commune_gets_404(reports, outsider):
    client = client_for(outsider)
    report = reports["vinh_quang"]
    for name in ("report_detail", "report_edit", "report_check"):
        assert client.get(reverse(f"reports:{name}", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:report_autosave", args=[report.pk]), {"version": 0}).status_code == 404
    assert client.get(reverse("reports:report_action", args=[report.pk, "submit"])).status_code == 404
    assert client.get(reverse("reports:report_detail", args=[reports["ly_bon"].pk])).status_code == 200


def test_the_commander_reads_every_report_but_edits_none(reports, commander):
    client = client_for(commander)
    for report in reports.values():
        assert client.get(reverse("reports:report_detail", args=[report.pk])).status_code == 200
    assert client.get(edit_url(reports["vinh_quang"])).status_code == 403
    assert client.post(reverse("reports:report_action", args=[reports["vinh_quang"].pk, "submit"])).status_code == 403


def test_a_viewer_reads_but_does_not_edit_or_export(reports, viewer):
    client = client_for(viewer)
    report = reports["vinh_quang"]
    html = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'id="action-edit"' not in html and 'id="export-docx"' not in html
    assert client.get(edit_url(report)).status_code == 403
    assert client.post(reverse("reports:report_autosave", args=[report.pk]), {"version": 0}).status_code == 403
    assert client.get(reverse("reports:report_detail", args=[reports["ly_bon"].pk])).status_code == 404


# --- Cost ------------------------------------------------------------------------------------------------


def _count(client, url):
    """The queries of a page computed afresh (nothing cached), as on its first view after a write."""
    with cold_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_report_pages_cost_a_fixed_number_of_queries(tree, reports, officer, outsider, district_officer, commander):
    def more_data(n):
        for hamlet in ("vq_hamlet", "lb_hamlet"):
            for _ in range(n):
                MilitiaMemberFactory(person=PersonFactory(home_unit=tree[hamlet]), joined_on=datetime.date(2023, 1, 1))

    def approve(report, user):
        report = fill_report(Report.objects.get(pk=report.pk), user, values={"political_sessions": Decimal(3)})
        services.report_submit(user=user, report=report)
        services.report_approve(user=commander, report=report)

    more_data(1)
    approve(reports["vinh_quang"], officer)
    fill_report(reports["district"], district_officer)
    client = client_for(district_officer)
    urls = [
        reverse("reports:report_detail", args=[reports["district"].pk]),
        edit_url(reports["district"]),
        reverse("reports:report_check", args=[reports["district"].pk]),
        reverse("reports:report_detail", args=[reports["vinh_quang"].pk]),
    ]
    client.get(urls[0])  # the header's bell counts once per user, then until the user's notifications change
    before = [_count(client, url) for url in urls]

    more_data(5)
    approve(reports["ly_bon"], outsider)
    extra = UnitFactory(kind_code="commune", name="Quảng Lâm", code="01297", parent=tree["district"])
    services.period_open(period=reports["district"].period)
    approve(Report.objects.get(unit=extra, period=reports["district"].period), district_officer)
    after = [_count(client, url) for url in urls]

    assert after == before
    assert max(after) <= 50
