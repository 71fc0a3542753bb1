"""In a real browser: a commune officer imports a workbook with one bad row, sees it rejected with its
reason, fixes the file, imports it, and finds the new members in the roster."""

import datetime
import re

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from militia.io.columns import MEMBER_COLUMNS
from militia.models import MilitiaMember
from tests.factories import PASSWORD, militia_force_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["Hoàng Văn Thái", "Nông Thị Lan", "Lý Văn Páo"]


def workbook(path, *, bad_birth_date):
    births = [datetime.date(1999, 3, 4), datetime.date(2001, 7, 8), datetime.date(1997, 1, 2)]
    sexes = ["M", "F", "M"]
    book = Workbook()
    sheet = book.active
    sheet.append([c.header for c in MEMBER_COLUMNS])
    for serial, (name, birth, sex) in enumerate(zip(NAMES, births, sexes, strict=True), start=1):
        digit4 = (0 if birth.year < 2000 else 2) + (0 if sex == "M" else 1)
        values = {
            "Họ và tên": name,
            "Số CCCD": f"004{digit4}{birth.year % 100:02d}{serial:06d}",
            "Ngày sinh": bad_birth_date if serial == 2 and bad_birth_date else birth.strftime("%d/%m/%Y"),
            "Giới tính": "Nam" if sex == "M" else "Nữ",
            "Dân tộc": "Tày",
            "Thôn/xóm": "Nà Đoỏng",
            "Xã/thị trấn": "Vĩnh Quang",
            "Loại hình": militia_force_type("tai_cho").label_vi,
            "Ngày vào": "15/01/2024",
            "Đảng viên": "Không",
        }
        sheet.append([values.get(c.header) for c in MEMBER_COLUMNS])
    book.save(path)
    return path


def test_officer_imports_a_workbook_after_fixing_a_rejected_row(
    page, live_server, officer, tree, settings, tmp_path, artifacts_dir
):
    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/militia/members/import/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/militia/members/import/$"))
    expect(page.locator("#template-link")).to_be_visible()

    page.set_input_files("#id_file", str(workbook(tmp_path / "dan-quan.xlsx", bad_birth_date="31/02/2001")))
    page.locator("#upload-form button[type=submit]").click()
    expect(page.locator("#count-create")).to_have_text("2")
    expect(page.locator("#count-reject")).to_have_text("1")
    rejected = page.locator("#preview-table tbody tr[data-action=reject]")
    expect(rejected).to_have_count(1)
    expect(rejected).to_contain_text("Nông Thị Lan")
    expect(rejected).to_contain_text("«Ngày sinh»")
    expect(rejected).to_contain_text("'31/02/2001'")
    expect(page.locator("#skipped-lines")).to_have_text("3")
    expect(page.locator("#rejected-download")).to_be_visible()
    page.screenshot(path=artifacts_dir / "preview-rejected.png", full_page=True)

    # Rather than skip the row, the officer cancels, fixes the file and uploads it again.
    page.get_by_role("button", name=re.compile("Hủy|Cancel")).click()
    expect(page).to_have_url(re.compile(r"/militia/members/import/$"))
    assert MilitiaMember.objects.count() == 0
    page.set_input_files("#id_file", str(workbook(tmp_path / "dan-quan-sua.xlsx", bad_birth_date=None)))
    page.locator("#upload-form button[type=submit]").click()
    expect(page.locator("#count-create")).to_have_text("3")
    expect(page.locator("#count-reject")).to_have_text("0")
    expect(page.locator("#skip-rejected")).to_have_count(0)
    page.screenshot(path=artifacts_dir / "preview-clean.png", full_page=True)

    page.locator("#confirm-button").click()
    expect(page).to_have_url(re.compile(r"/militia/members/"))
    expect(page.locator(".alert-success")).to_contain_text("3")
    for name in NAMES:
        expect(page.locator("main")).to_contain_text(name)
    page.screenshot(path=artifacts_dir / "roster.png", full_page=True)
    assert sorted(MilitiaMember.objects.values_list("person__full_name", flat=True)) == sorted(NAMES)
    assert set(MilitiaMember.objects.values_list("unit__name", flat=True)) == {"Vĩnh Quang"}
    assert errors == []
