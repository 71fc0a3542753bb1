"""Call-up eligibility, every rule on the day before, the day of and the day after its boundary, and on a date in
the past: study level and age 27, health standard and findings, education, political verification, registration,
public posting and the deciding authority under Law 98/2025/QH15."""

import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from people.rules import years_before
from recruitment import rules, services
from recruitment.models import Candidate, LegalProvision, ListPosting, StageChange
from tests.factories import CampaignFactory, CandidateFactory, PersonFactory, QuotaFactory, deferral_ground, ethnicity

from .conftest import HANDOVER

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
HEALTH_SWITCH = datetime.date(2024, 1, 1)  # Thông tư 105/2023/TT-BQP in force
LAW_98 = datetime.date(2025, 7, 1)  # Luật 98/2025/QH15 in force


def codes(exc):
    return [error.code for error in exc.value.error_list]


def examined_candidate(campaign, tree, *, birth_date=datetime.date(2005, 1, 1), **fields):
    person_fields = {k: fields.pop(k) for k in ("ethnicity", "sex") if k in fields}
    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=birth_date, **person_fields)
    fields.setdefault("health_class", 2)
    return CandidateFactory(person=person, campaign=campaign, stage="examined", **fields)


def approve(candidate, user):
    return services.candidate_change_stage(candidate=candidate, to_stage="approved", user=user)


# --- Age 27 only for college or university (Luật NVQS 2015 Điều 30) ---------------------------------------


def test_only_a_college_or_university_deferment_raises_the_limit():
    assert rules.raises_age_limit(ground_code="41.1g", study_level="university")
    assert rules.raises_age_limit(ground_code="41.1g", study_level="college")
    assert not rules.raises_age_limit(ground_code="41.1g", study_level="general")
    assert not rules.raises_age_limit(ground_code="41.1g", study_level="")
    assert not rules.raises_age_limit(ground_code="41.1b", study_level="university")


@pytest.mark.parametrize("on", [HANDOVER, datetime.date(2019, 3, 1)])
def test_students_callable_to_the_end_of_27_around_the_28th_birthday(on):
    turns_28 = years_before(on, 28)
    rules.validate_call_up_age(birth_date=turns_28 + DAY, on=on, deferred_for_study=True)  # 28 the day after
    for birth_date in (turns_28, turns_28 - DAY):  # 28 on the day, or the day before
        with pytest.raises(ValidationError) as exc:
            rules.validate_call_up_age(birth_date=birth_date, on=on, deferred_for_study=True)
        assert exc.value.code == "too_old"


def _deferred_then_examined(candidate, officer, level):
    services.candidate_change_stage(
        candidate=candidate,
        to_stage="deferred",
        user=officer,
        ground=deferral_ground("41.1g"),
        ground_ends_on=datetime.date(2026, 6, 30),
        study_level=level,
    )
    for stage, extra in (("registered", {}), ("prescreened", {}), ("examined", {"health_class": 2})):
        services.candidate_change_stage(candidate=candidate, to_stage=stage, user=officer, **extra)


def test_a_27_year_old_once_deferred_at_secondary_school_is_refused(campaign, tree, officer):
    birth_date = years_before(HANDOVER, 28) + DAY  # 27 on the hand-over day
    school = CandidateFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=birth_date), campaign=campaign
    )
    _deferred_then_examined(school, officer, "general")
    with pytest.raises(ValidationError) as exc:
        approve(school, officer)
    assert exc.value.code == "too_old"
    assert "college or university" in exc.value.messages[0] and "art. 30" in exc.value.messages[0]
    college = CandidateFactory(
        person=PersonFactory(home_unit=tree["vq_hamlet"], birth_date=birth_date), campaign=campaign
    )
    _deferred_then_examined(college, officer, "college")
    assert approve(college, officer).stage == "approved"
    assert Candidate.objects.get(pk=school.pk).stage == "examined"


# --- Health (Luật NVQS 2015 Điều 31; TTLT 16/2016 → TT 105/2023; TT 148/2018 Điều 4.3.c) ------------------


@pytest.mark.parametrize(
    ("on", "standard"),
    [
        (HEALTH_SWITCH - DAY, "Thông tư liên tịch 16/2016/TTLT-BYT-BQP"),
        (HEALTH_SWITCH, "Thông tư 105/2023/TT-BQP"),
        (HEALTH_SWITCH + DAY, "Thông tư 105/2023/TT-BQP"),
        (datetime.date(2018, 2, 25), "Thông tư liên tịch 16/2016/TTLT-BYT-BQP"),
    ],
)
def test_class_4_is_refused_under_the_standard_in_force(on, standard):
    for health_class in (1, 2, 3):
        rules.validate_health(health_class=health_class, on=on)
    with pytest.raises(ValidationError) as exc:
        rules.validate_health(health_class=4, on=on)
    assert codes(exc) == ["health_class"]
    assert exc.value.messages[0].startswith(standard)


