"""The roster lists filtered by where a record stood on a day — in the force, on the roster, past the age
limit — through the same rule functions as the figures, so a dashboard cell and its list agree."""

import datetime

import pytest

from dashboard.selectors import dashboard
from militia.tests.test_figures_as_of import reserve_2025, roster_2025  # noqa: F401 (fixtures)
from tests.factories import MilitiaMemberFactory, PersonFactory

LAST_DAY_2025 = "31/12/2025"


def names(response):
    return sorted(row.person.full_name.split(" ")[0] for row in response.context["page"].paginator.object_list)


def members(client, **params):
    response = client.get("/militia/members/", params)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("standing", "expected"),
    [
        # Hand count on 31/12/2025 (test_figures_as_of.roster_2025): A joined that day, D left the day
        # after, E on his last day of duty, G a volunteer; F and H passed the limit the day before.
        ("strength", ["A", "D", "E", "G"]),
        ("roster", ["A", "D", "E", "F", "G", "H"]),
        ("over_age", ["F", "H"]),
    ],
)
def test_the_member_list_shows_who_stood_where_on_a_past_day(client, officer, roster_2025, standing, expected):  # noqa: F811
    client.force_login(officer)
    response = members(client, standing=standing, on=LAST_DAY_2025)
    # D left in 2026 (status discharged): the standing of the day replaces the default "active" filter.
    assert names(response) == expected


def test_todays_strength_leaves_out_who_left_or_passed_the_limit_since(client, officer, roster_2025):  # noqa: F811
    client.force_login(officer)
    # Today: A, B and G (D left, E, F and H past the limit).
    assert names(members(client, standing="strength")) == ["A", "B", "G"]
    assert names(members(client, standing="over_age")) == ["E", "F", "H"]


@pytest.mark.parametrize(
    ("day", "in_force"),
    [("29/12/2025", True), ("30/12/2025", True), ("31/12/2025", False)],  # F's last day of duty is 30/12/2025
)
def test_the_over_age_filter_turns_on_the_day_after_the_last_day_of_duty(client, officer, tree, day, in_force):
    person = PersonFactory(
        full_name="F Giàng", home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1979, 12, 31)
    )
    MilitiaMemberFactory(person=person, joined_on=datetime.date(2023, 6, 1))
    client.force_login(officer)
    assert names(members(client, standing="strength", on=day)) == (["F"] if in_force else [])
    assert names(members(client, standing="over_age", on=day)) == ([] if in_force else ["F"])


def test_training_is_that_of_the_dates_year(client, officer, roster_2025):  # noqa: F811
    client.force_login(officer)
    # Of the strength of 31/12/2025 only G trained in 2025.
    assert names(members(client, standing="strength", on=LAST_DAY_2025, not_trained="on")) == ["A", "D", "E"]


def test_a_date_out_of_bounds_is_refused_in_vietnamese(client, officer, roster_2025):  # noqa: F811
    client.force_login(officer)
    response = members(client, standing="strength", on="31/12/9999")
    body = response.content.decode()
    assert "Một số điều kiện lọc không hợp lệ nên đã được bỏ qua." in body
    assert response.context["form"].errors["on"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # On 31/12/2025: R1, R4 and R7 (R2 registered later, R3 left that day, R5 and R6 past their age).
        ({"standing": "roster"}, ["R1", "R4", "R7"]),
        ({"standing": "over_age"}, ["R5", "R6"]),
        ({"standing": "roster", "placed": "1"}, ["R1"]),  # R7 was placed only in 2026
        ({"standing": "roster", "placed": "0"}, ["R4", "R7"]),
    ],
)
def test_the_reservist_list_shows_who_stood_where_on_a_past_day(client, officer, reserve_2025, params, expected):  # noqa: F811
    client.force_login(officer)
    response = client.get("/militia/reservists/", {**params, "on": LAST_DAY_2025})
    assert names(response) == expected


def _count(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_a_past_years_dashboard_cells_link_to_lists_of_the_same_count(
    client,
    commander,
    roster_2025,  # noqa: F811
    reserve_2025,  # noqa: F811
):
    client.force_login(commander)
    board = dashboard(user=commander, year=2025, today=datetime.date(2026, 6, 1))
    row = next(r for r in board["rows"] if r["unit"] == roster_2025["vinh_quang"])
    assert row["militia"]["strength"] == 4 == _count(client, row["militia"]["strength_url"])
    assert row["militia"]["party"] == 2 == _count(client, row["militia"]["party_cell"]["url"])
    untrained = row["militia"]["strength"] - row["militia"]["trained"]
    assert untrained == 3 == _count(client, row["militia"]["trained_cell"]["url"])
    assert row["reserve"]["total"] == 3 == _count(client, row["reserve"]["url"])
    assert row["reserve"]["placed"] == 1 == _count(client, row["reserve"]["placed_cell"]["url"])
    mismatched = row["reserve"]["placed"] - row["reserve"]["matching"]
    assert mismatched == 0 == _count(client, row["reserve"]["match_cell"]["url"])
    tiles = {tile["key"]: tile for tile in board["headline"]}
    assert tiles["militia_strength"]["value"] == _count(client, tiles["militia_strength"]["url"])
    assert tiles["reserve_placed"]["value"] == _count(client, tiles["reserve_placed"]["url"])
    assert _count(client, board["total"]["members_url"]) == board["total"]["now"]["strength"]


def test_the_notes_of_the_roster_figures_say_they_stand_at_the_periods_end():
    """The note beside an automatic figure says where it comes from; a figure of a past period is not "the
    members managed now"."""
    from django.utils import translation

    from units import figures

    codes = [code for code in figures._REGISTRY if code.startswith(("militia.", "reserve."))]
    assert len(codes) >= 15
    with translation.override("vi"):
        notes = {code: str(figures.get_figure(code).label) for code in codes}
    for code, note in notes.items():
        assert note.startswith(("Danh sách dân quân tự vệ: ", "Danh sách quân nhân dự bị: ")), (code, note)
        assert "đang quản lý" not in note, (code, note)
    assert notes["militia.active"] == "Danh sách dân quân tự vệ: quân số đến cuối kỳ"
