"""In a real browser: a commune officer enlists a person, finds them in the roster without diacritics, ends it."""

import re

import pytest
from playwright.sync_api import expect

from militia.models import ForceType, MemberStatus, MilitiaMember
from tests.factories import PASSWORD, MilitiaMemberFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_enlists_finds_and_ends_a_membership(page, live_server, officer, tree, artifacts_dir):
    person = PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"])
    MilitiaMemberFactory(person=PersonFactory(full_name="Nguyễn Thị Hoa", home_unit=tree["vq_hamlet2"]))
    MilitiaMemberFactory(person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["lb_hamlet"]))
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/militia/members/new/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(re.compile(r"/militia/members/new/$"))

    page.fill("#id_person_national_id", person.national_id)
    page.select_option("#id_unit", str(tree["vinh_quang"].pk))
    page.select_option("#id_force_type", str(ForceType.objects.get(code="tai_cho").pk))
    page.fill("#id_squad", "Tiểu đội 2")
    page.locator("form.card button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/militia/members/\d+/$"))
    expect(page.locator("h1")).to_contain_text("Nguyễn Văn Đức")
    member = MilitiaMember.objects.get(person=person)
    page.screenshot(path=artifacts_dir / "enlisted.png", full_page=True)

    page.goto(f"{live_server.url}/militia/members/")
    page.fill("#id_q", "nguyen van duc")
    page.keyboard.press("Enter")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nà Đoỏng")

    rows.first.get_by_role("link", name="Nguyễn Văn Đức").click()
    page.locator(f'a[href="/militia/members/{member.pk}/end/"]').click()
    page.select_option("#id_status", "moved")
    page.fill("#id_exit_reason", "Chuyển đến Lý Bôn")
    page.check("#id_confirm")
    page.locator("form.card [type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/militia/members/{member.pk}/$"))
    expect(page.locator("body")).to_contain_text("Chuyển đến Lý Bôn")
    page.screenshot(path=artifacts_dir / "ended.png", full_page=True)
    member.refresh_from_db()
    assert member.status == MemberStatus.MOVED
    assert errors == []