@pytest.mark.parametrize("on", [HANDOVER, datetime.date(2020, 2, 20)])
def test_class_3_myopia_stops_at_one_and_a_half_dioptres(on):
    rules.validate_health(health_class=3, on=on, myopia_dioptres=decimal.Decimal("1.49"))
    for value in ("1.5", "1.51"):
        with pytest.raises(ValidationError) as exc:
            rules.validate_health(health_class=3, on=on, myopia_dioptres=decimal.Decimal(value))
        assert codes(exc) == ["myopia"]
        assert "Thông tư 148/2018/TT-BQP Điều 4 khoản 3 điểm c" in exc.value.messages[0]
        assert "1,5 dioptres" in exc.value.messages[0]
    # Class 2 with the same eyes may serve.
    rules.validate_health(health_class=2, on=on, myopia_dioptres=decimal.Decimal("3"))
    rules.validate_health(health_class=2, on=on, hyperopia=True)


def test_hyperopia_drugs_and_hiv_are_refused_with_every_reason():
    with pytest.raises(ValidationError) as exc:
        rules.validate_health(health_class=3, on=HANDOVER, hyperopia=True, drug_use=True, hiv=True)
    assert codes(exc) == ["hyperopia", "drug_use", "hiv"]
    with pytest.raises(ValidationError) as exc:
        rules.validate_health(health_class=1, on=HANDOVER, drug_use=True)
    assert codes(exc) == ["drug_use"]


def test_health_classes_are_data_loaded_from_the_reference_table():
    from recruitment.models import HealthClass

    assert list(HealthClass.objects.filter(callable=True).values_list("number", flat=True)) == [1, 2, 3]
    assert HealthClass.objects.count() == 6


def test_approval_refuses_class_3_with_myopia_and_the_page_says_why(client, campaign, tree, officer):
    candidate = examined_candidate(campaign, tree, health_class=3, myopia_dioptres=decimal.Decimal("2.00"))
    with pytest.raises(ValidationError) as exc:
        approve(candidate, officer)
    assert exc.value.code == "myopia"
    candidate.refresh_from_db()
    assert candidate.stage == "examined"
    client.force_login(officer)
    page = client.get(f"/recruitment/candidates/{candidate.pk}/").content.decode()
    assert 'id="approval-check"' in page
    assert "Thông tư 148/2018/TT-BQP Điều 4 khoản 3 điểm c" in page
    # The stage form answers with the same refusal and changes nothing.
    response = client.post(
        f"/recruitment/candidates/{candidate.pk}/stage/",
        {"to_stage": "approved", "confirm": "on", "loaded_stage": "examined"},
    )
    assert response.status_code == 400
    assert "Thông tư 148/2018/TT-BQP Điều 4 khoản 3 điểm c" in response.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).stage == "examined"


# --- Education (Thông tư 148/2018 Điều 4 khoản 4) ----------------------------------------------------------


@pytest.mark.parametrize("on", [HANDOVER, datetime.date(2019, 2, 25)])
def test_grade_8_is_the_rule_grade_7_needs_a_recorded_approval(on):
    rules.validate_education(grade=8, on=on)
    with pytest.raises(ValidationError) as exc:
        rules.validate_education(grade=7, on=on)
    assert exc.value.code == "grade_seven_approval"
    assert "Điều 4 khoản 4 điểm a" in exc.value.messages[0]
    rules.validate_education(grade=7, on=on, low_grade_approval="Công văn 12/BCH ngày 10/01, Chủ tịch UBND xã")
    # The approval is for grade 7 only.
    with pytest.raises(ValidationError) as exc:
        rules.validate_education(grade=6, on=on, low_grade_approval="Công văn 12/BCH")
    assert exc.value.code == "education"


def test_never_below_primary_even_in_a_disadvantaged_commune():
    for grade in (0, 4):
        with pytest.raises(ValidationError) as exc:
            rules.validate_education(
                grade=grade, on=HANDOVER, disadvantaged=True, small_ethnic_group=True, quota_count=8
            )
        assert exc.value.code == "below_primary"
        assert "Điều 4 khoản 4 điểm b" in exc.value.messages[0]
    rules.validate_education(grade=5, on=HANDOVER, disadvantaged=True, quota_count=8)


