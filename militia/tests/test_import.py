"""Importing a roster from Excel or CSV: the preview, the upsert, every bad file, the law's rules,
all or nothing, and who may import what."""

import datetime
import io
import json
import os
import time
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from militia import rules
from militia.io import importing, reading, storage
from militia.io.columns import MEMBER_COLUMNS, RESERVIST_COLUMNS, label
from militia.models import MemberStatus, MilitiaMember, Position, Reservist
from people.models import Person
from tests.factories import (
    MilitiaMemberFactory,
    PersonFactory,
    ReservePostFactory,
    ReserveUnitFactory,
    ReservistFactory,
    militia_force_type,
)

HEADERS = [c.header for c in MEMBER_COLUMNS]
R_HEADERS = [c.header for c in RESERVIST_COLUMNS]


@pytest.fixture(autouse=True)
def _english_and_private_store(client, settings, tmp_path):
    # Assert on the English msgids (the file itself is Vietnamese whatever the language).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")


def today():
    return timezone.localdate()


def national_id(birth_date, serial, *, sex="M"):
    digit4 = (0 if birth_date.year < 2000 else 2) + (0 if sex == "M" else 1)
    return f"004{digit4}{birth_date.year % 100:02d}{serial:06d}"


def member_row(serial, **overrides):
    """One valid member row of Vĩnh Quang, as a commune officer types it."""
    birth = overrides.pop("birth", datetime.date(1999, 3, 4))
    row = {
        "Họ và tên": f"Hoàng Văn Nhập {serial}",
        "Số CCCD": national_id(birth, 900000 + serial),
        "Ngày sinh": birth.strftime("%d/%m/%Y"),
        "Giới tính": "Nam",
        "Dân tộc": "Tày",
        "Thôn/xóm": "Nà Đoỏng",
        "Xã/thị trấn": "Vĩnh Quang",
        "Loại hình": militia_force_type("tai_cho").label_vi,
        "Nòng cốt": "Có",
        "Trung đội": "1",
        "Tiểu đội": "2",
        "Chức vụ": label(Position, Position.SOLDIER),
        "Ngày vào": "15/01/2024",
        "Gia hạn (năm)": 0,
        "Số quyết định gia hạn": "",
        "Tình nguyện": "Không",
        "Năm huấn luyện gần nhất": 2025,
        "Đảng viên": "Không",
        "Trạng thái": "",
    }
    row.update(overrides)
    return row


def xlsx(rows, headers=HEADERS, *, title_rows=()):
    workbook = Workbook()
    sheet = workbook.active
    for title in title_rows:
        sheet.append(title)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers] if isinstance(row, dict) else row)
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # text the user typed with a leading "=", not a formula
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, data, *, name="danh-sach.xlsx", roster="members"):
    return client.post(reverse("militia:import", kwargs={"roster": roster}), {"file": SimpleUploadedFile(name, data)})


def preview_of(client, response):
    assert response.status_code == 302, response.context and response.context["form"].errors
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page


def stored_plan(location):
    token = location.rstrip("/").rsplit("/", 1)[1]
    path = storage._path(token)
    return {row["line"]: row for row in json.loads(path.read_text(encoding="utf-8"))["plan"]}


def confirm(client, location, **extra):
    return client.post(location, {"confirm": "1", **extra})


def errors_of(response):
    assert response.status_code == 400
    return response.context["form"].errors["file"]


# --- The happy path and the upsert -----------------------------------------------------------


