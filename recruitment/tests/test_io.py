"""Excel / CSV exchange of candidates: the registration and examination-result imports (every bad file,
the preview, all or nothing, the upsert, the law's rules, scoping, permissions), the public lists and the
candidate-list export read back with openpyxl, and the one-person registration form."""

import csv
import datetime
import decimal
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from openpyxl import Workbook, load_workbook

from people.models import Person
from portal_io.columns import label
from recruitment import io as rio
from recruitment import services
from recruitment.models import Candidate, DeferralGround, Stage, StageChange
from tests.factories import CandidateFactory, PersonFactory, make_user_with_role, person_form_data
from units.roles import Role

REG_HEADERS = [c.header for c in rio.REGISTRATION_COLUMNS]
RES_HEADERS = [c.header for c in rio.RESULT_COLUMNS]
BIRTH = datetime.date(2006, 6, 1)


@pytest.fixture(autouse=True)
def _english_and_private_store(client, settings, tmp_path):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.RECRUITMENT_IMPORT_DIR = str(tmp_path / "imports")


def national_id(serial, birth=BIRTH):
    return f"004{2 if birth.year >= 2000 else 0}{birth.year % 100:02d}{serial:06d}"


def reg_row(serial, **overrides):
    row = {
        "Họ và tên": f"Sùng Văn Nhập {serial}",
        "Số CCCD": national_id(700000 + serial),
        "Ngày sinh": "01/06/2006",
        "Giới tính": "Nam",
        "Dân tộc": "Mông",
        "Thôn/xóm": "Nà Đoỏng",
        "Xã/thị trấn": "Vĩnh Quang",
        "Trình độ văn hóa (lớp)": 9,
        "Ghi chú": "",
    }
    row.update(overrides)
    return row