@pytest.mark.parametrize("exception", [{"disadvantaged": True}, {"small_ethnic_group": True}])
def test_the_primary_share_stops_at_a_quarter_of_the_quota(exception):
    # 25 % of 8 = 2: the second below grade 8 is accepted, the third is not.
    for already in (0, 1):
        rules.validate_education(grade=5, on=HANDOVER, quota_count=8, approved_below_grade=already, **exception)
    with pytest.raises(ValidationError) as exc:
        rules.validate_education(grade=5, on=HANDOVER, quota_count=8, approved_below_grade=2, **exception)
    assert exc.value.code == "education_share"
    with pytest.raises(ValidationError) as exc:
        rules.validate_education(grade=5, on=HANDOVER, quota_count=8, approved_below_grade=0)
    assert exc.value.code == "education"


def test_the_share_follows_the_version_in_force_on_the_day():
    """An admin records a new version of a rule; each day uses its own (here a share of 50 % from 2027)."""
    current = LegalProvision.objects.get(rule="primary_level_share")
    current.valid_to = datetime.date(2026, 12, 31)
    current.save()
    LegalProvision.objects.create(
        rule="primary_level_share",
        valid_from=datetime.date(2027, 1, 1),
        citation="Văn bản giả định",
        value={"percent": 50},
    )
    switch = datetime.date(2027, 1, 1)
    with pytest.raises(ValidationError):  # 25 % of 8 = 2 already used
        rules.validate_education(grade=5, on=switch - DAY, disadvantaged=True, quota_count=8, approved_below_grade=2)
    for on in (switch, switch + DAY):  # 50 % of 8 = 4
        rules.validate_education(grade=5, on=on, disadvantaged=True, quota_count=8, approved_below_grade=3)


def test_overlapping_versions_are_refused():
    clash = LegalProvision(rule="health_standard", valid_from=datetime.date(2025, 1, 1), citation="x")
    with pytest.raises(ValidationError):
        clash.full_clean()


def test_lo_lo_is_flagged_as_a_small_ethnic_group_mong_is_not():
    assert ethnicity("Lô Lô").small_population
    assert not ethnicity("Mông").small_population


def test_a_lo_lo_recruit_with_primary_education_is_approved_in_an_ordinary_commune(campaign, tree, officer):
    lolo = examined_candidate(campaign, tree, education=5, ethnicity=ethnicity("Lô Lô"))
    mong = examined_candidate(campaign, tree, education=5, ethnicity=ethnicity("Mông"))
    assert approve(lolo, officer).stage == "approved"  # 25 % of the quota of 5 is 1
    with pytest.raises(ValidationError) as exc:
        approve(mong, officer)
    assert exc.value.code == "education"
    zero = examined_candidate(campaign, tree, education=0, ethnicity=ethnicity("Lô Lô"))
    with pytest.raises(ValidationError) as exc:
        approve(zero, officer)
    assert exc.value.code == "below_primary"


def test_grade_7_with_the_approval_recorded_is_approved(campaign, tree, officer):
    candidate = examined_candidate(campaign, tree, education=7)
    with pytest.raises(ValidationError):
        approve(candidate, officer)
    services.candidate_record_review(user=officer, candidate=candidate, low_grade_approval="QĐ 5/QĐ-UBND 05/01/2027")
    assert approve(candidate, officer).stage == "approved"


# --- Political and moral standard (TTLT 50/2016) -----------------------------------------------------------


@pytest.mark.parametrize("on", [datetime.date(2026, 12, 10), datetime.date(2017, 1, 15)])
def test_the_verification_must_be_on_or_before_the_approval_day(on):
    for checked_on in (on - DAY, on):
        rules.validate_political_standard(checked_on=checked_on, checked_by="Công an xã", result="meets", on=on)
    with pytest.raises(ValidationError) as exc:
        rules.validate_political_standard(checked_on=on + DAY, checked_by="Công an xã", result="meets", on=on)
    assert exc.value.code == "political_later"
    assert "50/2016/TTLT-BQP-BCA" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        rules.validate_political_standard(checked_on=on, checked_by="Công an xã", result="fails", on=on)
    assert exc.value.code == "political_fails"


