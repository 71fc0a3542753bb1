"""In a real browser: a commune officer fills and submits the annual report, the commander returns it with a
comment, the officer fixes and resubmits, the commander approves and downloads the .docx."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import Indicator, IndicatorValue, Report, ReportStatus
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))


def test_officer_files_commander_returns_then_approves_and_downloads(
    page, live_server, tree, annual_period, officer, commander, artifacts_dir
):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 1400, "height": 1000})
    report = Report.objects.get(period=annual_period, unit=tree["vinh_quang"])
    base = live_server.url
    detail = f"{base}/reports/{report.pk}/"
    first = report.template.sections.order_by("order").first()
    shifts = Indicator.objects.get(code="sscd_duty_shifts")

    # The officer fills the first section; autosave stores it and bumps the hidden version.
    log_in(page, base, officer)
    page.goto(detail)
    page.click("#action-edit")
    expect(page).to_have_url(re.compile(r"/edit/$"))
    page.fill(f"#id_text_{first.pk}", "Duy trì nghiêm chế độ trực sẵn sàng chiến đấu.")
    page.fill(f"#id_value_{shifts.pk}", "1.234")
    # No duty log is recorded yet: the typed figure changes the automatic one and says why.
    page.fill(f"#id_reason_{shifts.pk}", "Theo sổ trực của xã")
    page.evaluate("() => document.getElementById('report-form').reportAutosave()")
    expect(page.locator("#autosave-status")).to_have_class(re.compile(r"\bsaved\b"))
    expect(page.locator("#id_version")).to_have_value("1")
    page.screenshot(path=artifacts_dir / "edit.png", full_page=True)

    page.fill(f"#id_value_{shifts.pk}", "1.250")
    page.click("#save-check")
    expect(page).to_have_url(re.compile(r"/check/$"))
    page.screenshot(path=artifacts_dir / "check.png", full_page=True)
    page.click("#submit-report")
    expect(page).to_have_url(detail)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    assert IndicatorValue.objects.get(report=report, indicator=shifts).value == 1250

    # The commander returns it with a comment.
    log_in(page, base, commander)
    page.goto(detail)
    page.click("#action-return")
    page.fill("#id_comment", "Bổ sung kết quả tìm kiếm cứu nạn")
    page.screenshot(path=artifacts_dir / "confirm-return.png", full_page=True)
    page.click("#confirm-action")
    expect(page.locator(".report-timeline")).to_contain_text("Bổ sung kết quả tìm kiếm cứu nạn")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RETURNED

    # The officer sees the comment, fixes the report and submits it again.
    log_in(page, base, officer)
    page.goto(detail)
    expect(page.locator("#returned-note")).to_contain_text("Bổ sung kết quả tìm kiếm cứu nạn")
    page.click("#action-edit")
    rescues = Indicator.objects.get(code="rescue_operations")
    page.fill(f"#id_value_{rescues.pk}", "3")
    page.fill(f"#id_reason_{rescues.pk}", "Theo sổ trực của xã")
    page.click("#save-draft")
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{base}/reports/{report.pk}/check/")
    page.click("#submit-report")
    expect(page).to_have_url(detail)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED

    # The commander approves and downloads the Word document.
    log_in(page, base, commander)
    page.goto(detail)
    page.click("#action-approve")
    page.click("#confirm-action")
    expect(page.locator(".report-header .report-status-approved")).to_be_visible()
    page.screenshot(path=artifacts_dir / "approved.png", full_page=True)
    with page.expect_download() as download_info:
        page.click("#export-docx")
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    path = artifacts_dir / download.suggested_filename
    download.save_as(path)
    assert path.stat().st_size > 0
    with path.open("rb") as handle:
        assert handle.read(2) == b"PK"  # a .docx is a zip archive
    assert errors == []