def xlsx(rows, headers=REG_HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def url(campaign, kind="registrations"):
    return f"/recruitment/campaigns/{campaign.pk}/import/{kind}/"


def upload(client, campaign, content, *, kind="registrations", name="dang-ky.xlsx"):
    return client.post(url(campaign, kind), {"file": SimpleUploadedFile(name, content)})


def preview(client, response):
    assert response.status_code == 302, response.content.decode()[:3000]
    location = response.url
    return location, client.get(location)


def confirm(client, location, **data):
    return client.post(location, {"confirm": "1", **data})


def errors_of(response):
    return " ".join(str(e) for e in response.context["form"].errors["file"])


@pytest.fixture
def logged_in(client, officer):
    client.force_login(officer)
    return client


# --- Registrations -------------------------------------------------------------------------------


def test_registrations_preview_then_confirm_creates_people_and_candidates(logged_in, campaign, tree):
    existing = PersonFactory(full_name="Lò Văn Cũ", home_unit=tree["vq_hamlet2"], birth_date=BIRTH)
    rows = [
        reg_row(1),
        reg_row(2, **{"Thôn/xóm": "Bản Tìn", "Dân tộc": "Tày"}),
        reg_row(3, **{"Họ và tên": "Lò Văn Cũ", "Số CCCD": existing.national_id, "Thôn/xóm": ""}),
    ]
    location, page = preview(logged_in, upload(logged_in, campaign, xlsx(rows)))
    assert page.context["counts"] == {"create": 3, "update": 0, "unchanged": 0, "reject": 0}
    assert not Candidate.objects.exists()  # the preview writes nothing
    assert Person.objects.count() == 1
    response = confirm(logged_in, location)
    assert response.status_code == 302
    assert Candidate.objects.filter(campaign=campaign, stage=Stage.REGISTERED).count() == 3
    new = Person.objects.get(national_id=national_id(700002))
    assert (new.home_unit, new.ethnicity.name, new.general_education) == (tree["vq_hamlet2"], "Tày", 9)
    existing.refresh_from_db()
    assert existing.home_unit == tree["vq_hamlet2"]  # an empty hamlet keeps the hamlet known
    assert StageChange.objects.filter(to_stage=Stage.REGISTERED).count() == 3
    assert "dang-ky.xlsx" in StageChange.objects.first().note


def test_registrations_upsert_updates_the_person_and_leaves_the_candidacy(logged_in, campaign, candidate):
    person = candidate.person
    rows = [reg_row(1, **{"Họ và tên": person.full_name, "Số CCCD": person.national_id, "Ngày sinh": "01/03/2005"})]
    rows[0]["Trình độ văn hóa (lớp)"] = 11
    location, page = preview(logged_in, upload(logged_in, campaign, xlsx(rows)))
    (row,) = page.context["page"].object_list
    assert row["action"] == "update"
    assert "Trình độ văn hóa (lớp)" in row["changes"]
    confirm(logged_in, location)
    person.refresh_from_db()
    assert person.general_education == 11
    assert Candidate.objects.get() == candidate
    # The same file again: nothing to do.
    location, page = preview(logged_in, upload(logged_in, campaign, xlsx(rows)))
    assert page.context["counts"]["unchanged"] == 1


def test_rows_outside_the_officers_units_are_rejected_naming_column_and_value(logged_in, campaign, tree, lb_person):
    rows = [
        reg_row(1, **{"Xã/thị trấn": "Lý Bôn", "Thôn/xóm": "Nà Ké"}),
        reg_row(2, **{"Số CCCD": lb_person.national_id}),
        reg_row(3, **{"Thôn/xóm": "Nà Ké"}),
        reg_row(4, **{"Ngày sinh": "31/02/2006", "Dân tộc": "Martian"}),
        reg_row(5),
    ]
    location, page = preview(logged_in, upload(logged_in, campaign, xlsx(rows)))
    plan = {row["line"]: row for row in page.context["page"].object_list}
    assert page.context["counts"] == {"create": 1, "update": 0, "unchanged": 0, "reject": 4}
    assert (
        "Row 2, column «Xã/thị trấn»: 'Lý Bôn' is not a commune or town of Bảo Lâm that you may edit."
        in (plan[2]["reasons"])
    )
    assert "column «Số CCCD»" in plan[3]["reasons"][0] and "may not edit" in plan[3]["reasons"][0]
    assert plan[4]["reasons"] == ["Row 4, column «Thôn/xóm»: 'Nà Ké' is not a hamlet of Vĩnh Quang."]
    assert any("«Ngày sinh»: '31/02/2006' is not a valid date" in r for r in plan[5]["reasons"])
    assert any("«Dân tộc»: 'Martian'" in r for r in plan[5]["reasons"])
    # The rejected rows come back as a workbook with the reasons, in the file's columns.
    rejected = logged_in.get(location + "rejected.xlsx")
    sheet = load_workbook(io.BytesIO(rejected.content)).worksheets[0]
    values = list(sheet.values)
    assert list(values[0][-2:]) == ["Lỗi", "Dòng trong tệp gốc"]
    assert [v[-1] for v in values[1:]] == [2, 3, 4, 5]
    assert values[4][2] == "31/02/2006"  # the bad date stays as typed
    # Confirming needs the explicit consent to skip them.
    confirm(logged_in, location)
    assert not Candidate.objects.exists()
    confirm(logged_in, location, skip_rejected="1")
    assert Candidate.objects.count() == 1
    assert not Person.objects.filter(home_unit=tree["lb_hamlet"]).exclude(pk=lb_person.pk).exists()


def test_a_failure_during_the_commit_writes_nothing(logged_in, campaign, monkeypatch):
    location, page = preview(logged_in, upload(logged_in, campaign, xlsx([reg_row(1), reg_row(2), reg_row(3)])))
    assert page.context["counts"]["create"] == 3
    real, calls = services.candidate_register, []

    def failing_on_the_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise DatabaseError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(rio.services, "candidate_register", failing_on_the_third)
    response = confirm(logged_in, location)
    assert response.status_code == 302 and response.url == location
    assert not Candidate.objects.exists()
    assert not Person.objects.exists()
    messages = [str(m) for m in logged_in.get(location).context["messages"]]
    assert any("Nothing was imported" in m for m in messages)


def test_a_change_between_preview_and_confirm_cancels_everything(logged_in, campaign, officer, tree):
    rows = [reg_row(1), reg_row(2)]
    location, _page = preview(logged_in, upload(logged_in, campaign, xlsx(rows)))
    # Meanwhile the second person is registered in Lý Bôn by the district.
    person = PersonFactory(national_id=national_id(700002), home_unit=tree["lb_hamlet"], birth_date=BIRTH)
    CandidateFactory(person=person, campaign=campaign)
    confirm(logged_in, location)
    assert Candidate.objects.count() == 1  # only the district's
    assert not Person.objects.filter(national_id=national_id(700001)).exists()


def test_duplicate_national_id_in_the_file_is_refused(logged_in, campaign):
    response = upload(
        logged_in, campaign, xlsx([reg_row(1), reg_row(2), reg_row(3, **{"Số CCCD": national_id(700001)})])
    )
    assert response.status_code == 400
    assert f"National ID {national_id(700001)} appears twice: rows 2 and 4." in errors_of(response)


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (b"  \n \n", "empty.xlsx", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "photo.xlsx", "neither a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xlsx", "Excel 97–2003"),
        ("Họ và tên,Số CCCD\n".encode("cp1258", errors="replace") + b"\xff\xfe", "latin.csv", "not in UTF-8"),
        ("Họ và tên;Số CCCD;Ngày sinh\n".encode(), "no-rows.csv", "are missing or have been renamed"),
        (xlsx([]), "header-only.xlsx", "no data rows"),
        (b"PK\x03\x04garbage", "broken.xlsx", "damaged"),
    ],
)
def test_each_bad_file_is_refused_with_its_reason(logged_in, campaign, content, name, expected):
    response = upload(logged_in, campaign, content, name=name)
    assert response.status_code == 400
    assert expected in errors_of(response)
    assert not Candidate.objects.exists()


