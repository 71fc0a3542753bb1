"""Exporting the rosters: the columns the import reads, real dates, no formula can run, the list's filters
and the user's units, a fixed number of queries."""

import csv
import datetime
import io
import zipfile

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from militia.io.columns import MEMBER_COLUMNS, RESERVIST_COLUMNS, label, yes_no
from militia.models import MemberStatus, Position, Rank, ReservistCategory
from people.models import Sex
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    UserFactory,
    militia_force_type,
)

HEADERS = [c.header for c in MEMBER_COLUMNS]
R_HEADERS = [c.header for c in RESERVIST_COLUMNS]


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the file stays Vietnamese whatever the UI language


def export(client, roster="members", fmt="xlsx", **params):
    return client.get(reverse("militia:export", kwargs={"roster": roster, "fmt": fmt}), params)


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def records(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def member(tree):
    person = PersonFactory(
        full_name="Nguyễn Văn Đức",
        home_unit=tree["vq_hamlet"],
        birth_date=datetime.date(1998, 5, 17),
        is_party_member=True,
    )
    return MilitiaMemberFactory(
        person=person,
        force_code="co_dong",
        platoon="Trung đội 1",
        squad='=HYPERLINK("http://evil","x")',
        position=Position.SQUAD_LEADER,
        joined_on=datetime.date(2024, 2, 1),
        last_trained_year=2025,
    )


def test_it_exports_the_import_columns_with_real_dates(client, officer, member):
    client.force_login(officer)
    response = export(client)
    assert response["Content-Disposition"].startswith('attachment; filename="dan-quan-')
    sheet = sheet_of(response)
    assert [c.value for c in sheet[1]] == HEADERS
    (row,) = records(sheet)
    assert row["Họ và tên"] == "Nguyễn Văn Đức"
    assert row["Số CCCD"] == member.person.national_id
    assert row["Ngày sinh"] == datetime.datetime(1998, 5, 17)
    assert row["Ngày vào"] == datetime.datetime(2024, 2, 1)
    assert row["Giới tính"] == label(Sex, "M") == "Nam"
    assert row["Dân tộc"] == "Mông"
    assert (row["Thôn/xóm"], row["Xã/thị trấn"]) == ("Nà Đoỏng", "Vĩnh Quang")
    assert row["Loại hình"] == militia_force_type("co_dong").label_vi
    assert row["Chức vụ"] == label(Position, Position.SQUAD_LEADER) == "Tiểu đội trưởng"
    assert (row["Nòng cốt"], row["Tình nguyện"], row["Đảng viên"]) == ("Có", "Không", "Có")
    assert row["Năm huấn luyện gần nhất"] == 2025 and row["Gia hạn (năm)"] == 0
    assert row["Trạng thái"] == label(MemberStatus, MemberStatus.ACTIVE)
    birth = sheet.cell(row=2, column=HEADERS.index("Ngày sinh") + 1)
    assert birth.is_date and birth.number_format == "DD/MM/YYYY"


def test_a_formula_in_a_cell_is_written_as_text(client, officer, member):
    client.force_login(officer)
    response = export(client)
    cell = sheet_of(response).cell(row=2, column=HEADERS.index("Tiểu đội") + 1)
    assert cell.value == member.squad
    assert cell.data_type == "s" and cell.quotePrefix  # shown as typed, never evaluated
    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "HYPERLINK" in sheet_xml

    text = export(client, fmt="csv").content.decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["Tiểu đội"] == "'" + member.squad  # a CSV has no cell types: the apostrophe disarms it


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_disarmed_in_csv(client, officer, tree, prefix):
    MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), platoon=f"{prefix}1+1")
    client.force_login(officer)
    (row,) = list(csv.DictReader(io.StringIO(export(client, fmt="csv").content.decode("utf-8-sig"))))
    if prefix == "\r":
        assert row["Trung đội"] == "\n1+1"  # a lone carriage return goes out as the line break it meant
    else:
        assert row["Trung đội"] == f"'{prefix}1+1"


