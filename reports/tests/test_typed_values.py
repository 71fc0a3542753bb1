"""A figure the user typed is never changed without telling them, and a save after a conflict never
reverts what the other person saved."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from reports import services
from reports.models import Indicator, IndicatorValue, SectionText
from reports.tests.test_filing_pages import client_for, codes, edit_url, form_data
from units.tests.test_concurrency import _Fields

pytestmark = pytest.mark.django_db


def test_a_value_with_decimals_in_a_whole_number_indicator_is_refused_and_kept(reports, officer):
    report = reports["vinh_quang"]
    rescues = codes()["rescue_operations"]
    assert rescues.decimals == 0
    client = client_for(officer)
    data = form_data(client.get(edit_url(report)))
    data[f"value_{rescues.pk}"] = "1.234,5"
    response = client.post(edit_url(report), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"value_{rescues.pk}"]
    assert errors == ["“1234,5” có phần thập phân: chỉ tiêu này chỉ nhận số nguyên."]
    assert form_data(response)[f"value_{rescues.pk}"] == "1.234,5"  # what the user typed stays in the field
    assert "chỉ nhận số nguyên" in response.content.decode()
    assert not IndicatorValue.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.version == 0


def test_a_value_with_more_decimals_than_allowed_names_the_precision(reports, officer):
    report = reports["vinh_quang"]
    area = codes()["defence_land_area"]  # two decimals
    client = client_for(officer)
    data = form_data(client.get(edit_url(report)))
    data[f"value_{area.pk}"] = "12,345"
    response = client.post(edit_url(report), data)
    assert response.context["form"].errors[f"value_{area.pk}"] == [
        "“12,345” có quá nhiều chữ số thập phân: chỉ tiêu này nhận tối đa 2 chữ số sau dấu phẩy."
    ]
    data[f"value_{area.pk}"] = "12,34"
    assert client.post(edit_url(report), data).status_code == 302
    assert IndicatorValue.objects.get(report=report, indicator=area).value == Decimal("12.34")


def test_trailing_zeros_are_not_a_change(reports, officer):
    report = reports["vinh_quang"]
    rescues = codes()["rescue_operations"]
    services.report_save(
        user=officer, report=report, version=0, draft=services.Draft(values={rescues.pk: ("1.234,00", "")})
    )
    assert IndicatorValue.objects.get(report=report, indicator=rescues).value == Decimal(1234)


def test_autosave_reports_the_precision_error_and_stores_nothing(reports, officer):
    report = reports["vinh_quang"]
    rescues = codes()["rescue_operations"]
    client = client_for(officer)
    data = form_data(client.get(edit_url(report)))
    data[f"value_{rescues.pk}"] = "3,5"
    response = client.post(reverse("reports:report_autosave", args=[report.pk]), data)
    assert response.status_code == 400
    body = json.loads(response.content)
    assert body["ok"] is False
    assert body["errors"][f"value_{rescues.pk}"] == ["“3,5” có phần thập phân: chỉ tiêu này chỉ nhận số nguyên."]
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_the_service_refuses_it_too_whatever_the_entry_point(reports, officer):
    report = reports["vinh_quang"]
    rescues = Indicator.objects.get(code="rescue_operations")
    with translation.override("vi"), pytest.raises(services.ValidationError) as refused:
        services.report_save(
            user=officer, report=report, version=0, draft=services.Draft(values={rescues.pk: (Decimal("2.5"), "")})
        )
    assert f"value_{rescues.pk}" in refused.value.message_dict
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_the_check_page_flags_a_stored_value_with_too_many_decimals(reports, officer):
    report = reports["vinh_quang"]
    rescues = codes()["rescue_operations"]
    IndicatorValue.objects.create(report=report, indicator=rescues, value=Decimal("1234.5"))
    response = client_for(officer).get(reverse("reports:report_check", args=[report.pk]))
    html = response.content.decode()
    flagged = html.split('data-indicator="rescue_operations"')[1].split("</li>")[0]
    assert "chỉ tiêu này chỉ nhận số nguyên" in flagged
    # The page shows the figure as stored, not rounded to what the indicator keeps.
    assert "1.234,5" in html.split('data-indicator="rescue_operations"')[1]


# --- Saving again after a conflict -------------------------------------------------------------------------


def _conflict(reports, officer, district_officer):
    """A (the district officer) saves section 1; B (the commune officer, the whole report open since before)
    changes section 2 and is refused."""
    report = reports["vinh_quang"]
    first, second = report.template.sections.order_by("order")[:2]
    budget = codes()["defence_budget_spent"]
    mine, theirs = client_for(officer), client_for(district_officer)
    my_data = form_data(mine.get(edit_url(report)))
    their_data = form_data(theirs.get(edit_url(report)))
    their_data[f"text_{first.pk}"] = "Mục một của huyện"
    their_data[f"value_{budget.pk}"] = "500"
    assert theirs.post(edit_url(report), their_data).status_code == 302
    my_data[f"text_{second.pk}"] = "Mục hai của xã"
    refused = mine.post(edit_url(report), my_data)
    assert refused.status_code == 409
    return report, first, second, budget, mine, my_data, refused


def test_saving_the_merged_form_after_a_conflict_keeps_their_section(reports, officer, district_officer):
    report, first, second, budget, mine, _my_data, refused = _conflict(reports, officer, district_officer)
    shown = form_data(refused)
    # The form comes back merged: their section 1 and value where I had changed nothing, my section 2.
    assert shown[f"text_{first.pk}"] == "Mục một của huyện"
    assert shown[f"value_{budget.pk}"] == "500,0"
    assert shown[f"text_{second.pk}"] == "Mục hai của xã"
    assert mine.post(edit_url(report), shown).status_code == 302
    texts = dict(SectionText.objects.filter(report=report).values_list("section_id", "text"))
    assert (texts[first.pk], texts[second.pk]) == ("Mục một của huyện", "Mục hai của xã")
    assert IndicatorValue.objects.get(report=report, indicator=budget).value == Decimal(500)


def test_re_posting_the_old_form_with_the_new_version_writes_only_my_section(reports, officer, district_officer):
    report, first, second, budget, mine, my_data, refused = _conflict(reports, officer, district_officer)
    page = _Fields("report-form")
    page.feed(refused.content.decode())
    assert mine.post(edit_url(report), {**my_data, "version": page.values["version"]}).status_code == 302
    texts = dict(SectionText.objects.filter(report=report).values_list("section_id", "text"))
    assert (texts[first.pk], texts[second.pk]) == ("Mục một của huyện", "Mục hai của xã")
    assert IndicatorValue.objects.get(report=report, indicator=budget).value == Decimal(500)


def test_a_field_both_changed_keeps_mine_on_a_deliberate_save(reports, officer, district_officer):
    report = reports["vinh_quang"]
    first = report.template.sections.order_by("order").first()
    mine, theirs = client_for(officer), Client()
    theirs.force_login(district_officer)
    my_data = form_data(mine.get(edit_url(report)))
    their_data = form_data(theirs.get(edit_url(report)))
    their_data[f"text_{first.pk}"] = "Bản của huyện"
    assert theirs.post(edit_url(report), their_data).status_code == 302
    my_data[f"text_{first.pk}"] = "Bản của xã"
    refused = mine.post(edit_url(report), my_data)
    shown = form_data(refused)
    assert shown[f"text_{first.pk}"] == "Bản của xã"  # mine, with theirs shown beside it
    assert mine.post(edit_url(report), shown).status_code == 302
    assert SectionText.objects.get(report=report, section=first).text == "Bản của xã"