def test_an_empty_sheet_and_a_missing_column(logged_in, campaign):
    workbook = Workbook()
    out = io.BytesIO()
    workbook.save(out)
    assert "The sheet is empty" in errors_of(upload(logged_in, campaign, out.getvalue()))
    headers = [h for h in REG_HEADERS if h != "Ngày sinh"]
    response = upload(logged_in, campaign, xlsx([reg_row(1)], headers=headers))
    assert "The column «Ngày sinh» is missing or has been renamed." in errors_of(response)


def test_size_row_and_zip_limits(logged_in, campaign, monkeypatch):
    monkeypatch.setattr(rio, "MAX_ROWS", 2)
    response = upload(logged_in, campaign, xlsx([reg_row(1), reg_row(2), reg_row(3)]))
    assert "more than 2 data rows" in errors_of(response)
    monkeypatch.setattr(rio, "MAX_FILE_BYTES", 1000)
    response = upload(logged_in, campaign, xlsx([reg_row(1)]))
    assert "the limit is 0 MB" in errors_of(response) or "larger than" in errors_of(response)
    monkeypatch.setattr(rio, "MAX_FILE_BYTES", 5 * 1024 * 1024)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (51 * 1024 * 1024))
    response = upload(logged_in, campaign, bomb.getvalue())
    assert "unpacks to" in errors_of(response)


def test_import_needs_the_permission_and_an_open_campaign(client, viewer, commander, officer, campaign):
    for user in (viewer, commander):
        client.force_login(user)
        assert client.get(url(campaign)).status_code == 403
        assert client.get(url(campaign, "results")).status_code == 403
        assert client.post(url(campaign), {"file": SimpleUploadedFile("a.xlsx", xlsx([reg_row(1)]))}).status_code == 403
    client.force_login(officer)
    assert client.get(url(campaign)).status_code == 200
    assert client.get(url(campaign, "nothing")).status_code == 404
    template = client.get(url(campaign) + "template.xlsx")
    assert list(load_workbook(io.BytesIO(template.content)).worksheets[0].values)[0] == tuple(REG_HEADERS)
    campaign.status = "closed"
    campaign.save()
    assert client.get(url(campaign)).status_code == 403


def test_another_users_upload_is_not_found(client, officer, district_officer, campaign):
    client.force_login(officer)
    location, _page = preview(client, upload(client, campaign, xlsx([reg_row(1)])))
    client.force_login(district_officer)
    assert client.get(location).status_code == 404
    assert client.post(location, {"confirm": "1"}).status_code == 404
    assert not Candidate.objects.exists()


def test_a_district_officer_imports_into_any_commune(client, district_officer, campaign, tree):
    client.force_login(district_officer)
    rows = [reg_row(1), reg_row(2, **{"Xã/thị trấn": "Lý Bôn", "Thôn/xóm": "Nà Ké"})]
    location, page = preview(client, upload(client, campaign, xlsx(rows)))
    assert page.context["counts"]["create"] == 2
    confirm(client, location)
    assert sorted(Candidate.objects.values_list("commune__name", flat=True)) == ["Lý Bôn", "Vĩnh Quang"]


