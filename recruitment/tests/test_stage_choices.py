"""The stage-change forms offer only the moves the law allows from where the candidates stand, the likely
next one first, and never preselect a move back into the pool."""

import re

import pytest

from recruitment import rules
from recruitment.models import Stage
from tests.factories import CandidateFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("english")


def options(body, name):
    """(value, label, selected) of each option of the select `name`, in the order the user sees them."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S).group(1)
    return [
        (value, label.strip(), bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?[^>]*>([^<]*)</option>', select)
    ]


def stage_options(client, candidate):
    return options(client.get(f"/recruitment/candidates/{candidate.pk}/").content.decode(), "to_stage")


@pytest.mark.parametrize(
    ("stage", "offered", "selected"),
    [
        ("registered", ["prescreened", "deferred", "exempt", "not_selected"], "prescreened"),
        ("prescreened", ["examined", "deferred", "exempt", "not_selected"], "examined"),
        ("examined", ["approved", "reserve_list", "deferred", "exempt", "not_selected"], "approved"),
        ("approved", ["handed_over", "reserve_list", "deferred", "exempt", "not_selected"], "handed_over"),
        ("reserve_list", ["approved", "deferred", "exempt", "not_selected"], "approved"),
        ("deferred", ["registered"], ""),
        ("not_selected", ["registered"], ""),
    ],
)
def test_the_candidate_page_offers_the_allowed_moves_likely_next_first(
    client, officer, candidate, stage, offered, selected
):
    candidate.stage = stage
    candidate.save()
    client.force_login(officer)
    shown = stage_options(client, candidate)
    assert [value for value, _label, _sel in shown] == ["", *offered]
    assert [value for value, _label, sel in shown if sel] == [selected]  # "": the "choose" line
    assert shown[1][1] == str(Stage(offered[0]).label)


def test_a_deferred_candidate_is_not_moved_back_by_default(client, officer, candidate):
    candidate.stage = "deferred"
    candidate.save()
    client.force_login(officer)
    response = client.post(f"/recruitment/candidates/{candidate.pk}/stage/", {"confirm": "on"})
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.stage == "deferred"


def test_a_candidate_at_the_end_gets_no_form(client, officer, candidate):
    candidate.stage = "handed_over"
    candidate.save()
    client.force_login(officer)
    assert 'name="to_stage"' not in client.get(f"/recruitment/candidates/{candidate.pk}/").content.decode()


def test_the_forms_take_their_moves_from_the_rules(client, officer, candidate):
    """Every stage's offer is the rules' list, in its order."""
    client.force_login(officer)
    for stage in Stage.values:
        if not rules.allowed_transitions(stage):
            continue
        candidate.stage = stage
        candidate.save()
        shown = [value for value, _label, _sel in stage_options(client, candidate)][1:]
        assert shown == list(rules.allowed_transitions(stage)), stage


def _bulk_options(client, campaign, **params):
    body = client.get(f"/recruitment/campaigns/{campaign.pk}/candidates/", params).content.decode()
    return options(body, "bulk-to_stage")


def test_the_bulk_form_offers_the_moves_of_the_listed_stages(client, officer, campaign, tree):
    for stage in ("deferred", "registered"):
        CandidateFactory(campaign=campaign, stage=stage, person=PersonFactory(home_unit=tree["vq_hamlet"]))
    client.force_login(officer)
    shown = _bulk_options(client, campaign)
    # Nothing preselected: the list mixes stages. A return to the pool comes last.
    assert [value for value, _label, _sel in shown] == [
        "",
        "prescreened",
        "deferred",
        "exempt",
        "not_selected",
        "registered",
    ]
    assert [value for value, _label, sel in shown if sel] == [""]


def test_the_bulk_form_of_deferred_candidates_preselects_nothing(client, officer, campaign, tree):
    CandidateFactory(campaign=campaign, stage="deferred", person=PersonFactory(home_unit=tree["vq_hamlet"]))
    client.force_login(officer)
    shown = _bulk_options(client, campaign, stage="deferred")
    assert [(value, sel) for value, _label, sel in shown] == [("", True), ("registered", False)]


def test_the_bulk_form_of_one_stage_preselects_the_next_step(client, officer, campaign, tree):
    for stage in ("examined", "registered"):
        CandidateFactory(campaign=campaign, stage=stage, person=PersonFactory(home_unit=tree["vq_hamlet"]))
    client.force_login(officer)
    shown = _bulk_options(client, campaign, stage="examined")
    assert [value for value, _label, _sel in shown] == ["", *rules.allowed_transitions("examined")]
    assert [value for value, _label, sel in shown if sel] == ["approved"]


def test_a_bulk_change_without_a_chosen_stage_changes_nothing(client, officer, campaign, tree):
    deferred = CandidateFactory(campaign=campaign, stage="deferred", person=PersonFactory(home_unit=tree["vq_hamlet"]))
    client.force_login(officer)
    data = {"ids": [deferred.pk], "bulk-confirm": "on"}
    client.post(f"/recruitment/campaigns/{campaign.pk}/candidates/stage/", data)
    deferred.refresh_from_db()
    assert deferred.stage == "deferred"
