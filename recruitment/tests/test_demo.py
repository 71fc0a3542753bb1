"""The demo campaign: quotas add up, every candidate is at a lawful stage, a second run changes nothing."""

import datetime

from recruitment.demo import seed_campaigns
from recruitment.models import Campaign, Candidate, Quota, StageChange
from tests.factories import PersonFactory


def test_seed_campaigns_is_lawful_and_idempotent(tree):
    for i in range(30):
        PersonFactory(
            home_unit=tree["vq_hamlet" if i % 2 else "lb_hamlet"], birth_date=datetime.date(2003, 1, 1 + i % 28)
        )
    communes = [tree["vinh_quang"], tree["ly_bon"]]
    created = seed_campaigns(district=tree["district"], communes=communes)
    assert created == 30
    campaign = Campaign.objects.get(year=2027)
    assert sum(Quota.objects.filter(campaign=campaign).values_list("count", flat=True)) == campaign.district_quota
    for quota in Quota.objects.filter(campaign=campaign):
        approved = Candidate.objects.filter(campaign=campaign, commune=quota.commune, stage="approved").count()
        assert approved <= quota.count
    assert not Candidate.objects.filter(stage="deferred", ground__isnull=True).exists()
    assert not Candidate.objects.filter(stage="approved", health_class__gt=3).exists()
    # Approved men were verified against the political standard; study deferments record their level.
    assert not Candidate.objects.filter(stage="approved", political_result="").exists()
    assert not Candidate.objects.filter(stage="deferred", ground__code="41.1g", study_level="").exists()
    assert StageChange.objects.filter(to_stage="registered").count() == 30
    assert seed_campaigns(district=tree["district"], communes=communes) == 0


def test_a_closed_demo_campaign_has_its_whole_pipeline_dated_along_its_year(tree, commander):
    """The 2025 call-up of the demo: handed over on 25/02/2025, and the rest of its pool ended along the way,
    so that the 2025 figures (as of 31/12/2024 and 31/12/2025) are those of a real year."""
    from recruitment import selectors
    from recruitment.demo import seed_closed_campaign

    for i in range(60):
        PersonFactory(
            home_unit=tree["vq_hamlet" if i % 2 else "lb_hamlet"],
            birth_date=datetime.date(2003, 1, 1 + i % 28),
            sex="M",
            general_education=9 if i % 3 else 6,
        )
    communes = [tree["vinh_quang"], tree["ly_bon"]]
    created = seed_closed_campaign(district=tree["district"], communes=communes, year=2025, seed=1)
    campaign = Campaign.objects.get(year=2025)
    stages = set(Candidate.objects.filter(campaign=campaign).values_list("stage", flat=True))
    assert {"handed_over", "deferred", "exempt", "not_selected", "reserve_list"} <= stages
    handed = Candidate.objects.filter(campaign=campaign, stage="handed_over")
    assert handed.count() <= campaign.district_quota and not handed.filter(education__lt=8).exists()
    assert not Candidate.objects.filter(
        campaign=campaign, stage__in=["deferred", "exempt"], ground__isnull=True
    ).exists()
    assert not Candidate.objects.filter(campaign=campaign, stage="not_selected", health_class__lte=3).exists()
    # Every path is recorded, each stage change on its day of the cycle.
    assert StageChange.objects.filter(candidate__campaign=campaign, to_stage="registered").count() == created
    before = selectors.recruitment_figures(user=commander, year=2025, on=datetime.date(2024, 12, 31))["total"]
    assert before["registered"] == created and before["handed_over"] == 0
    assert before["approved"] == handed.count()  # approved in November 2024
    after = selectors.recruitment_figures(user=commander, year=2025, on=datetime.date(2025, 12, 31))["total"]
    assert after["handed_over"] == handed.count() and after["registered"] == created
    assert after["examined"] > after["approved"]  # the reserve list and the unfit were examined too
    assert seed_closed_campaign(district=tree["district"], communes=communes, year=2025, seed=1) == 0
