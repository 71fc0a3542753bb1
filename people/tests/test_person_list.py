"""The people list: scoped, searchable without diacritics, filterable, sortable, paginated, fixed cost."""

import datetime
import html
import re

import pytest
from django.conf import settings
from django.utils import timezone

from people.rules import years_before
from tests.caches import cold_queries
from tests.factories import PersonFactory, UnitFactory, UserFactory, ethnicity

URL = "/people/"
ROW_LINK = re.compile(r'<a href="/people/(\d+)/">([^<]+)</a>')


@pytest.fixture(autouse=True)
def _english(client):
    # Assert on the English msgids: the Vietnamese catalog is written separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def listed(response):
    """The names in the results table, in the order the user sees them."""
    assert response.status_code == 200
    return [name for _pk, name in ROW_LINK.findall(response.content.decode())]


def years_ago(years):
    return years_before(timezone.localdate(), years)


def test_it_requires_login(client, tree):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == "/login/?next=/people/"


def test_officer_sees_only_own_commune(client, officer, vq_person, lb_person, tree):
    other = PersonFactory(full_name="Hoàng Thị Mai", home_unit=tree["vq_hamlet2"])
    client.force_login(officer)
    assert sorted(listed(client.get(URL))) == sorted([vq_person.full_name, other.full_name])


def test_viewer_sees_own_commune(client, viewer, vq_person, lb_person):
    client.force_login(viewer)
    response = client.get(URL)
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert "Register a person" not in response.content.decode()


def test_outsider_sees_only_own_commune(client, outsider, vq_person, lb_person):
    client.force_login(outsider)
    assert listed(client.get(URL)) == ["Vàng Seo Páo"]


def test_district_officer_sees_every_commune(client, district_officer, vq_person, lb_person):
    client.force_login(district_officer)
    assert sorted(listed(client.get(URL))) == ["Nguyễn Văn Đức", "Vàng Seo Páo"]


def test_user_without_unit_sees_nobody(client, tree, vq_person):
    client.force_login(UserFactory(username="nounit"))
    response = client.get(URL)
    assert listed(response) == []
    assert "No person matches these filters." in response.content.decode()


@pytest.mark.parametrize("query", ["nguyen van duc", "NGUYEN VAN DUC", "Nguyễn Văn Đức", "van duc", " duc ", "đức"])
def test_it_finds_by_name_without_diacritics(client, officer, vq_person, tree, query):
    PersonFactory(full_name="Nguyễn Văn Dũng", home_unit=tree["vq_hamlet"])
    PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["lb_hamlet"])  # another commune
    client.force_login(officer)
    assert listed(client.get(URL, {"q": query})) == ["Nguyễn Văn Đức"]


def test_a_national_id_is_looked_up_by_post_and_never_put_in_an_address(client, officer, tree):
    wanted = PersonFactory(full_name="Lục Văn Kiên", national_id="004098123456", home_unit=tree["vq_hamlet"])
    PersonFactory(full_name="Lục Văn Hiếu", national_id="004098123457", home_unit=tree["lb_hamlet"])
    client.force_login(officer)
    response = client.post(URL, {"national_id": "004098123456"})
    assert (response.status_code, response.url) == (302, f"/people/{wanted.pk}/")
    assert "004098123456" not in response.url
    # Another commune's person is not found, and nothing about them is shown.
    refused = client.post(URL, {"national_id": "004098123457"})
    assert refused.status_code == 200
    assert refused.context["lookup"].errors and "Lục Văn Hiếu" not in refused.content.decode()
    assert client.post(URL, {"national_id": "0040<script>"}).status_code == 200
    # Digits in the search box (a GET, so an address) find nobody and say where to look instead.
    searched = client.get(URL, {"q": "004098123456"})
    assert listed(searched) == [] and searched.context["digits_in_search"]
    assert 'id="national-id-lookup"' in searched.content.decode()


