"""A report's automatic figures are kept across the saves of its drafts — a report is not what they count —
and follow at once the records they count (units.freshness: `changed(records=...)`, `remember(reads=...)`)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from militia import services as militia_services
from reports import selectors
from reports.models import Report
from reports.tests.conftest import fill_report
from reports.tests.test_filing_pages import client_for, codes, edit_url, form_data
from tests.factories import MilitiaMemberFactory, PersonFactory
from units import freshness


def _member(tree, joined_on):
    return MilitiaMemberFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1995, 5, 5)),
        joined_on=joined_on,
    )


@pytest.mark.django_db(transaction=True)  # real commits: the generations move as in production
def test_a_saved_draft_keeps_the_figures_and_a_member_enlisted_shows_at_once(reports, officer, tree):
    report = reports["vinh_quang"]
    active = codes()["militia_active"]
    _member(tree, datetime.date(2023, 3, 1))
    client = client_for(officer)
    assert form_data(client.get(edit_url(report)))[f"value_{active.pk}"] == "1"

    fill_report(report, officer)
    freshness.forget()  # the next request
    report = Report.objects.select_related("unit", "period").get(pk=report.pk)
    sourced = [i for i in report.template_indicators() if i.source]
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.unit_figures(report, sourced)
    assert figures[active.pk][0] == 1
    assert len(queries) == 1  # the generations of the unit: the figures themselves are not counted again

    # A member enlisted through the roster (a 2024 entry, inside the period): the next form counts two.
    militia_services.member_enlist(
        user=officer,
        person=PersonFactory(home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1996, 1, 1)),
        unit=tree["vinh_quang"],
        force_type=MilitiaMemberFactory.build().force_type,
        joined_on=datetime.date(2024, 6, 1),
    )
    freshness.forget()
    report = Report.objects.get(pk=report.pk)
    assert selectors.unit_figures(report, sourced)[active.pk][0] == 2
    page = client.get(edit_url(report))
    assert page.context["sheet"]["live"][active.pk][0] == 2
