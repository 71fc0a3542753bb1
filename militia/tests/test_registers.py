"""The militia and reserve registers in the official layout: the files read back, as of a day, scoped to the
reader's units, the permission and the audit trail."""

import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import MilitiaMemberFactory, PersonFactory, ReservePostFactory, ReservistFactory
from units.models import AuditEvent

pytestmark = pytest.mark.django_db


def _docx_text(content):
    word = Document(io.BytesIO(content))
    parts = [p.text for p in word.paragraphs]
    for table in word.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def _get(client, **params):
    return client.get(reverse("militia:registers"), params)


@pytest.fixture
def forces(tree):
    today = timezone.localdate()
    member = MilitiaMemberFactory(
        person=PersonFactory(full_name="Lò Văn Dân", home_unit=tree["vq_hamlet"], is_party_member=True),
        platoon="Trung đội 1",
        squad="Tiểu đội 2",
        position="squad_leader",
        joined_on=today - datetime.timedelta(days=200),
    )
    MilitiaMemberFactory(
        person=PersonFactory(full_name="Mới Vào Sau", home_unit=tree["vq_hamlet"]),
        joined_on=today - datetime.timedelta(days=10),
    )
    MilitiaMemberFactory(person=PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"]))
    post = ReservePostFactory(reserve_unit__name="Đại đội 1", reserve_unit__district=tree["district"], title="Xạ thủ")
    placed = ReservistFactory(person=PersonFactory(full_name="Hoàng Văn Dự", home_unit=tree["vq_hamlet"]), post=post)
    ReservistFactory(person=PersonFactory(full_name="Chưa Xếp Ai", home_unit=tree["vq_hamlet2"]))
    return {"member": member, "placed": placed, "post": post}


def test_the_militia_register_as_of_a_day(client, officer, forces, tree):
    """A member who joined after the day is not on the register of that day; another commune's is not shown."""
    client.force_login(officer)
    day = timezone.localdate() - datetime.timedelta(days=30)
    response = _get(client, register="militia", unit=tree["vinh_quang"].pk, on=day.strftime("%d/%m/%Y"), fmt="docx")
    assert response.status_code == 200
    text = _docx_text(response.content)
    for element in (
        "BAN CHỈ HUY QUÂN SỰ",
        "XÃ VĨNH QUANG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỔ DANH SÁCH",
        f"Dân quân tự vệ – xã Vĩnh Quang – ngày {day:%d/%m/%Y}",
        "Lò Văn Dân",
        "Đảng viên",
        "Trung đội 1, Tiểu đội 2",
        "Tiểu đội trưởng",
        "Tổng số: 1 đồng chí.",
    ):
        assert element in text, element
    assert "Mới Vào Sau" not in text and "Vàng Seo Páo" not in text
    assert "Số:" not in text  # a register is kept, not issued
    word = Document(io.BytesIO(response.content))
    assert word.sections[0].page_width > word.sections[0].page_height  # landscape


def test_the_reserve_register_by_unit_and_post(client, officer, forces, tree):
    client.force_login(officer)
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = _get(client, register="reserve", unit=tree["vinh_quang"].pk, on=today, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(unicodedata.normalize("NFC", p.extract_text()).split()) for p in pages)
    for element in ("SỔ DANH SÁCH", "I. ĐẠI ĐỘI 1 (1)", "Hoàng Văn Dự", "Xạ thủ", "II. CHƯA SẮP XẾP VÀO ĐƠN VỊ (1)"):
        assert element in text, element
    assert "Chưa Xếp Ai" in text
    workbook = _get(client, register="reserve", unit=tree["vinh_quang"].pk, on=today, fmt="xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Đơn vị", "STT", "Họ và tên")
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("Đại đội 1", "Hoàng Văn Dự"),
        ("Chưa sắp xếp vào đơn vị", "Chưa Xếp Ai"),
    ]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target="militia:register:reserve.xlsx").exists()


def test_a_unit_outside_the_readers_scope_is_refused(client, outsider, forces, tree):
    client.force_login(outsider)
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = _get(client, register="militia", unit=tree["vinh_quang"].pk, on=today, fmt="pdf")
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_the_registers_page_offers_the_readers_units(client, commander, tree):
    client.force_login(commander)
    response = _get(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="register-form"' in html and "Vĩnh Quang" in html and "Lý Bôn" in html
    assert reverse("militia:registers") in html  # the tab


def test_a_role_without_the_export_permission_is_refused(client, tree):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert _get(client).status_code == 403
