"""The militia roster shows each member's row: name with the Party and volunteer badges, birth date, unit,
hamlet, force type (broad or core), position, dates, the year of training (a tick for this year) and the
status, with the over-age badge (Law 48/2019 art. 8.1) for an active member past the age of duty."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import MilitiaMemberFactory, PersonFactory
from tests.html import links, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(tree):
    this_year = timezone.localdate().year
    vq, lb = tree["vq_hamlet"], tree["lb_hamlet"]
    return {
        "party": MilitiaMemberFactory(
            person=PersonFactory(
                full_name="Lò Thị <b>Mai</b>", home_unit=vq, is_party_member=True, birth_date=datetime.date(2000, 1, 2)
            ),
            is_volunteer=True,
            last_trained_year=this_year,
            joined_on=datetime.date(2024, 3, 4),
        ),
        "broad": MilitiaMemberFactory(
            person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=vq, birth_date=datetime.date(2001, 5, 6)),
            is_core=False,
            position="squad_leader",
            last_trained_year=this_year - 2,
            joined_on=datetime.date(2023, 7, 8),
        ),
        "over_age": MilitiaMemberFactory(
            person=PersonFactory(full_name="Vàng Seo Páo", sex="M", home_unit=lb, birth_date=datetime.date(1970, 1, 1)),
            joined_on=datetime.date(2022, 1, 10),
        ),
    }


def _row_of(rows, name):
    return next(row for row in rows if row[1].startswith(name))


def test_the_roster_shows_each_members_row(client, commander, members):
    client.force_login(commander)
    html = client.get("/militia/members/?sort=name").content.decode()
    rows = table_rows(html)
    assert len(rows) == 3
    party = members["party"]
    assert _row_of(rows, "Lò Thị")[1:] == [
        "Lò Thị <b>Mai</b> Đảng viên tình nguyện",
        "02/01/2000",
        "Vĩnh Quang",
        "Nà Đoỏng",
        str(party.force_type),
        party.get_position_display(),
        "04/03/2024",
        f"{party.term_ends_on:%d/%m/%Y}",
        "✓",
        "Đang quản lý",
    ]
    broad = _row_of(rows, "Nguyễn Văn Đức")
    assert broad[5] == f"{members['broad'].force_type} (rộng rãi)"
    assert broad[9] == str(timezone.localdate().year - 2)
    over_age = _row_of(rows, "Vàng Seo Páo")
    assert over_age[9] == "—"
    assert over_age[10] == "Đang quản lý quá tuổi"
    assert (f"/militia/members/{party.pk}/", "Lò Thị <b>Mai</b>") in links(html, "tbody")
    assert "Lò Thị &lt;b&gt;Mai&lt;/b&gt;" in html


def test_a_tick_only_for_training_this_year(client, commander, members):
    client.force_login(commander)
    rows = table_rows(client.get("/militia/members/").content.decode())
    assert [row[9] for row in rows].count("✓") == 1
