"""The figures the reports read (militia/selectors.py) against hand-computed values, their scope and their cost."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from militia import selectors
from people.rules import years_before
from tests.caches import cold_queries
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
)
from units.scoping import get_scope

DAY = datetime.timedelta(days=1)


def today():
    return timezone.localdate()


def this_year():
    return today().year


# --- Militia figures ---------------------------------------------------------------------------------


@pytest.fixture
def militia(tree):
    """Vĩnh Quang (population 5,000): five active members and one who left; Lý Bôn (population 400): two.

    Vĩnh Quang: local force ×3, mobile ×1, standing ×1; Party members 2; trained this year 3;
    terms ending this year 2 (a standing member who joined two years ago in January, a local one four years ago).
    """
    year = this_year()
    tree["ly_bon"].population = 400
    tree["ly_bon"].save()
    vq, lb = tree["vq_hamlet"], tree["lb_hamlet"]

    def member(home, party=False, **fields):
        return MilitiaMemberFactory(person=PersonFactory(home_unit=home, is_party_member=party), **fields)

    return [
        member(vq, party=True, last_trained_year=year, joined_on=datetime.date(year - 4, 1, 2)),  # ends 01/01
        member(vq, last_trained_year=year - 1),
        member(vq, last_trained_year=None, is_core=False),
        member(vq, party=True, force_code="co_dong", last_trained_year=year),
        member(vq, force_code="thuong_truc", last_trained_year=year, joined_on=datetime.date(year - 2, 1, 10)),
        member(
            vq,
            party=True,
            last_trained_year=year,
            status="discharged",
            exit_date=today() - 30 * DAY,
            exit_reason="Ốm dài ngày",
        ),
        member(lb, party=True, last_trained_year=year),
        member(lb, force_code="co_dong", last_trained_year=year - 1),
    ]


def by_unit(rows):
    return {row["unit"].name: row for row in rows}


def test_militia_summary_by_commune(district_officer, tree, militia):
    summary = selectors.militia_summary_by_commune(user=district_officer)
    assert summary["year"] == this_year()
    # Only the force types in use get a column, in the order of the reference list.
    assert [ft.code for ft in summary["force_types"]] == ["thuong_truc", "co_dong", "tai_cho"]
    rows = by_unit(summary["rows"])
    assert list(rows) == ["Lý Bôn", "Vĩnh Quang"]
    vq = rows["Vĩnh Quang"]
    assert vq["strength"] == 5
    assert vq["core"] == 4
    assert vq["by_type"] == [1, 1, 3]
    assert vq["ratio"] == 0.1  # 5 / 5,000
    assert (vq["party"], vq["party_share"]) == (2, 40.0)
    assert (vq["trained"], vq["trained_share"]) == (3, 60.0)
    assert vq["ending"] == 2
    lb = rows["Lý Bôn"]
    assert (lb["strength"], lb["by_type"], lb["ratio"]) == (2, [0, 1, 1], 0.5)  # 2 / 400
    assert (lb["party_share"], lb["trained_share"], lb["ending"]) == (50.0, 50.0, 0)
    total = summary["total"]
    assert (total["strength"], total["population"], total["by_type"]) == (7, 5400, [1, 2, 4])
    assert total["ratio"] == 0.1  # 7 / 5,400 = 0.13 %
    assert (total["party"], total["party_share"]) == (3, 42.9)
    assert (total["trained"], total["trained_share"]) == (4, 57.1)
    assert total["ending"] == 2


def test_a_commune_without_militia_shows_zeros_not_errors(district_officer, tree):
    rows = by_unit(selectors.militia_summary_by_commune(user=district_officer)["rows"])
    assert rows["Vĩnh Quang"]["strength"] == 0
    assert rows["Vĩnh Quang"]["party_share"] is None and rows["Vĩnh Quang"]["trained_share"] is None


def test_an_earlier_year_counts_that_years_training(district_officer, militia):
    summary = selectors.militia_summary_by_commune(user=district_officer, year=this_year() - 1)
    rows = by_unit(summary["rows"])
    assert (rows["Vĩnh Quang"]["trained"], rows["Lý Bôn"]["trained"]) == (1, 1)
    assert summary["total"]["ending"] == 0


def test_the_officers_summary_holds_only_their_commune(officer, outsider, militia):
    mine = selectors.militia_summary_by_commune(user=officer)
    assert [row["unit"].name for row in mine["rows"]] == ["Vĩnh Quang"]
    assert (mine["total"]["strength"], mine["total"]["population"]) == (5, 5000)
    theirs = selectors.militia_summary_by_commune(user=outsider)
    assert [row["unit"].name for row in theirs["rows"]] == ["Lý Bôn"]
    assert theirs["total"]["strength"] == 2


def test_militia_strength(officer, district_officer, militia):
    assert selectors.militia_strength(user=officer) == 5
    assert selectors.militia_strength(user=district_officer) == 7


# --- Reserve figures ---------------------------------------------------------------------------------


@pytest.fixture
def reserve(tree):
    """Company 1 (combat): riflemen BB-01 ×10 and signallers TT-02 ×2; company 2 (support): drivers LX-03 ×2.

    Placed and active: three NCOs/soldiers as riflemen (two BB-01, one LX-03) and one officer as a
    signaller (TT-02); one removed reservist still pointing at a rifle post is not counted.
    """
    district = tree["district"]
    company = ReserveUnitFactory(name="Đại đội 1", district=district)
    support = ReserveUnitFactory(name="Đại đội 2", district=district, is_combat=False)
    rifle = ReservePostFactory(reserve_unit=company, title="Chiến sĩ bộ binh", specialty_code="BB-01")
    signals = ReservePostFactory(reserve_unit=company, title="Thông tin", specialty_code="TT-02", required_count=2)
    ReservePostFactory(reserve_unit=support, title="Lái xe", specialty_code="LX-03", required_count=2)
    vq, lb = tree["vq_hamlet"], tree["lb_hamlet"]
    return {
        "company": company,
        "support": support,
        "reservists": [
            ReservistFactory(person__home_unit=vq, post=rifle),
            ReservistFactory(person__home_unit=vq, post=rifle, specialty_code="LX-03"),
            ReservistFactory(person__home_unit=lb, post=rifle),
            ReservistFactory(person__home_unit=vq, post=signals, category="officer", specialty_code="TT-02"),
            ReservistFactory(person__home_unit=vq, category="qncn"),
            ReservistFactory(person__home_unit=vq, post=rifle, status="removed", status_reason="Chuyển đi"),
        ],
    }


def test_reserve_placement_by_unit(district_officer, reserve):
    units = {entry["unit"].name: entry for entry in selectors.reserve_placement_by_unit(user=district_officer)}
    assert list(units) == ["Đại đội 1", "Đại đội 2"]
    company = units["Đại đội 1"]
    assert (company["needed"], company["placed"], company["matching"]) == (12, 4, 3)
    assert (company["fill"], company["match_rate"]) == (33.3, 75.0)
    posts = {post.title: (post.required_count, post.placed, post.matching, post.capacity) for post in company["posts"]}
    assert posts == {"Chiến sĩ bộ binh": (10, 3, 2, 11), "Thông tin": (2, 1, 1, 3)}
    support = units["Đại đội 2"]
    assert (support["needed"], support["placed"], support["fill"], support["match_rate"]) == (2, 0, 0.0, None)


def test_reserve_match_rate_by_category(district_officer, reserve):
    rates = {row["category"]: row for row in selectors.reserve_match_rate_by_category(user=district_officer)}
    assert list(rates) == ["officer", "qncn", "hsq_bs"]
    assert (rates["hsq_bs"]["placed"], rates["hsq_bs"]["matching"], rates["hsq_bs"]["rate"]) == (3, 2, 66.7)
    assert (rates["officer"]["placed"], rates["officer"]["matching"], rates["officer"]["rate"]) == (1, 1, 100.0)
    assert (rates["qncn"]["placed"], rates["qncn"]["rate"]) == (0, None)


def test_reserve_summary_by_commune(district_officer, reserve):
    rows = by_unit(selectors.reserve_summary_by_commune(user=district_officer))
    vq = rows["Vĩnh Quang"]
    assert (vq["total"], vq["officers"], vq["qncn"], vq["hsq_bs"]) == (4, 1, 1, 2)
    assert (vq["placed"], vq["matching"], vq["match_rate"]) == (3, 2, 66.7)
    lb = rows["Lý Bôn"]
    assert (lb["total"], lb["hsq_bs"], lb["placed"], lb["match_rate"]) == (1, 1, 1, 100.0)


def test_the_officers_reserve_figures_hold_only_their_commune(officer, reserve):
    assert [row["unit"].name for row in selectors.reserve_summary_by_commune(user=officer)] == ["Vĩnh Quang"]
    rates = {row["category"]: row for row in selectors.reserve_match_rate_by_category(user=officer)}
    assert (rates["hsq_bs"]["placed"], rates["hsq_bs"]["rate"]) == (2, 50.0)


def test_reserve_units_of_another_district_stay_out(district_officer, reserve, tree):
    ReservePostFactory(reserve_unit__name="Đại đội huyện khác")
    names = [entry["unit"].name for entry in selectors.reserve_placement_by_unit(user=district_officer)]
    assert names == ["Đại đội 1", "Đại đội 2"]


# --- Alerts ------------------------------------------------------------------------------------------


@pytest.fixture
def alert_cases(tree):
    """Each case differs from its neighbour in one fact; the names say whether it must be alerted."""
    year, vq = this_year(), tree["vq_hamlet"]

    def member(name, sex="M", birth_date=None, **fields):
        person = PersonFactory(
            full_name=name, sex=sex, home_unit=vq, birth_date=birth_date or years_before(today(), 30)
        )
        return MilitiaMemberFactory(person=person, **fields)

    def term_ending(days):
        return years_before(today() + (days + 1) * DAY, 4)

    def reservist(name, sex="M", age=46, **fields):
        birth_date = years_before(today(), age)
        return ReservistFactory(
            person=PersonFactory(full_name=name, sex=sex, home_unit=vq, birth_date=birth_date), **fields
        )

    member("Ending soon", joined_on=term_ending(20))
    member("Ending today", joined_on=term_ending(0))
    member("Ending later", joined_on=term_ending(100))
    member("Ended already", joined_on=term_ending(-1))
    member("Ending soon but left", joined_on=term_ending(20), status="moved", exit_date=today(), exit_reason="x")
    member("Man turning 46", birth_date=datetime.date(year - 46, 12, 31))
    member("Man whose last day is 31 December", birth_date=datetime.date(year - 45, 1, 1))
    member("Man whose last day is 1 January next year", birth_date=datetime.date(year - 45, 1, 2))
    member("Man turning 47", birth_date=datetime.date(year - 47, 12, 31), is_volunteer=True)
    member("Man of 47 already past the limit", birth_date=datetime.date(year - 47, 1, 1))
    member("Woman of 44 already past the limit", sex="F", birth_date=datetime.date(year - 44, 6, 1))
    member("Volunteer turning 46", birth_date=datetime.date(year - 46, 6, 1), is_volunteer=True)
    member("Volunteer turning 51", birth_date=datetime.date(year - 51, 6, 1), is_volunteer=True)
    member("Woman turning 41", sex="F", birth_date=datetime.date(year - 41, 1, 1))
    member("Woman whose last day is 31 December", sex="F", birth_date=datetime.date(year - 40, 1, 1))
    member("Woman whose last day is 1 January next year", sex="F", birth_date=datetime.date(year - 40, 1, 2))
    reservist("Soldier of 46")
    reservist("Soldier woman of 41", sex="F", age=41)
    reservist("Soldier of 45", age=45)
    reservist("Officer of 46", category="officer")
    reservist("Removed soldier of 46", status="removed", status_reason="Hết tuổi")
    # Another commune: never in the officer's alerts.
    MilitiaMemberFactory(
        person=PersonFactory(full_name="Ending soon in Lý Bôn", home_unit=tree["lb_hamlet"]), joined_on=term_ending(20)
    )


def alert_names(user):
    found = {}
    for alert in selectors.alerts(user=user):
        names = [item.person.full_name for item in alert["items"]]
        assert alert["count"] == len(names)
        found[alert["key"]] = sorted(names)
    return found


def test_alerts(officer, alert_cases):
    found = alert_names(officer)
    # A term capped at the age limit may end within 3 months too: only the term cases are checked here.
    found["ending"] = [name for name in found["ending"] if name.startswith("Ending")]
    assert found == {
        "ending": ["Ending soon", "Ending today"],
        # Law 48/2019 art. 8.1: everyone whose last day of duty falls this year or has passed.
        "reaching": [
            "Man of 47 already past the limit",
            "Man turning 46",
            "Man whose last day is 31 December",
            "Volunteer turning 51",
            "Woman of 44 already past the limit",
            "Woman turning 41",
            "Woman whose last day is 31 December",
        ],
        "over_age": ["Soldier of 46", "Soldier woman of 41"],
    }


def test_alerts_follow_the_scope(outsider, district_officer, alert_cases):
    assert alert_names(outsider) == {"ending": ["Ending soon in Lý Bôn"], "reaching": [], "over_age": []}
    assert "Ending soon in Lý Bôn" in alert_names(district_officer)["ending"]


def test_alerts_count_beyond_the_first_rows(officer, tree):
    for _n in range(4):
        MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"], joined_on=years_before(today() + 11 * DAY, 4))
    ending = selectors.alerts(user=officer, limit=3)[0]
    assert (ending["key"], ending["count"], len(ending["items"])) == ("ending", 4, 3)


# --- The roster home page -------------------------------------------------------------------------------


def test_the_index_shows_the_figures_and_the_alerts(client, officer, militia, reserve, alert_cases):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    body = client.get("/militia/").content.decode()
    assert "Vĩnh Quang" in body and "Lý Bôn" not in body
    assert "Man turning 46" in body and "Soldier of 46" in body and "Ending soon" in body
    assert "Ending soon in Lý Bôn" not in body


# --- Cost: the same number of queries for a small and a larger district ------------------------------


def grow(tree, n):
    """Add `n` members and `n` reservists in each commune, and a reserve unit with posts."""
    company = ReserveUnitFactory(district=tree["district"])
    posts = [ReservePostFactory(reserve_unit=company, required_count=50) for _n in range(3)]
    codes = ["tai_cho", "co_dong", "thuong_truc", "phong_khong"]
    for hamlet in (tree["vq_hamlet"], tree["vq_hamlet2"], tree["lb_hamlet"]):
        for i in range(n):
            MilitiaMemberFactory(
                person=PersonFactory(home_unit=hamlet, is_party_member=i % 2 == 0),
                force_code=codes[i % 4],
                last_trained_year=this_year() if i % 3 else None,
                joined_on=years_before(today() + (10 + i) * DAY, 4),
            )
            ReservistFactory(
                person=PersonFactory(home_unit=hamlet, birth_date=years_before(today(), 30 + i % 20)),
                post=posts[i % 3] if i % 2 else None,
                category=["hsq_bs", "officer", "qncn"][i % 3],
            )


SELECTOR_COSTS = {
    # The communes, the force types, strength by force type, the totals.
    "militia_summary_by_commune": 4,
    # The posts with their counts.
    "reserve_placement_by_unit": 1,
    "reserve_match_rate_by_category": 1,
    # The communes, the reserve age limits, the counts.
    "reserve_summary_by_commune": 3,
    # The reserve age limits, then a count and the first rows for each of the three alerts.
    "alerts": 7,
}


@pytest.mark.parametrize("user_fixture", ["officer", "district_officer"])
def test_each_selector_costs_a_fixed_number_of_queries(
    request, django_assert_num_queries, tree, militia, reserve, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    get_scope(user)  # the user's units are read once per request, before any figure
    for name, cost in SELECTOR_COSTS.items():
        with django_assert_num_queries(cost):
            # Read everything a page or a report reads, so a lazy relation would be counted.
            _touch(getattr(selectors, name)(user=user))
    grow(tree, 12)
    for name, cost in SELECTOR_COSTS.items():
        with django_assert_num_queries(cost):
            _touch(getattr(selectors, name)(user=user))


def _touch(result):
    if isinstance(result, dict):
        for row in result.get("rows", []):
            str(row["unit"].name)
        for ft in result.get("force_types", []):
            str(ft)
    else:
        for entry in result:
            for value in entry.values():
                for item in value if isinstance(value, list) else [value]:
                    if hasattr(item, "person"):
                        str(item.person.full_name), str(item.unit.name)
                    if hasattr(item, "reserve_unit"):
                        str(item), item.capacity
                    if hasattr(item, "parent_id") and hasattr(item, "is_combat"):
                        str(item)


def test_the_index_costs_the_same_for_a_small_and_a_larger_district(client, district_officer, tree, militia, reserve):
    client.force_login(district_officer)
    client.get("/militia/")  # warm the session and the content types
    with cold_queries() as small:
        assert client.get("/militia/").status_code == 200
    grow(tree, 12)
    with cold_queries() as large:
        assert client.get("/militia/").status_code == 200
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]


def test_the_reserve_units_page_costs_the_same_for_a_small_and_a_larger_district(
    client, district_officer, tree, reserve
):
    client.force_login(district_officer)
    client.get("/militia/reserve-units/")
    with cold_queries() as small:
        assert client.get("/militia/reserve-units/").status_code == 200
    grow(tree, 12)
    for _n in range(3):
        ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"], parent=reserve["company"]))
    with cold_queries() as large:
        assert client.get("/militia/reserve-units/").status_code == 200
    assert len(small) == len(large), [q["sql"] for q in large.captured_queries]
