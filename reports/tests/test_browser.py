"""In a real browser: the commander opens the dashboard, the charts draw, a table cell opens its list."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commander_reads_the_dashboard_and_opens_a_figure(
    page, live_server, commander, tree, district_data, artifacts_dir
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.set_viewport_size({"width": 1600, "height": 1000})

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", commander.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#commune-table")).to_be_visible()

    canvases = page.locator("canvas")
    expect(canvases).to_have_count(4)
    # The charts draw once Chart.js (a deferred script) has run: wait for it on a slow machine.
    page.wait_for_function(
        "() => window.Chart && Array.from(document.querySelectorAll('canvas')).every(c => Chart.getChart(c))",
        timeout=15000,
    )
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas')).map(c => !!Chart.getChart(c) && c.width > 0)"
    )
    assert drawn == [True, True, True, True]
    expect(page.locator('[data-figure="militia_strength"] .stat-value')).to_contain_text("5")
    page.screenshot(path=artifacts_dir / "dashboard.png", full_page=True)

    row = page.locator(f'#commune-table tr[data-commune="{tree["vinh_quang"].pk}"]')
    row.get_by_role("link", name="4", exact=True).first.click()
    # The list shows whom the figure counts: the commune's strength on the day of the figure.
    expect(page).to_have_url(
        re.compile(rf"/militia/members/\?commune={tree['vinh_quang'].pk}&standing=strength&on=\d\d%2F\d\d%2F\d{{4}}$")
    )
    expect(page.locator("body")).to_contain_text("Lý Văn Sình")
    page.screenshot(path=artifacts_dir / "members.png", full_page=True)

    page.goto(f"{live_server.url}/dashboard/print/")
    page.emulate_media(media="print")
    page.screenshot(path=artifacts_dir / "print.png", full_page=True)
    assert errors == []