def test_it_creates_people_and_memberships_with_history(client, officer, tree):
    client.force_login(officer)
    location, page = preview_of(client, upload(client, xlsx([member_row(1), member_row(2, **{"Thôn/xóm": ""})])))
    assert page.context["counts"] == {"create": 2, "update": 0, "unchanged": 0, "reject": 0}
    assert "Hoàng Văn Nhập 1" in page.content.decode()
    assert Person.objects.count() == 0  # the preview writes nothing

    response = confirm(client, location)
    assert response.status_code == 302
    assert response["Location"] == reverse("militia:member_list")
    members = MilitiaMember.objects.select_related("person", "unit").order_by("person__full_name")
    assert [(m.person.full_name, m.unit, m.status) for m in members] == [
        ("Hoàng Văn Nhập 1", tree["vinh_quang"], MemberStatus.ACTIVE),
        ("Hoàng Văn Nhập 2", tree["vinh_quang"], MemberStatus.ACTIVE),
    ]
    first, second = members
    assert first.person.home_unit == tree["vq_hamlet"]
    assert second.person.home_unit == tree["vinh_quang"]  # no hamlet given: the commune
    assert first.joined_on == datetime.date(2024, 1, 15)
    assert first.term_ends_on == datetime.date(2028, 1, 14)
    assert first.platoon == "1" and first.last_trained_year == 2025
    for obj in (first, first.person):
        record = obj.history.get()
        assert record.history_type == "+"
        assert record.history_user == officer
        assert "danh-sach.xlsx" in record.history_change_reason
    assert not storage._path(location.rstrip("/").rsplit("/", 1)[1]).exists()  # removed after the commit


def test_it_updates_a_person_found_by_national_id(client, officer, tree):
    person = PersonFactory(full_name="Hoàng Văn Cũ", home_unit=tree["vq_hamlet"], birth_date=datetime.date(1999, 3, 4))
    member = MilitiaMemberFactory(person=person, platoon="9")
    row = member_row(
        1,
        **{
            "Số CCCD": person.national_id,
            "Họ và tên": "Hoàng Văn Mới",
            "Thôn/xóm": "Bản Tìn",
            "Trung đội": "3",
            "Ngày vào": member.joined_on.strftime("%d/%m/%Y"),
            "Tiểu đội": "",
            "Năm huấn luyện gần nhất": None,
        },
    )
    client.force_login(officer)
    location, page = preview_of(client, upload(client, xlsx([row])))
    assert page.context["counts"]["update"] == 1
    plan = stored_plan(location)[2]
    assert set(plan["changes"]) >= {"Họ và tên", "Thôn/xóm", "Trung đội"}

    confirm(client, location)
    person.refresh_from_db()
    member.refresh_from_db()
    assert person.full_name == "Hoàng Văn Mới" and person.home_unit == tree["vq_hamlet2"]
    assert member.platoon == "3"
    assert member.squad == ""  # an empty optional cell keeps the value (the factory left it empty)
    assert member.last_trained_year is None
    assert MilitiaMember.objects.count() == 1 and Person.objects.count() == 1
    assert person.history.count() == 2 and member.history.count() == 2


def test_a_known_person_without_membership_gets_one(client, officer, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1999, 3, 4))
    client.force_login(officer)
    row = member_row(1, **{"Số CCCD": person.national_id, "Họ và tên": person.full_name})
    location, page = preview_of(client, upload(client, xlsx([row])))
    assert stored_plan(location)[2]["action"] == "create"
    assert "A person already in the registry" in page.content.decode()
    confirm(client, location)
    assert Person.objects.count() == 1
    assert MilitiaMember.objects.get().person == person


def test_an_exported_roster_imports_back_unchanged(client, officer, tree):
    MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"]), squad="=1+2", platoon="-")
    MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vinh_quang"]), is_volunteer=False)
    client.force_login(officer)
    for fmt in ("xlsx", "csv"):
        exported = client.get(reverse("militia:export", kwargs={"roster": "members", "fmt": fmt})).content
        location, page = preview_of(client, upload(client, exported, name=f"roster.{fmt}"))
        assert page.context["counts"] == {"create": 0, "update": 0, "unchanged": 2, "reject": 0}, stored_plan(location)
        assert page.context["to_write"] == 0
        assert b"disabled" in page.content


