"""factory_boy factories of military-service recruitment: grounds, campaigns, quotas and candidates."""

import datetime

import factory
from django.utils import timezone

from people.tests.factories import PersonFactory
from recruitment.models import DeferralGround
from units.tests.factories import UnitFactory


def deferral_ground(code):
    """A ground of Luật NVQS 2015 Điều 41 loaded by the data migration: 41.1a … 41.1g, 41.2a … 41.2đ."""
    return DeferralGround.objects.get(code=code)


class CampaignFactory(factory.django.DjangoModelFactory):
    """The open 2027 call-up of a district: prepared from April 2026, handing over on 20/02/2027."""

    class Meta:
        model = "recruitment.Campaign"

    year = 2027
    district = factory.SubFactory(UnitFactory, kind_code="district")
    handover_date = datetime.date(2027, 2, 20)
    district_quota = 10
    status = "open"


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recruitment.Quota"

    campaign = factory.SubFactory(CampaignFactory)
    commune = factory.SubFactory(UnitFactory)
    count = 5


class CandidateFactory(factory.django.DjangoModelFactory):
    """A registered candidate of the person's commune, aged 20 on the hand-over date, grade 9, whose political
    standard was verified a month ago (`political_checked_on=None` for one not yet verified)."""

    class Meta:
        model = "recruitment.Candidate"

    person = factory.SubFactory(PersonFactory, birth_date=datetime.date(2006, 6, 1))
    campaign = factory.SubFactory(CampaignFactory)
    commune = factory.LazyAttribute(lambda o: o.person.commune)
    stage = "registered"
    education = 9
    political_checked_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    political_checked_by = factory.LazyAttribute(lambda o: "Công an xã" if o.political_checked_on else "")
    political_result = factory.LazyAttribute(lambda o: "meets" if o.political_checked_on else "")
