"""The reports home page, the inbox, opening a period and the completeness page: what each user sees,
the states of the units, the permissions and the cost in queries."""

import datetime

import pytest
from django.urls import reverse

from reports import services
from reports.models import Period, Report, ReportTemplate
from reports.tests.conftest import fill_report
from tests.caches import cold_queries
from tests.factories import UnitFactory
from units.models import UnitKind

pytestmark = pytest.mark.django_db


def _get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def _submit(report, user, *, on):
    """Fill and submit `report` as `user`, recorded as first submitted on the date `on`."""
    report = fill_report(Report.objects.get(pk=report.pk), user)
    services.report_submit(user=user, report=report)
    Report.objects.filter(pk=report.pk).update(
        first_submitted_at=datetime.datetime.combine(on, datetime.time(9), tzinfo=datetime.UTC)
    )
    return Report.objects.get(pk=report.pk)


# --- Index ------------------------------------------------------------------------------------------------


def test_the_index_lists_periods_with_their_counts(client, commander, reports):
    response = _get(client, commander, reverse("reports:index"))
    assert response.status_code == 200
    period = response.context["page"].object_list[0]
    assert (period.n_reports, period.n_approved) == (3, 0)
    assert response.context["box"]["overdue"]["count"] == 3  # due 15/12/2024, nothing submitted
    body = response.content.decode()
    assert reverse("reports:period_detail", args=[period.pk]) in body
    assert 'id="open-period"' not in body  # a commander does not open periods


def test_the_index_offers_a_new_period_to_the_district_staff(client, district_officer, reports):
    body = _get(client, district_officer, reverse("reports:index")).content.decode()
    assert 'id="open-period"' in body


def test_a_commune_officer_counts_only_their_report(client, officer, reports):
    response = _get(client, officer, reverse("reports:index"))
    period = response.context["page"].object_list[0]
    assert period.n_reports == 1
    assert response.context["box"]["drafts"]["count"] == 1


# --- Inbox ------------------------------------------------------------------------------------------------


def _inbox(client, user):
    response = _get(client, user, reverse("reports:inbox"))
    assert response.status_code == 200
    return {entry["key"]: entry for entry in response.context["lists"]}


def test_a_commune_officer_sees_only_their_units_reports(client, officer, reports, outsider):
    _submit(reports["ly_bon"], outsider, on=datetime.date(2024, 12, 1))
    lists = _inbox(client, officer)
    assert "waiting" not in lists  # a commune officer reviews nothing
    assert [r.pk for r in lists["drafts"]["items"]] == [reports["vinh_quang"].pk]
    assert [r.pk for r in lists["overdue"]["items"]] == [reports["vinh_quang"].pk]
    assert lists["returned"]["count"] == 0
    body = _get(client, officer, reverse("reports:inbox")).content.decode()
    assert "Lý Bôn" not in body.split("<main", 1)[1]
    assert "15/12/2024" in body  # due dates dd/mm/yyyy
    assert reverse("reports:report_detail", args=[reports["vinh_quang"].pk]) in body


def test_the_commander_sees_what_waits_for_approval_and_what_was_returned(
    client, commander, officer, outsider, reports
):
    _submit(reports["vinh_quang"], officer, on=datetime.date(2024, 12, 1))
    lybon = _submit(reports["ly_bon"], outsider, on=datetime.date(2024, 12, 1))
    services.report_return(user=commander, report=lybon, comment="Thiếu số liệu")
    lists = _inbox(client, commander)
    assert [r.pk for r in lists["waiting"]["items"]] == [reports["vinh_quang"].pk]
    assert "drafts" not in lists  # a commander files nothing
    assert {r.pk for r in lists["overdue"]["items"]} == {reports["district"].pk, reports["ly_bon"].pk}
    outsider_lists = _inbox(client, outsider)
    assert [r.pk for r in outsider_lists["returned"]["items"]] == [reports["ly_bon"].pk]


def test_an_empty_inbox_explains_itself(client, viewer, tree):
    response = _get(client, viewer, reverse("reports:inbox"))
    assert [(e["key"], e["count"]) for e in response.context["lists"]] == [("overdue", 0)]  # a viewer files nothing
    assert 'class="card-body small text-muted"' in response.content.decode()


def _open_periods(first, last):
    for year in range(first, last):
        services.period_open(period=services.period_create(kind="year", year=year))


