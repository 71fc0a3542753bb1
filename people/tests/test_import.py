"""Importing people into the registry from a spreadsheet (.xlsx, .xls, .ods, CSV) through the shared wizard: the
preview with its row errors writes nothing, a good file is written whole, repeated and foreign national IDs
are refused, a commune officer imports into their own commune only, a TCVN3 workbook imports as Unicode, a
large import is written by the worker; and the template and the exports (.xlsx, CSV) of the filtered list."""

import csv
import datetime
import io
import re
import zipfile
from xml.sax.saxutils import escape

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from people import importing
from people.columns import COLUMNS, EXAMPLE
from people.models import Person
from portal_io import legacy
from tests.caches import places
from tests.factories import PersonFactory, ethnicity
from units.models import AuditEvent, BackgroundJob

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in COLUMNS if c.imported]


@pytest.fixture(autouse=True)
def _english_and_private_store(client, settings, tmp_path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages asserted are the English msgids
    settings.PEOPLE_IMPORT_DIR = str(tmp_path / "imports")


def national_id(birth, serial, sex="M"):
    digit4 = (0 if birth.year < 2000 else 2) + (0 if sex == "M" else 1)
    return f"004{digit4}{birth.year % 100:02d}{serial:06d}"


def person_row(serial, **overrides):
    """One valid row of Vĩnh Quang, as a commune officer types it."""
    birth = overrides.pop("birth", datetime.date(2001, 3, 4))
    row = {
        "Họ và tên": f"Hoàng Văn Nhập {serial}",
        "Số CCCD": national_id(birth, 700000 + serial),
        "Ngày sinh": birth.strftime("%d/%m/%Y"),
        "Giới tính": "Nam",
        "Dân tộc": "Tày",
        "Tôn giáo": "",
        "Thôn/xóm": "Nà Đoỏng",
        "Xã/thị trấn": "Vĩnh Quang",
        "Học vấn (lớp)": 12,
        "Trình độ chuyên môn": "",
        "Nghề nghiệp": "Làm ruộng",
        "Đảng viên": "Không",
        "Ngày vào Đảng": "",
        "Đoàn viên": "Có",
        "Số điện thoại": "0912 345 678",
    }
    row.update(overrides)
    return row


def xlsx(rows, headers=HEADERS, *, font=None, encoding=None):
    def text(value):
        return legacy.encode(value, encoding) if encoding and isinstance(value, str) else value

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([text(h) for h in headers])
    for row in rows:
        sheet.append([text(row.get(h)) for h in headers])
    for cells in sheet.iter_rows():
        for cell in cells:
            if cell.data_type == "f":  # text the user typed with a leading "=", not a formula
                cell.data_type = "s"
            if font:
                cell.font = Font(name=font)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows, headers=HEADERS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue().encode("utf-8-sig")


def ods_bytes(rows, headers=HEADERS):
    """A minimal OpenDocument spreadsheet, as LibreOffice saves one (mimetype first, stored)."""

    def cell(value):
        if value in (None, ""):
            return "<table:table-cell/>"
        if isinstance(value, int):
            kind = f'office:value-type="float" office:value="{value}"'
        else:
            kind, value = 'office:value-type="string"', escape(str(value))
        return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"

    lines = [headers] + [[row.get(h) for h in headers] for row in rows]
    body = "".join("<table:table-row>" + "".join(cell(v) for v in line) + "</table:table-row>" for line in lines)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="Sheet1">{body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest/>')
        archive.writestr("content.xml", content)
    return out.getvalue()


def upload(client, data, *, name="cong-dan.xlsx", encoding="auto"):
    return client.post(reverse("people:import"), {"file": SimpleUploadedFile(name, data), "encoding": encoding})


def preview_of(client, response):
    assert response.status_code == 302, response.context and response.context["form"].errors
    page = client.get(response["Location"])
    assert page.status_code == 200
    return response["Location"], page.content.decode()


def confirm(client, location, **extra):
    return client.post(location, {"confirm": "1", **extra})


def count(html, action):
    marker = f'id="count-{action}">'
    start = html.index(marker) + len(marker)
    return int(html[start : html.index("<", start)])


# --- The preview and the commit ---------------------------------------------------------------------------


def test_the_preview_shows_each_rows_errors_and_writes_nothing(client, officer, tree):
    client.force_login(officer)
    rows = [
        person_row(1),
        person_row(2, **{"Ngày sinh": "31/02/2001"}),
        person_row(3, **{"Số CCCD": "004201999999", "Giới tính": "Nữ"}),  # digit 4 says a man
        person_row(4, **{"Dân tộc": "Klingon"}),
        person_row(5, **{"Số điện thoại": "12345"}),
    ]
    location, html = preview_of(client, upload(client, xlsx(rows)))
    assert count(html, "create") == 1 and count(html, "reject") == 4
    assert "Row 3, column «Ngày sinh»: &#x27;31/02/2001&#x27; is not a valid date (dd/mm/yyyy)." in html
    assert "Digit 4 (2) says male but the person is entered as female." in html
    assert "Row 5, column «Dân tộc»: &#x27;Klingon&#x27; is not one of the 54 ethnic groups." in html
    assert "Row 6, column «Số điện thoại»: Enter a Vietnamese phone number" in html
    assert not Person.objects.exists()
    # Confirming without ticking the rejected rows away is refused, and still writes nothing.
    response = confirm(client, location)
    assert response.status_code == 302 and response["Location"] == location
    assert not Person.objects.exists()
    # The rejected rows come back as a workbook with their reasons, to fix and upload again.
    rejected = client.get(location + "rejected.xlsx")
    sheet = load_workbook(io.BytesIO(rejected.content)).worksheets[0]
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][-2:] == ("Lỗi", "Dòng trong tệp gốc") and [line[-1] for line in lines[1:]] == [3, 4, 5, 6]


def test_a_good_file_is_written_whole_with_history_and_an_audit(client, officer, tree):
    client.force_login(officer)
    rows = [person_row(1), person_row(2, **{"Thôn/xóm": "", "Giới tính": "Nữ", "Số CCCD": ""}), person_row(3)]
    rows[1]["Số CCCD"] = national_id(datetime.date(2001, 3, 4), 700002, sex="F")
    location, html = preview_of(client, upload(client, xlsx(rows)))
    assert count(html, "create") == 3 and count(html, "reject") == 0
    response = confirm(client, location)
    assert response.status_code == 302 and response["Location"] == reverse("people:list")
    people = {p.full_name: p for p in Person.objects.select_related("home_unit", "ethnicity")}
    assert set(people) == {"Hoàng Văn Nhập 1", "Hoàng Văn Nhập 2", "Hoàng Văn Nhập 3"}
    first = people["Hoàng Văn Nhập 1"]
    assert first.home_unit == tree["vq_hamlet"] and first.ethnicity == ethnicity("Tày")
    assert first.phone == "0912345678" and first.is_youth_union_member and first.general_education == 12
    assert first.search_key == "hoang van nhap 1"
    assert people["Hoàng Văn Nhập 2"].home_unit == tree["vinh_quang"] and people["Hoàng Văn Nhập 2"].sex == "F"
    entry = first.history.get()
    assert entry.history_user == officer and entry.history_change_reason == "Imported from cong-dan.xlsx"
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.IMPORT, target="people:import").count() == 1
    listing = client.get(reverse("people:list")).content.decode()
    assert "Hoàng Văn Nhập 1" in listing


