"""Every automatic figure of the rosters counts the records as they stood on the period's last day, and
a member past the age of duty leaves the strength on the day they pass it (Law 48/2019 art. 8.1)."""

import datetime
from decimal import Decimal

import pytest

from militia import selectors
from militia.models import ReserveAgeLimit
from people.rules import years_before
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
)
from units.figures import get_figure

Y2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
Y2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
DAY = datetime.timedelta(days=1)


def value(code, unit, period):
    start, end = period
    return get_figure(code).compute(unit=unit, start=start, end=end)


@pytest.fixture
def roster_2025(tree):
    """Members of Vĩnh Quang around the end of 2025, each one fact away from its neighbour."""
    hamlet = tree["vq_hamlet"]

    def member(name, *, birth_date=datetime.date(1995, 5, 5), sex="M", party=False, **fields):
        person = PersonFactory(full_name=name, home_unit=hamlet, birth_date=birth_date, sex=sex, is_party_member=party)
        return MilitiaMemberFactory(person=person, **fields)

    member("A joined on the last day", joined_on=datetime.date(2025, 12, 31), party=True)
    member("B joined the next day", joined_on=datetime.date(2026, 1, 1), force_code="thuong_truc")
    member(
        "C left on the last day",
        joined_on=datetime.date(2021, 1, 1),
        status="moved",
        exit_date=datetime.date(2025, 12, 31),
        exit_reason="Chuyển đi",
    )
    member(
        "D left the next day",
        joined_on=datetime.date(2022, 3, 1),
        status="discharged",
        exit_date=datetime.date(2026, 1, 1),
        exit_reason="Nhập ngũ",
        party=True,
        is_core=False,
    )
    # Born 1 January 1980: 46 on 1 January 2026, so the last day of duty is 31 December 2025.
    member("E last day 31/12/2025", birth_date=datetime.date(1980, 1, 1), joined_on=datetime.date(2023, 6, 1))
    # Born 31 December 1979: 46 on 31 December 2025, the last day of duty is 30 December 2025.
    member("F last day 30/12/2025", birth_date=datetime.date(1979, 12, 31), joined_on=datetime.date(2023, 6, 1))
    member(
        "G volunteer born 31/12/1979",
        birth_date=datetime.date(1979, 12, 31),
        joined_on=datetime.date(2023, 6, 1),
        is_volunteer=True,
        last_trained_year=2025,
    )
    # A woman: 41 on 31 December 2025.
    member(
        "H woman last day 30/12/2025",
        sex="F",
        birth_date=datetime.date(1984, 12, 31),
        joined_on=datetime.date(2023, 6, 1),
    )
    return tree


def test_militia_figures_of_2025_count_the_roster_of_31_december_2025(roster_2025):
    vq = roster_2025["vinh_quang"]
    # Hand count on 31/12/2025: A (joined that day), D (left the day after), E (last day), G (volunteer).
    # Not: B (joined later), C (left that day), F and H (past the limit since 31/12/2025).
    assert value("militia.active", vq, Y2025) == 4
    assert value("militia.core", vq, Y2025) == 3  # D is broad force
    assert value("militia.active.thuong_truc", vq, Y2025) == 0
    assert value("militia.party_share", vq, Y2025) == 50  # A and D of 4
    assert value("militia.trained_share", vq, Y2025) == 25  # G of 4
    # In the ranks on 1/1/2025 with a term ending in 2025: E, F and H, whose terms end at the age limit.
    assert value("militia.terms_ending", vq, Y2025) == 3
    assert value("militia.due_to_leave", vq, Y2025) == 3
    assert value("militia.active.tai_cho", vq, Y2025) == 4
    assert value("militia.active.co_dong", vq, Y2025) == 0
    vq.population = 800
    vq.save(update_fields=["population"])
    assert value("militia.ratio", vq, Y2025) == Decimal("0.5")  # 4 of 800
    assert value("militia.ratio", vq, Y2026) == Decimal("0.4")  # 3 of 800


def test_the_same_figures_for_2026_count_the_roster_of_31_december_2026(roster_2025):
    vq = roster_2025["vinh_quang"]
    # A, B and G: D left, E passed the limit on 1/1/2026.
    assert value("militia.active", vq, Y2026) == 3
    assert value("militia.active.thuong_truc", vq, Y2026) == 1
    assert value("militia.party_share", vq, Y2026) == Decimal("33.3")