def test_the_template_imports_with_its_instruction_row(client, officer, tree):
    client.force_login(officer)
    template = client.get(reverse("militia:import_template", kwargs={"roster": "members"}))
    assert template.status_code == 200
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["C2"].value == "Bắt buộc. dd/mm/yyyy"
    assert sheet["B3"].number_format == "@"  # national IDs stay text, leading zero included
    assert any("Danh mục" in dv.formula1 for dv in sheet.data_validations.dataValidation)
    lists = workbook["Danh mục"]
    assert lists.sheet_state == "hidden"
    assert "Vĩnh Quang" in [c.value for col in lists.iter_cols() for c in col]
    assert "Lý Bôn" not in [c.value for col in lists.iter_cols() for c in col]  # only the officer's commune

    row = member_row(1)
    for index, header in enumerate(HEADERS, start=1):
        sheet.cell(row=3, column=index, value=row[header])
    sheet["C3"] = datetime.date(1999, 3, 4)  # a real date cell
    sheet["M3"] = 45306  # an Excel serial number: 15/01/2024
    out = io.BytesIO()
    workbook.save(out)
    location, page = preview_of(client, upload(client, out.getvalue()))
    assert page.context["counts"]["create"] == 1, stored_plan(location)
    confirm(client, location)
    member = MilitiaMember.objects.get()
    assert member.joined_on == datetime.date(2024, 1, 15)
    assert member.person.birth_date == datetime.date(1999, 3, 4)


def test_a_csv_file_imports_with_or_without_bom(client, officer, tree):
    client.force_login(officer)
    lines = [",".join(HEADERS), ",".join(str(v) for v in member_row(1).values())]
    body = "\r\n".join(lines).encode("utf-8")
    for data in (body, b"\xef\xbb\xbf" + body):
        _location, page = preview_of(client, upload(client, data, name="ds.csv"))
        assert page.context["counts"]["create"] == 1


def test_dates_in_every_form_are_read():
    assert importing.parse_date("31/12/1990") == datetime.date(1990, 12, 31)
    assert importing.parse_date("1/2/1990") == datetime.date(1990, 2, 1)
    assert importing.parse_date("01-02-1990") == datetime.date(1990, 2, 1)
    assert importing.parse_date("1990-02-01") == datetime.date(1990, 2, 1)
    assert importing.parse_date({"date": "1990-02-01"}) == datetime.date(1990, 2, 1)
    assert importing.parse_date(45306) == datetime.date(2024, 1, 15)
    assert importing.parse_date("45306") == datetime.date(2024, 1, 15)
    for bad in ("31/02/1990", "1990", "abc", "32/01/1990", 0, True):
        with pytest.raises(importing._Invalid):
            importing.parse_date(bad)


def test_a_reservist_roster_imports(client, officer, tree):
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"]))
    placed = ReservistFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1995, 1, 1)),
        post=post,  # placed 30 days after its registration
    )
    birth = datetime.date(1996, 5, 5)
    rows = [
        {
            "Họ và tên": "Lục Văn Dự",
            "Số CCCD": national_id(birth, 700001),
            "Ngày sinh": "05/05/1996",
            "Giới tính": "Nam",
            "Dân tộc": "Nùng",
            "Thôn/xóm": "Bản Tìn",
            "Xã/thị trấn": "vinh quang",  # without diacritics
            "Diện": "NCO / soldier (HSQ-BS)",  # the English label works too
            "Hạng": 1,
            "Cấp bậc": "binh_nhat",
            "Mã CNQS": "BB-01",
            "Ngày đăng ký": "10/10/2020",
            "Đơn vị DBĐV / chức danh": "anything: placements are made in the portal",
            "Đảng viên": "Có",
        },
        {
            "Họ và tên": placed.person.full_name,
            "Số CCCD": placed.person.national_id,
            "Ngày sinh": "01/01/1995",
            "Giới tính": "Nam",
            "Dân tộc": "Mông",
            "Thôn/xóm": "Nà Đoỏng",
            "Xã/thị trấn": "Vĩnh Quang",
            "Diện": "hsq_bs",
            "Hạng": 2,
            "Mã CNQS": "BB-02",
            "Ngày đăng ký": placed.registered_on,
        },
    ]
    client.force_login(officer)
    location, page = preview_of(
        client,
        upload(client, xlsx(rows, [h for h in R_HEADERS if h not in ("Đúng CNQS", "Trạng thái")]), roster="reservists"),
    )
    assert page.context["counts"] == {"create": 1, "update": 1, "unchanged": 0, "reject": 0}, stored_plan(location)
    assert confirm(client, location)["Location"] == reverse("militia:reservist_list")
    new = Reservist.objects.get(person__full_name="Lục Văn Dự")
    assert (new.category, new.tier, new.rank, new.unit, new.post) == (
        "hsq_bs",
        "1",
        "binh_nhat",
        tree["vinh_quang"],
        None,
    )
    assert new.person.is_party_member
    placed.refresh_from_db()
    assert (placed.tier, placed.specialty_code, placed.post) == ("2", "BB-02", post)
    assert placed.specialty_matches is False  # recomputed from the post on save