def test_a_row_updates_the_person_with_that_national_id_and_empty_cells_keep_what_is_known(client, officer, tree):
    born = datetime.date(2001, 3, 4)
    known = PersonFactory(
        full_name="Hoàng Văn Cũ", home_unit=tree["vq_hamlet2"], occupation="Giáo viên", birth_date=born
    )
    same = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2001, 3, 4), general_education=12)
    client.force_login(officer)
    rows = [
        person_row(1, **{"Số CCCD": known.national_id, "Họ và tên": "Hoàng Văn Mới", "Nghề nghiệp": ""}),
        {
            "Họ và tên": same.full_name,
            "Số CCCD": same.national_id,
            "Ngày sinh": "04/03/2001",
            "Giới tính": "Nam",
            "Thôn/xóm": "Nà Đoỏng",
            "Xã/thị trấn": "Vĩnh Quang",
        },
    ]
    location, html = preview_of(client, upload(client, xlsx(rows)))
    assert count(html, "update") == 1 and count(html, "unchanged") == 1
    changes = re.findall(r"Changes: ([^<]*)", html)[0].strip()
    assert changes == "Thôn/xóm, Họ và tên, Dân tộc, Học vấn (lớp), Đoàn viên, Số điện thoại"
    confirm(client, location)
    known.refresh_from_db()
    assert known.full_name == "Hoàng Văn Mới" and known.home_unit == tree["vq_hamlet"]
    assert known.occupation == "Giáo viên"  # the empty cell kept it
    assert known.history.count() == 2


