"""In a real browser: the officer sees the bell's count, opens the notifications and follows one to the
report it concerns; the bell is then quiet."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from agenda import services
from reports import services as report_services
from reports.models import Report
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bell_leads_to_the_report_due(page, live_server, tree, officer, artifacts_dir):
    due = datetime.date.today() + datetime.timedelta(days=7)
    period = report_services.period_create(kind="year", year=due.year, due_date=due)
    report_services.period_open(period=period)
    report = Report.objects.get(period=period, unit=tree["vinh_quang"])
    services.reminders_run(on=datetime.date.today())
    page.set_viewport_size({"width": 1400, "height": 1000})
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#bell-count")).to_have_text("1")
    page.click("#nav-bell")
    expect(page).to_have_url(re.compile(r"/calendar/notifications/$"))
    page.screenshot(path=artifacts_dir / "notifications.png", full_page=True)
    page.click(".notification-link")
    expect(page).to_have_url(f"{base}/reports/{report.pk}/")
    expect(page.locator("#bell-count")).to_have_count(0)
