"""The services: every allowed stage change and the refused ones, quotas, closing, carry-over, duplicates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from people.rules import years_before
from recruitment import services
from recruitment.models import Campaign, Candidate, Quota, StageChange
from recruitment.rules import TRANSITIONS
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, deferral_ground
from units.models import DisadvantagedPeriod

from .conftest import HANDOVER

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """These tests read the rules' messages in English, the language of the code."""
    with translation.override("en"):
        yield


def change(candidate, to_stage, user, **kwargs):
    return services.candidate_change_stage(candidate=candidate, to_stage=to_stage, user=user, **kwargs)


def examined(candidate, user, health_class=1):
    change(candidate, "prescreened", user)
    return change(candidate, "examined", user, health_class=health_class)


# --- Transitions ----------------------------------------------------------------------------------

ARGS = {
    "deferred": {"ground": "41.1g", "ground_ends_on": datetime.date(2028, 6, 30), "study_level": "university"},
    "exempt": {"ground": "41.2a"},
    "not_selected": {"reason": "Không đạt sơ tuyển"},
    "examined": {"health_class": 2},
}
SETUP = {  # a path from registration to each stage
    "registered": [],
    "prescreened": ["prescreened"],
    "examined": ["prescreened", "examined"],
    "approved": ["prescreened", "examined", "approved"],
    "reserve_list": ["prescreened", "examined", "reserve_list"],
    "deferred": ["deferred"],
    "not_selected": ["not_selected"],
    "exempt": ["exempt"],
    "handed_over": ["prescreened", "examined", "approved", "handed_over"],
}


def _kwargs(stage):
    kwargs = dict(ARGS.get(stage, {}))
    if "ground" in kwargs:
        kwargs["ground"] = deferral_ground(kwargs["ground"])
    return kwargs


def _walk(candidate, user, stages):
    for stage in stages:
        change(candidate, stage, user, **_kwargs(stage))


@pytest.mark.parametrize(
    ("from_stage", "to_stage"), [(f, t) for f, targets in TRANSITIONS.items() if f for t in sorted(targets)]
)
def test_every_allowed_transition_is_recorded(from_stage, to_stage, candidate, officer):
    _walk(candidate, officer, SETUP[from_stage])
    assert candidate.stage == from_stage
    change(candidate, to_stage, officer, note="lý do", **_kwargs(to_stage))
    candidate.refresh_from_db()
    assert candidate.stage == to_stage
    last = StageChange.objects.filter(candidate=candidate).latest("pk")
    assert (last.from_stage, last.to_stage, last.by) == (from_stage, to_stage, officer)
    # An approval adds who decides and the posting warnings after the user's note.
    assert last.note.startswith("lý do")


ALL = [
    "registered",
    "prescreened",
    "examined",
    "approved",
    "handed_over",
    "deferred",
    "exempt",
    "not_selected",
    "reserve_list",
]


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [(f, t) for f in ALL for t in ALL if t not in TRANSITIONS[f]],
)
def test_every_other_transition_is_refused(from_stage, to_stage, candidate, officer):
    _walk(candidate, officer, SETUP[from_stage])
    with pytest.raises(ValidationError) as exc:
        change(candidate, to_stage, officer, **_kwargs(to_stage))
    assert exc.value.code == "transition"
    candidate.refresh_from_db()
    assert candidate.stage == from_stage


def test_examination_needs_a_health_class(candidate, officer):
    change(candidate, "prescreened", officer)
    with pytest.raises(ValidationError):
        change(candidate, "examined", officer)


# --- Approval rules through the service -------------------------------------------------------------


def _candidate_born(campaign, tree, birth_date, **kwargs):
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=birth_date)
    return CandidateFactory(person=person, campaign=campaign, **kwargs)


def test_approval_checks_age_on_the_handover_date(campaign, tree, officer):
    last_day = _candidate_born(campaign, tree, years_before(HANDOVER, 26) + DAY)
    examined(last_day, officer)
    assert change(last_day, "approved", officer).stage == "approved"
    too_old = _candidate_born(campaign, tree, years_before(HANDOVER, 26))
    examined(too_old, officer)
    with pytest.raises(ValidationError, match="art. 30"):
        change(too_old, "approved", officer)