# --- Examination results -------------------------------------------------------------------------


def result_row(candidate, health_class, **extra):
    return {
        "Số CCCD": candidate.person.national_id,
        "Họ và tên": candidate.person.full_name,
        "Phân loại sức khỏe": health_class,
        **extra,
    }


@pytest.fixture
def pool(campaign, tree):
    made = []
    for serial in range(1, 5):
        person = PersonFactory(
            full_name=f"Giàng A Khám {serial}",
            home_unit=tree["vq_hamlet"],
            national_id=national_id(800000 + serial),
            birth_date=BIRTH,
        )
        made.append(CandidateFactory(person=person, campaign=campaign, stage=Stage.PRESCREENED))
    return made


def test_examination_results_move_candidates_to_examined_under_the_law(
    logged_in, officer, campaign, pool, candidate, lb_candidate
):
    rows = [
        result_row(pool[0], 1, **{"Trình độ văn hóa (lớp)": 12}),
        result_row(pool[1], 4),
        result_row(pool[2], 7),
        result_row(candidate, 2),  # still registered: not pre-screened
        result_row(lb_candidate, 1),  # another commune
        {"Số CCCD": national_id(999999), "Phân loại sức khỏe": 1},
        result_row(pool[3], "loại 2"),
    ]
    location, page = preview(
        logged_in, upload(logged_in, campaign, xlsx(rows, RES_HEADERS), kind="results", name="kham.xlsx")
    )
    plan = {row["line"]: row for row in page.context["page"].object_list}
    assert page.context["counts"] == {"create": 0, "update": 2, "unchanged": 0, "reject": 5}
    assert plan[4]["reasons"] == [
        "Row 4, column «Phân loại sức khỏe»: '7': "
        "Military Service Law 2015 art. 31: the examination records a health class from 1 to 6."
    ]
    assert any("cannot move from “Registered” to “Examined”" in r for r in plan[5]["reasons"])
    assert "Lý Bôn, which you may not edit" in plan[6]["reasons"][0]
    assert "is not a candidate of the 2027 campaign" in plan[7]["reasons"][0]
    assert "'loại 2' is not a whole number." in plan[8]["reasons"][0]
    assert Candidate.objects.filter(stage=Stage.EXAMINED).count() == 0
    confirm(logged_in, location, skip_rejected="1")
    first, second = (Candidate.objects.get(pk=c.pk) for c in pool[:2])
    assert (first.stage, first.health_class, first.education) == (Stage.EXAMINED, 1, 12)
    assert (second.stage, second.health_class) == (Stage.EXAMINED, 4)
    assert StageChange.objects.filter(to_stage=Stage.EXAMINED, by=officer).count() == 2
    # Class 4 may not be approved; class 1 may.
    with pytest.raises(ValidationError):
        services.candidate_change_stage(candidate=second, to_stage=Stage.APPROVED, user=officer)
    services.candidate_change_stage(candidate=first, to_stage=Stage.APPROVED, user=officer)
    assert Candidate.objects.get(pk=first.pk).stage == Stage.APPROVED


def test_results_csv_with_semicolons_and_a_workbook_with_a_title_row(logged_in, campaign, pool):
    text = ";".join(RES_HEADERS) + "\n" + f"{pool[0].person.national_id};{pool[0].person.full_name};3;;\n"
    location, page = preview(
        logged_in, upload(logged_in, campaign, text.encode("utf-8-sig"), kind="results", name="kham.csv")
    )
    assert page.context["counts"]["update"] == 1
    confirm(logged_in, location)
    assert Candidate.objects.get(pk=pool[0].pk).health_class == 3
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["KẾT QUẢ KHÁM SỨC KHỎE NĂM 2026"])
    sheet.append(RES_HEADERS)
    sheet.append([pool[1].person.national_id, None, 2, None, None])
    out = io.BytesIO()
    workbook.save(out)
    location, page = preview(logged_in, upload(logged_in, campaign, out.getvalue(), kind="results"))
    assert [row["line"] for row in page.context["page"].object_list] == [3]
    assert page.context["counts"]["update"] == 1


# --- Exports -------------------------------------------------------------------------------------


def export(client, campaign, path, **params):
    response = client.get(f"/recruitment/campaigns/{campaign.pk}/{path}", params)
    assert response.status_code == 200, response.status_code
    return response


