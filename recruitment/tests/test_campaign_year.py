"""A campaign is named by the year of its hand-over: "Tuyển quân 2027" hands over in February 2027 and is
prepared from April 2026. The model refuses a hand-over in another year, the pages show both dates, and
the data migration renames the campaigns named the former way (by the year they were prepared in)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError

from recruitment.models import Campaign
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("recruitment.migrations.0006_campaign_year_is_handover_year")


@pytest.fixture
def vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    return client


# --- The model -------------------------------------------------------------------------------------------------


def test_the_hand_over_falls_in_the_campaign_year(tree):
    campaign = Campaign(
        year=2027, district=tree["district"], handover_date=datetime.date(2027, 2, 20), district_quota=9
    )
    campaign.full_clean()
    assert campaign.preparation_year == 2026
    assert campaign.preparation_start == datetime.date(2026, 4, 1)
    for day in (datetime.date(2028, 2, 20), datetime.date(2026, 12, 31), datetime.date(2028, 1, 1)):
        campaign.handover_date = day
        with pytest.raises(ValidationError) as refused:
            campaign.full_clean()
        assert "handover_date" in refused.value.message_dict
    campaign.handover_date = datetime.date(2027, 12, 31)  # the last day of the year is still that year's
    campaign.full_clean()


def test_the_hand_over_day_ends_the_preparation(tree):
    campaign = CampaignFactory(district=tree["district"], year=2027, handover_date=datetime.date(2027, 2, 20))
    assert not campaign.is_handed_over_on(datetime.date(2027, 2, 19))
    assert campaign.is_handed_over_on(datetime.date(2027, 2, 20))
    assert campaign.days_to_handover(datetime.date(2027, 2, 6)) == 14


def test_a_campaign_with_a_hand_over_in_another_year_is_refused_on_the_page(vietnamese, district_officer, tree):
    vietnamese.force_login(district_officer)
    response = vietnamese.post(
        "/recruitment/campaigns/new/",
        {"year": "2027", "district": tree["district"].pk, "handover_date": "25/02/2028", "district_quota": "9"},
    )
    assert response.status_code == 200
    assert "Tuyển quân năm 2027 giao quân trong năm 2027" in response.content.decode()
    assert not Campaign.objects.exists()


# --- The pages -------------------------------------------------------------------------------------------------


def test_the_campaign_list_names_the_call_up_by_its_hand_over(vietnamese, commander, tree):
    CampaignFactory(district=tree["district"], year=2027, handover_date=datetime.date(2027, 2, 20))
    vietnamese.force_login(commander)
    page = vietnamese.get("/recruitment/").content.decode()
    row = page.split("Tuyển quân 2027")[1].split("</tr>")[0]
    assert "04/2026" in row and "20/02/2027" in row


def test_the_campaign_page_shows_both_dates(vietnamese, commander, campaign):
    vietnamese.force_login(commander)
    page = vietnamese.get(f"/recruitment/campaigns/{campaign.pk}/").content.decode()
    assert "Tuyển quân 2027 – Bảo Lâm" in page
    assert "chuẩn bị từ 04/2026 · giao quân 20/02/2027" in page


def test_a_call_up_in_preparation_shows_its_progress_not_a_zero_rate(vietnamese, commander, tree):
    later = CampaignFactory(district=tree["district"], year=2099, handover_date=datetime.date(2099, 2, 20))
    QuotaFactory(campaign=later, commune=tree["vinh_quang"], count=4)
    CandidateFactory(campaign=later, person=PersonFactory(home_unit=tree["vq_hamlet"]), stage="approved")
    vietnamese.force_login(commander)
    page = vietnamese.get(f"/recruitment/campaigns/{later.pk}/").content.decode()
    tile = page.split('id="handover-rate"')[1].split("</div>")[0]
    assert 'data-state="preparation"' in tile and "25,0 %" in tile  # 1 approved of a quota of 4
    assert "Đang chuẩn bị: đã duyệt so với chỉ tiêu" in page
    table = page.split('id="commune-summary"')[1].split("</table>")[0]
    assert "0,0 %" not in table


def test_a_handed_over_call_up_shows_its_rate(vietnamese, commander, tree):
    past = CampaignFactory(district=tree["district"], year=2025, handover_date=datetime.date(2025, 2, 25))
    QuotaFactory(campaign=past, commune=tree["vinh_quang"], count=4)
    vietnamese.force_login(commander)
    page = vietnamese.get(f"/recruitment/campaigns/{past.pk}/").content.decode()
    tile = page.split('id="handover-rate"')[1].split("</div>")[0]
    assert "0,0 %" in tile and "preparation" not in tile


def test_the_carry_over_select_shows_the_dates(vietnamese, district_officer, campaign, tree):
    nxt = CampaignFactory(
        district=tree["district"], year=2028, handover_date=datetime.date(2028, 2, 25), status="planning"
    )
    vietnamese.force_login(district_officer)
    page = vietnamese.get(f"/recruitment/campaigns/{campaign.pk}/close/").content.decode()
    option = page.split(f'value="{nxt.pk}"')[1].split("</option>")[0]
    assert "Tuyển quân 2028 – Bảo Lâm · chuẩn bị từ 04/2027 · giao quân 25/02/2028" in option


# --- The data migration ----------------------------------------------------------------------------------------


def _former(tree, year, handover):
    """A campaign saved the former way: named by the year it was prepared in."""
    return CampaignFactory(district=tree["district"], year=year, handover_date=handover, status="closed")


def test_the_migration_renames_campaigns_by_their_hand_over(tree):
    closed = _former(tree, 2025, datetime.date(2026, 2, 25))
    running = _former(tree, 2026, datetime.date(2027, 2, 20))
    current = _former(tree, 2024, datetime.date(2024, 3, 1))  # already named by its hand-over
    migration.campaign_years_to_handover(apps, None)
    assert [Campaign.objects.get(pk=c.pk).year for c in (closed, running, current)] == [2026, 2027, 2024]
    # The history says the same as the record.
    history = apps.get_model("recruitment", "HistoricalCampaign").objects.filter(id=running.pk)
    assert set(history.values_list("year", flat=True)) == {2027}


def test_the_migration_runs_backwards(tree):
    closed = _former(tree, 2026, datetime.date(2026, 2, 25))
    running = _former(tree, 2027, datetime.date(2027, 2, 20))
    migration.campaign_years_to_preparation(apps, None)
    assert [Campaign.objects.get(pk=c.pk).year for c in (closed, running)] == [2025, 2026]


def test_two_campaigns_handing_over_in_the_same_year_stop_the_migration_unchanged(tree):
    first = _former(tree, 2025, datetime.date(2026, 2, 25))
    second = _former(tree, 2026, datetime.date(2026, 12, 1))
    with pytest.raises(RuntimeError, match="2026 call-up"):
        migration.campaign_years_to_handover(apps, None)
    assert [Campaign.objects.get(pk=c.pk).year for c in (first, second)] == [2025, 2026]
