"""The commander dashboard on the home page: headline figures, the commune table, scoping, links, query cost."""

import datetime
import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from reports.models import Target
from tests.caches import cold, cold_queries
from tests.factories import (
    CampaignFactory,
    PersonFactory,
    QuotaFactory,
    bulk_militia_members,
)

pytestmark = pytest.mark.django_db


def _dashboard(client, user, **params):
    client.force_login(user)
    response = client.get("/", params)
    assert response.status_code == 200
    return response


def _tiles(response):
    return {tile["key"]: tile for tile in response.context["dash"]["headline"]}


def test_headline_figures_match_the_hand_count(client, commander, district_data):
    tiles = _tiles(_dashboard(client, commander))

    # 3 handed over (VQ 2 + LB 1) of a quota of 9; last year 2 of 2.
    assert tiles["handover_rate"]["value"] == 33.3
    assert tiles["handover_rate"]["previous"] == 100.0
    assert tiles["handover_rate"]["change"] == -66.7
    # A, B, C, D in VQ and E in LB; last year A, B, C and X.
    assert tiles["militia_strength"]["value"] == 5
    assert tiles["militia_strength"]["previous"] == 4
    assert tiles["militia_strength"]["change"] == 1
    # 5 of 7,000 people = 0.07 %, shown to one decimal.
    assert tiles["militia_ratio"]["value"] == 0.1
    assert tiles["militia_ratio"]["target"] == Decimal("1.4")
    assert tiles["militia_ratio"]["status"] == "at_risk"
    # Party: A and B of 5 now; of 4 last year.
    assert tiles["party_share"]["value"] == 40.0
    assert tiles["party_share"]["previous"] == 50.0
    # Trained this year: A of 5.
    assert tiles["trained_share"]["value"] == 20.0
    # Reservists: 2 of 3 placed, 1 of the 2 in a matching post.
    assert tiles["reserve_placed"]["value"] == 2
    assert tiles["reserve_match_rate"]["value"] == 50.0
    assert tiles["reserve_match_rate"]["previous"] == 50.0


def test_the_commune_table_colours_figures_against_their_targets(client, commander, district_data, tree):
    response = _dashboard(client, commander)
    rows = {row["unit"].name: row for row in response.context["dash"]["rows"]}
    vq, lb = rows["Vĩnh Quang"], rows["Lý Bôn"]
    assert vq["handover"]["rate"] == 50.0
    assert vq["handover"]["cell"]["status"] == "at_risk"  # the quota (100 %) is the default target
    assert lb["handover"]["rate"] == 20.0
    assert vq["militia"]["strength"] == 4
    assert vq["militia"]["ratio"] == 0.2  # 4 of 2,000
    assert vq["militia"]["ratio_cell"]["target"] == Decimal("1.4")  # the district's target
    assert vq["militia"]["party_share"] == 50.0
    assert vq["militia"]["party_cell"]["status"] == "ok"  # VQ's own target: 40 %
    assert lb["militia"]["party_cell"]["target"] is None
    assert vq["reserve"]["placed"] == 2
    assert vq["reserve"]["match_rate"] == 50.0
    body = response.content.decode()
    assert "33,3 %" in body  # Vietnamese decimals
    assert 'class="text-end target-cell target-at_risk"' in body


def test_the_commune_table_sorts_on_the_server(client, commander, district_data):
    response = _dashboard(client, commander, sort="-militia_strength")
    assert [r["unit"].name for r in response.context["dash"]["rows"]] == ["Vĩnh Quang", "Lý Bôn"]
    response = client.get("/", {"sort": "militia_strength"})
    assert [r["unit"].name for r in response.context["dash"]["rows"]] == ["Lý Bôn", "Vĩnh Quang"]


def test_a_past_year_reads_the_history(client, commander, district_data, year):
    tiles = _tiles(_dashboard(client, commander, year=year - 1))
    assert tiles["militia_strength"]["value"] == 4
    assert tiles["handover_rate"]["value"] == 100.0
    assert tiles["handover_rate"]["previous"] is None


def test_the_trend_shows_only_years_with_data(client, commander, district_data, year):
    trend = _dashboard(client, commander).context["dash"]["trend"]
    assert [t["year"] for t in trend] == [year - 2, year - 1, year]
    assert [t["strength"] for t in trend] == [4, 4, 5]  # A, B, C, X from March of year − 2


