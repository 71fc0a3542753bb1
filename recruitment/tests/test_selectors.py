"""The figures the campaign page and the reports read, against hand-computed values, at a fixed cost."""

import datetime

import pytest

from recruitment import selectors
from tests.factories import CandidateFactory, PersonFactory, ethnicity
from units.scoping import get_scope

AFTER_HANDOVER = datetime.date(2027, 3, 1)  # the 2027 call-up hands over on 20/02/2027


def _add(campaign, hamlet, stage, n, **person):
    for _ in range(n):
        CandidateFactory(campaign=campaign, stage=stage, person=PersonFactory(home_unit=hamlet, **person))


@pytest.fixture
def filled(campaign, tree):
    # Vĩnh Quang (quota 5): 3 handed over (1 Party member), 1 approved, 2 registered.
    _add(campaign, tree["vq_hamlet"], "handed_over", 2)
    _add(campaign, tree["vq_hamlet"], "handed_over", 1, is_party_member=True, is_youth_union_member=True)
    _add(campaign, tree["vq_hamlet"], "approved", 1, ethnicity=ethnicity("Tày"))
    _add(campaign, tree["vq_hamlet"], "registered", 2)
    # Lý Bôn (quota 5): 5 handed over, 1 deferred.
    _add(campaign, tree["lb_hamlet"], "handed_over", 5)
    _add(campaign, tree["lb_hamlet"], "deferred", 1)
    return campaign


def test_recruitment_figures_per_commune_and_district(filled, commander):
    figures = selectors.recruitment_figures(user=commander, year=2027, on=AFTER_HANDOVER)
    rows = {r["unit"].name: r for r in figures["rows"]}
    assert (rows["Vĩnh Quang"]["quota"], rows["Vĩnh Quang"]["approved"], rows["Vĩnh Quang"]["handed_over"]) == (5, 4, 3)
    assert rows["Vĩnh Quang"]["rate"] == 60.0
    assert (rows["Lý Bôn"]["approved"], rows["Lý Bôn"]["handed_over"], rows["Lý Bôn"]["rate"]) == (5, 5, 100.0)
    total = figures["total"]
    assert (total["quota"], total["district_quota"], total["approved"], total["handed_over"]) == (10, 10, 9, 8)
    assert (total["rate"], total["handed_over_on"]) == (80.0, True)
    assert selectors.recruitment_figures(user=commander, year=2026)["total"]["quota"] == 0


def test_a_commune_officer_sees_only_the_commune(filled, officer):
    figures = selectors.recruitment_figures(user=officer, year=2027, on=AFTER_HANDOVER)
    assert [r["unit"].name for r in figures["rows"]] == ["Vĩnh Quang"]
    assert figures["total"]["rate"] == 60.0


def test_summary_by_commune_and_risk(filled, commander):
    far = selectors.campaign_summary_by_commune(campaign=filled, user=commander, today=datetime.date(2026, 12, 1))
    rows = {r["unit"].name: r for r in far["rows"]}
    assert (rows["Vĩnh Quang"]["shortfall"], rows["Vĩnh Quang"]["risk"]) == (1, "open")
    assert rows["Lý Bôn"]["risk"] == "done"
    assert rows["Vĩnh Quang"]["stages"]["registered"] == 2
    near = selectors.campaign_summary_by_commune(campaign=filled, user=commander, today=datetime.date(2027, 2, 6))
    assert {r["unit"].name: r["risk"] for r in near["rows"]}["Vĩnh Quang"] == "risk"
    assert near["total"]["rate"] == 80.0


def test_funnel_and_mixes(filled, commander):
    funnel = selectors.campaign_funnel(campaign=filled, user=commander)
    assert [r["count"] for r in funnel["funnel"]] == [12, 9, 9, 9, 8]
    membership = selectors.membership_share(campaign=filled, user=commander)
    assert (membership["total"], membership["party"], membership["youth"]) == (9, 1, 1)
    assert {r["label"]: r["count"] for r in selectors.ethnic_mix(campaign=filled, user=commander)} == {
        "Mông": 11,
        "Tày": 1,
    }
    assert sum(r["count"] for r in selectors.education_mix(campaign=filled, user=commander)) == 12


@pytest.mark.parametrize("extra", [0, 40])
def test_selectors_cost_a_fixed_number_of_queries(filled, commander, tree, django_assert_num_queries, extra):
    _add(filled, tree["vq_hamlet"], "examined", extra)
    get_scope(commander)  # the user's assignments are read once per request
    with django_assert_num_queries(4):
        selectors.campaign_summary_by_commune(campaign=filled, user=commander)
    with django_assert_num_queries(3):
        selectors.recruitment_figures(user=commander, year=2027)
    for function in (
        selectors.campaign_funnel,
        selectors.health_class_mix,
        selectors.education_mix,
        selectors.ethnic_mix,
        selectors.membership_share,
    ):
        with django_assert_num_queries(1):
            function(campaign=filled, user=commander)