@pytest.fixture
def district_people(tree):
    """People in both communes, differing in one attribute at a time."""
    mong, tay = ethnicity("Mông"), ethnicity("Tày")
    return {
        "young_man": PersonFactory(
            full_name="Vàng Seo Dình", sex="M", ethnicity=mong, birth_date=years_ago(20), home_unit=tree["vq_hamlet"]
        ),
        "woman": PersonFactory(
            full_name="Nông Thị Hoa", sex="F", ethnicity=tay, birth_date=years_ago(30), home_unit=tree["vq_hamlet2"]
        ),
        "party_man": PersonFactory(
            full_name="Hoàng Văn Dũng",
            sex="M",
            ethnicity=tay,
            birth_date=years_ago(40),
            home_unit=tree["vq_hamlet"],
            is_party_member=True,
        ),
        "ly_bon_man": PersonFactory(
            full_name="Lý A Páo", sex="M", ethnicity=mong, birth_date=years_ago(50), home_unit=tree["lb_hamlet"]
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"young_man", "woman", "party_man", "ly_bon_man"}),
        ({"commune": "vinh_quang"}, {"young_man", "woman", "party_man"}),
        ({"commune": "ly_bon"}, {"ly_bon_man"}),
        ({"hamlet": "vq_hamlet"}, {"young_man", "party_man"}),
        ({"hamlet": "vq_hamlet2"}, {"woman"}),
        ({"sex": "F"}, {"woman"}),
        ({"sex": "M"}, {"young_man", "party_man", "ly_bon_man"}),
        ({"ethnicity": "Mông"}, {"young_man", "ly_bon_man"}),
        ({"ethnicity": "Tày"}, {"woman", "party_man"}),
        ({"age": "18-25"}, {"young_man"}),
        ({"age": "26-35"}, {"woman"}),
        ({"age": "46-60"}, {"ly_bon_man"}),
        ({"age": "u18"}, set()),
        ({"party": "1"}, {"party_man"}),
        ({"party": "0"}, {"young_man", "woman", "ly_bon_man"}),
        ({"commune": "vinh_quang", "sex": "M", "party": "0"}, {"young_man"}),
    ],
)
def test_each_filter_narrows_the_list(client, district_officer, district_people, tree, params, expected):
    query = {}
    for key, value in params.items():
        if key in ("commune", "hamlet"):
            value = tree[value].pk
        elif key == "ethnicity":
            value = ethnicity(value).pk
        query[key] = value
    client.force_login(district_officer)
    names = listed(client.get(URL, query))
    assert sorted(names) == sorted(district_people[key].full_name for key in expected)


def test_age_band_counts_a_birthday_today(client, officer, tree):
    PersonFactory(full_name="Sùng A Páo", birth_date=years_ago(18), home_unit=tree["vq_hamlet"])
    PersonFactory(
        full_name="Sùng A Chơ", birth_date=years_ago(18) + datetime.timedelta(days=1), home_unit=tree["vq_hamlet"]
    )
    PersonFactory(full_name="Sùng A Sử", birth_date=years_ago(26), home_unit=tree["vq_hamlet"])
    PersonFactory(
        full_name="Sùng A Lử", birth_date=years_ago(26) + datetime.timedelta(days=1), home_unit=tree["vq_hamlet"]
    )
    client.force_login(officer)
    assert sorted(listed(client.get(URL, {"age": "18-25"}))) == ["Sùng A Lử", "Sùng A Páo"]
    assert listed(client.get(URL, {"age": "u18"})) == ["Sùng A Chơ"]