# --- Bad files -------------------------------------------------------------------------------


@pytest.fixture
def logged_in(client, officer):
    client.force_login(officer)
    return client


def test_it_refuses_a_file_too_big(logged_in, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 2000)
    messages = errors_of(upload(logged_in, xlsx([member_row(n) for n in range(40)])))
    assert "the limit is" in messages[0]
    assert Person.objects.count() == 0


def test_it_refuses_too_many_rows(logged_in, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    messages = errors_of(upload(logged_in, xlsx([member_row(n) for n in range(4)])))
    assert messages == ["The file has more than 3 data rows. Split it into several files."]
    monkeypatch.setattr(reading, "MAX_ROWS", 4)
    preview_of(logged_in, upload(logged_in, xlsx([member_row(n) for n in range(4)])))


def test_it_refuses_a_zip_bomb_before_opening_it(logged_in, monkeypatch):
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(1))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (reading.MAX_UNCOMPRESSED_BYTES + 1))
    data = out.getvalue()
    assert len(data) < 200_000  # small on the wire
    messages = errors_of(upload(logged_in, data))
    assert "unpacks to 50,0 MB, above the limit of 50 MB" in messages[0]
    assert opened == []


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "neither a spreadsheet (.xlsx, .xls, .ods) nor a CSV"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel 97–2003 file"),
        ("archive.xlsx", b"PK\x03\x04garbage", "damaged"),
        ("legacy.csv", "Ngày sinh,Giới tính\r\n".encode("cp1252", errors="replace"), "not in UTF-8"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_it_refuses_a_wrong_file_type_by_content(logged_in, name, data, expected):
    response = logged_in.post(
        reverse("militia:import", kwargs={"roster": "members"}), {"file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert expected in " ".join(response.context["form"].errors["file"])


def test_it_refuses_a_zip_that_is_not_a_workbook(logged_in):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "not an Excel workbook" in errors_of(upload(logged_in, out.getvalue()))[0]


def test_it_names_the_missing_columns(logged_in):
    headers = [h for h in HEADERS if h not in ("Ngày sinh", "Dân tộc")] + ["Ngay sinh nhat"]
    messages = errors_of(upload(logged_in, xlsx([], headers)))
    assert messages[0] == "The columns «Ngày sinh», «Dân tộc» are missing or have been renamed."
    assert "'Ngay sinh nhat'" in messages[1]


def test_headers_are_found_below_a_title_and_without_diacritics(logged_in):
    headers = [h.upper() for h in HEADERS]
    data = xlsx([[member_row(1)[h] for h in HEADERS]], headers, title_rows=[["DANH SÁCH DÂN QUÂN 2026"], []])
    location, page = preview_of(logged_in, upload(logged_in, data))
    assert page.context["counts"]["create"] == 1
    assert list(stored_plan(location)) == [4]  # the row number the user sees in Excel


@pytest.mark.parametrize("headers", [False, True])
def test_it_refuses_an_empty_sheet(logged_in, headers):
    data = xlsx([], HEADERS if headers else [])
    message = errors_of(upload(logged_in, data))[0]
    assert message == (
        "The sheet has a header row but no data rows under it."
        if headers
        else "The sheet is empty: there is no header row and no data."
    )


def test_it_refuses_national_ids_repeated_in_the_file(logged_in):
    rows = [member_row(1), member_row(2), member_row(3, **{"Số CCCD": member_row(1)["Số CCCD"]})]
    messages = errors_of(upload(logged_in, xlsx(rows)))
    assert messages[0] == f"National ID {member_row(1)['Số CCCD']} appears twice: rows 2 and 4."


# --- Rows rejected, with the reason named ----------------------------------------------------


def test_each_bad_cell_is_named_with_its_column_and_value(logged_in):
    rows = [
        member_row(1, **{"Ngày sinh": "31/02/1990"}),
        member_row(2, **{"Số CCCD": ""}),
        member_row(3, **{"Giới tính": "X", "Loại hình": "Bộ binh"}),
        member_row(4, **{"Xã/thị trấn": "Lý Bôn"}),
        member_row(5, **{"Thôn/xóm": "Nà Ké"}),
        member_row(6, **{"Trạng thái": label(MemberStatus, MemberStatus.MOVED)}),
        member_row(7, **{"Gia hạn (năm)": 3, "Số quyết định gia hạn": "QĐ 12"}),
    ]
    location, page = preview_of(logged_in, upload(logged_in, xlsx(rows)))
    assert page.context["counts"]["reject"] == 7
    plan = stored_plan(location)
    assert plan[2]["reasons"] == ["Row 2, column «Ngày sinh»: '31/02/1990' is not a valid date (dd/mm/yyyy)."]
    assert plan[3]["reasons"] == ["Row 3: there is no national ID (Số CCCD); it is needed to recognise the person."]
    assert plan[4]["reasons"][0] == "Row 4, column «Giới tính»: 'X' is not in the list: Nam, Nữ."
    assert plan[4]["reasons"][1].startswith("Row 4, column «Loại hình»: 'Bộ binh' is not a militia force type (")
    assert plan[5]["reasons"] == ["Row 5, column «Xã/thị trấn»: 'Lý Bôn' is not a commune or town you may edit."]
    assert plan[6]["reasons"] == ["Row 6, column «Thôn/xóm»: 'Nà Ké' is not a hamlet of Vĩnh Quang."]
    assert "cannot be imported" in plan[7]["reasons"][0]
    assert plan[8]["reasons"] == [
        "Row 8, column «Gia hạn (năm)»: " + refused(rules.validate_militia_extension, 3, "QĐ 12")
    ]
    body = page.content.decode()
    assert "is not a valid date" in body and "table-danger" in body


def refused(rule, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        rule(*args, **kwargs)
    return caught.value.messages[0]


def test_a_member_aged_17_on_joining_is_refused_with_the_rule(logged_in):
    joined = datetime.date(2024, 1, 15)
    birth = joined.replace(year=joined.year - 18) + datetime.timedelta(days=1)  # turns 18 the day after
    location, _page = preview_of(logged_in, upload(logged_in, xlsx([member_row(1, birth=birth)])))
    reasons = stored_plan(location)[2]["reasons"]
    expected = refused(rules.validate_militia_age, birth_date=birth, sex="M", on=joined)
    assert reasons == [f"Row 2, column «Ngày vào»: {expected}"]
    assert "48/2019" in expected and "8.1" in expected


def test_a_person_placed_in_a_reserve_unit_cannot_join_the_militia(logged_in, tree):
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"], name="Đại đội 3"))
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1999, 3, 4))
    ReservistFactory(person=person, post=post, placed_on=datetime.date(2024, 1, 1))
    row = member_row(1, **{"Số CCCD": person.national_id, "Họ và tên": person.full_name})
    location, _page = preview_of(logged_in, upload(logged_in, xlsx([row])))
    reasons = stored_plan(location)[2]["reasons"]
    assert reasons == ["Row 2: " + refused(rules.validate_not_placed_in_reserve, placed_unit_name="Đại đội 3")]
    assert MilitiaMember.objects.count() == 0


def reservist_row(reservist, **overrides):
    person = reservist.person
    row = {
        "Họ và tên": person.full_name,
        "Số CCCD": person.national_id,
        "Ngày sinh": person.birth_date.strftime("%d/%m/%Y"),
        "Giới tính": "Nam",
        "Dân tộc": person.ethnicity.name,
        "Thôn/xóm": person.home_unit.name,
        "Xã/thị trấn": reservist.unit.name,
        "Diện": reservist.category,
        "Hạng": reservist.tier,
        "Cấp bậc": reservist.rank,
        "Mã CNQS": reservist.specialty_code,
        "Ngày đăng ký": reservist.registered_on,
        "Đảng viên": "Không",
    }
    row.update(overrides)
    return row


def test_the_reserve_rules_give_the_models_own_messages(logged_in, tree):
    """The import checks a person's other records from facts read in bulk: same rules, same words as clean()."""
    post = ReservePostFactory(reserve_unit=ReserveUnitFactory(district=tree["district"]), required_count=1)
    both = ReservistFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1995, 1, 1)),
        post=post,
        placed_on=datetime.date(2024, 1, 1),
    )
    MilitiaMemberFactory(person=both.person)  # made by hand, past the rules: the import must refuse it
    old = ReservistFactory(person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1970, 1, 1)))
    rows = [reservist_row(both, **{"Mã CNQS": "BB-09"}), reservist_row(old, **{"Mã CNQS": "BB-09"})]
    location, page = preview_of(
        logged_in, upload(logged_in, xlsx(rows, R_HEADERS[:12] + ["Đảng viên"]), roster="reservists")
    )
    plan = stored_plan(location)
    for line, record in ((2, both), (3, old)):
        with pytest.raises(ValidationError) as caught:
            record.full_clean()
        expected = [m for messages in caught.value.message_dict.values() for m in messages]
        assert sorted(r.split(": ", 1)[1] for r in plan[line]["reasons"]) == sorted(expected), line
    assert page.context["counts"]["reject"] == 2