def test_without_a_period_the_report_tile_says_so(client, commander, district_data):
    response = _dashboard(client, commander)
    tile = _tiles(response)["reports_approved"]
    assert (tile["value"], tile["previous"], tile["url"]) == (None, None, "/reports/")
    body = response.content.decode()
    assert 'data-figure="reports_approved"' in body
    assert "%%" not in body  # a literal % in a translated template string must not come out doubled


def test_the_print_version_is_the_same_dashboard_without_the_menu(client, commander, district_data):
    client.force_login(commander)
    response = client.get("/dashboard/print/")
    assert response.status_code == 200
    assert "dashboard-print" in response.content.decode()
    assert _tiles(response)["militia_strength"]["value"] == 5


# --- Scoping: a commune officer sees their commune, and every link stays in it ------------------------------


def test_a_commune_officer_sees_only_the_commune(client, officer, district_data, tree):
    response = _dashboard(client, officer)
    dash = response.context["dash"]
    assert [r["unit"] for r in dash["rows"]] == [tree["vinh_quang"]]
    tiles = _tiles(response)
    assert tiles["militia_strength"]["value"] == 4
    assert tiles["handover_rate"]["value"] == 50.0  # 2 of VQ's quota of 4
    body = response.content.decode()
    assert "Lý Bôn" not in body.split('id="commune-table"')[1]


def _data_links(body):
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    links = {unescape(h) for h in re.findall(r'href="([^"]+)"', main)}
    return sorted(h for h in links if h.startswith(("/militia/", "/recruitment/", "/people/")))


def test_every_link_on_a_commune_officers_page_stays_in_the_commune(client, officer, district_data, tree):
    body = _dashboard(client, officer).content.decode()
    links = _data_links(body)
    assert len(links) > 10
    for href in links:
        query = parse_qs(urlsplit(href).query)
        if "commune" in query or urlsplit(href).path.endswith("/members/") or "reservists/" in href:
            assert query.get("commune") == [str(tree["vinh_quang"].pk)], href
        response = client.get(href)
        assert response.status_code == 200, href
        assert "Vàng Seo Páo" not in response.content.decode(), href


def test_a_commanders_table_cell_opens_the_list_it_counts(client, commander, district_data, tree):
    response = _dashboard(client, commander)
    vq = next(r for r in response.context["dash"]["rows"] if r["unit"] == tree["vinh_quang"])
    listed = client.get(vq["militia"]["strength_url"]).context["page"].paginator.count
    assert listed == vq["militia"]["strength"] == 4
    handed = client.get(vq["handover"]["cell"]["url"]).context["page"].paginator.count
    assert handed == vq["handover"]["handed_over"] == 2
    mismatched = client.get(vq["reserve"]["match_cell"]["url"]).context["page"].paginator.count
    assert mismatched == vq["reserve"]["placed"] - vq["reserve"]["matching"] == 1


# --- Cost: a fixed number of queries whatever the number of people ------------------------------------------

# With the rows of the summary table kept (dashboard.summary), whatever the number of people: the commune-level
# units the user reads, their rows, the campaigns of the years, the call-ups in preparation (4); the funnel of
# the year's campaign (1); the members and reservists the alerts name (1 here: no reservist over age); the
# force types, the targets, the communes, the people summary and its units (5); the reports: the opened
# periods, the approved share of this year's period and of last year's, the overdue / waiting / returned
# counts (4); with the request's own (session, user, the generations of the user's roles and of the units the
# dashboard reads, the user's assignments, the unread notifications of the header's bell...), and the
# generations of the reports' part, kept apart under the apps it reads (1).
DASHBOARD_QUERIES = 27
# The first view ever (an empty table) also computes the rows: the militia (1) and the reserve (2, with the age
# limits), today's alerts (3), the quotas and the candidates of each year with a call-up (1 + 3), and saves
# them (1).
FIRST_VIEW_EXTRA = 11


