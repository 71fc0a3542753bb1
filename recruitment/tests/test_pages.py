"""The recruitment pages: who may see and change what, the figures shown, fixed query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recruitment import services
from recruitment.models import Campaign, Candidate, Quota, StageChange
from tests.factories import (
    CampaignFactory,
    CandidateFactory,
    PersonFactory,
    QuotaFactory,
    UnitFactory,
    make_user_with_role,
)
from units.roles import Role

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def other_district_officer(tree):
    """A district officer of another district: must not see this district's campaign."""
    other = UnitFactory(kind_code="district", name="Bảo Lạc", code="043", parent=tree["province"])
    return make_user_with_role("baolac", other, Role.DISTRICT_OFFICER)


def read_pages(campaign, candidate):
    return [
        "/recruitment/",
        f"/recruitment/campaigns/{campaign.pk}/",
        f"/recruitment/campaigns/{campaign.pk}/candidates/",
        f"/recruitment/candidates/{candidate.pk}/",
    ]


def test_anonymous_is_sent_to_login(client, campaign, candidate):
    pages = read_pages(campaign, candidate) + [
        f"/recruitment/campaigns/{campaign.pk}/quotas/",
        f"/recruitment/campaigns/{campaign.pk}/open/",
        f"/recruitment/campaigns/{campaign.pk}/close/",
        f"/recruitment/campaigns/{campaign.pk}/register-17/",
        "/recruitment/campaigns/new/",
    ]
    for url in pages:
        response = client.get(url)
        assert (response.status_code, response.url) == (302, f"/login/?next={url}"), url


def test_officer_reads_every_page(client, officer, campaign, candidate):
    client.force_login(officer)
    for url in read_pages(campaign, candidate) + [f"/recruitment/campaigns/{campaign.pk}/register-17/"]:
        assert client.get(url).status_code == 200, url