def test_the_vietnamese_reason_names_row_column_and_value(client, officer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    client.force_login(officer)
    rows = [member_row(n) for n in range(5)] + [member_row(9, **{"Ngày sinh": "31/02/1990"})]
    location, page = preview_of(client, upload(client, xlsx(rows)))
    (reason,) = stored_plan(location)[7]["reasons"]
    assert reason.startswith("Dòng 7, cột «Ngày sinh»: '31/02/1990' không phải")
    assert "ngày hợp lệ (dd/mm/yyyy)" in reason
    assert escape(reason) in page.content.decode()


def test_the_rejected_rows_download_with_their_reasons(logged_in):
    rows = [member_row(1), member_row(2, **{"Ngày sinh": "31/02/1990", "Tiểu đội": "=cmd|' /C calc'!A0"})]
    location, _page = preview_of(logged_in, upload(logged_in, xlsx(rows)))
    response = logged_in.get(location + "rejected.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS + ["Lỗi", "Dòng trong tệp gốc"]
    assert len(values) == 2
    assert values[1][0] == "Hoàng Văn Nhập 2"
    assert values[1][-2] == "Row 3, column «Ngày sinh»: '31/02/1990' is not a valid date (dd/mm/yyyy)."
    assert values[1][-1] == 3
    squad = sheet.cell(row=2, column=HEADERS.index("Tiểu đội") + 1)
    assert squad.data_type == "s" and squad.quotePrefix  # the user's formula stays text


# --- The confirmation ------------------------------------------------------------------------


def test_valid_rows_import_only_after_confirming_the_skip(logged_in):
    rows = [member_row(1), member_row(2, **{"Ngày sinh": "31/02/1990"}), member_row(3)]
    location, page = preview_of(logged_in, upload(logged_in, xlsx(rows)))
    body = page.content.decode()
    assert "Import the 2 valid rows, skip the rejected ones" in body
    assert 'id="skipped-lines">3<' in body
    assert [row["line"] for row in logged_in.get(location, {"show": "reject"}).context["page"].object_list] == [3]

    response = confirm(logged_in, location)  # without ticking the box
    assert response.status_code == 302 and response["Location"] == location
    assert MilitiaMember.objects.count() == 0

    confirm(logged_in, location, skip_rejected="1")
    assert sorted(MilitiaMember.objects.values_list("person__full_name", flat=True)) == [
        "Hoàng Văn Nhập 1",
        "Hoàng Văn Nhập 3",
    ]


def test_nothing_can_be_confirmed_when_every_row_is_rejected(logged_in):
    location, page = preview_of(logged_in, upload(logged_in, xlsx([member_row(1, **{"Ngày sinh": "x"})])))
    body = page.content.decode()
    assert 'id="confirm-button" disabled' in body
    assert "there is nothing to import" in body
    confirm(logged_in, location, skip_rejected="1")
    assert Person.objects.count() == 0


def test_the_upload_can_be_discarded(logged_in):
    location, _page = preview_of(logged_in, upload(logged_in, xlsx([member_row(1)])))
    assert logged_in.post(location, {"discard": "1"}).status_code == 302
    assert logged_in.get(location).status_code == 404
    assert Person.objects.count() == 0


# --- All or nothing --------------------------------------------------------------------------


def test_a_row_that_changed_since_the_preview_cancels_the_whole_import(logged_in, tree):
    rows = [member_row(1), member_row(2), member_row(3)]
    location, _page = preview_of(logged_in, upload(logged_in, xlsx(rows)))
    # Meanwhile the district registers row 4's person in Lý Bôn, out of the officer's reach.
    PersonFactory(national_id=rows[2]["Số CCCD"], home_unit=tree["lb_hamlet"], birth_date=datetime.date(1999, 3, 4))
    people_before = Person.objects.count()

    response = confirm(logged_in, location)
    assert response["Location"] == location
    assert Person.objects.count() == people_before  # rows 2 and 3 were written, then rolled back
    assert MilitiaMember.objects.count() == 0
    page = logged_in.get(location)
    messages = [str(m) for m in page.context["messages"]]
    assert messages[0].startswith("Nothing was imported")
    assert "Row 4, column «Số CCCD»" in messages[1]
    assert stored_plan(location)[4]["action"] == "reject"  # the preview now shows it


def test_a_database_failure_midway_writes_nothing(logged_in, monkeypatch):
    rows = [member_row(1), member_row(2), member_row(3)]
    location, _page = preview_of(logged_in, upload(logged_in, xlsx(rows)))
    original, written = importing.bulk_create_with_history, []

    def failing_after_the_people(objs, model, **kwargs):
        if model is MilitiaMember:  # the people are in the database by now
            written.append(Person.objects.count())
            raise IntegrityError("duplicate key value violates unique constraint")
        return original(objs, model, **kwargs)

    monkeypatch.setattr(importing, "bulk_create_with_history", failing_after_the_people)
    response = confirm(logged_in, location)
    assert response["Location"] == location
    assert written == [3]
    assert Person.objects.count() == 0 and MilitiaMember.objects.count() == 0
    assert Person.history.count() == 0
    messages = [str(m) for m in logged_in.get(location).context["messages"]]
    assert "The database refused the import (duplicate key value violates unique constraint)." in messages
    assert logged_in.get(location).status_code == 200  # the upload is kept: fixed, it can be confirmed again


# --- Who may import what ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["viewer", "commander"])
def test_read_only_roles_may_not_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("militia:import", kwargs={"roster": "members"}),
        reverse("militia:import_template", kwargs={"roster": "reservists"}),
    ):
        assert client.get(url).status_code == 403
    assert upload(client, xlsx([member_row(1)])).status_code == 403
    assert Person.objects.count() == 0


def test_an_unknown_roster_is_not_found(logged_in):
    assert logged_in.get("/militia/recruits/import/").status_code == 404
    assert logged_in.get("/militia/recruits/import/template.xlsx").status_code == 404


def test_the_outsider_cannot_write_another_communes_rows(client, outsider, tree):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1999, 3, 4))
    rows = [
        member_row(1),  # Vĩnh Quang: not the outsider's
        member_row(2, **{"Xã/thị trấn": "Lý Bôn", "Thôn/xóm": "Nà Ké", "Số CCCD": person.national_id}),
        member_row(3, **{"Xã/thị trấn": "Lý Bôn", "Thôn/xóm": "Nà Ké"}),
    ]
    client.force_login(outsider)
    location, page = preview_of(client, upload(client, xlsx(rows)))
    plan = stored_plan(location)
    assert plan[2]["reasons"] == ["Row 2, column «Xã/thị trấn»: 'Vĩnh Quang' is not a commune or town you may edit."]
    assert plan[3]["reasons"][0].startswith(f"Row 3, column «Số CCCD»: '{person.national_id}' belongs to a person")
    assert plan[4]["action"] == "create"
    confirm(client, location, skip_rejected="1")
    assert list(MilitiaMember.objects.values_list("unit__name", flat=True)) == ["Lý Bôn"]
    person.refresh_from_db()
    assert person.home_unit == tree["vq_hamlet"]