def rows_of(response):
    return list(load_workbook(io.BytesIO(response.content)).worksheets[0].values)


@pytest.fixture
def decided(campaign, tree, officer):
    """In Vĩnh Quang: one approved, one deferred with an end date, one exempt; in Lý Bôn: one approved."""
    ground = DeferralGround.objects.filter(kind="deferment").first()
    exempt_ground = DeferralGround.objects.filter(kind="exemption").first()
    made = {}
    for key, home in (
        ("approved", "vq_hamlet"),
        ("deferred", "vq_hamlet"),
        ("exempt", "vq_hamlet2"),
        ("lb", "lb_hamlet"),
    ):
        person = PersonFactory(full_name=f"Người {key}", home_unit=tree[home], birth_date=BIRTH)
        made[key] = CandidateFactory(person=person, campaign=campaign, stage=Stage.EXAMINED, health_class=1)
    for key in ("approved", "lb"):
        made[key].stage = Stage.APPROVED
        made[key].save()
    made["deferred"].stage, made["deferred"].ground = Stage.DEFERRED, ground
    made["deferred"].ground_ends_on = datetime.date(2028, 6, 30)
    made["deferred"].save()
    made["exempt"].stage, made["exempt"].ground = Stage.EXEMPT, exempt_ground
    made["exempt"].save()
    return made


