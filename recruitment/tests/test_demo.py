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
