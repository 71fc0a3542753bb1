"""The placement history: a reservist moved to another post, unplaced or taken off the roster later still
counts where they stood on a past day, so the reserve figures of a past period never change."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from militia import selectors, services
from militia.models import ReservePlacement, Reservist
from tests.factories import PersonFactory, ReservePostFactory, ReserveUnitFactory, ReservistFactory
from units.figures import get_figure

Y2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
Y2026 = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
MOVED_ON = datetime.date(2026, 3, 1)


def value(code, unit, period):
    return get_figure(code).compute(unit=unit, start=period[0], end=period[1])


@pytest.fixture
def posts(tree):
    unit = ReserveUnitFactory(district=tree["district"])
    return {
        "rifle": ReservePostFactory(reserve_unit=unit, title="Chiến sĩ bộ binh", specialty_code="BB-01"),
        "signals": ReservePostFactory(reserve_unit=unit, title="Chiến sĩ thông tin", specialty_code="TT-02"),
    }


@pytest.fixture
def placed_2025(tree, posts):
    """A rifleman placed in the rifle post on 1/6/2025, his specialty matching."""
    person = PersonFactory(
        full_name="Hoàng Văn Lực", home_unit=tree["vq_hamlet"], sex="M", birth_date=datetime.date(1998, 3, 3)
    )
    return ReservistFactory(
        person=person,
        registered_on=datetime.date(2024, 1, 10),
        post=posts["rifle"],
        placed_on=datetime.date(2025, 6, 1),
    )


def placements(reservist):
    return list(
        ReservePlacement.objects.filter(reservist=reservist)
        .order_by("placed_on", "pk")
        .values_list("post__title", "placed_on", "ended_on", "specialty_matches")
    )


def test_a_move_to_another_post_keeps_last_years_figures(officer, tree, posts, placed_2025):
    vq = tree["vinh_quang"]
    before = {code: value(code, vq, Y2025) for code in ("reserve.placed", "reserve.match_rate")}
    assert before == {"reserve.placed": 1, "reserve.match_rate": 100}
    services.reservist_update(user=officer, reservist=placed_2025, post=posts["signals"], placed_on=MOVED_ON)
    assert placements(placed_2025) == [
        ("Chiến sĩ bộ binh", datetime.date(2025, 6, 1), MOVED_ON, True),
        ("Chiến sĩ thông tin", MOVED_ON, None, False),
    ]
    assert {code: value(code, vq, Y2025) for code in before} == before
    # 2026 counts the new post, whose specialty does not match.
    assert value("reserve.placed", vq, Y2026) == 1
    assert value("reserve.match_rate", vq, Y2026) == 0


@pytest.mark.parametrize(
    ("day", "rifle", "signals"),
    [
        (datetime.date(2025, 5, 31), False, False),  # the day before the placement
        (datetime.date(2025, 6, 1), True, False),  # the day of the placement
        (MOVED_ON - datetime.timedelta(days=1), True, False),  # the day before the move
        (MOVED_ON, False, True),  # the day of the move: in the new post only
        (MOVED_ON + datetime.timedelta(days=1), False, True),
    ],
)
def test_a_placement_holds_from_its_day_until_the_day_it_ends(officer, posts, placed_2025, day, rifle, signals):
    services.reservist_update(user=officer, reservist=placed_2025, post=posts["signals"], placed_on=MOVED_ON)
    placed = Reservist.objects.filter(selectors.placed_on_q(day), pk=placed_2025.pk).exists()
    matching = Reservist.objects.filter(selectors.placed_matching_on_q(day), pk=placed_2025.pk).exists()
    assert placed == (rifle or signals)
    assert matching == rifle


def test_leaving_the_roster_ends_the_placement_on_the_day_of_leaving(officer, tree, placed_2025):
    vq = tree["vinh_quang"]
    services.reservist_set_status(
        user=officer, reservist=placed_2025, status="removed", reason="Chuyển nơi cư trú", left_on=MOVED_ON
    )
    placed_2025.refresh_from_db()
    assert placed_2025.post is None  # the roster shows him unplaced now
    assert placements(placed_2025) == [("Chiến sĩ bộ binh", datetime.date(2025, 6, 1), MOVED_ON, True)]
    assert value("reserve.total", vq, Y2025) == 1
    assert value("reserve.placed", vq, Y2025) == 1
    assert value("reserve.placed_share", vq, Y2025) == Decimal(100)
    assert value("reserve.placed", vq, (Y2026[0], MOVED_ON - datetime.timedelta(days=1))) == 1
    assert value("reserve.total", vq, Y2026) == 0
    assert value("reserve.placed", vq, Y2026) == 0


def test_unplacing_ends_the_placement_today(officer, placed_2025, tree):
    services.reservist_update(user=officer, reservist=placed_2025, post=None, placed_on=None)
    today = datetime.date.today()
    assert placements(placed_2025) == [("Chiến sĩ bộ binh", datetime.date(2025, 6, 1), today, True)]
    assert value("reserve.placed", tree["vinh_quang"], Y2025) == 1


def test_a_corrected_placement_date_corrects_the_open_placement(officer, placed_2025):
    services.reservist_update(user=officer, reservist=placed_2025, placed_on=datetime.date(2025, 7, 1))
    assert placements(placed_2025) == [("Chiến sĩ bộ binh", datetime.date(2025, 7, 1), None, True)]


def test_the_reserve_list_of_a_past_day_shows_the_moved_reservist_where_he_stood(client, officer, posts, placed_2025):
    services.reservist_update(user=officer, reservist=placed_2025, post=posts["signals"], placed_on=MOVED_ON)
    client.force_login(officer)
    on_2025 = client.get("/militia/reservists/", {"standing": "roster", "placed": "1", "on": "31/12/2025"})
    assert on_2025.context["page"].paginator.count == 1
    assert "Chiến sĩ bộ binh" in on_2025.content.decode()  # the row shows the post held that day
    assert "Chiến sĩ thông tin" not in on_2025.content.decode()
    mismatch = client.get("/militia/reservists/", {"standing": "roster", "mismatch": "on", "on": "31/12/2025"})
    assert mismatch.context["page"].paginator.count == 0
    today = client.get("/militia/reservists/", {"standing": "roster", "mismatch": "on"})
    assert today.context["page"].paginator.count == 1
    assert "Chiến sĩ thông tin" in today.content.decode()


def test_the_detail_page_lists_the_placements(client, officer, posts, placed_2025):
    services.reservist_update(user=officer, reservist=placed_2025, post=posts["signals"], placed_on=MOVED_ON)
    client.force_login(officer)
    body = client.get(f"/militia/reservists/{placed_2025.pk}/").content.decode()
    assert "Quá trình sắp xếp" in body
    assert "01/06/2025 – 01/03/2026" in body and "từ 01/03/2026" in body
    assert "vào Đảng" not in body  # "since" of a placement, not of a Party membership


# --- The data migration: placements rebuilt from the reservists' history --------------------------------


def test_the_migration_rebuilds_ended_placements_from_the_history(officer, tree, posts, placed_2025):
    services.reservist_update(user=officer, reservist=placed_2025, post=posts["signals"], placed_on=MOVED_ON)
    services.reservist_set_status(
        user=officer,
        reservist=placed_2025,
        status="removed",
        reason="Chuyển nơi cư trú",
        left_on=datetime.date(2026, 5, 5),
    )
    never_placed = ReservistFactory(person__home_unit=tree["vq_hamlet"])
    expected = placements(placed_2025)
    assert len(expected) == 2
    ReservePlacement.objects.all().delete()
    migration = importlib.import_module("militia.migrations.0005_reserve_placements")
    migration.rebuild(apps, None)
    assert placements(placed_2025) == expected
    assert placements(never_placed) == []
    assert value("reserve.placed", tree["vinh_quang"], Y2025) == 1


def test_the_reserve_register_of_a_past_day_lists_the_post_held_that_day(officer, tree, posts, placed_2025):
    from militia.documents import reserve_groups

    services.reservist_update(user=officer, reservist=placed_2025, post=posts["signals"], placed_on=MOVED_ON)
    then = reserve_groups(user=officer, unit=tree["vinh_quang"], on=datetime.date(2025, 12, 31))
    now = reserve_groups(user=officer, unit=tree["vinh_quang"], on=MOVED_ON)
    assert [(row[1], row[8], row[9], row[10]) for _name, rows in then for row in rows] == [
        ("Hoàng Văn Lực", "Chiến sĩ bộ binh", "x", "01/06/2025")
    ]
    assert [(row[1], row[8], row[9], row[10]) for _name, rows in now for row in rows] == [
        ("Hoàng Văn Lực", "Chiến sĩ thông tin", "", "01/03/2026")
    ]
