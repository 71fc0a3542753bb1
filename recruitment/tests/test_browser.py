"""In a real browser: a commune officer records the examination results of pre-screened candidates with
the candidate list's bulk form, approves them, hands one over, and the campaign page shows the figures."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from recruitment.models import Candidate, Stage
from tests.factories import PASSWORD, CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _tick(browser_page, candidates):
    for candidate in candidates:
        browser_page.check(f"#pick-{candidate.pk}")


def _bulk(browser_page, to_stage):
    browser_page.select_option("#id_bulk-to_stage", to_stage)
    browser_page.check("#id_bulk-confirm")
    browser_page.locator("#bulk-form button[type=submit]").last.click()


def test_officer_records_examinations_approves_and_sees_the_figures(page, live_server, officer, tree, artifacts_dir):
    campaign = CampaignFactory(district=tree["district"], district_quota=10, handover_date=datetime.date(2027, 2, 20))
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
    QuotaFactory(campaign=campaign, commune=tree["ly_bon"], count=5)
    pool = [
        CandidateFactory(
            person=PersonFactory(
                full_name=f"Giàng A Khám {n}", home_unit=tree["vq_hamlet"], birth_date=datetime.date(2005, 3, n)
            ),
            campaign=campaign,
            stage=Stage.PRESCREENED,
        )
        for n in range(1, 5)
    ]
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/recruitment/campaigns/{campaign.pk}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#handover-rate")).to_be_visible()
    vq_row = page.locator("#commune-summary tbody tr", has_text="Vĩnh Quang")
    expect(vq_row.locator("td").nth(-4)).to_have_text("0")  # approved

    # The list of the pre-screened: health classes per row, then "examined" for the ticked ones.
    page.goto(f"{live_server.url}/recruitment/campaigns/{campaign.pk}/candidates/?stage=prescreened")
    expect(page.locator("#bulk-form tbody tr")).to_have_count(4)
    for candidate, health_class in zip(pool, ("1", "2", "1", "4"), strict=True):
        page.select_option(f"select[name=hc_{candidate.pk}]", health_class)
    _tick(page, pool)
    _bulk(page, "examined")
    expect(page.locator(".alert-success")).to_be_visible()
    assert sorted(Candidate.objects.values_list("health_class", flat=True)) == [1, 1, 2, 4]

    # Approve the three fit ones (classes 1–3); the law keeps class 4 out.
    page.goto(f"{live_server.url}/recruitment/campaigns/{campaign.pk}/candidates/?stage=examined")
    _tick(page, pool[3:])
    _bulk(page, "approved")
    expect(page.locator(".alert-danger").first).to_be_visible()  # refused as a whole, nothing changed
    assert not Candidate.objects.filter(stage=Stage.APPROVED).exists()
    page.goto(f"{live_server.url}/recruitment/campaigns/{campaign.pk}/candidates/?stage=examined")
    _tick(page, pool[:3])
    _bulk(page, "approved")
    expect(page.locator(".alert-success")).to_be_visible()
    assert Candidate.objects.filter(stage=Stage.APPROVED).count() == 3

    # Hand one over from their page.
    page.goto(f"{live_server.url}/recruitment/candidates/{pool[0].pk}/")
    page.select_option("#id_to_stage", "handed_over")
    page.check("#id_confirm")
    page.locator("#stage-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    page.goto(f"{live_server.url}/recruitment/campaigns/{campaign.pk}/")
    vq_row = page.locator("#commune-summary tbody tr", has_text="Vĩnh Quang")
    cells = vq_row.locator("td")
    expect(vq_row.locator("td[data-stage=approved]")).to_have_text("3")  # the handed-over one included
    expect(vq_row.locator("td[data-stage=handed_over]")).to_have_text("1")
    if datetime.date.today() < campaign.handover_date:
        # In preparation: no hand-over rate yet; the tile shows the approved against quota (3 of 5).
        expect(cells.nth(-2)).to_have_text("—")
        expect(page.locator("#handover-rate")).to_contain_text("60,0 %")
    else:
        expect(cells.nth(-2)).to_contain_text("20")  # 1 of 5 = 20 %
    expect(cells.nth(-1)).to_contain_text("2")  # shortfall: 5 − 3 approved
    expect(page.locator("#handover-rate")).not_to_have_text(re.compile(r"^0 %"))
    expect(page.locator("#public-lists")).to_be_visible()
    page.screenshot(path=artifacts_dir / "campaign-after-approvals.png", full_page=True)
    assert errors == []
