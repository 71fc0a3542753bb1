"""The reserve roster pages: who may see and change what, registering, placing, taking off, filters, fixed cost."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from militia.models import Reservist, ReservistStatus
from people.models import Person
from people.rules import years_before
from tests.caches import cold_queries
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    make_user_with_role,
    person_form_data,
)
from units.roles import Role

ROW_LINK = re.compile(r'<a href="/militia/reservists/(\d+)/">([^<]+)</a>')
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def today():
    return timezone.localdate()


def dmy(day):
    return day.strftime("%d/%m/%Y")


def listed(response):
    assert response.status_code == 200
    return [name for _pk, name in ROW_LINK.findall(response.content.decode())]


def selected(body, name):
    """The value a browser submits for a <select>: the selected option, else the first one."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    chosen = [value for value, attrs in options if "selected" in attrs]
    return chosen[0] if chosen else options[0][0]


@pytest.fixture
def company(tree):
    return ReserveUnitFactory(name="Đại đội 1", district=tree["district"])


@pytest.fixture
def rifle(company):
    return ReservePostFactory(reserve_unit=company, title="Chiến sĩ bộ binh", specialty_code="BB-01")


@pytest.fixture
def signals(company):
    return ReservePostFactory(
        reserve_unit=company, title="Chiến sĩ thông tin", specialty_code="TT-02", required_count=2
    )


@pytest.fixture
def reservist(tree, rifle):
    return ReservistFactory(
        person=PersonFactory(
            full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"], birth_date=years_before(today(), 30)
        ),
        post=rifle,
        rank="ha_si",
    )


READ_PAGES = ["/militia/reservists/", "/militia/reservists/{pk}/", "/militia/reserve-units/"]
WRITE_PAGES = ["/militia/reservists/new/", "/militia/reservists/{pk}/edit/", "/militia/reservists/{pk}/status/"]


# --- Who may see and change what ------------------------------------------------------------------


# One test per user, each walking every page: the arrangement is the costly part.


def test_it_redirects_anonymous_to_login(client, reservist):
    for page in READ_PAGES + WRITE_PAGES:
        url = page.format(pk=reservist.pk)
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"/login/?next={url}"), page


def test_officer_opens_every_page(client, officer, reservist):
    client.force_login(officer)
    for page in READ_PAGES + WRITE_PAGES:
        assert client.get(page.format(pk=reservist.pk)).status_code == 200, page


def test_viewer_reads_without_edit_links(client, viewer, reservist):
    client.force_login(viewer)
    for page in READ_PAGES:
        response = client.get(page.format(pk=reservist.pk))
        assert response.status_code == 200, page
        body = response.content.decode()
        assert "/militia/reservists/new/" not in body, page
        assert f"/militia/reservists/{reservist.pk}/edit/" not in body, page


def test_viewer_may_not_write(client, viewer, reservist):
    client.force_login(viewer)
    data = {"status": "removed", "reason": "x", "confirm": "on", "rank": "trung_si"}
    for page in WRITE_PAGES:
        url = page.format(pk=reservist.pk)
        assert client.get(url).status_code == 403, page
        assert client.post(url, data).status_code == 403, page
    reservist.refresh_from_db()
    assert (reservist.status, reservist.rank) == (ReservistStatus.ACTIVE, "ha_si")
    assert Reservist.objects.count() == 1


def test_outsider_gets_404_on_another_communes_reservist(client, outsider, reservist):
    client.force_login(outsider)
    data = {"status": "removed", "reason": "x", "confirm": "on", "rank": "trung_si"}
    for page in ["/militia/reservists/{pk}/", "/militia/reservists/{pk}/edit/", "/militia/reservists/{pk}/status/"]:
        url = page.format(pk=reservist.pk)
        for response in (client.get(url), client.post(url, data)):
            assert response.status_code == 404, page
            assert "Nguyễn Văn Đức" not in response.content.decode(), page
    reservist.refresh_from_db()
    assert (reservist.status, reservist.rank) == (ReservistStatus.ACTIVE, "ha_si")


