"""A militia roster from an old office, typed in TCVN3 with .VnTime cells: the import page converts it to
Unicode, says so on the preview, and the members are created with their Vietnamese names."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from militia.models import MilitiaMember
from militia.tests.test_import import HEADERS, confirm, member_row, preview_of
from portal_io import legacy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_store(settings, tmp_path):
    settings.MILITIA_IMPORT_DIR = str(tmp_path / "imports")


def _old_workbook(rows, font=".VnTime", encoding=legacy.TCVN3):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([legacy.encode(h, encoding) for h in HEADERS])
    for row in rows:
        sheet.append([legacy.encode(row[h], encoding) if isinstance(row.get(h), str) else row.get(h) for h in HEADERS])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.font = Font(name=font)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(client, data, encoding="auto"):
    url = reverse("militia:import", kwargs={"roster": "members"})
    return client.post(url, {"file": SimpleUploadedFile("danh-sach-cu.xlsx", data), "encoding": encoding})


def test_a_tcvn3_roster_imports_as_unicode(client, officer, tree):
    client.force_login(officer)
    rows = [member_row(1), member_row(2, **{"Họ và tên": "Đặng Văn Ước"})]
    location, page = preview_of(client, _upload(client, _old_workbook(rows)))
    html = page.content.decode()
    assert 'id="converted-columns"' in html and "«Họ và tên» (TCVN3)" in html
    assert "Đặng Văn Ước" in html and "§Æng" not in html
    assert 'id="count-create">2<' in html, html[html.find("import-counts") : html.find("import-counts") + 1500]
    confirm(client, location)
    names = set(MilitiaMember.objects.values_list("person__full_name", flat=True))
    assert names == {"Hoàng Văn Nhập 1", "Đặng Văn Ước"}


def test_the_chosen_encoding_wins_over_detection(client, officer, tree):
    """Read as Unicode on the user's word, the legacy letters stay as they are (and the hamlet is unknown)."""
    client.force_login(officer)
    data = _old_workbook([member_row(1)], font="VNI-Times", encoding=legacy.VNI)
    location, page = preview_of(client, _upload(client, data, encoding=legacy.UNICODE))
    assert 'id="converted-columns"' not in page.content.decode()
    location, page = preview_of(client, _upload(client, data))
    assert "«Họ và tên» (VNI)" in page.content.decode()