def test_another_users_upload_is_not_found(client, officer, district_officer):
    client.force_login(officer)
    location, _page = preview_of(client, upload(client, xlsx([member_row(1)])))
    client.force_login(district_officer)
    assert client.get(location).status_code == 404
    assert confirm(client, location).status_code == 404
    assert client.get(location + "rejected.xlsx").status_code == 404
    assert client.get(location.replace("/members/", "/reservists/")).status_code == 404
    assert Person.objects.count() == 0
    client.force_login(officer)
    assert client.get(location).status_code == 200


def test_an_upload_older_than_a_day_is_gone(logged_in):
    location, _page = preview_of(logged_in, upload(logged_in, xlsx([member_row(1)])))
    path = storage._path(location.rstrip("/").rsplit("/", 1)[1])
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["created"] -= storage.MAX_AGE_SECONDS + 60
    path.write_text(json.dumps(payload), encoding="utf-8")
    assert logged_in.get(location).status_code == 404
    assert not path.exists()
    assert logged_in.get("/militia/members/import/..%2F..%2Fetc%2Fpasswd/").status_code == 404


def test_a_district_officer_imports_into_any_commune(client, district_officer, tree):
    client.force_login(district_officer)
    rows = [member_row(1), member_row(2, **{"Xã/thị trấn": "Lý Bôn", "Thôn/xóm": "Nà Ké"})]
    location, page = preview_of(client, upload(client, xlsx(rows)))
    assert page.context["counts"]["create"] == 2
    confirm(client, location)
    assert sorted(MilitiaMember.objects.values_list("unit__name", flat=True)) == ["Lý Bôn", "Vĩnh Quang"]