def test_public_lists_per_commune_with_real_dates_and_no_national_id(client, officer, campaign, decided, tree):
    client.force_login(officer)
    approved = rows_of(export(client, campaign, "lists/approved.xlsx", commune=tree["vinh_quang"].pk))
    assert approved[0][:3] == ("STT", "Họ và tên", "Ngày sinh")
    assert [r[1] for r in approved[1:]] == ["Người approved"]  # Lý Bôn's is not visible
    assert approved[1][2] == datetime.datetime(2006, 6, 1)
    assert decided["approved"].person.national_id not in str(approved)
    deferred = rows_of(export(client, campaign, "lists/deferred.xlsx"))
    assert deferred[1][1] == "Người deferred"
    assert deferred[1][-1] == datetime.datetime(2028, 6, 30)
    assert deferred[1][6] == decided["deferred"].ground.label_vi
    exempt = export(client, campaign, "lists/exempt.csv")
    assert exempt["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(exempt.content.decode("utf-8-sig"))))
    assert [line[1] for line in lines[1:]] == ["Người exempt"]
    # Another commune's list is not the officer's to download.
    response = client.get(f"/recruitment/campaigns/{campaign.pk}/lists/approved.xlsx", {"commune": tree["ly_bon"].pk})
    assert response.status_code == 404
    assert client.get(f"/recruitment/campaigns/{campaign.pk}/lists/secret.xlsx").status_code == 404


def test_district_officer_sees_every_commune_in_the_public_list(client, district_officer, campaign, decided):
    client.force_login(district_officer)
    approved = rows_of(export(client, campaign, "lists/approved.xlsx"))
    assert sorted(r[1] for r in approved[1:]) == ["Người approved", "Người lb"]


def test_candidate_list_export_uses_the_list_filters_and_is_formula_safe(client, viewer, campaign, decided):
    decided["approved"].notes = '=HYPERLINK("http://evil","x")'
    decided["approved"].save()
    client.force_login(viewer)
    sheet = rows_of(export(client, campaign, "candidates/export.xlsx", stage="approved"))
    assert sheet[0][:3] == ("STT", "Họ và tên", "Số CCCD")
    assert [r[1] for r in sheet[1:]] == ["Người approved"]
    assert sheet[1][8] == label(Stage, Stage.APPROVED) != "Approved"  # the stage in Vietnamese
    assert sheet[1][-1].startswith("=HYPERLINK")
    raw = zipfile.ZipFile(io.BytesIO(export(client, campaign, "candidates/export.xlsx").content))
    assert "<f>" not in raw.read("xl/worksheets/sheet1.xml").decode()
    text = export(client, campaign, "candidates/export.csv", stage="approved").content.decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["Ghi chú"].startswith("'=HYPERLINK")
    assert row["Ngày sinh"] == "01/06/2006"
    assert (
        len(
            list(csv.reader(io.StringIO(export(client, campaign, "candidates/export.csv").content.decode("utf-8-sig"))))
        )
        == 4
    )  # header + the three of Vĩnh Quang
    assert client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/export.pdf").status_code == 404


def test_export_needs_the_permission(client, campaign, tree):
    nobody = make_user_with_role("nobody", tree["vinh_quang"], Role.VIEWER)
    nobody.groups.clear()
    client.force_login(nobody)
    assert client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/export.xlsx").status_code in (403, 404)


def test_the_links_show_only_with_the_permission(client, officer, viewer, campaign):
    client.force_login(officer)
    body = client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/").content.decode()
    assert 'id="import-results-link"' in body and 'id="export-xlsx"' in body and 'id="register-link"' in body
    body = client.get(f"/recruitment/campaigns/{campaign.pk}/").content.decode()
    assert 'id="public-lists"' in body and 'id="import-registrations-link"' in body
    client.force_login(viewer)
    body = client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/").content.decode()
    assert 'id="import-results-link"' not in body and 'id="register-link"' not in body
    assert 'id="export-xlsx"' in body


# --- One-person registration ------------------------------------------------------------------------


def register_url(campaign):
    return f"/recruitment/campaigns/{campaign.pk}/register/"


def test_register_an_existing_person_by_national_id(client, officer, campaign, vq_person):
    client.force_login(officer)
    assert client.get(register_url(campaign)).status_code == 200
    response = client.post(register_url(campaign), {"person_national_id": vq_person.national_id, "notes": "Tự nguyện"})
    candidate = Candidate.objects.get()
    assert response.status_code == 302 and response.url == f"/recruitment/candidates/{candidate.pk}/"
    assert (candidate.person, candidate.commune.name, candidate.notes) == (vq_person, "Vĩnh Quang", "Tự nguyện")
    response = client.post(register_url(campaign), {"person_national_id": vq_person.national_id})
    assert response.status_code == 200
    assert "already a candidate" in response.content.decode()


def test_register_a_new_person_on_the_same_page(client, officer, campaign, tree):
    client.force_login(officer)
    data = {
        f"p-{k}": v
        for k, v in person_form_data(tree["vq_hamlet"], full_name="Vàng A Mới", birth_date="01/06/2006").items()
    }
    response = client.post(register_url(campaign), data)
    assert response.status_code == 302
    candidate = Candidate.objects.select_related("person").get()
    assert candidate.person.full_name == "Vàng A Mới" and candidate.commune == tree["vinh_quang"]


def test_a_refused_registration_leaves_no_new_person(client, officer, campaign, tree):
    client.force_login(officer)
    data = {f"p-{k}": v for k, v in person_form_data(tree["lb_hamlet"], full_name="Vàng A Ngoài").items()}
    response = client.post(register_url(campaign), data)
    assert response.status_code == 200
    assert not Person.objects.filter(full_name="Vàng A Ngoài").exists()
    assert not Candidate.objects.exists()


def test_register_needs_the_permission(client, viewer, campaign):
    client.force_login(viewer)
    assert client.get(register_url(campaign)).status_code == 403


def test_results_record_the_findings_that_exclude_a_call_up(logged_in, officer, campaign, pool):
    rows = [
        result_row(pool[0], 3, **{"Cận thị (điốp)": "1,5", "Viễn thị": "Không"}),
        result_row(pool[1], 2, **{"Nghiện ma túy": "Có"}),
        result_row(pool[2], 2, **{"Cận thị (điốp)": "nhiều"}),
    ]
    location, page = preview(
        logged_in, upload(logged_in, campaign, xlsx(rows, RES_HEADERS), kind="results", name="kham.xlsx")
    )
    plan = {row["line"]: row for row in page.context["page"].object_list}
    assert page.context["counts"]["update"] == 2
    assert "Cận thị (điốp)" in plan[4]["reasons"][0] and "dioptres" in plan[4]["reasons"][0]
    confirm(logged_in, location, skip_rejected="1")
    first, second = (Candidate.objects.get(pk=c.pk) for c in pool[:2])
    assert (first.stage, first.health_class, first.myopia_dioptres) == ("examined", 3, decimal.Decimal("1.5"))
    assert (second.stage, second.drug_use) == ("examined", True)
    # The findings then refuse the approval, naming the clause.
    for refused in (first, second):
        with pytest.raises(ValidationError) as exc:
            services.candidate_change_stage(candidate=refused, to_stage="approved", user=officer)
        assert "Điều 4 khoản 3 điểm c" in exc.value.messages[0]