def test_outsider_sees_only_own_commune(client, outsider, reservist, tree):
    ReservistFactory(person=PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"]))
    client.force_login(outsider)
    assert listed(client.get("/militia/reservists/")) == ["Vàng Seo Páo"]


def test_detail_shows_the_placement_and_the_match(client, officer, reservist):
    client.force_login(officer)
    body = client.get(f"/militia/reservists/{reservist.pk}/").content.decode()
    assert "Nguyễn Văn Đức" in body and reservist.person.national_id in body
    assert "Đại đội 1" in body and "Chiến sĩ bộ binh" in body and "BB-01" in body
    assert "matches" in body
    assert f'href="/militia/reservists/{reservist.pk}/status/"' in body


# --- Registering and placing ----------------------------------------------------------------------


def reservist_data(unit, **overrides):
    data = {
        "person_national_id": "",
        "unit": unit.pk,
        "category": "hsq_bs",
        "tier": "1",
        "rank": "binh_nhat",
        "specialty_code": "BB-01",
        "registered_on": dmy(today() - 30 * DAY),
        "post": "",
        "placed_on": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def new_person_data(home_unit, **overrides):
    return {f"p-{key}": value for key, value in person_form_data(home_unit, **overrides).items()}


def test_officer_registers_a_person_found_by_national_id(client, officer, vq_person, tree):
    client.force_login(officer)
    response = client.post(
        "/militia/reservists/new/", reservist_data(tree["vinh_quang"], person_national_id=vq_person.national_id)
    )
    assert response.status_code == 302
    record = Reservist.objects.get()
    assert response.url == f"/militia/reservists/{record.pk}/"
    assert (record.person, record.unit, record.post, record.tier) == (vq_person, tree["vinh_quang"], None, "1")


def test_district_officer_registers_a_new_person_and_places_them(client, district_officer, tree, signals):
    client.force_login(district_officer)
    data = {
        **reservist_data(
            tree["vinh_quang"], specialty_code="tt-02", post=signals.pk, placed_on=dmy(today() - 10 * DAY)
        ),
        **new_person_data(tree["vq_hamlet2"], full_name="Lục Văn Kiên", birth_date="09/03/1995"),
    }
    response = client.post("/militia/reservists/new/", data)
    assert response.status_code == 302
    record = Reservist.objects.select_related("person").get()
    assert record.person.full_name == "Lục Văn Kiên"
    assert (record.post, record.specialty_matches) == (signals, True)
    body = client.get(response.url).content.decode()
    assert "Chiến sĩ thông tin" in body and "matches" in body


def test_a_soldier_without_a_tier_is_refused_and_nothing_is_saved(client, officer, tree):
    client.force_login(officer)
    data = {**reservist_data(tree["vinh_quang"], tier=""), **new_person_data(tree["vq_hamlet"])}
    response = client.post("/militia/reservists/new/", data)
    assert response.status_code == 200
    assert "art. 3" in response.content.decode()
    assert not Reservist.objects.exists() and not Person.objects.exists()


def test_a_man_over_age_is_refused_with_the_rule(client, officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=years_before(today(), 46))
    client.force_login(officer)
    response = client.post(
        "/militia/reservists/new/", reservist_data(tree["vinh_quang"], person_national_id=person.national_id)
    )
    assert response.status_code == 200
    assert "Military Service Law 2015 art. 37" in response.content.decode()
    assert not Reservist.objects.exists()


def test_placing_an_active_militia_member_is_refused_with_art_10_3(client, district_officer, tree, rifle):
    member = MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"])
    client.force_login(district_officer)
    response = client.post(
        "/militia/reservists/new/",
        reservist_data(
            tree["vinh_quang"], person_national_id=member.person.national_id, post=rifle.pk, placed_on=dmy(today())
        ),
    )
    assert response.status_code == 200
    assert "48/2019 art. 10.3" in response.content.decode()
    assert not Reservist.objects.exists()


def test_a_full_post_is_refused_with_its_capacity(client, district_officer, tree, signals):
    for _n in range(signals.capacity):
        ReservistFactory(person__home_unit=tree["vq_hamlet"], post=signals)
    client.force_login(district_officer)
    data = {
        **reservist_data(tree["vinh_quang"], post=signals.pk, placed_on=dmy(today())),
        **new_person_data(tree["vq_hamlet"]),
    }
    response = client.post("/militia/reservists/new/", data)
    assert response.status_code == 200
    assert "art. 16" in response.content.decode()
    assert Reservist.objects.filter(post=signals).count() == signals.capacity == 3


def test_a_commune_officer_only_offers_posts_of_own_districts(client, outsider, tree, rifle):
    other = ReservePostFactory(reserve_unit__name="Đại đội huyện khác", title="Y tá")
    client.force_login(outsider)
    body = client.get("/militia/reservists/new/").content.decode()
    assert "Y tá" not in body and other.reserve_unit.name not in body


# --- Editing --------------------------------------------------------------------------------------


def edit_data_from_page(body, **overrides):
    """The edit form as the browser submits it, from what the page shows."""
    data = {name: selected(body, name) for name in ("unit", "category", "tier", "rank", "post")}
    for name in ("specialty_code", "registered_on", "placed_on"):
        match = re.search(rf'name="{name}"(?: value="([^"]*)")?', body)
        data[name] = match.group(1) or ""
    data["notes"] = ""
    data["loaded_version"] = re.search(r'name="loaded_version" value="([^"]*)"', body).group(1)
    data.update(overrides)
    return data


def test_officer_edits_the_rank_and_the_placement_stays(client, officer, reservist, rifle):
    client.force_login(officer)
    url = f"/militia/reservists/{reservist.pk}/edit/"
    response = client.post(url, edit_data_from_page(client.get(url).content.decode(), rank="trung_si"))
    assert response.status_code == 302
    reservist.refresh_from_db()
    assert (reservist.rank, reservist.post, reservist.specialty_matches) == ("trung_si", rifle, True)
    body = client.get(f"/militia/reservists/{reservist.pk}/").content.decode()
    assert "<del>Corporal</del> → <ins>Sergeant</ins>" in body


def test_district_officer_moves_a_reservist_to_another_post(client, district_officer, reservist, signals):
    client.force_login(district_officer)
    url = f"/militia/reservists/{reservist.pk}/edit/"
    response = client.post(url, edit_data_from_page(client.get(url).content.decode(), post=str(signals.pk)))
    assert response.status_code == 302
    reservist.refresh_from_db()
    assert (reservist.post, reservist.specialty_matches) == (signals, False)


# --- Taking a reservist off the active roster -------------------------------------------------------


def status_url(reservist):
    return f"/militia/reservists/{reservist.pk}/status/"


def test_the_status_page_asks_for_confirmation(client, officer, reservist):
    client.force_login(officer)
    body = client.get(status_url(reservist)).content.decode()
    assert 'name="confirm"' in body and 'name="reason"' in body and "Nguyễn Văn Đức" in body


def test_a_post_without_confirmation_changes_nothing(client, officer, reservist, rifle):
    client.force_login(officer)
    response = client.post(status_url(reservist), {"status": "removed", "reason": "Chuyển đi"})
    assert response.status_code == 200
    reservist.refresh_from_db()
    assert (reservist.status, reservist.post) == (ReservistStatus.ACTIVE, rifle)


def test_officer_takes_a_reservist_off_and_the_history_shows_it(client, officer, reservist):
    client.force_login(officer)
    response = client.post(
        status_url(reservist), {"status": "removed", "reason": "Chuyển đi Hà Giang", "confirm": "on"}
    )
    assert response.status_code == 302
    reservist.refresh_from_db()
    assert (reservist.status, reservist.status_reason, reservist.post, reservist.placed_on) == (
        ReservistStatus.REMOVED,
        "Chuyển đi Hà Giang",
        None,
        None,
    )
    body = client.get(f"/militia/reservists/{reservist.pk}/").content.decode()
    assert "Chuyển đi Hà Giang" in body
    assert "<del>Active</del> → <ins>Removed</ins>" in body
    assert listed(client.get("/militia/reservists/")) == []
    assert listed(client.get("/militia/reservists/", {"status": "removed"})) == ["Nguyễn Văn Đức"]
    assert client.post(status_url(reservist), {"status": "over_age", "reason": "x", "confirm": "on"}).status_code == 302
    reservist.refresh_from_db()
    assert reservist.status == ReservistStatus.REMOVED


# --- Filters ---------------------------------------------------------------------------------------


@pytest.fixture
def reserve_roster(tree, rifle, signals):
    return {
        "matching": ReservistFactory(
            person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"]), post=rifle
        ),
        "mismatch": ReservistFactory(
            person=PersonFactory(full_name="Hoàng Văn Thắng", home_unit=tree["vq_hamlet2"]),
            specialty_code="LX-03",
            post=signals,
        ),
        "officer": ReservistFactory(
            person=PersonFactory(full_name="Nông Văn Hải", home_unit=tree["vq_hamlet"]), category="officer"
        ),
        "qncn": ReservistFactory(
            person=PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"]), category="qncn"
        ),
        "removed": ReservistFactory(
            person=PersonFactory(full_name="Lý Văn Sình", home_unit=tree["vq_hamlet"]),
            status="removed",
            status_reason="Chuyển đi",
        ),
    }


# Each case: the query string, the reservists it must list. One arrangement serves every case.
RESERVIST_FILTER_CASES = [
    ({}, {"matching", "mismatch", "officer", "qncn"}),
    ({"status": ""}, {"matching", "mismatch", "officer", "qncn", "removed"}),
    ({"status": "removed"}, {"removed"}),
    ({"status": "over_age"}, set()),
    ({"category": "hsq_bs"}, {"matching", "mismatch"}),
    ({"category": "officer"}, {"officer"}),
    ({"category": "qncn"}, {"qncn"}),
    ({"placed": "1"}, {"matching", "mismatch"}),
    ({"placed": "0"}, {"officer", "qncn"}),
    ({"placed": "0", "status": ""}, {"officer", "qncn", "removed"}),
    ({"mismatch": "on"}, {"mismatch"}),
    ({"commune": "ly_bon"}, {"qncn"}),
    ({"hamlet": "vq_hamlet2"}, {"mismatch"}),
    ({"q": "hoang van"}, {"mismatch"}),
    ({"q": "sinh", "status": ""}, {"removed"}),
    ({"commune": "vinh_quang", "category": "hsq_bs", "mismatch": "on"}, {"mismatch"}),
]


def test_each_filter_narrows_the_reserve_roster(client, district_officer, reserve_roster, tree):
    client.force_login(district_officer)
    for params, expected in RESERVIST_FILTER_CASES:
        query = {key: tree[value].pk if key in ("commune", "hamlet") else value for key, value in params.items()}
        names = sorted(listed(client.get("/militia/reservists/", query)))
        assert names == sorted(reserve_roster[key].person.full_name for key in expected), params


def test_the_filters_live_in_the_url(client, officer, reserve_roster):
    client.force_login(officer)
    body = client.get("/militia/reservists/", {"category": "hsq_bs", "mismatch": "on"}).content.decode()
    assert re.search(r'<form method="get"[^>]*role="search"', body)
    assert 'href="?category=hsq_bs&amp;mismatch=on&amp;sort=birth_date"' in body
    assert 'href="/militia/reservists/export.xlsx?category=hsq_bs&amp;mismatch=on"' in body


# --- Reserve units page -----------------------------------------------------------------------------


def test_reserve_units_show_placed_against_needed(client, district_officer, reserve_roster):
    client.force_login(district_officer)
    body = client.get("/militia/reserve-units/").content.decode()
    assert "Đại đội 1" in body and "Chiến sĩ bộ binh" in body and "Chiến sĩ thông tin" in body
    # Two placed out of 12 needed (10 riflemen, 2 signallers); one of the two in a matching post.
    assert re.search(r"Placed 2 / 12 \(16,7 %\) · Specialty match 50,0 %", body)


# --- Cost -------------------------------------------------------------------------------------------


def make_reservists(tree, posts, count, start=0):
    hamlets = [tree["vq_hamlet"], tree["vq_hamlet2"]]
    categories = ["hsq_bs", "hsq_bs", "qncn", "officer"]
    for n in range(start, start + count):
        ReservistFactory(
            person=PersonFactory(home_unit=hamlets[n % 2], is_party_member=n % 3 == 0),
            category=categories[n % 4],
            specialty_code=["BB-01", "TT-02"][n % 2],
            post=posts[n % len(posts)] if n % 3 else None,
        )


@pytest.mark.parametrize("params", [{}, {"placed": "1", "category": "hsq_bs", "q": "ly", "sort": "-specialty"}])
def test_the_list_costs_the_same_for_5_and_50_reservists(client, officer, tree, company, params):
    posts = [ReservePostFactory(reserve_unit=company, required_count=30) for _n in range(3)]
    client.force_login(officer)
    make_reservists(tree, posts, 5)
    client.get("/militia/reservists/", params)  # warm the session and the content types
    with cold_queries() as small:
        shown_small = listed(client.get("/militia/reservists/", params))
    make_reservists(tree, posts, 45, start=5)
    with cold_queries() as large:
        shown_large = listed(client.get("/militia/reservists/", params))
    assert 0 < len(shown_small) < len(shown_large)
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]


def test_a_commune_officer_counts_the_same_reservists_in_cards_and_tables(client, officer, reserve_roster, tree, rifle):
    """Vĩnh Quang's officer sees the district's companies but only Vĩnh Quang's reservists, on the cards
    and in the tables alike; the district officer counts Lý Bôn's too."""
    ReservistFactory(person=PersonFactory(full_name="Lò Văn Lý", home_unit=tree["lb_hamlet"]), post=rifle)
    client.force_login(officer)
    body = client.get("/militia/reserve-units/").content.decode()
    # Vĩnh Quang: two placed in the company (one matching), as the HSQ-BS card says.
    assert re.search(r"Placed 2 / 12 \(16,7 %\) · Specialty match 50,0 %", body)
    assert re.search(r'stat-value">50,0 %</div>\s*<div class="small text-muted">1 / 2 placed', body)
    assert 'id="own-reservists-only"' in body
    client.force_login(make_user_with_role("trolyhuyen2", tree["district"], Role.DISTRICT_OFFICER))
    body = client.get("/militia/reserve-units/").content.decode()
    assert re.search(r"Placed 3 / 12 \(25,0 %\) · Specialty match 66,7 %", body)
    assert re.search(r'stat-value">66,7 %</div>\s*<div class="small text-muted">2 / 3 placed', body)
    assert 'id="own-reservists-only"' not in body


def test_a_company_is_named_with_its_battalion_once(client, district_officer, tree):
    regiment = ReserveUnitFactory(name="Trung đoàn 1", kind="regiment", district=tree["district"])
    battalion = ReserveUnitFactory(name="Tiểu đoàn 2", kind="battalion", parent=regiment, district=tree["district"])
    company = ReserveUnitFactory(name="Đại đội 1", parent=battalion, district=tree["district"])
    named = ReserveUnitFactory(name="Đại đội 3 (tiểu đoàn 2)", parent=battalion, district=tree["district"])
    for unit in (company, named):
        ReservePostFactory(reserve_unit=unit)
    client.force_login(district_officer)
    body = client.get("/militia/reserve-units/").content.decode()
    assert "Đại đội 1 (Tiểu đoàn 2)" in body
    assert "Đại đội 3 (tiểu đoàn 2)<" in body or "Đại đội 3 (tiểu đoàn 2) <" in body
    assert "(tiểu đoàn 2) (Tiểu đoàn 2)" not in body
