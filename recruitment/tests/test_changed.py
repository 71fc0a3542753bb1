"""Recruitment's writes mark the places they changed (units.freshness): a candidate's commune with its
district and province, a campaign its district (which every commune of it sees), never a neighbour."""

import datetime

import pytest

from people.rules import years_before
from recruitment import services
from tests.caches import places
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, deferral_ground


def _person(tree, hamlet="vq_hamlet", **kwargs):
    kwargs.setdefault("birth_date", datetime.date(2005, 1, 1))
    return PersonFactory(home_unit=tree[hamlet], **kwargs)


def test_creating_opening_and_closing_a_campaign_move_its_district(moved, district_officer, tree):
    with moved() as keys:
        campaign = services.campaign_create(
            user=district_officer,
            district=tree["district"],
            year=2028,
            handover_date=datetime.date(2028, 2, 25),
            district_quota=2,
        )
    assert keys == places(tree["district"])
    with moved() as keys:
        services.quota_set(user=district_officer, campaign=campaign, commune=tree["vinh_quang"], count=2)
    assert keys == places(tree["vinh_quang"])
    with moved() as keys:
        services.campaign_open(user=district_officer, campaign=campaign)
    assert keys == places(tree["district"])
    with moved() as keys:
        services.campaign_close(user=district_officer, campaign=campaign)
    assert keys == places(tree["district"])


def test_registering_moves_the_candidates_commune_only(moved, campaign, officer, tree):
    with moved() as keys:
        services.candidate_register(user=officer, campaign=campaign, person=_person(tree))
    assert keys == places(tree["vinh_quang"])
    assert f"u{tree['ly_bon'].pk}" not in keys


def test_a_duplicate_in_another_commune_moves_both_communes(moved, campaign, officer, outsider, tree):
    services.candidate_register(user=officer, campaign=campaign, person=_person(tree, full_name="Lý Văn Sình"))
    with moved() as keys:
        services.candidate_register(
            user=outsider, campaign=campaign, person=_person(tree, "lb_hamlet", full_name="Ly Van Sinh")
        )
    assert keys == places(tree["ly_bon"], tree["vinh_quang"])


def test_registering_the_seventeen_year_olds_moves_their_commune(moved, campaign, officer, tree):
    _person(tree, birth_date=datetime.date(2009, 12, 31))
    with moved() as keys:
        assert len(services.candidate_register_seventeen(user=officer, campaign=campaign)) == 1
    assert keys == places(tree["vinh_quang"])


def test_stage_changes_and_reviews_move_the_candidates_commune(moved, candidate, officer, tree):
    with moved() as keys:
        services.candidate_change_stage(candidate=candidate, to_stage="prescreened", user=officer)
    assert keys == places(tree["vinh_quang"])
    with moved() as keys:
        services.candidate_record_review(user=officer, candidate=candidate, hyperopia=True)
    assert keys == places(tree["vinh_quang"])


def test_a_bulk_change_moves_the_communes_once_and_a_refused_one_nothing(moved, campaign, district_officer, tree):
    ready = [
        CandidateFactory(person=_person(tree, hamlet), campaign=campaign, stage="prescreened")
        for hamlet in ("vq_hamlet", "lb_hamlet")
    ]
    with moved() as keys:
        services.candidates_change_stage_bulk(
            candidates=ready, to_stage="examined", user=district_officer, health_classes={c.pk: 2 for c in ready}
        )
    assert keys == places(tree["vinh_quang"], tree["ly_bon"])
    with moved() as keys, pytest.raises(services.BulkStageChangeError):
        services.candidates_change_stage_bulk(candidates=ready, to_stage="handed_over", user=district_officer)
    assert keys == set()


def test_postings_and_exclusions_move_their_commune(moved, campaign, officer, tree):
    with moved() as keys:
        services.list_posting_record(
            user=officer,
            campaign=campaign,
            commune=tree["vinh_quang"],
            kind="deferment",
            posted_on=datetime.date(2026, 11, 20),
        )
    assert keys == places(tree["vinh_quang"])
    with moved() as keys:
        services.registration_exclusion_record(
            user=officer,
            campaign=campaign,
            person=_person(tree, birth_date=years_before(datetime.date(2026, 1, 1), 18)),
            ground=deferral_ground("13.1b"),
            note="Trường giáo dưỡng",
        )
    assert keys == places(tree["vinh_quang"])


def test_the_carry_over_moves_the_district_and_the_carried_candidates_communes(moved, campaign, district_officer, tree):
    nxt = CampaignFactory(district=tree["district"], year=2028, handover_date=datetime.date(2028, 2, 25))
    CandidateFactory(person=_person(tree, "lb_hamlet"), campaign=campaign)
    with moved() as keys:
        plan = services.campaign_close(user=district_officer, campaign=campaign, carry_to=nxt)
    assert len(plan["created"]) == 1
    assert keys == places(tree["district"], tree["ly_bon"])