@pytest.mark.parametrize("members", [10, 1000])
def test_the_dashboard_costs_a_fixed_number_of_queries(
    client, commander, district_data, tree, members, django_assert_num_queries, year
):
    from reports import services

    for y in (year - 1, year):
        services.period_open(period=services.period_create(kind="year", year=y))
    next_year = CampaignFactory(
        year=year + 1, district=tree["district"], handover_date=datetime.date(year + 1, 2, 20), status="open"
    )
    QuotaFactory(campaign=next_year, commune=tree["vinh_quang"], count=3)
    half = members // 2
    bulk_militia_members(tree["vq_hamlet"], half, last_trained_year=timezone.localdate().year)
    bulk_militia_members(tree["lb_hamlet"], members - half)
    client.force_login(commander)
    client.get("/ping")
    cold()
    with django_assert_num_queries(DASHBOARD_QUERIES + FIRST_VIEW_EXTRA):
        response = client.get("/")
    assert _tiles(response)["militia_strength"]["value"] == 5 + members
    # Later views (after a write, when the cache of summaries is gone) read the kept rows.
    cold()
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/")
    assert _tiles(response)["militia_strength"]["value"] == 5 + members


def test_a_province_dashboard_costs_the_same_whatever_the_number_of_districts(client, tree, district_data, year):
    """A province commander sees every district's campaign: still one fixed set of queries."""

    from tests.factories import CampaignFactory, QuotaFactory, UnitFactory, make_user_with_role
    from units.roles import Role

    client.force_login(make_user_with_role("chihuytinh", tree["province"], Role.COMMANDER))

    def cost():
        # Warm the per-process caches (content types, permissions) and the summary table's rows of the communes.
        cold()
        client.get("/")
        with cold_queries() as queries:
            response = client.get("/")
        return len(queries), response

    one, response = cost()
    assert len(response.context["dash"]["campaigns"]) == 1
    for n in range(1, 4):
        district = UnitFactory(kind_code="district", name=f"Huyện {n}", code=f"09{n}", parent=tree["province"])
        commune = UnitFactory(kind_code="commune", name=f"Xã {n}", code=f"09{n}01", parent=district)
        QuotaFactory(
            campaign=CampaignFactory(district=district, year=year, handover_date=datetime.date(year, 1, 1)),
            commune=commune,
        )
    four, response = cost()
    assert len(response.context["dash"]["campaigns"]) == 4
    assert four == one


# --- Targets are data an admin sets, with their history ------------------------------------------------------