def test_a_2025_report_reopened_later_keeps_its_figures(roster_2025):
    vq = roster_2025["vinh_quang"]
    before = value("militia.active", vq, Y2025)
    # 2026 goes on: A leaves, a newcomer joins.
    MilitiaMemberFactory(person__home_unit=roster_2025["vq_hamlet"], joined_on=datetime.date(2026, 3, 1))
    assert value("militia.active", vq, Y2025) == before == 4


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (datetime.date(2025, 12, 29), True),  # the day before the last day
        (datetime.date(2025, 12, 30), True),  # the last day of duty (the eve of the 46th birthday)
        (datetime.date(2025, 12, 31), False),  # the 46th birthday: out of the strength
    ],
)
def test_an_over_age_member_leaves_the_strength_on_the_day_they_pass_the_limit(tree, officer, day, counted):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1979, 12, 31), sex="M")
    MilitiaMemberFactory(person=person, joined_on=datetime.date(2023, 6, 1))
    period = (datetime.date(day.year, 1, 1), day)
    assert value("militia.active", tree["vinh_quang"], period) == int(counted)
    assert selectors.militia_strength(user=officer, on=day) == int(counted)


def test_an_over_age_member_is_not_in_todays_strength_but_is_flagged(client, officer, tree):
    today = datetime.date.today()
    over = PersonFactory(full_name="Quá Tuổi", home_unit=tree["vq_hamlet"], sex="M", birth_date=years_before(today, 47))
    MilitiaMemberFactory(person=over, joined_on=years_before(today, 3))
    MilitiaMemberFactory(person__home_unit=tree["vq_hamlet"])
    summary = selectors.militia_summary_by_commune(user=officer)
    assert summary["total"]["strength"] == 1
    client.force_login(officer)
    body = client.get("/militia/members/", {"due_to_leave": "on"}).content.decode()
    assert "Quá Tuổi" in body and "badge text-bg-warning" in body


# --- Reserve figures ------------------------------------------------------------------------------


@pytest.fixture
def reserve_2025(tree):
    hamlet = tree["vq_hamlet"]
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"]), specialty_code="BB-01")

    def reservist(name, *, birth_date=datetime.date(1995, 5, 5), party=False, **fields):
        person = PersonFactory(full_name=name, home_unit=hamlet, sex="M", birth_date=birth_date, is_party_member=party)
        return ReservistFactory(person=person, **fields)

    reservist(
        "R1 registered and placed on the last day",
        registered_on=datetime.date(2025, 12, 31),
        post=post,
        placed_on=datetime.date(2025, 12, 31),
        party=True,
    )
    reservist("R2 registered the next day", registered_on=datetime.date(2026, 1, 1))
    reservist(
        "R3 left on the last day",
        registered_on=datetime.date(2020, 1, 1),
        status="removed",
        status_reason="Chuyển đi",
        left_on=datetime.date(2025, 12, 31),
    )
    reservist(
        "R4 left the next day",
        registered_on=datetime.date(2020, 1, 1),
        status="removed",
        status_reason="Chuyển đi",
        left_on=datetime.date(2026, 1, 1),
        party=True,
    )
    # NCO/soldier: 46 on 31/12/2025 (Luật NVQS 2015 Điều 37: to the end of 45).
    reservist("R5 soldier of 46", registered_on=datetime.date(2020, 1, 1), birth_date=datetime.date(1979, 12, 31))
    # A captain: 52 on 31/12/2025, past the 51 of the rank; another of 51, within it.
    reservist(
        "R6 captain of 52",
        category="officer",
        rank="dai_uy",
        registered_on=datetime.date(2020, 1, 1),
        birth_date=datetime.date(1973, 12, 31),
    )
    reservist(
        "R7 captain of 51",
        category="officer",
        rank="dai_uy",
        registered_on=datetime.date(2020, 1, 1),
        birth_date=datetime.date(1974, 6, 1),
        post=post,
        placed_on=datetime.date(2026, 1, 1),
    )
    return tree


def test_reserve_figures_of_2025_count_the_roster_of_31_december_2025(reserve_2025):
    vq = reserve_2025["vinh_quang"]
    assert ReserveAgeLimit.objects.get(category="officer", rank="dai_uy").max_age == 51
    # R1, R4, R7 (R2 later, R3 left that day, R5 and R6 past their age limit).
    assert value("reserve.total", vq, Y2025) == 3
    assert value("reserve.placed", vq, Y2025) == 1  # R1; R7 placed only in 2026
    assert value("reserve.placed_share", vq, Y2025) == Decimal("33.3")
    assert value("reserve.match_rate", vq, Y2025) == 100
    assert value("reserve.party_share", vq, Y2025) == Decimal("66.7")  # R1 and R4


def test_reserve_figures_of_2026(reserve_2025):
    vq = reserve_2025["vinh_quang"]
    # Until 31/5/2026: R1, R2, R7 (R4 left on 1/1/2026); R7 turns 52 on 1/6/2026 and leaves.
    assert value("reserve.total", vq, (datetime.date(2026, 1, 1), datetime.date(2026, 5, 31))) == 3
    assert value("reserve.total", vq, Y2026) == 2
    assert value("reserve.placed", vq, (datetime.date(2026, 1, 1), datetime.date(2026, 5, 31))) == 2