def _count_queries(client, url):
    with cold_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_inbox_costs_the_same_queries_for_one_report_or_many(client, district_officer, tree):
    """The same number of queries for 3 reports and for 24 (session, user, the generations of the user's roles
    and of their units, scope, permissions, the bell's unread count, 4 counts and 4 lists, the session's save)."""
    client.force_login(district_officer)
    url = reverse("reports:inbox")
    _open_periods(2001, 2002)
    client.get(url)  # warm the session
    few, response = _count_queries(client, url)
    assert len(response.context["lists"][0]["items"]) == 3
    _open_periods(2002, 2009)
    many, response = _count_queries(client, url)
    assert len(response.context["lists"][0]["items"]) == 24
    assert few == many <= INBOX_MAX_QUERIES


INBOX_MAX_QUERIES = 17


# --- Opening a period -----------------------------------------------------------------------------------------


def test_only_the_district_staff_open_periods(client, officer, commander, viewer, district_officer, tree):
    url = reverse("reports:period_create")
    for user in (officer, commander, viewer):
        assert _get(client, user, url).status_code == 403
        assert client.post(url, {"kind": "year", "year": 2024, "number": 1}).status_code == 403
    assert not Period.objects.exists()
    assert _get(client, district_officer, url).status_code == 200


def test_opening_a_period_creates_the_reports_and_shows_completeness(client, district_officer, tree):
    client.force_login(district_officer)
    response = client.post(reverse("reports:period_create"), {"kind": "year", "year": "2024", "number": "1"})
    period = Period.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:period_detail", args=[period.pk])
    assert period.due_date == datetime.date(2024, 12, 15)  # the usual date of the annual report
    assert period.opened_at is not None
    assert Report.objects.filter(period=period).count() == 3
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] and "3" in str(list(page.context["messages"])[0])