def test_an_admin_sets_a_target_and_its_history_is_kept(client, superuser, tree, year):
    client.force_login(superuser)
    response = client.post(
        "/admin/reports/target/add/",
        {"unit": tree["district"].pk, "year": year, "indicator": "militia_ratio", "value": "1.4"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    target = Target.objects.get()
    assert target.value == Decimal("1.4")
    assert target.history.count() == 1
    assert client.get(f"/admin/reports/target/{target.pk}/history/").status_code == 200


def test_an_unknown_year_falls_back_to_this_year(client, commander, year):
    response = _dashboard(client, commander, year="abc")
    assert response.context["dash"]["year"] == year
    response = client.get("/", {"year": year - 50})
    assert response.context["dash"]["year"] == year


def test_a_user_without_a_unit_gets_an_empty_dashboard(client, db):
    from tests.factories import UserFactory

    response = _dashboard(client, UserFactory(username="nobody"))
    assert response.context["dash"]["rows"] == []


# --- Reports: approved for the period, with last year's; overdue, waiting, returned -----------------------


@pytest.fixture
def report_years(tree, year, officer, outsider, commander, district_officer):
    """Last year: Vĩnh Quang and Lý Bôn approved, the district's report still a draft (overdue).
    This year (due next year, so nothing is overdue yet): Vĩnh Quang approved, the district's submitted
    (waiting for the commander), Lý Bôn returned."""
    import datetime

    from reports import services
    from reports.models import Report
    from reports.tests.conftest import fill_report

    periods = {
        year - 1: services.period_create(kind="year", year=year - 1),
        year: services.period_create(kind="year", year=year, due_date=datetime.date(year + 1, 6, 30)),
    }
    for period in periods.values():
        services.period_open(period=period)

    def submit(y, unit, user):
        report = fill_report(Report.objects.get(period=periods[y], unit=tree[unit]), user)
        return services.report_submit(user=user, report=report)

    for unit, user in (("vinh_quang", officer), ("ly_bon", outsider)):
        services.report_approve(user=commander, report=submit(year - 1, unit, user))
    services.report_approve(user=commander, report=submit(year, "vinh_quang", officer))
    submit(year, "district", district_officer)
    services.report_return(user=commander, report=submit(year, "ly_bon", outsider), comment="Thiếu số liệu")
    return periods


def test_the_report_tile_counts_approved_reports_against_last_year(client, commander, report_years, year):
    response = _dashboard(client, commander)
    tile = _tiles(response)["reports_approved"]
    # This year 1 approved of 3 expected (district, VQ, LB); last year 2 of 3.
    assert (tile["approved"], tile["expected"]) == (1, 3)
    assert tile["value"] == 33.3
    assert tile["previous"] == 66.7
    assert tile["change"] == -33.4
    assert tile["url"] == f"/reports/periods/{report_years[year].pk}/"
    attention = response.context["dash"]["attention"]["reports"]
    assert attention["overdue"] == 1  # the district's report of last year
    assert attention["waiting"] == 1  # the district's report of this year
    assert attention["returned"] is None  # a commander files nothing
    body = response.content.decode()
    assert 'data-figure="reports_waiting"' in body and "/reports/inbox/#waiting" in body


def test_a_period_can_be_chosen(client, commander, report_years, year):
    response = _dashboard(client, commander, period=report_years[year - 1].pk)
    tile = _tiles(response)["reports_approved"]
    assert (tile["value"], tile["previous"]) == (66.7, None)
    assert response.context["dash"]["reporting"]["selected"]
    assert f"period={report_years[year - 1].pk}" in response.context["dash"]["year_query"]
    tile = _tiles(_dashboard(client, commander, period="nonsense"))["reports_approved"]
    assert tile["value"] == 33.3  # back to the year's annual period


def test_last_years_dashboard_speaks_of_last_years_period(client, commander, report_years, year):
    tile = _tiles(_dashboard(client, commander, year=year - 1))["reports_approved"]
    assert tile["value"] == 66.7


def test_a_commune_officer_counts_only_the_commune(client, outsider, report_years):
    response = _dashboard(client, outsider)
    tile = _tiles(response)["reports_approved"]
    assert (tile["approved"], tile["expected"], tile["previous"]) == (0, 1, 100.0)
    attention = response.context["dash"]["attention"]["reports"]
    assert (attention["overdue"], attention["waiting"], attention["returned"]) == (0, None, 1)


@pytest.mark.django_db(transaction=True)  # real commits: the generations move as in production
def test_a_persons_edit_leaves_the_reports_part_kept_and_an_approval_shows_at_once(
    client, commander, officer, tree, year
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people import services as people_services
    from reports import services as report_services
    from reports.models import Report
    from reports.tests.conftest import fill_report

    period = report_services.period_create(kind="year", year=year)
    report_services.period_open(period=period)
    person = PersonFactory(home_unit=tree["vq_hamlet"])
    client.force_login(commander)
    assert _tiles(client.get("/"))["reports_approved"]["approved"] == 0

    # A person's record edited: the dashboard is computed again, but not its count of the reports.
    people_services.person_update(user=officer, person=person, full_name="Lò Văn Sửa")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert _tiles(response)["reports_approved"]["approved"] == 0
    assert any("people_person" in q["sql"] for q in queries.captured_queries)  # the people summary, again
    assert not any("reports_report" in q["sql"] for q in queries.captured_queries)

    # A report approved: the count follows at once.
    report = Report.objects.get(unit=tree["vinh_quang"], period=period)
    fill_report(report, officer)
    report_services.report_submit(user=officer, report=Report.objects.get(pk=report.pk))
    report_services.report_approve(user=commander, report=Report.objects.get(pk=report.pk))
    assert _tiles(client.get("/"))["reports_approved"]["approved"] == 1


def test_a_role_that_has_ended_is_shown_with_its_last_day(client, tree):
    from tests.factories import make_user_with_role
    from units.models import Assignment
    from units.roles import Role

    officer = make_user_with_role("lybon", tree["ly_bon"], Role.COMMUNE_OFFICER)
    Assignment.objects.create(
        user=officer, unit=tree["vinh_quang"], role=Role.COMMUNE_OFFICER, ends_on=datetime.date(2025, 6, 30)
    )
    client.force_login(officer)
    client.cookies["django_language"] = "vi"
    page = client.get("/").content.decode()
    assert "Vĩnh Quang · đến 30/06/2025" in page
    assert "Lý Bôn · đến" not in page  # the role in force has no last day