def test_the_commit_writes_nothing_if_the_registry_changed_since_the_preview(client, officer, tree):
    client.force_login(officer)
    rows = [person_row(1), person_row(2)]
    location, _html = preview_of(client, upload(client, xlsx(rows)))
    # Meanwhile somebody registers the second person in Lý Bôn, out of this officer's reach.
    PersonFactory(national_id=rows[1]["Số CCCD"], home_unit=tree["lb_hamlet"], birth_date=datetime.date(2001, 3, 4))
    response = confirm(client, location)
    assert response.status_code == 302 and response["Location"] == location
    assert not Person.objects.filter(full_name__startswith="Hoàng Văn Nhập").exists()
    html = client.get(location).content.decode()
    assert count(html, "create") == 1 and count(html, "reject") == 1  # the preview is planned again


# --- Duplicates and scope ---------------------------------------------------------------------------------


def test_a_national_id_twice_in_the_file_refuses_the_file(client, officer, tree):
    client.force_login(officer)
    rows = [person_row(1), person_row(2, **{"Số CCCD": person_row(1)["Số CCCD"]})]
    response = upload(client, xlsx(rows))
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert f"National ID {rows[0]['Số CCCD']} appears twice: rows 2 and 3." in errors
    assert not Person.objects.exists()


def test_duplicates_of_people_already_registered_are_refused(client, officer, tree):
    elsewhere = PersonFactory(home_unit=tree["lb_hamlet"], birth_date=datetime.date(2001, 3, 4))
    born = datetime.date(2001, 3, 4)
    PersonFactory(full_name="Hoàng Văn Nhập 2", national_id=None, home_unit=tree["vq_hamlet2"], birth_date=born)
    client.force_login(officer)
    rows = [person_row(1, **{"Số CCCD": elsewhere.national_id}), person_row(2), person_row(3)]
    location, html = preview_of(client, upload(client, xlsx(rows)))
    assert count(html, "reject") == 2 and count(html, "create") == 1
    assert "belongs to a person registered in a unit you may not edit" in html
    assert "Hoàng Văn Nhập 2, born 04/03/2001, is already registered without a national ID (in Bản Tìn)" in html
    confirm(client, location, skip_rejected="1")
    assert Person.objects.filter(full_name="Hoàng Văn Nhập 3").exists()
    assert Person.objects.filter(full_name="Hoàng Văn Nhập 2").count() == 1
    elsewhere.refresh_from_db()
    assert elsewhere.home_unit == tree["lb_hamlet"]


def test_a_commune_officer_imports_into_their_own_commune_only(client, officer, tree):
    client.force_login(officer)
    rows = [
        person_row(1, **{"Xã/thị trấn": "Lý Bôn", "Thôn/xóm": ""}),
        person_row(2, **{"Thôn/xóm": tree["lb_hamlet"].name}),  # a hamlet of Lý Bôn under Vĩnh Quang
        person_row(3, **{"Xã/thị trấn": "vinh quang", "Thôn/xóm": "ban tin"}),  # diacritics optional
    ]
    location, html = preview_of(client, upload(client, xlsx(rows)))
    assert "Row 2, column «Xã/thị trấn»: &#x27;Lý Bôn&#x27; is not a commune or town you may edit." in html
    assert f"Row 3, column «Thôn/xóm»: &#x27;{tree['lb_hamlet'].name}&#x27; is not a hamlet of Vĩnh Quang." in html
    assert count(html, "create") == 1
    confirm(client, location, skip_rejected="1")
    assert list(Person.objects.values_list("home_unit", flat=True)) == [tree["vq_hamlet2"].pk]