def test_a_former_student_deferred_under_41_1g_is_callable_to_27(campaign, tree, officer):
    student = _candidate_born(campaign, tree, years_before(HANDOVER, 28) + DAY)
    change(
        student,
        "deferred",
        officer,
        ground=deferral_ground("41.1g"),
        ground_ends_on=datetime.date(2026, 6, 30),
        study_level="university",
    )
    change(student, "registered", officer)
    examined(student, officer)
    assert change(student, "approved", officer).stage == "approved"
    too_old = _candidate_born(campaign, tree, years_before(HANDOVER, 28))
    change(
        too_old,
        "deferred",
        officer,
        ground=deferral_ground("41.1g"),
        ground_ends_on=datetime.date(2026, 6, 30),
        study_level="college",
    )
    change(too_old, "registered", officer)
    examined(too_old, officer)
    with pytest.raises(ValidationError, match="27"):
        change(too_old, "approved", officer)


def test_health_class_3_may_be_approved_4_may_not(campaign, tree, officer):
    three = _candidate_born(campaign, tree, datetime.date(2005, 1, 1))
    examined(three, officer, health_class=3)
    assert change(three, "approved", officer).stage == "approved"
    four = _candidate_born(campaign, tree, datetime.date(2005, 1, 1))
    examined(four, officer, health_class=4)
    with pytest.raises(ValidationError, match="health class 4"):
        change(four, "approved", officer)


def test_grade_7_needs_the_disadvantaged_exception_within_25_percent(campaign, tree, officer):
    quota = Quota.objects.get(campaign=campaign, commune=tree["vinh_quang"])
    quota.count = 8
    quota.save()
    grade7 = [_candidate_born(campaign, tree, datetime.date(2005, 1, 1), education=7) for _ in range(3)]
    grade8 = _candidate_born(campaign, tree, datetime.date(2005, 1, 1), education=8)
    for c in grade7 + [grade8]:
        examined(c, officer)
    assert change(grade8, "approved", officer).stage == "approved"
    with pytest.raises(ValidationError, match="grade 7 is accepted only when the quota cannot otherwise be met"):
        change(grade7[0], "approved", officer)
    # Listed until the day before the hand-over: the exception does not apply on the hand-over day.
    listed = DisadvantagedPeriod.objects.create(
        unit=tree["vinh_quang"], start=datetime.date(2021, 6, 4), end=HANDOVER - DAY, legal_ground="QĐ 861/QĐ-TTg"
    )
    with pytest.raises(ValidationError, match="grade 7 is accepted only when the quota cannot otherwise be met"):
        change(grade7[0], "approved", officer)
    listed.end = HANDOVER  # listed on the hand-over day itself
    listed.save()
    change(grade7[0], "approved", officer)
    change(grade7[1], "approved", officer)  # 2 = 25 % of 8
    with pytest.raises(ValidationError, match="25 %"):
        change(grade7[2], "approved", officer)


def test_approvals_beyond_the_quota_go_to_the_reserve_list(campaign, tree, officer, district_officer):
    candidates = [_candidate_born(campaign, tree, datetime.date(2005, 1, 1)) for _ in range(7)]
    for c in candidates:
        examined(c, officer)
    for c in candidates[:5]:
        assert change(c, "approved", officer).stage == "approved"
    sixth = change(candidates[5], "approved", officer)
    assert sixth.stage == "reserve_list"
    assert "reserve list" in StageChange.objects.filter(candidate=sixth).latest("pk").note
    with pytest.raises(PermissionDenied):
        change(candidates[6], "approved", officer, confirm_over_quota=True)
    with pytest.raises(ValidationError, match="quota of 5 is filled"):
        change(sixth, "approved", officer)
    assert change(sixth, "approved", district_officer, confirm_over_quota=True).stage == "approved"
    assert change(candidates[6], "approved", district_officer, confirm_over_quota=True).stage == "approved"


