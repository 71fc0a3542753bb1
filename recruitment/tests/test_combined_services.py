"""The services that combine steps in one transaction: registering a new or existing person, the quotas of every
commune, and the stage change of the candidates ticked in a list. What the database holds after each, and after a
refusal: nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from people.models import Person
from people.tests.factories import PersonFactory, ethnicity
from recruitment import services
from recruitment.models import Candidate, Quota, StageChange
from recruitment.tests.factories import CampaignFactory, CandidateFactory, QuotaFactory

pytestmark = pytest.mark.django_db


def _new_person(home_unit, **overrides):
    return {
        "full_name": "Hoàng Văn Thắng",
        "birth_date": datetime.date(2005, 3, 1),
        "sex": "M",
        "ethnicity": ethnicity("Tày"),
        "home_unit": home_unit,
        "general_education": 12,
    } | overrides


def test_registering_a_new_person_creates_the_person_and_the_candidate(campaign, tree, officer):
    candidate = services.candidate_register_person(
        user=officer, campaign=campaign, new_person=_new_person(tree["vq_hamlet"]), notes="Tự đến đăng ký"
    )
    person = Person.objects.get(full_name="Hoàng Văn Thắng")
    assert Candidate.objects.get(pk=candidate.pk).person == person
    assert (candidate.commune, candidate.stage, candidate.education, candidate.notes) == (
        tree["vinh_quang"],
        "registered",
        12,
        "Tự đến đăng ký",
    )
    assert list(StageChange.objects.filter(candidate=candidate).values_list("to_stage", flat=True)) == ["registered"]


def test_registering_an_existing_person_creates_no_person(campaign, tree, officer):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2005, 3, 1))
    people = Person.objects.count()
    candidate = services.candidate_register_person(user=officer, campaign=campaign, person=person)
    assert Candidate.objects.get(campaign=campaign).pk == candidate.pk
    assert candidate.person == person
    assert Person.objects.count() == people


def test_a_refused_registration_leaves_no_new_person_behind(campaign, tree, officer):
    """A woman without a profession the army needs may not register (Luật NVQS 2015 Điều 12): the person created
    for her is rolled back with the registration."""
    people = Person.objects.count()
    with pytest.raises(ValidationError):
        services.candidate_register_person(
            user=officer, campaign=campaign, new_person=_new_person(tree["vq_hamlet"], sex="F")
        )
    assert Person.objects.count() == people
    assert not Candidate.objects.exists()
    assert not StageChange.objects.exists()


def test_a_registration_outside_the_users_units_is_refused(campaign, tree, officer):
    people = Person.objects.count()
    with pytest.raises(PermissionDenied):
        services.candidate_register_person(
            user=officer, campaign=campaign, new_person=_new_person(tree["vq_hamlet"]), commune=tree["ly_bon"]
        )
    assert Person.objects.count() == people
    assert not Candidate.objects.exists()


def test_either_a_person_or_a_new_person(campaign, officer):
    with pytest.raises(TypeError):
        services.candidate_register_person(user=officer, campaign=campaign)


# --- Quotas ------------------------------------------------------------------------------------------


@pytest.fixture
def planning(tree):
    campaign = CampaignFactory(district=tree["district"], year=2028, status="planning", district_quota=10)
    QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
    QuotaFactory(campaign=campaign, commune=tree["ly_bon"], count=5)
    return campaign


def _quotas(campaign):
    return dict(Quota.objects.filter(campaign=campaign).values_list("commune__name", "count"))


def test_the_quotas_of_every_commune_are_saved_together(planning, tree, district_officer):
    quotas = services.quotas_set(
        user=district_officer, campaign=planning, counts=[(tree["vinh_quang"], 6), (tree["ly_bon"], 4)]
    )
    assert [q.count for q in quotas] == [6, 4]
    assert _quotas(planning) == {"Vĩnh Quang": 6, "Lý Bôn": 4}


def test_one_refused_quota_leaves_every_quota_as_it_was(planning, tree, district_officer):
    with pytest.raises(ValidationError, match="not a commune"):
        services.quotas_set(
            user=district_officer, campaign=planning, counts=[(tree["vinh_quang"], 8), (tree["vq_hamlet"], 2)]
        )
    assert _quotas(planning) == {"Vĩnh Quang": 5, "Lý Bôn": 5}


def test_a_commune_officer_may_not_split_the_quota(planning, tree, officer):
    with pytest.raises(PermissionDenied):
        services.quotas_set(user=officer, campaign=planning, counts=[(tree["vinh_quang"], 8)])
    assert _quotas(planning) == {"Vĩnh Quang": 5, "Lý Bôn": 5}


# --- The candidates ticked in a list -----------------------------------------------------------------


@pytest.fixture
def ticked(campaign, tree):
    return [
        CandidateFactory(
            campaign=campaign,
            stage="prescreened",
            person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2005, 1, 1 + i)),
        )
        for i in range(3)
    ]


def _stages(candidates):
    return list(
        Candidate.objects.filter(pk__in=[c.pk for c in candidates]).order_by("pk").values_list("stage", "health_class")
    )


def test_the_class_typed_on_each_row_is_recorded(campaign, ticked, officer):
    changed = services.candidates_change_stage_selected(
        user=officer,
        campaign=campaign,
        ids=[c.pk for c in ticked],
        to_stage="examined",
        health_classes={ticked[0].pk: 1, ticked[1].pk: 2, ticked[2].pk: 3},
        health_class=4,  # ignored when a row has its own class
    )
    assert len(changed) == 3
    assert _stages(ticked) == [("examined", 1), ("examined", 2), ("examined", 3)]
    assert StageChange.objects.filter(to_stage="examined").count() == 3


def test_the_forms_class_applies_to_every_row_when_no_row_has_one(campaign, ticked, officer):
    services.candidates_change_stage_selected(
        user=officer, campaign=campaign, ids=[c.pk for c in ticked], to_stage="examined", health_class=2
    )
    assert _stages(ticked) == [("examined", 2)] * 3


def test_one_refused_candidate_changes_none(campaign, ticked, officer):
    Candidate.objects.filter(pk=ticked[1].pk).update(stage="exempt")  # exempt → examined is refused
    with pytest.raises(services.BulkStageChangeError) as refused:
        services.candidates_change_stage_selected(
            user=officer, campaign=campaign, ids=[c.pk for c in ticked], to_stage="examined", health_class=2
        )
    assert [e["candidate"].pk for e in refused.value.errors] == [ticked[1].pk]
    assert _stages(ticked) == [("prescreened", None), ("exempt", None), ("prescreened", None)]
    assert not StageChange.objects.exists()


def test_a_candidate_outside_the_users_units_refuses_the_selection(campaign, ticked, lb_candidate, officer):
    with pytest.raises(PermissionDenied, match="not in your units"):
        services.candidates_change_stage_selected(
            user=officer,
            campaign=campaign,
            ids=[ticked[0].pk, lb_candidate.pk],
            to_stage="examined",
            health_class=2,
        )
    assert _stages([ticked[0], lb_candidate]) == [("prescreened", None), ("registered", None)]
    assert not StageChange.objects.exists()