@pytest.fixture
def three_people(tree):
    PersonFactory(full_name="Bế Văn Bình", birth_date=datetime.date(1990, 1, 1), home_unit=tree["vq_hamlet"])
    PersonFactory(full_name="Đàm Văn Cường", birth_date=datetime.date(2001, 6, 1), home_unit=tree["vq_hamlet"])
    PersonFactory(full_name="Ánh Thị Ngọc", birth_date=datetime.date(1995, 3, 9), home_unit=tree["vq_hamlet2"])


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        # "Ánh" sorts as "anh" and "Đàm" as "dam": the folded key orders the names.
        (None, ["Ánh Thị Ngọc", "Bế Văn Bình", "Đàm Văn Cường"]),
        ("name", ["Ánh Thị Ngọc", "Bế Văn Bình", "Đàm Văn Cường"]),
        ("-name", ["Đàm Văn Cường", "Bế Văn Bình", "Ánh Thị Ngọc"]),
        ("birth_date", ["Bế Văn Bình", "Ánh Thị Ngọc", "Đàm Văn Cường"]),
        ("-birth_date", ["Đàm Văn Cường", "Ánh Thị Ngọc", "Bế Văn Bình"]),
        ("-nonsense", ["Ánh Thị Ngọc", "Bế Văn Bình", "Đàm Văn Cường"]),
    ],
)
def test_it_sorts(client, officer, three_people, sort, expected):
    client.force_login(officer)
    assert listed(client.get(URL, {"sort": sort} if sort else {})) == expected


def test_sort_headers_toggle_the_direction(client, officer, three_people):
    client.force_login(officer)
    body = client.get(URL, {"sort": "name"}).content.decode()
    assert 'href="?sort=-name" data-sort="ascending"' in body
    assert 'href="?sort=birth_date" data-sort="none"' in body


def test_it_paginates(client, officer, tree):
    assert settings.PAGE_SIZE == 25
    for n in range(30):
        PersonFactory(full_name=f"Lầu A Tủa {n:02d}", home_unit=tree["vq_hamlet"])
    client.force_login(officer)

    first = client.get(URL)
    assert listed(first) == [f"Lầu A Tủa {n:02d}" for n in range(25)]
    body = first.content.decode()
    assert "Showing 1–25 of 30" in body
    assert "Page 1 of 2" in body
    assert 'href="?page=2" rel="next"' in body

    second = client.get(URL, {"page": 2})
    assert listed(second) == [f"Lầu A Tủa {n:02d}" for n in range(25, 30)]
    assert "Showing 26–30 of 30" in second.content.decode()


def test_pagination_keeps_the_filters(client, officer, tree):
    for n in range(27):
        PersonFactory(full_name=f"Lầu A Tủa {n:02d}", sex="F", home_unit=tree["vq_hamlet"])
    client.force_login(officer)
    body = client.get(URL, {"sex": "F", "sort": "-name"}).content.decode()
    next_link = html.unescape(re.search(r'href="([^"]+)" rel="next"', body).group(1))
    assert next_link == "?sex=F&sort=-name&page=2"
    assert listed(client.get(URL + next_link)) == ["Lầu A Tủa 01", "Lầu A Tủa 00"]


@pytest.mark.parametrize("page_number", ["abc", "0", "-1", "999"])
def test_a_bad_page_number_gives_a_page(client, officer, vq_person, page_number):
    client.force_login(officer)
    assert listed(client.get(URL, {"page": page_number})) == ["Nguyễn Văn Đức"]


@pytest.mark.parametrize(
    "params",
    [
        {"commune": "abc"},
        {"commune": "ly_bon"},
        {"hamlet": "lb_hamlet"},
        {"hamlet": "999999"},
        {"ethnicity": "xyz"},
        {"sex": "X"},
        {"age": "200+"},
        {"party": "maybe"},
        {"q": "x" * 500},
    ],
)
def test_an_invalid_filter_neither_crashes_nor_leaks(client, officer, vq_person, lb_person, tree, params):
    query = {key: tree[value].pk if value in tree else value for key, value in params.items()}
    client.force_login(officer)
    response = client.get(URL, query)
    body = response.content.decode()
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert "Some filters were not understood and were ignored." in body
    assert "Vàng Seo Páo" not in body
    assert "Lý Bôn" not in body
    assert "Nà Ké" not in body


def test_filter_choices_offer_only_own_units(client, officer, tree):
    client.force_login(officer)
    body = client.get(URL).content.decode()
    assert f'<option value="{tree["vinh_quang"].pk}">Vĩnh Quang</option>' in body
    assert "Lý Bôn" not in body
    assert "Nà Ké" not in body


