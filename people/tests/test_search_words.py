"""Name search matches every word of the query, in any order, on every list with a search box."""

import pytest
from django.conf import settings
from django.db import connection

from people.models import Person
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    MilitiaMemberFactory,
    PersonFactory,
    ReservistFactory,
)


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def names(tree):
    """Three people of Vĩnh Quang: only the first has both words "hoang" and "vinh"."""
    hamlet = tree["vq_hamlet"]
    return [
        PersonFactory(full_name="Hoàng Xuân Vinh", home_unit=hamlet),
        PersonFactory(full_name="Hoàng Văn Nam", home_unit=hamlet),
        PersonFactory(full_name="Lý Thị Vinh", home_unit=hamlet),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Hoang Vinh", ["Hoàng Xuân Vinh"]),
        ("vinh hoang", ["Hoàng Xuân Vinh"]),
        ("  HOÀNG   vinh ", ["Hoàng Xuân Vinh"]),
        ("xuan", ["Hoàng Xuân Vinh"]),
        ("vinh", ["Hoàng Xuân Vinh", "Lý Thị Vinh"]),
        ("hoang vinh nam", []),
        ("hoang hoang", ["Hoàng Văn Nam", "Hoàng Xuân Vinh"]),
    ],
)
def test_every_word_must_match_in_any_order(names, query, expected):
    found = Person.objects.search(query)
    assert sorted(found.values_list("full_name", flat=True)) == sorted(expected)


def _lists(tree, names):
    """Each list page with a search box, with one record per person shown on it."""
    campaign = CampaignFactory(district=tree["district"])
    for person in names:
        MilitiaMemberFactory(person=person)
        ReservistFactory(person=person)
        CandidateFactory(person=person, campaign=campaign)
    return [
        "/people/",
        "/militia/members/",
        "/militia/reservists/",
        f"/recruitment/campaigns/{campaign.pk}/candidates/",
    ]


def test_every_list_finds_by_words_in_any_order(client, district_officer, tree, names):
    client.force_login(district_officer)
    for url in _lists(tree, names):
        body = client.get(url, {"q": "Vinh Hoang"}).content.decode()
        assert "Hoàng Xuân Vinh" in body, url
        assert "Hoàng Văn Nam" not in body, url
        assert "Lý Thị Vinh" not in body, url


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_each_word_is_answered_by_the_trigram_index(names):
    """With sequential and plain index scans off, the planner can only answer a LIKE '%word%' through
    a bitmap scan of an index that supports it: the trigram GIN index. Each word's pattern is an index
    condition of that scan, not a filter applied afterwards."""
    sql, params = Person.objects.search("Hoang Vinh").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    index_lines = [line for line in plan.splitlines() if "Index Cond" in line or "Index Scan" in line]
    assert any("person_search_key_trgm" in line for line in index_lines), plan
    conditions = "\n".join(line for line in plan.splitlines() if "Index Cond" in line)
    assert "%hoang%" in conditions and "%vinh%" in conditions, plan
    assert "Filter" not in plan, plan
