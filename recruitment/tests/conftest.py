"""Recruitment fixtures: the 2027 call-up of the test district (hand-over 20/02/2027), a quota per commune."""

import datetime

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory

HANDOVER = datetime.date(2027, 2, 20)


@pytest.fixture(autouse=True)
def _english_messages():
    """Services' messages in English whatever an earlier test left active; pages follow each request's language."""
    with translation.override("en"):
        yield


@pytest.fixture
def campaign(tree):
    campaign = CampaignFactory(district=tree["district"], district_quota=10, handover_date=HANDOVER)
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
    QuotaFactory(campaign=campaign, commune=tree["ly_bon"], count=5)
    return campaign


@pytest.fixture
def candidate(campaign, tree):
    person = PersonFactory(
        full_name="Nguyễn Văn Đức", home_unit=tree["vq_hamlet"], birth_date=datetime.date(2005, 3, 1)
    )
    return CandidateFactory(person=person, campaign=campaign)


@pytest.fixture
def lb_candidate(campaign, tree):
    person = PersonFactory(full_name="Vàng Seo Páo", home_unit=tree["lb_hamlet"], birth_date=datetime.date(2005, 3, 1))
    return CandidateFactory(person=person, campaign=campaign)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