def test_htmx_request_gets_only_the_results(client, officer, vq_person):
    client.force_login(officer)
    response = client.get(URL, {"q": "duc"}, headers={"HX-Request": "true", "HX-Target": "results"})
    body = response.content.decode()
    assert listed(response) == ["Nguyễn Văn Đức"]
    assert body.lstrip().startswith('<div class="results-body">')
    assert "<html" not in body
    assert 'role="search"' not in body


def test_plain_request_gets_the_whole_page(client, officer, vq_person):
    client.force_login(officer)
    body = client.get(URL, {"q": "duc"}).content.decode()
    assert "<html" in body
    assert 'role="search"' in body
    assert '<div id="results"><div class="results-body">' in body.replace("\n", "")


def test_it_costs_the_same_queries_for_5_and_50_people(client, officer, tree, django_assert_num_queries):
    hamlets = [tree["vq_hamlet"], tree["vq_hamlet2"]]
    groups = [ethnicity("Mông"), ethnicity("Tày"), ethnicity("Dao")]

    def add(count):
        for n in range(count):
            PersonFactory(home_unit=hamlets[n % 2], ethnicity=groups[n % 3], is_party_member=n % 4 == 0)

    add(5)
    client.force_login(officer)
    client.get(URL)  # warm-up: the first request after login may touch the session once more
    with cold_queries() as queries:
        response = client.get(URL, {"sort": "-birth_date"})
    assert len(listed(response)) == 5
    cost = len(queries)

    add(45)
    with django_assert_num_queries(cost):
        response = client.get(URL, {"sort": "-birth_date"})
    assert len(listed(response)) == 25


def test_it_costs_the_same_queries_whatever_the_number_of_hamlets(client, officer, tree, django_assert_num_queries):
    PersonFactory(home_unit=tree["vq_hamlet"])
    client.force_login(officer)
    client.get(URL)
    with cold_queries() as queries:
        client.get(URL)
    cost = len(queries)

    for n in range(10):
        UnitFactory(kind_code="hamlet", name=f"Khuổi {n}", parent=tree["vinh_quang"])
    with django_assert_num_queries(cost):
        body = client.get(URL).content.decode()
    assert "Khuổi 9 – Vĩnh Quang" in body


def test_the_filter_panel_folds_on_a_phone_and_opens_without_javascript(client, officer, vq_person):
    client.force_login(officer)
    body = client.get(URL, {"sex": "M"}).content.decode()
    form = re.search(r'<form method="get" id="filters" class="([^"]+)"', body).group(1).split()
    assert {"collapse", "d-lg-block"} <= set(form) and "show" not in form
    toggle = re.search(r'<a class="[^"]*" id="filter-toggle" href="([^"]+)"[^>]*>(.*?)</a>', body)
    assert html.unescape(toggle.group(1)) == "?sex=M&filters=open"
    assert 'data-bs-target=".filter-panel"' in body
    assert ">1</span>" in toggle.group(2)  # one filter in use, said on the folded button
    opened = client.get(URL, {"sex": "M", "filters": "open"}).content.decode()
    assert "show" in re.search(r'<form method="get" id="filters" class="([^"]+)"', opened).group(1).split()
    assert listed(client.get(URL, {"filters": "open"})) == ["Nguyễn Văn Đức"]


def test_a_refused_national_id_lookup_stays_unfolded_on_a_phone(client, officer, tree):
    client.force_login(officer)
    body = client.post(URL, {"national_id": "004098123457"}).content.decode()
    card = re.search(r'<form method="post"[^>]*class="([^"]+)"[^>]*id="national-id-lookup"', body).group(1).split()
    assert {"collapse", "show"} <= set(card)
    assert (
        "show"
        not in re.search(r'class="([^"]+)"[^>]*id="national-id-lookup"', client.get(URL).content.decode())
        .group(1)
        .split()
    )