def test_viewer_reads_but_may_not_write(client, viewer, campaign, candidate):
    client.force_login(viewer)
    for url in read_pages(campaign, candidate):
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"/recruitment/candidates/{candidate.pk}/stage/", {"to_stage": "prescreened", "confirm": "on"}
    )
    assert response.status_code == 403
    assert client.get(f"/recruitment/campaigns/{campaign.pk}/register-17/").status_code == 403
    response = client.post(
        f"/recruitment/campaigns/{campaign.pk}/candidates/stage/",
        {"ids": [candidate.pk], "bulk-to_stage": "prescreened", "bulk-confirm": "on"},
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.stage == "registered"


def test_commune_officer_may_not_manage_the_campaign(client, officer, campaign):
    client.force_login(officer)
    for url in ("quotas", "open", "close"):
        assert client.get(f"/recruitment/campaigns/{campaign.pk}/{url}/").status_code == 403, url
    assert client.get("/recruitment/campaigns/new/").status_code == 403


def test_outsider_gets_404_on_another_communes_candidate(client, outsider, campaign, candidate):
    client.force_login(outsider)
    assert client.get(f"/recruitment/candidates/{candidate.pk}/").status_code == 404
    response = client.post(
        f"/recruitment/candidates/{candidate.pk}/stage/", {"to_stage": "prescreened", "confirm": "on"}
    )
    assert response.status_code == 404
    assert "Nguyễn Văn Đức" not in client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/").content.decode()


def test_another_district_gets_404_on_the_campaign(client, other_district_officer, campaign, candidate):
    client.force_login(other_district_officer)
    for url in read_pages(campaign, candidate)[1:]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/recruitment/campaigns/{campaign.pk}/close/").status_code == 404
    assert f"/recruitment/campaigns/{campaign.pk}/" not in client.get("/recruitment/").content.decode()


# --- Stage actions ------------------------------------------------------------------------------------


def test_officer_changes_a_stage_with_confirmation(client, officer, candidate):
    client.force_login(officer)
    url = f"/recruitment/candidates/{candidate.pk}/stage/"
    assert client.get(url).status_code == 405
    response = client.post(url, {"to_stage": "prescreened"})
    assert response.status_code == 400  # no confirmation
    # The page's form says which stage it was opened on (a form that does not is refused as stale).
    data = {"to_stage": "prescreened", "confirm": "on", "note": "Đạt sơ tuyển", "loaded_stage": "registered"}
    response = client.post(url, data)
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == "prescreened"
    page = client.get(f"/recruitment/candidates/{candidate.pk}/").content.decode()
    assert "Đạt sơ tuyển" in page and "Pre-screened" in page


def test_a_refused_change_shows_the_reason(client, officer, candidate):
    client.force_login(officer)
    candidate.stage = "prescreened"
    candidate.save()
    response = client.post(
        f"/recruitment/candidates/{candidate.pk}/stage/",
        {"to_stage": "examined", "confirm": "on", "health_class": "", "loaded_stage": "prescreened"},
    )
    assert response.status_code == 400
    assert "health class from 1 to 6" in response.content.decode()


def test_bulk_examination_with_health_classes(client, officer, campaign, tree):
    client.force_login(officer)
    ready = [
        CandidateFactory(campaign=campaign, stage="prescreened", person=PersonFactory(home_unit=tree["vq_hamlet"]))
        for _ in range(3)
    ]
    data = {"ids": [c.pk for c in ready], "bulk-to_stage": "examined", "bulk-confirm": "on"}
    data.update({f"hc_{c.pk}": str(n) for n, c in enumerate(ready, start=1)})
    response = client.post(f"/recruitment/campaigns/{campaign.pk}/candidates/stage/", data)
    assert response.status_code == 302
    assert sorted(Candidate.objects.filter(pk__in=[c.pk for c in ready]).values_list("health_class", flat=True)) == [
        1,
        2,
        3,
    ]


def test_bulk_change_refuses_all_when_one_fails(client, officer, campaign, tree):
    client.force_login(officer)
    ok = CandidateFactory(campaign=campaign, stage="registered", person=PersonFactory(home_unit=tree["vq_hamlet"]))
    bad = CandidateFactory(campaign=campaign, stage="exempt", person=PersonFactory(home_unit=tree["vq_hamlet"]))
    data = {"ids": [ok.pk, bad.pk], "bulk-to_stage": "prescreened", "bulk-confirm": "on"}
    response = client.post(f"/recruitment/campaigns/{campaign.pk}/candidates/stage/", data, follow=True)
    assert "No candidate was changed" in response.content.decode()
    ok.refresh_from_db()
    assert ok.stage == "registered"


# --- Campaign management ----------------------------------------------------------------------------


def test_district_officer_plans_opens_and_closes(client, district_officer, tree):
    client.force_login(district_officer)
    response = client.post(
        "/recruitment/campaigns/new/",
        {"year": "2028", "district": tree["district"].pk, "handover_date": "25/02/2028", "district_quota": "9"},
    )
    campaign = Campaign.objects.get(year=2028)
    assert response.url == f"/recruitment/campaigns/{campaign.pk}/quotas/"
    quota_url = f"/recruitment/campaigns/{campaign.pk}/quotas/"
    client.post(quota_url, {f"count_{tree['vinh_quang'].pk}": "5", f"count_{tree['ly_bon'].pk}": "3"})
    page = client.get(f"/recruitment/campaigns/{campaign.pk}/").content.decode()
    assert "differ from it by -1" in page
    response = client.post(f"/recruitment/campaigns/{campaign.pk}/open/", {"confirm": "on"})
    assert response.status_code == 200 and "difference -1" in response.content.decode()
    client.post(quota_url, {f"count_{tree['vinh_quang'].pk}": "5", f"count_{tree['ly_bon'].pk}": "4"})
    assert Quota.objects.get(campaign=campaign, commune=tree["ly_bon"]).count == 4
    assert client.post(f"/recruitment/campaigns/{campaign.pk}/open/", {}).status_code == 200  # no confirmation
    client.post(f"/recruitment/campaigns/{campaign.pk}/open/", {"confirm": "on"})
    campaign.refresh_from_db()
    assert campaign.status == "open"
    client.post(f"/recruitment/campaigns/{campaign.pk}/close/", {"confirm": "on"})
    campaign.refresh_from_db()
    assert campaign.status == "closed"


def test_closing_previews_and_carries_over(client, district_officer, campaign, candidate, tree):
    client.force_login(district_officer)
    nxt = CampaignFactory(
        district=tree["district"], year=2028, handover_date=datetime.date(2028, 2, 25), status="planning"
    )
    page = client.get(f"/recruitment/campaigns/{campaign.pk}/close/?carry_to={nxt.pk}").content.decode()
    assert "Nguyễn Văn Đức" in page.split('id="carry-moves"')[1].split("</ul>")[0]
    client.post(f"/recruitment/campaigns/{campaign.pk}/close/", {"carry_to": nxt.pk, "confirm": "on"})
    assert Candidate.objects.filter(campaign=nxt, person=candidate.person).exists()
    # Read-only now: no stage form for the officer.
    page = client.get(f"/recruitment/candidates/{candidate.pk}/").content.decode()
    assert 'id="stage-form"' not in page


def test_register_seventeen_year_olds_page(client, officer, campaign, tree):
    client.force_login(officer)
    PersonFactory(full_name="Sùng Văn Lử", home_unit=tree["vq_hamlet"], birth_date=datetime.date(2009, 4, 4))
    url = f"/recruitment/campaigns/{campaign.pk}/register-17/"
    assert "Sùng Văn Lử" in client.get(url).content.decode()
    client.post(url, {"confirm": "on"})
    assert Candidate.objects.filter(campaign=campaign, person__full_name="Sùng Văn Lử").exists()
    assert StageChange.objects.filter(to_stage="registered", by=officer).count() == 1


# --- The list: filters, search, sorting ------------------------------------------------------------------

ROW = re.compile(r'<a href="/recruitment/candidates/(\d+)/">([^<]+)</a>')


def names(response):
    return [name for _pk, name in ROW.findall(response.content.decode())]


def test_list_filters_and_search_without_diacritics(client, officer, campaign, tree):
    client.force_login(officer)
    CandidateFactory(campaign=campaign, person=PersonFactory(full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"]))
    CandidateFactory(
        campaign=campaign,
        stage="examined",
        health_class=4,
        education=6,
        person=PersonFactory(
            full_name="Hoàng Văn Thắng", home_unit=tree["vq_hamlet"], birth_date=datetime.date(2001, 1, 1)
        ),
    )
    url = f"/recruitment/campaigns/{campaign.pk}/candidates/"
    assert names(client.get(url, {"q": "nguyen van duc"})) == ["Nguyễn Văn Đức"]
    assert names(client.get(url, {"stage": "examined"})) == ["Hoàng Văn Thắng"]
    assert names(client.get(url, {"health_class": "4"})) == ["Hoàng Văn Thắng"]
    assert names(client.get(url, {"education": "lower"})) == ["Hoàng Văn Thắng"]
    assert names(client.get(url, {"age": "26-27"})) == ["Hoàng Văn Thắng"]
    assert names(client.get(url, {"sort": "-name"})) == ["Nguyễn Văn Đức", "Hoàng Văn Thắng"]


# --- Query counts ----------------------------------------------------------------------------------------


def _fill(campaign, tree, n):
    for i in range(n):
        CandidateFactory(
            campaign=campaign,
            stage=["registered", "examined", "approved", "handed_over"][i % 4],
            health_class=1 + i % 6,
            person=PersonFactory(home_unit=tree["vq_hamlet" if i % 2 else "lb_hamlet"]),
        )


@pytest.mark.parametrize("page", ["campaign_detail", "candidate_list"])
def test_pages_cost_the_same_for_5_and_50_candidates(client, district_officer, campaign, tree, page):
    client.force_login(district_officer)
    url = f"/recruitment/campaigns/{campaign.pk}/" + ("candidates/" if page == "candidate_list" else "")
    counts = []
    for n in (5, 45):
        _fill(campaign, tree, n)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_campaign_page_shows_the_handover_rate(client, officer, tree):
    campaign = CampaignFactory(
        district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25), status="closed"
    )
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
    QuotaFactory(campaign=campaign, commune=tree["ly_bon"], count=5)
    client.force_login(officer)
    for stage in ("handed_over", "handed_over", "approved"):
        CandidateFactory(campaign=campaign, stage=stage, person=PersonFactory(home_unit=tree["vq_hamlet"]))
    page = client.get(f"/recruitment/campaigns/{campaign.pk}/").content.decode()
    # Vĩnh Quang only for its officer: 2 of 5 handed over.
    assert re.search(r'id="handover-rate">\s*40,0 %', page)


def test_service_and_page_agree_on_the_quota(campaign, district_officer):
    assert services.quota_difference(campaign) == 0


def test_the_commune_table_and_the_funnel_count_alike(client, district_officer, campaign, tree):
    """Each stage appears once in the table, and its total is the funnel's figure for that stage."""
    stages = ["registered", "registered", "prescreened", "examined", "approved", "handed_over", "handed_over"]
    stages += ["reserve_list", "deferred", "exempt", "not_selected"]
    for n, stage in enumerate(stages):
        hamlet = tree["vq_hamlet"] if n % 2 else tree["lb_hamlet"]
        CandidateFactory(campaign=campaign, stage=stage, person=PersonFactory(home_unit=hamlet))
    client.force_login(district_officer)
    body = client.get(f"/recruitment/campaigns/{campaign.pk}/").content.decode()
    table = re.search(r'<table[^>]*id="commune-summary">(.*?)</table>', body, re.S).group(1)
    headers = [h.strip() for h in re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)]
    assert len(headers) == len(set(headers)), headers
    assert headers.count("Approved") == 1 and headers.count("Handed over") == 1
    footer = re.search(r"<tfoot.*?</tfoot>", table, re.S).group(0)
    totals = {stage: int(n) for stage, n in re.findall(r'data-stage="(\w+)">(\d+)<', footer)}
    funnel = {
        stage: int(n)
        for stage, n in re.findall(r'<tr[^>]*data-funnel="(\w+)">.*?<td class="text-end">(\d+)</td></tr>', body)
    }
    assert totals == funnel
    assert totals["registered"] == 11 and totals["approved"] == 3 and totals["examined"] == 5
    rows = re.findall(r"<tr class=\"[^\"]*\" data-risk.*?</tr>", table, re.S)
    per_commune = [dict(re.findall(r'data-stage="(\w+)">(\d+)<', row)) for row in rows]
    assert sum(int(cells["registered"]) for cells in per_commune) == funnel["registered"]


def test_the_quota_page_shows_who_is_especially_disadvantaged_on_the_hand_over_day(client, district_officer, tree):
    from units.models import DisadvantagedPeriod

    campaign = CampaignFactory(
        district=tree["district"], year=2026, handover_date=datetime.date(2026, 2, 25), status="planning"
    )
    DisadvantagedPeriod.objects.create(
        unit=tree["ly_bon"], start=datetime.date(2021, 6, 4), end=datetime.date(2026, 2, 25), legal_ground="QĐ 861"
    )
    DisadvantagedPeriod.objects.create(
        unit=tree["vinh_quang"], start=datetime.date(2026, 2, 26), legal_ground="QĐ mới"
    )  # the day after
    client.force_login(district_officer)
    page = client.get(f"/recruitment/campaigns/{campaign.pk}/quotas/").content.decode()
    assert "QĐ 861" in page and "QĐ mới" not in page
    assert "25/02/2026" in page


@pytest.mark.django_db(transaction=True)  # real commits: the generations move as in production
def test_a_persons_edit_recounts_the_members_of_the_party_not_the_call_up(
    client, district_officer, campaign, candidate, tree
):
    from people import services as people_services

    Candidate.objects.filter(pk=candidate.pk).update(stage="approved")  # counted among the recruits
    client.force_login(district_officer)
    url = f"/recruitment/campaigns/{campaign.pk}/"
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).context["membership"]["party"] == 0
    assert any('"recruitment_candidate"."health_class" AS "health_class"' in q["sql"] for q in first.captured_queries)

    people_services.person_update(user=district_officer, person=candidate.person, is_party_member=True)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.context["membership"]["party"] == 1  # shown at once
    counted = [q["sql"] for q in queries.captured_queries if "recruitment_candidate" in q["sql"]]
    assert any("is_party_member" in sql for sql in counted)
    # The quotas and the candidates by stage, health class and education are read from the cache.
    assert not any("recruitment_quota" in q["sql"] for q in queries.captured_queries)
    assert not any('"recruitment_candidate"."health_class" AS "health_class"' in sql for sql in counted)
    assert not any('"recruitment_candidate"."education" AS "education"' in sql for sql in counted)
