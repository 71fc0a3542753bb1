"""The people list in Excel and on paper: the list's filters and order, the user's units, real dates, no
formula can run, a fixed number of queries."""

import datetime
import io
import re

import pytest
from django.conf import settings
from openpyxl import load_workbook

from people.exporting import COLUMNS
from tests.caches import cold_queries
from tests.factories import PersonFactory, UserFactory, ethnicity
from units.models import AuditEvent

EXPORT = "/people/export.xlsx"
PRINT = "/people/print/"
HEADERS = [header for _key, header, _width in COLUMNS]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the file stays Vietnamese whatever the UI language


def records(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def printed(response):
    assert response.status_code == 200
    return re.findall(r'<a href="/people/\d+/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def people(tree):
    return [
        PersonFactory(
            full_name="Nguyễn Văn Đức",
            home_unit=tree["vq_hamlet"],
            birth_date=datetime.date(1998, 5, 17),
            is_party_member=True,
            occupation='=HYPERLINK("http://evil","x")',
        ),
        PersonFactory(full_name="Hoàng Thị Mai", home_unit=tree["vq_hamlet2"], sex="F", ethnicity=ethnicity("Mông")),
        PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"]),
    ]


def test_it_requires_login(client, tree):
    for url in (EXPORT, PRINT):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_export_holds_the_users_people_with_real_dates_and_no_formula(client, officer, people):
    client.force_login(officer)
    response = client.get(EXPORT)
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-cong-dan-')
    rows = records(response)
    assert [r["Họ và tên"] for r in rows] == ["Hoàng Thị Mai", "Nguyễn Văn Đức"]  # Lý Bôn's person is not there
    duc = rows[1]
    assert duc["Ngày sinh"] == datetime.datetime(1998, 5, 17)
    assert duc["Giới tính"] == "Nam" and duc["Đảng viên"] == "Có"
    assert duc["Thôn/xóm"] == "Nà Đoỏng" and duc["Xã/thị trấn"] == "Vĩnh Quang"
    assert duc["Nghề nghiệp"] == '=HYPERLINK("http://evil","x")'  # a text, shown as typed
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = sheet.cell(row=3, column=HEADERS.index("Nghề nghiệp") + 1)
    assert cell.data_type == "s"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target="people:list.xlsx").count() == 1


def test_the_export_and_the_print_follow_the_lists_filters_and_order(client, district_officer, people):
    client.force_login(district_officer)
    params = {"q": "duc van", "sort": "-birth_date"}
    assert [r["Họ và tên"] for r in records(client.get(EXPORT, params))] == ["Nguyễn Văn Đức"]
    assert printed(client.get(PRINT, params)) == ["Nguyễn Văn Đức"]
    params = {"sex": "M", "sort": "-birth_date"}
    people[2].birth_date = datetime.date(2001, 1, 1)
    people[2].save()
    assert [r["Họ và tên"] for r in records(client.get(EXPORT, params))] == ["Vàng Seo Páo", "Nguyễn Văn Đức"]
    assert printed(client.get(PRINT, params)) == ["Vàng Seo Páo", "Nguyễn Văn Đức"]


def test_the_print_writes_out_the_filters_and_the_count(client, officer, people, tree):
    client.force_login(officer)
    body = client.get(PRINT, {"sex": "F", "hamlet": tree["vq_hamlet2"].pk}).content.decode()
    meta = re.sub(r"\s+", " ", re.search(r'<p class="small mb-2" id="print-meta">(.*?)</p>', body, re.S).group(1))
    assert "1 person" in meta and "Sex: Female" in meta and "Hamlet: Bản Tìn – Vĩnh Quang" in meta
    assert "data-print" in body and "portal-header" in body


def test_the_list_offers_export_and_print_with_its_filters(client, officer, people):
    client.force_login(officer)
    body = client.get("/people/", {"q": "mai", "page": "1"}).content.decode()
    assert 'id="people-export" href="/people/export.xlsx?q=mai"' in body
    assert 'id="people-print" href="/people/print/?q=mai"' in body


def test_a_user_without_the_export_permission_is_refused(client, tree, people):
    user = UserFactory(username="noperm")
    client.force_login(user)
    assert client.get(EXPORT).status_code == 403
    assert 'id="people-export"' not in client.get("/people/").content.decode()


def test_a_user_without_unit_exports_and_prints_nobody(client, tree, people):
    from units.roles import Role
    from units.services import roles_ensure_groups

    roles_ensure_groups()
    user = UserFactory(username="nounit")
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=f"role:{Role.VIEWER}"))
    client.force_login(user)
    assert records(client.get(EXPORT)) == []
    assert printed(client.get(PRINT)) == []


@pytest.mark.parametrize("url", [EXPORT, PRINT])
def test_it_costs_the_same_queries_for_3_and_30_people(client, officer, tree, url, django_assert_num_queries):
    hamlets = [tree["vq_hamlet"], tree["vq_hamlet2"]]

    def add(count):
        for n in range(count):
            PersonFactory(home_unit=hamlets[n % 2], ethnicity=ethnicity(("Mông", "Tày", "Dao")[n % 3]))

    add(3)
    client.force_login(officer)
    client.get(url)
    with cold_queries() as queries:
        client.get(url, {"party": "0"})
    cost = len(queries)
    add(27)
    with django_assert_num_queries(cost):
        response = client.get(url, {"party": "0"})
    if url == EXPORT:
        assert len(records(response)) == 30
    else:
        assert len(printed(response)) == 30