def test_who_may_import(client, viewer, outsider, district_officer, tree):
    client.force_login(viewer)
    assert client.get(reverse("people:import")).status_code == 403
    assert client.get(reverse("people:import_template")).status_code == 403
    assert 'id="people-import"' not in client.get(reverse("people:list")).content.decode()
    client.force_login(outsider)
    location, _html = preview_of(client, upload(client, xlsx([person_row(1)])))
    client.force_login(district_officer)  # another user's upload is not found
    assert client.get(location).status_code == 404
    assert client.post(location, {"confirm": "1"}).status_code == 404
    assert 'id="people-import"' in client.get(reverse("people:list")).content.decode()


# --- Old and other files ----------------------------------------------------------------------------------


def test_a_tcvn3_workbook_with_vntime_cells_imports_as_unicode(client, officer, tree):
    client.force_login(officer)
    rows = [person_row(1, **{"Họ và tên": "Đặng Thị Ước", "Giới tính": "Nữ"}), person_row(2)]
    rows[0]["Số CCCD"] = national_id(datetime.date(2001, 3, 4), 700001, sex="F")
    location, html = preview_of(client, upload(client, xlsx(rows, font=".VnTime", encoding=legacy.TCVN3)))
    assert 'id="converted-columns"' in html and "«Họ và tên» (TCVN3)" in html
    assert "Đặng Thị Ước" in html and count(html, "create") == 2
    confirm(client, location)
    assert set(Person.objects.values_list("full_name", flat=True)) == {"Đặng Thị Ước", "Hoàng Văn Nhập 2"}
    assert Person.objects.get(full_name="Đặng Thị Ước").home_unit == tree["vq_hamlet"]


def test_csv_and_ods_files_import_too(client, officer, tree):
    client.force_login(officer)
    location, html = preview_of(client, upload(client, csv_bytes([person_row(1)]), name="cong-dan.csv"))
    assert count(html, "create") == 1
    confirm(client, location)
    location, html = preview_of(client, upload(client, ods_bytes([person_row(2), person_row(3)]), name="cong-dan.ods"))
    assert count(html, "create") == 2
    confirm(client, location)
    assert Person.objects.count() == 3


def test_the_template_has_the_columns_and_an_example_row_that_the_import_skips(client, officer, tree):
    client.force_login(officer)
    response = client.get(reverse("people:import_template"))
    assert response.status_code == 200 and "mau-nhap" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.header for c in COLUMNS]
    example = dict(zip(rows[0], rows[2], strict=True))
    assert example["Họ và tên"] == EXAMPLE["full_name"] and example["Xã/thị trấn"] == "Vĩnh Quang"
    assert example["Thôn/xóm"] == "Bản Tìn"
    # Filled in under the example, the template imports; the example itself is not a person.
    sheet.append([person_row(1).get(h) for h in rows[0]])
    out = io.BytesIO()
    sheet.parent.save(out)
    location, html = preview_of(client, upload(client, out.getvalue()))
    assert count(html, "create") == 1 and EXAMPLE["full_name"] not in html
    # The template as downloaded has nothing to import.
    refused = upload(client, response.content)
    assert refused.status_code == 400
    assert "The sheet has a header row but no data rows under it." in refused.context["form"].errors["file"]