def test_approval_needs_a_recorded_verification(campaign, tree, officer):
    candidate = examined_candidate(campaign, tree, political_checked_on=None)
    with pytest.raises(ValidationError) as exc:
        approve(candidate, officer)
    assert exc.value.code == "political_missing"
    with pytest.raises(ValidationError):  # recorded whole or not at all
        services.candidate_record_review(user=officer, candidate=candidate, political_checked_on=timezone.localdate())
    services.candidate_record_review(
        user=officer,
        candidate=candidate,
        political_checked_on=timezone.localdate(),
        political_checked_by="Trưởng Công an xã Vĩnh Quang",
        political_result="meets",
    )
    assert approve(candidate, officer).stage == "approved"


# --- Registration (Luật NVQS 2015 Điều 12–14) ---------------------------------------------------------------


@pytest.mark.parametrize("year", [2026, 2019])
def test_men_register_from_the_year_they_turn_17(year):
    on = datetime.date(year, 4, 1)
    rules.validate_registration(sex="M", birth_date=datetime.date(year - 17, 12, 31), on=on)
    with pytest.raises(ValidationError) as exc:
        rules.validate_registration(sex="M", birth_date=datetime.date(year - 16, 1, 1), on=on)
    assert "Điều 12" in exc.value.messages[0]


def test_women_register_at_18_with_a_matching_profession():
    on = datetime.date(2026, 4, 1)
    turns_18 = years_before(on, 18)
    for birth_date in (turns_18 - DAY, turns_18):
        rules.validate_registration(sex="F", birth_date=birth_date, on=on, matching_profession="Điều dưỡng")
    with pytest.raises(ValidationError) as exc:
        rules.validate_registration(sex="F", birth_date=turns_18 + DAY, on=on, matching_profession="Điều dưỡng")
    assert exc.value.code == "registration_age"
    with pytest.raises(ValidationError) as exc:
        rules.validate_registration(sex="F", birth_date=turns_18, on=on)
    assert exc.value.code == "registration_profession"


def test_a_woman_is_registered_with_her_profession(campaign, tree, officer):
    woman = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2003, 5, 1), sex="F")
    with pytest.raises(ValidationError):
        services.candidate_register(user=officer, campaign=campaign, person=woman)
    candidate = services.candidate_register(
        user=officer, campaign=campaign, person=woman, matching_profession="Y sĩ đa khoa"
    )
    assert candidate.matching_profession == "Y sĩ đa khoa"


def test_a_ground_of_article_13_keeps_a_person_out_of_registration(campaign, tree, officer, client):
    from recruitment import selectors

    person = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(campaign.preparation_year - 17, 3, 1))
    assert person in list(selectors.first_registrations(campaign=campaign, user=officer)[0])
    with pytest.raises(ValidationError):  # a deferment ground is not a ground of art. 13–14
        services.registration_exclusion_record(
            user=officer, campaign=campaign, person=person, ground=deferral_ground("41.1a")
        )
    services.registration_exclusion_record(
        user=officer, campaign=campaign, person=person, ground=deferral_ground("13.1b"), note="Trường giáo dưỡng"
    )
    assert person not in list(selectors.first_registrations(campaign=campaign, user=officer)[0])
    with pytest.raises(ValidationError) as exc:
        services.candidate_register(user=officer, campaign=campaign, person=person)
    assert "Điều 13 khoản 1 điểm b" in exc.value.messages[0]
    assert not Candidate.objects.filter(person=person).exists()


# --- Public posting (Luật NVQS 2015 Điều 41 khoản 4) ---------------------------------------------------------


@pytest.mark.parametrize("posted_on", [datetime.date(2026, 12, 1), datetime.date(2018, 12, 1)])
def test_a_list_stays_posted_20_days_and_a_decision_before_the_end_warns(posted_on):
    ends_on = rules.posting_ends_on(posted_on=posted_on)
    assert ends_on == posted_on + datetime.timedelta(days=19)
    postings = {"deferment": posted_on}
    for on in (ends_on - DAY, ends_on):
        warnings = rules.posting_warnings(postings=postings, kinds=["deferment"], on=on, commune_name="Lý Bôn")
        assert len(warnings) == 1 and ends_on.strftime("%d/%m/%Y") in warnings[0]
    assert rules.posting_warnings(postings=postings, kinds=["deferment"], on=ends_on + DAY, commune_name="Lý Bôn") == []
    missing = rules.posting_warnings(postings={}, kinds=["exemption"], on=ends_on, commune_name="Lý Bôn")
    assert "not recorded as posted" in missing[0] and "Điều 41 khoản 4" in missing[0]