def test_a_due_date_is_typed_dd_mm_yyyy(client, district_officer, tree):
    quarterly = ReportTemplate.objects.create(name="Quý", title="BÁO CÁO QUÝ {period}", period_kind="quarter")
    quarterly.unit_kinds.set(UnitKind.objects.filter(code="commune"))
    client.force_login(district_officer)
    client.post(
        reverse("reports:period_create"), {"kind": "quarter", "year": "2025", "number": "2", "due_date": "05/07/2025"}
    )
    period = Period.objects.get()
    assert (period.start, period.end, period.due_date) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 30),
        datetime.date(2025, 7, 5),
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "quarter", "year": "2025", "number": "5"}, "number"),
        ({"kind": "year", "year": "1999", "number": "1"}, "year"),
        ({"kind": "month", "year": "2025", "number": "3", "due_date": "31/02/2025"}, "due_date"),
        ({"kind": "month", "year": "2025", "number": "3", "due_date": "01/01/2025"}, "due_date"),
        ({"kind": "decade", "year": "2025", "number": "1"}, "kind"),
        ({"kind": "quarter", "year": "2025", "number": "1"}, "kind"),  # no quarterly report template
    ],
)
def test_a_wrong_period_is_refused_in_the_form(client, district_officer, tree, data, field):
    client.force_login(district_officer)
    response = client.post(reverse("reports:period_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Period.objects.exists()


def test_a_period_that_exists_is_refused_with_a_message_not_an_error(client, district_officer, annual_period):
    client.force_login(district_officer)
    response = client.post(reverse("reports:period_create"), {"kind": "year", "year": "2024", "number": "1"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Period.objects.count() == 1
    assert Report.objects.count() == 4  # the province, the district and its two communes


# --- Completeness ---------------------------------------------------------------------------------------------


@pytest.fixture
def states(tree, annual_period, reports, officer, outsider, commander, district_officer):
    """2024: Vĩnh Quang submitted on time and approved; Lý Bôn submitted late and returned; the district
    not started; Xã Mới created in 2025 (not expected); Xã Cũ in 2024 after the period was opened (missing)."""
    UnitFactory(kind_code="commune", name="Xã Mới", parent=tree["district"], valid_from=datetime.date(2025, 3, 1))
    old = UnitFactory(kind_code="commune", name="Xã Cũ", parent=tree["district"], valid_from=datetime.date(2024, 6, 1))
    vq = _submit(reports["vinh_quang"], officer, on=datetime.date(2024, 12, 14))
    services.report_approve(user=commander, report=vq)
    lb = _submit(reports["ly_bon"], outsider, on=datetime.date(2024, 12, 20))
    services.report_return(user=commander, report=lb, comment="Thiếu số liệu")
    return {"old": old}


def _completeness(client, user, period, **params):
    response = _get(client, user, reverse("reports:period_detail", args=[period.pk]), **params)
    assert response.status_code == 200
    return response


def test_completeness_states_and_rates(client, commander, annual_period, states, tree):
    response = _completeness(client, commander, annual_period)
    result = response.context["result"]
    rows = {row["unit"].name: row for row in response.context["rows"]}
    assert {name: row["state"] for name, row in rows.items()} == {
        "Bảo Lâm": "not_started",
        "Vĩnh Quang": "approved",
        "Lý Bôn": "returned",
        "Xã Cũ": "not_started",
    }
    assert "Xã Mới" not in rows  # did not exist in 2024
    assert rows["Xã Cũ"]["report"] is None
    assert result["expected"] == 4
    assert (result["submitted"], result["on_time"]) == (2, 1)
    assert result["reporting_rate"] == 50.0
    assert result["on_time_rate"] == 25.0
    assert result["approved_rate"] == 25.0
    assert result["overdue"] == 3  # the district, Xã Cũ (no report) and Lý Bôn (returned, open again)
    assert response.context["missing_reports"] == 1
    body = response.content.decode()
    assert 'data-state="approved"' in body and 'data-state="returned"' in body
    assert 'id="reopen-period"' not in body  # a commander does not open periods
    assert reverse("reports:period_values_xlsx", args=[annual_period.pk]) in body


def test_a_late_submission_stays_late_while_submitted(client, commander, annual_period, reports, outsider):
    _submit(reports["ly_bon"], outsider, on=datetime.date(2024, 12, 20))
    rows = {r["unit"].name: r for r in _completeness(client, commander, annual_period).context["rows"]}
    assert rows["Lý Bôn"]["state"] == "late"
    assert not rows["Lý Bôn"]["overdue"]


def test_the_state_filter_keeps_the_figures_of_the_whole_period(client, commander, annual_period, states):
    response = _completeness(client, commander, annual_period, state="returned")
    assert [r["unit"].name for r in response.context["rows"]] == ["Lý Bôn"]
    assert response.context["result"]["expected"] == 4
    response = _completeness(client, commander, annual_period, state="nonsense")
    assert len(response.context["rows"]) == 4


def test_a_commune_officer_sees_only_their_row(client, officer, annual_period, states):
    response = _completeness(client, officer, annual_period)
    assert [r["unit"].name for r in response.context["rows"]] == ["Vĩnh Quang"]
    assert response.context["result"]["approved_rate"] == 100.0
    assert "Lý Bôn" not in response.content.decode().split("<main", 1)[1]


def test_opening_again_creates_the_missing_reports(client, district_officer, commander, annual_period, states):
    url = reverse("reports:period_detail", args=[annual_period.pk])
    client.force_login(commander)
    assert client.post(url).status_code == 403
    client.force_login(district_officer)
    response = client.post(url)
    assert response.status_code == 302
    assert Report.objects.filter(period=annual_period, unit=states["old"]).exists()
    assert Report.objects.filter(period=annual_period).count() == 5  # with the province's
    assert client.post(url).status_code == 302  # nothing more to create, no error
    assert Report.objects.filter(period=annual_period).count() == 5


def test_an_unknown_period_is_404(client, commander, tree):
    assert _get(client, commander, reverse("reports:period_detail", args=[999])).status_code == 404


def test_completeness_costs_the_same_queries_for_2_or_20_communes(client, commander, tree, annual_period, officer):
    _submit(Report.objects.get(period=annual_period, unit=tree["vinh_quang"]), officer, on=datetime.date(2024, 12, 1))
    client.force_login(commander)
    url = reverse("reports:period_detail", args=[annual_period.pk])
    client.get(url)
    few, response = _count_queries(client, url)
    assert response.context["result"]["expected"] == 3
    for n in range(18):
        UnitFactory(kind_code="commune", name=f"Xã {n}", parent=tree["district"])
    services.period_open(period=annual_period)
    many, response = _count_queries(client, url)
    assert response.context["result"]["expected"] == 21
    assert few == many <= COMPLETENESS_MAX_QUERIES


COMPLETENESS_MAX_QUERIES = 14


def test_the_completeness_table_is_paginated_but_the_rates_count_every_unit(client, tree, commander):
    from reports import services
    from tests.factories import UnitFactory

    for n in range(60):
        UnitFactory(kind_code="commune", name=f"Xã {n:02d}", code=f"08{n:03d}", parent=tree["district"])
    period = services.period_create(kind="year", year=2024)
    services.period_open(period=period)
    client.force_login(commander)
    first = client.get(f"/reports/periods/{period.pk}/")
    assert first.context["result"]["expected"] == 63  # the district, Vĩnh Quang, Lý Bôn and the 60
    assert len(first.context["rows"]) == 50
    second = client.get(f"/reports/periods/{period.pk}/", {"page": 2})
    assert len(second.context["rows"]) == 13
    assert not {r["unit"].pk for r in first.context["rows"]} & {r["unit"].pk for r in second.context["rows"]}