def test_the_csv_is_utf8_with_bom_and_dates_as_text(client, officer, member):
    client.force_login(officer)
    response = export(client, fmt="csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    header, row = next(reader), next(reader)
    assert header == HEADERS
    values = dict(zip(header, row, strict=True))
    assert values["Họ và tên"] == "Nguyễn Văn Đức"
    assert values["Ngày sinh"] == "17/05/1998"
    assert values["Số CCCD"] == member.person.national_id


def test_it_exports_what_the_list_filters(client, officer, member, tree):
    other = MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet2"]), force_code="tai_cho")
    MilitiaMemberFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"]),
        status=MemberStatus.MOVED,
        exit_date=datetime.date(2025, 1, 1),
        exit_reason="Chuyển đi",
    )
    client.force_login(officer)

    def names(**params):
        return [r["Họ và tên"] for r in records(sheet_of(export(client, **params)))]

    assert sorted(names()) == sorted([member.person.full_name, other.person.full_name])  # active only, as the list
    assert names(force_type=militia_force_type("co_dong").pk) == ["Nguyễn Văn Đức"]
    assert names(hamlet=tree["vq_hamlet2"].pk) == [other.person.full_name]
    assert names(q="nguyen van duc") == ["Nguyễn Văn Đức"]
    assert names(party="1") == ["Nguyễn Văn Đức"]
    assert len(names(status="")) == 3
    assert names(sort="-name") == sorted(names(), reverse=True)


def test_an_officer_exports_only_their_commune(client, officer, district_officer, member, tree):
    MilitiaMemberFactory(person=PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"]))
    client.force_login(officer)
    assert [r["Xã/thị trấn"] for r in records(sheet_of(export(client)))] == ["Vĩnh Quang"]
    # Another commune is not a valid choice: the officer gets their own list, as on the list page.
    assert [r["Xã/thị trấn"] for r in records(sheet_of(export(client, commune=tree["ly_bon"].pk)))] == ["Vĩnh Quang"]
    client.force_login(district_officer)
    assert sorted(r["Xã/thị trấn"] for r in records(sheet_of(export(client)))) == ["Lý Bôn", "Vĩnh Quang"]


def test_a_viewer_may_export_but_a_user_without_the_permission_may_not(client, viewer, member):
    client.force_login(viewer)
    assert len(records(sheet_of(export(client)))) == 1
    client.force_login(UserFactory(username="nobody"))
    assert export(client).status_code == 403
    assert export(client, fmt="csv").status_code == 403


def test_an_unknown_roster_or_format_is_not_found(client, officer):
    client.force_login(officer)
    assert export(client, roster="recruits").status_code == 404
    assert export(client, fmt="pdf").status_code == 404
    assert export(client, fmt="xls").status_code == 404


def test_the_export_costs_the_same_queries_for_3_or_30_rows(client, officer, tree):
    client.force_login(officer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert export(client).status_code == 200
        return len(captured)

    for _ in range(3):
        MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]))
    few = queries()
    for _ in range(27):
        MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet2"]))
    assert queries() == few


def test_it_exports_the_reserve_roster_with_the_placement(client, officer, tree):
    post = ReservePostFactory(
        reserve_unit=ReserveUnitFactory(district=tree["district"], name="Đại đội 2"),
        title="Xạ thủ",
        specialty_code="BB-01",
    )
    ReservistFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], full_name="Lục Văn Dự"),
        rank=Rank.CORPORAL,
        specialty_code="BB-01",
        registered_on=datetime.date(2020, 10, 10),
        post=post,
        placed_on=datetime.date(2021, 1, 1),
    )
    ReservistFactory(person=PersonFactory(home_unit=tree["vinh_quang"]), category=ReservistCategory.OFFICER, tier="")
    client.force_login(officer)
    response = export(client, roster="reservists")
    assert response["Content-Disposition"].startswith('attachment; filename="quan-nhan-du-bi-')
    sheet = sheet_of(response)
    assert [c.value for c in sheet[1]] == R_HEADERS
    placed, officer_row = sorted(records(sheet), key=lambda r: r["Họ và tên"] != "Lục Văn Dự")
    assert placed["Đơn vị DBĐV / chức danh"] == "Đại đội 2 – Xạ thủ"
    assert placed["Đúng CNQS"] == yes_no(True)
    assert placed["Diện"] == label(ReservistCategory, ReservistCategory.HSQ_BS)
    assert (placed["Hạng"], placed["Cấp bậc"]) == ("1", label(Rank, Rank.CORPORAL))
    assert placed["Ngày đăng ký"] == datetime.datetime(2020, 10, 10)
    assert officer_row["Hạng"] is None and officer_row["Đơn vị DBĐV / chức danh"] is None
    assert officer_row["Thôn/xóm"] is None and officer_row["Xã/thị trấn"] == "Vĩnh Quang"

    csv_rows = list(csv.reader(io.StringIO(export(client, roster="reservists", fmt="csv").content.decode("utf-8-sig"))))
    assert csv_rows[0] == R_HEADERS and len(csv_rows) == 3
