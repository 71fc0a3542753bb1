"""The people list and its printed copy show each person's row: number, name linking to the record, birth
date, sex, ethnic group, hamlet, commune and the Party badge; names are escaped."""

import datetime

import pytest

from tests.factories import PersonFactory, ethnicity
from tests.html import links, table_heads, table_rows

pytestmark = pytest.mark.django_db

TRICKY_NAME = "Lò Thị <b>Mai</b> & \"Ánh\" 'Đào'"


@pytest.fixture
def people(tree):
    """Hamlet and commune residents, either sex, several ethnic groups, Party members or not."""
    return [
        PersonFactory(
            full_name=TRICKY_NAME,
            sex="F",
            ethnicity=ethnicity("Tày"),
            home_unit=tree["vq_hamlet"],
            is_party_member=True,
            birth_date=datetime.date(1990, 9, 2),
        ),
        PersonFactory(
            full_name="Nguyễn Văn Đức",
            sex="M",
            ethnicity=ethnicity("Kinh"),
            home_unit=tree["vq_hamlet2"],
            birth_date=datetime.date(2001, 1, 31),
        ),
        PersonFactory(
            full_name="Hoàng Thị Hoa",
            sex="F",
            ethnicity=ethnicity("Nùng"),
            home_unit=tree["ly_bon"],
            birth_date=datetime.date(1985, 5, 1),
        ),
    ]


def test_the_list_shows_each_persons_row(client, commander, people):
    client.force_login(commander)
    html = client.get("/people/?sort=birth_date").content.decode()
    assert table_heads(html) == [
        "STT",
        "Họ và tên",
        "Ngày sinh ▲",
        "Giới tính",
        "Dân tộc",
        "Thôn/xóm",
        "Xã",
        "Đảng viên",
    ]
    assert table_rows(html) == [
        ["1", "Hoàng Thị Hoa", "01/05/1985", "Nữ", "Nùng", "Lý Bôn", "Lý Bôn", ""],
        ["2", TRICKY_NAME, "02/09/1990", "Nữ", "Tày", "Nà Đoỏng", "Vĩnh Quang", "Đảng viên"],
        ["3", "Nguyễn Văn Đức", "31/01/2001", "Nam", "Kinh", "Bản Tìn", "Vĩnh Quang", ""],
    ]
    assert (f"/people/{people[0].pk}/", TRICKY_NAME) in links(html, "tbody")
    assert "Lò Thị &lt;b&gt;Mai&lt;/b&gt;" in html


def test_rows_are_numbered_on_from_the_page(client, commander, tree):
    for index in range(27):
        PersonFactory(full_name=f"Người {index:02d}", home_unit=tree["vq_hamlet"])
    client.force_login(commander)
    html = client.get("/people/?sort=name&page=2").content.decode()
    assert [row[:2] for row in table_rows(html)] == [["26", "Người 25"], ["27", "Người 26"]]


def test_the_printed_list_shows_the_same_rows(client, commander, people):
    client.force_login(commander)
    listed = table_rows(client.get("/people/?sort=birth_date").content.decode())
    printed = table_rows(client.get("/people/print/?sort=birth_date").content.decode())
    assert printed == listed