def test_an_upload_without_a_file_is_refused(logged_in):
    response = logged_in.post(reverse("militia:import", kwargs={"roster": "members"}), {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_the_upload_page_explains_the_import(logged_in):
    response = logged_in.get(reverse("militia:import", kwargs={"roster": "members"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("militia:import_template", kwargs={"roster": "members"}) in body
    assert 'enctype="multipart/form-data"' in body
    assert "Ngày sinh" in body and "Bắt buộc. dd/mm/yyyy" in body
    assert "<script" not in body.split("</footer>")[0] and "style=" not in body


# --- Speed (run by hand: IMPORT_BENCH=1) -----------------------------------------------------


@pytest.mark.skipif(not os.environ.get("IMPORT_BENCH"), reason="timing run: set IMPORT_BENCH=1")
def test_five_thousand_rows_timing(client, officer, tree, capsys):
    rows = [member_row(n) for n in range(5000)]
    data = xlsx(rows)
    client.force_login(officer)
    started = time.perf_counter()
    location, page = preview_of(client, upload(client, data))
    previewed = time.perf_counter()
    assert page.context["counts"]["create"] == 5000
    response = confirm(client, location)
    finished = time.perf_counter()
    assert response.status_code == 302
    assert MilitiaMember.objects.count() == 5000
    with capsys.disabled():
        print(
            f"\n5,000-row import on {connection.vendor}: upload+preview {previewed - started:.1f} s, "
            f"commit {finished - previewed:.1f} s, total {finished - started:.1f} s"
        )


def test_it_strips_the_export_formula_guard_on_import():
    assert reading.normalize_cell("'=1+2") == "=1+2"
    assert reading.normalize_cell("'abc") == "'abc"
    assert reading.national_id_text(4098000123) == "004098000123"


def test_a_person_deferred_from_militia_duty_cannot_join_by_import(logged_in, tree, officer):
    from militia import services as militia_services
    from militia.models import DutyKind, MilitiaDutyGround

    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(1999, 3, 4))
    militia_services.duty_record_create(
        user=officer,
        person=person,
        unit=tree["vinh_quang"],
        kind=DutyKind.DEFERMENT,
        recorded_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2024, 12, 31),
        ground=MilitiaDutyGround.objects.get(code="11.1h"),
    )
    row = member_row(1, **{"Số CCCD": person.national_id, "Họ và tên": person.full_name})
    location, _page = preview_of(logged_in, upload(logged_in, xlsx([row])))
    reasons = stored_plan(location)[2]["reasons"]
    assert len(reasons) == 1 and "art. 11.1" in reasons[0] and "11.1h" in reasons[0] and "31/12/2024" in reasons[0]
    assert not MilitiaMember.objects.filter(person=person).exists()