def test_hostile_text_is_stored_as_text_and_shown_escaped(client, officer, tree):
    client.force_login(officer)
    rows = [person_row(1, **{"Họ và tên": "<script>alert(1)</script>", "Nghề nghiệp": '=HYPERLINK("x")'})]
    location, html = preview_of(client, upload(client, xlsx(rows)))
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    confirm(client, location)
    person = Person.objects.get()
    assert person.occupation == '=HYPERLINK("x")'
    sheet = load_workbook(io.BytesIO(client.get(reverse("people:export")).content)).worksheets[0]
    cell = sheet.cell(row=2, column=[c.key for c in COLUMNS].index("occupation") + 1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


# --- A large import in the background ---------------------------------------------------------------------


def test_a_large_import_is_written_by_the_worker_with_its_report_in_my_files(client, officer, tree, settings):
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 2
    client.force_login(officer)
    rows = [person_row(n) for n in range(1, 4)] + [person_row(9, **{"Dân tộc": "Klingon"})]
    location, _html = preview_of(client, upload(client, xlsx(rows)))
    response = confirm(client, location, skip_rejected="1")
    job = BackgroundJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("files:detail", args=[job.pk])
    assert job.status == "done" and job.done == job.total == 4  # the tests run tasks at once
    assert Person.objects.count() == 3
    assert client.get(location).status_code == 404  # the upload went with the job
    report = load_workbook(io.BytesIO(client.get(reverse("files:download", args=[job.pk])).content)).worksheets[0]
    lines = list(report.iter_rows(values_only=True))
    assert lines[0] == ("Dòng", "Họ và tên", "Số CCCD", "Xã/thị trấn", "Kết quả", "Ghi chú")
    assert [line[4] for line in lines[1:5]] == ["thêm mới", "thêm mới", "thêm mới", "từ chối"]
    assert "Klingon" in lines[4][5] and lines[5][5] == "thêm mới: 3, cập nhật: 0, không đổi: 0, từ chối: 1"


def test_a_background_import_that_fails_says_why_and_writes_nothing(client, officer, tree, settings):
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
    client.force_login(officer)
    rows = [person_row(1), person_row(2)]
    location, _html = preview_of(client, upload(client, xlsx(rows)))
    PersonFactory(national_id=rows[1]["Số CCCD"], home_unit=tree["lb_hamlet"], birth_date=datetime.date(2001, 3, 4))
    confirm(client, location)
    job = BackgroundJob.objects.get()
    assert job.status == "failed" and "belongs to a person registered in a unit you may not edit" in job.error
    assert not Person.objects.filter(full_name__startswith="Hoàng Văn Nhập").exists()


def test_the_import_service_marks_the_places_it_changed(moved, officer, tree):
    rows = [
        (
            2,
            [
                None,
                "Lò Văn Mới",
                national_id(datetime.date(2001, 3, 4), 1),
                {"date": "2001-03-04"},
                "Nam",
                "Tày",
                None,
                "Nà Đoỏng",
                "Vĩnh Quang",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
        )
    ]
    with moved() as keys:
        counts = importing.people_import(user=officer, rows=rows, planned={2: "create"}, source="x.xlsx")
    assert counts["create"] == 1
    assert keys == places(tree["vq_hamlet"]) and f"u{tree['ly_bon'].pk}" not in keys


# --- The exports ------------------------------------------------------------------------------------------


def test_the_exports_hold_the_filtered_rows_as_xlsx_and_csv(client, district_officer, tree):
    PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"], sex="M")
    PersonFactory(full_name="Hoàng Thị Mai", home_unit=tree["vq_hamlet2"], sex="F")
    PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"], sex="M")
    client.force_login(district_officer)
    query = f"?commune={tree['vinh_quang'].pk}&sex=M"
    sheet = load_workbook(io.BytesIO(client.get(reverse("people:export") + query).content)).worksheets[0]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Nguyễn Văn Đức"]
    response = client.get(reverse("people:export_csv") + query)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-cong-dan-')
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [c.header for c in COLUMNS] and [line[1] for line in lines[1:]] == ["Nguyễn Văn Đức"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target="people:list.csv").count() == 1
    page = client.get(reverse("people:list") + query).content.decode()
    assert f'id="people-export-csv" href="{reverse("people:export_csv")}?' in page


def test_an_exported_list_imports_back_unchanged(client, officer, tree):
    PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"], occupation="-5 ruộng")
    client.force_login(officer)
    exported = client.get(reverse("people:export")).content
    _location, html = preview_of(client, upload(client, exported))
    assert count(html, "unchanged") == 1 and count(html, "reject") == 0
    exported_csv = client.get(reverse("people:export_csv")).content
    _location, html = preview_of(client, upload(client, exported_csv, name="x.csv"))
    assert count(html, "unchanged") == 1, html[html.find("preview-table") :][:3000]
    assert settings.PEOPLE_IMPORT_BACKGROUND_ROWS >= 1