def test_approvals_wait_for_the_open_campaign(campaign, candidate, officer):
    examined(candidate, officer)
    Campaign.objects.filter(pk=campaign.pk).update(status="planning")
    candidate.campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="open"):
        change(candidate, "approved", officer)


def test_hand_over_takes_the_campaign_date(candidate, officer):
    examined(candidate, officer)
    change(candidate, "approved", officer)
    change(candidate, "handed_over", officer, receiving_unit="Trung đoàn 852")
    candidate.refresh_from_db()
    assert (candidate.handover_date, candidate.receiving_unit) == (HANDOVER, "Trung đoàn 852")


# --- Access --------------------------------------------------------------------------------------


def test_outsiders_and_viewers_cannot_change_a_candidate(candidate, outsider, viewer):
    for user in (outsider, viewer):
        with pytest.raises(PermissionDenied):
            change(candidate, "prescreened", user)


# --- Quotas, opening and closing --------------------------------------------------------------------


def test_campaign_open_needs_the_quotas_to_add_up(tree, district_officer, officer):
    campaign = services.campaign_create(
        user=district_officer,
        district=tree["district"],
        year=2028,
        handover_date=datetime.date(2028, 2, 25),
        district_quota=12,
    )
    services.quota_set(user=district_officer, campaign=campaign, commune=tree["vinh_quang"], count=7)
    services.quota_set(user=district_officer, campaign=campaign, commune=tree["ly_bon"], count=4)
    assert services.quota_difference(campaign) == -1
    with pytest.raises(ValidationError, match="difference -1"):
        services.campaign_open(user=district_officer, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.quota_set(user=officer, campaign=campaign, commune=tree["ly_bon"], count=5)
    services.quota_set(user=district_officer, campaign=campaign, commune=tree["ly_bon"], count=5)
    services.campaign_open(user=district_officer, campaign=campaign)
    assert campaign.status == "open"
    with pytest.raises(ValidationError):
        services.quota_set(user=district_officer, campaign=campaign, commune=tree["ly_bon"], count=6)


def test_one_campaign_per_district_and_year(campaign, district_officer, tree):
    with pytest.raises(ValidationError):
        services.campaign_create(
            user=district_officer, district=tree["district"], year=2027, handover_date=HANDOVER, district_quota=3
        )


def test_a_closed_campaign_is_read_only(campaign, candidate, officer, district_officer, tree):
    services.campaign_close(user=district_officer, campaign=campaign)
    candidate.campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        change(candidate, "prescreened", officer)
    with pytest.raises(ValidationError, match="closed"):
        services.candidate_register(user=officer, campaign=campaign, person=PersonFactory(home_unit=tree["vq_hamlet"]))
    with pytest.raises(ValidationError, match="closed"):
        services.campaign_close(user=district_officer, campaign=campaign)


# --- Registration and duplicates ----------------------------------------------------------------------


def test_the_same_person_cannot_be_a_candidate_twice(candidate, officer):
    with pytest.raises(ValidationError, match="already a candidate"):
        services.candidate_register(user=officer, campaign=candidate.campaign, person=candidate.person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(person=candidate.person, campaign=candidate.campaign, commune=candidate.commune)


def test_same_name_and_birth_date_in_two_communes_is_flagged(campaign, tree, officer, outsider):
    first = services.candidate_register(
        user=officer,
        campaign=campaign,
        person=PersonFactory(
            full_name="Lý Văn Sình", birth_date=datetime.date(2005, 1, 1), home_unit=tree["vq_hamlet"]
        ),
    )
    same_commune = services.candidate_register(
        user=officer,
        campaign=campaign,
        person=PersonFactory(
            full_name="Lý Văn Sinh", birth_date=datetime.date(2005, 1, 2), home_unit=tree["vq_hamlet"]
        ),
    )
    second = services.candidate_register(
        user=outsider,
        campaign=campaign,
        person=PersonFactory(
            full_name="Ly Van Sinh", birth_date=datetime.date(2005, 1, 1), home_unit=tree["lb_hamlet"]
        ),
    )
    first.refresh_from_db()
    same_commune.refresh_from_db()
    assert (first.flagged_duplicate, second.flagged_duplicate, same_commune.flagged_duplicate) == (True, True, False)


def test_register_seventeen_year_olds_once(campaign, tree, officer):
    born_2009 = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2009, 12, 31))
    PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2009, 1, 1), sex="F")
    PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2010, 1, 1))
    PersonFactory(home_unit=tree["lb_hamlet"], birth_date=datetime.date(2009, 5, 5))  # not the officer's commune
    created = services.candidate_register_seventeen(user=officer, campaign=campaign)
    assert [c.person for c in created] == [born_2009]
    assert created[0].commune == tree["vinh_quang"]
    assert services.candidate_register_seventeen(user=officer, campaign=campaign) == []