def test_approval_during_the_posting_goes_through_with_a_warning(campaign, tree, officer):
    today = timezone.localdate()
    for kind in ("deferment", "exemption"):
        services.list_posting_record(
            user=officer, campaign=campaign, commune=tree["vinh_quang"], kind=kind, posted_on=today - DAY
        )
    candidate = approve(examined_candidate(campaign, tree), officer)
    assert candidate.stage == "approved"
    assert len(candidate.warnings) == 2 and "posted until" in candidate.warnings[0]
    assert "posted until" in StageChange.objects.filter(candidate=candidate).latest("pk").note
    # Posted 20 days ago: ended yesterday, no warning.
    ListPosting.objects.update(posted_on=today - datetime.timedelta(days=20))
    other = approve(examined_candidate(campaign, tree), officer)
    assert other.warnings == []


def test_the_postings_page_records_and_lists(client, campaign, tree, officer, viewer, outsider):
    client.force_login(officer)
    url = f"/recruitment/campaigns/{campaign.pk}/postings/"
    response = client.post(
        url, {"commune": tree["vinh_quang"].pk, "kind": "call_up", "posted_on": "01/12/2026", "place": "Nhà văn hóa"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="postings"' in page and "01/12/2026" in page and "20/12/2026" in page
    # Another commune's officer cannot record for Vĩnh Quang.
    client.force_login(outsider)
    response = client.post(url, {"commune": tree["vinh_quang"].pk, "kind": "deferment", "posted_on": "01/12/2026"})
    assert response.status_code == 400
    assert ListPosting.objects.count() == 1
    client.force_login(viewer)
    assert client.post(url, {"commune": tree["vinh_quang"].pk, "kind": "deferment"}).status_code == 403


# --- Deciding authority (Law 98/2025/QH15) -------------------------------------------------------------------


def test_the_deciding_authority_moves_to_the_commune_on_1_july_2025():
    assert "cấp huyện" in rules.deciding_authority(LAW_98 - DAY).value["body"]
    for on in (LAW_98, LAW_98 + DAY):
        authority = rules.deciding_authority(on)
        assert "cấp xã" in authority.value["body"] and "98/2025/QH15" in authority.citation
        assert not authority.confirmed  # the amended article numbers are not confirmed: data an admin corrects


def test_an_approval_names_the_authority_of_its_handover_day(tree, officer):
    for handover, body in ((datetime.date(2025, 2, 25), "cấp huyện"), (datetime.date(2026, 2, 25), "cấp xã")):
        campaign = CampaignFactory(district=tree["district"], year=handover.year - 1, handover_date=handover)
        QuotaFactory(campaign=campaign, commune=tree["vinh_quang"], count=5)
        candidate = approve(examined_candidate(campaign, tree, birth_date=datetime.date(2004, 1, 1)), officer)
        assert body in StageChange.objects.filter(candidate=candidate).latest("pk").note


# --- The page's records ------------------------------------------------------------------------------------------


def test_the_review_form_records_findings_and_verification(client, campaign, tree, officer, viewer):
    candidate = examined_candidate(campaign, tree, health_class=3, political_checked_on=None)
    url = f"/recruitment/candidates/{candidate.pk}/review/"
    client.force_login(viewer)
    assert client.post(url, {}).status_code == 403
    client.force_login(officer)
    data = {
        "review-myopia_dioptres": "1,75",
        "review-hyperopia": "",
        "review-political_checked_on": timezone.localdate().strftime("%d/%m/%Y"),
        "review-political_checked_by": "Công an xã",
        "review-political_result": "meets",
    }
    assert client.post(url, data).status_code == 302
    candidate.refresh_from_db()
    assert candidate.myopia_dioptres == decimal.Decimal("1.75") and candidate.political_result == "meets"
    page = client.get(f"/recruitment/candidates/{candidate.pk}/").content.decode()
    assert "Điều 4 khoản 3 điểm c" in page and "1,75" in page
    partial = {"review-political_checked_on": "01/12/2026"}
    response = client.post(url, partial)
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.myopia_dioptres == decimal.Decimal("1.75")  # nothing changed


def test_the_registration_page_takes_a_womans_profession(client, officer, campaign, tree):
    woman = PersonFactory(home_unit=tree["vq_hamlet"], birth_date=datetime.date(2003, 5, 1), sex="F")
    client.force_login(officer)
    url = f"/recruitment/campaigns/{campaign.pk}/register/"
    response = client.post(url, {"person_national_id": woman.national_id})
    assert response.status_code == 200 and "Điều 12" in response.content.decode()
    assert not Candidate.objects.filter(person=woman).exists()
    response = client.post(url, {"person_national_id": woman.national_id, "matching_profession": "Dược sĩ"})
    assert response.status_code == 302
    assert Candidate.objects.get(person=woman).matching_profession == "Dược sĩ"
