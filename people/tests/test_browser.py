"""In a real browser: a commune officer signs in, searches a person without diacritics and opens them."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_finds_a_person_without_diacritics(page, live_server, officer, tree, artifacts_dir):
    PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"])
    PersonFactory(full_name="Nguyễn Thị Hoa", home_unit=tree["vq_hamlet2"])
    PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["lb_hamlet"])  # another commune: never shown
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/people/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/people/$"))

    page.fill("#id_q", "nguyen van duc")
    page.keyboard.press("Enter")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nguyễn Văn Đức")
    expect(rows.first).to_contain_text("Nà Đoỏng")
    page.screenshot(path=artifacts_dir / "search.png", full_page=True)

    rows.first.get_by_role("link", name="Nguyễn Văn Đức").click()
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn Đức")
    expect(page.locator("body")).to_contain_text("Vĩnh Quang")
    page.screenshot(path=artifacts_dir / "detail.png", full_page=True)
    assert errors == []


def test_the_filter_panel_folds_on_a_phone(page, live_server, officer, tree, artifacts_dir):
    PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"])
    page.goto(f"{live_server.url}/login/?next=/people/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/people/$"))
    # Desktop: the panel is open and there is no button.
    expect(page.locator("#filters")).to_be_visible()
    expect(page.locator("#filter-toggle")).to_be_hidden()
    page.screenshot(path=artifacts_dir / "desktop.png", full_page=True)
    # Phone: the list comes first, the panel behind the button.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator("#national-id-lookup")).to_be_hidden()
    expect(page.locator("#results tbody tr").first).to_be_in_viewport()
    page.screenshot(path=artifacts_dir / "phone-folded.png", full_page=False)
    page.click("#filter-toggle")
    expect(page.locator("#filters")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/people/$"))  # folded and unfolded in the page, no reload
    page.screenshot(path=artifacts_dir / "phone-open.png", full_page=False)
    page.fill("#id_q", "duc")
    page.keyboard.press("Enter")
    expect(page.locator("#results tbody tr")).to_have_count(1)
