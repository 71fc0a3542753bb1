"""In a real browser: the printable dashboard of a full district prints on one A4 page, every chart whole
inside its box and every name of the lists of what needs attention on the paper."""

import datetime
import io
import unicodedata

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import PASSWORD, MilitiaMemberFactory, PersonFactory, UnitFactory, militia_force_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAMES = [
    "Hoàng Thị Phương Thảo",
    "Nông Văn Thắng Lợi",
    "Triệu Thị Hồng Nhung",
    "Đặng Văn Quyết Thắng",
    "Lương Thị Thanh Xuân",
]


@pytest.fixture
def full_district(tree, district_data, year):
    """Thirteen communes like Bảo Lâm, and five long-named members in each list of what needs attention."""
    communes = [tree["vinh_quang"], tree["ly_bon"]]
    for index in range(11):
        commune = UnitFactory(kind_code="commune", name=f"Xã Nà Sàng Thượng {index + 1}", parent=tree["district"])
        UnitFactory(kind_code="hamlet", parent=commune)
        communes.append(commune)
    today = timezone.localdate()
    term = militia_force_type("tai_cho").term_years
    for weeks, name in enumerate(LONG_NAMES, start=1):
        ends = today + datetime.timedelta(weeks=weeks)
        joined = (ends + datetime.timedelta(days=1)).replace(year=ends.year - term)
        MilitiaMemberFactory(person=PersonFactory(home_unit=tree["vq_hamlet"], full_name=name), joined_on=joined)
        turning = PersonFactory(
            home_unit=tree["lb_hamlet"], full_name=f"{name} Lớn", sex="M", birth_date=datetime.date(year - 46, 6, 1)
        )
        MilitiaMemberFactory(person=turning)
    return communes


def test_the_printable_dashboard_prints_on_one_a4_page_with_whole_charts(
    page, live_server, commander, full_district, artifacts_dir
):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", commander.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/dashboard/print/")
    expect(page.locator("#commune-table tbody tr")).to_have_count(13)
    page.wait_for_function(
        "() => window.Chart && Array.from(document.querySelectorAll('canvas')).every(c => Chart.getChart(c))",
        timeout=15000,
    )
    page.emulate_media(media="print")
    page.screenshot(path=artifacts_dir / "print.png", full_page=True)

    # Every chart lies whole inside its box, and every box inside its card.
    boxes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart-box')).map(box => {
            const r = el => el.getBoundingClientRect();
            const c = r(box.querySelector('canvas')), b = r(box), card = r(box.closest('.card'));
            return [c.left >= b.left - 1 && c.right <= b.right + 1 && c.top >= b.top - 1 && c.bottom <= b.bottom + 1,
                    b.bottom <= card.bottom + 1 && b.right <= card.right + 1];
        })"""
    )
    assert boxes == [[True, True]] * 4

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (artifacts_dir / "dashboard.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    text = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    for name in LONG_NAMES:
        assert name in text, name
        assert f"{name} Lớn" in text, name
    for commune in full_district:
        assert commune.name in text, commune.name