# --- Bulk ----------------------------------------------------------------------------------------------


def test_bulk_change_is_all_or_nothing(campaign, tree, officer):
    ready = [_candidate_born(campaign, tree, datetime.date(2005, 1, 1), stage="prescreened") for _ in range(3)]
    changed = services.candidates_change_stage_bulk(
        candidates=ready, to_stage="examined", user=officer, health_classes={c.pk: 2 for c in ready}
    )
    assert len(changed) == 3
    late = _candidate_born(campaign, tree, datetime.date(2005, 1, 1))  # still registered
    with pytest.raises(services.BulkStageChangeError) as exc:
        services.candidates_change_stage_bulk(candidates=ready + [late], to_stage="approved", user=officer)
    assert [e["candidate"] for e in exc.value.errors] == [late]
    assert Candidate.objects.filter(stage="approved").count() == 0
    assert StageChange.objects.filter(to_stage="approved").count() == 0


# --- Carry-over ---------------------------------------------------------------------------------------


def test_carry_over_preview_and_commit(campaign, tree, officer, district_officer):
    nxt = CampaignFactory(
        district=tree["district"], year=2028, handover_date=datetime.date(2028, 2, 25), status="planning"
    )
    registered = _candidate_born(campaign, tree, datetime.date(2005, 1, 1))
    prescreened = _candidate_born(campaign, tree, datetime.date(2005, 1, 1), stage="prescreened")
    ended = _candidate_born(campaign, tree, datetime.date(2005, 1, 1))
    change(ended, "deferred", officer, ground=deferral_ground("41.1b"), ground_ends_on=datetime.date(2027, 12, 31))
    still = _candidate_born(campaign, tree, datetime.date(2005, 1, 1))
    change(
        still,
        "deferred",
        officer,
        ground=deferral_ground("41.1g"),
        ground_ends_on=datetime.date(2029, 6, 30),
        study_level="general",
    )
    too_old = _candidate_born(campaign, tree, years_before(datetime.date(2028, 2, 25), 26))
    handed = _candidate_born(campaign, tree, datetime.date(2005, 1, 1), stage="handed_over")
    plan = services.campaign_carry_over_preview(from_campaign=campaign, to_campaign=nxt, user=district_officer)
    assert {m["candidate"] for m in plan["moves"]} == {registered, prescreened, ended}
    assert {s["candidate"] for s in plan["stays"]} == {still, too_old, handed}
    with pytest.raises(PermissionDenied):
        services.campaign_carry_over_preview(from_campaign=campaign, to_campaign=nxt, user=officer)
    assert Candidate.objects.filter(campaign=nxt).count() == 0
    plan = services.campaign_close(user=district_officer, campaign=campaign, carry_to=nxt)
    assert len(plan["created"]) == 3
    moved = Candidate.objects.filter(campaign=nxt)
    assert set(moved.values_list("person", flat=True)) == {registered.person_id, prescreened.person_id, ended.person_id}
    assert set(moved.values_list("stage", flat=True)) == {"registered"}
    assert campaign.status == "closed"
    # A second carry-over finds them already there.
    again = services.campaign_carry_over_preview(from_campaign=campaign, to_campaign=nxt, user=district_officer)
    assert again["moves"] == []
