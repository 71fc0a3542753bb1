"""Writes on recruitment: campaigns, quotas, registration, stage changes and the year carry-over.

Every write checks the user's role and units, refuses a closed campaign, validates with the law's
rules (rules.py) and the model's full_clean(), and runs inside a transaction. Every change of stage
is recorded as a StageChange with who, when and why.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Person
from people.services import person_create
from units.freshness import changed
from units.models import Unit
from units.roles import Role
from units.scoping import get_scope
from units.selectors import is_disadvantaged

from . import rules
from .models import (
    Campaign,
    CampaignStatus,
    Candidate,
    DeferralGround,
    ListKind,
    ListPosting,
    Quota,
    RegistrationExclusion,
    Stage,
    StageChange,
)

APPROVED_STAGES = (Stage.APPROVED, Stage.HANDED_OVER)
CARRY_STAGES = (Stage.REGISTERED, Stage.PRESCREENED)


class BulkStageChangeError(ValidationError):
    """A bulk change refused as a whole; `errors` lists each refused candidate with its messages."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__(
            _("No candidate was changed: %(count)s of the selection cannot make this change.") % {"count": len(errors)}
        )


# --- Checks shared by every write ---------------------------------------------------------------


def _check_perm(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied(_("Your role may not change recruitment records."))


def _check_unit(user, unit):
    if unit is None or not get_scope(user).can_write_path(unit.path):
        raise PermissionDenied(
            _("You may not keep the recruitment records of %(unit)s.") % {"unit": getattr(unit, "name", "?")}
        )


def _check_not_closed(campaign):
    if campaign.status == CampaignStatus.CLOSED:
        raise ValidationError(
            _("The %(year)s campaign is closed and can no longer be changed.") % {"year": campaign.year},
            code="closed",
        )


def is_district_officer(user, campaign) -> bool:
    """A district staff officer of the campaign's district (or a superuser): may confirm approvals over quota."""
    scope = get_scope(user)
    if scope.is_all:
        return True
    return any(
        a.role == Role.DISTRICT_OFFICER and campaign.district.path.startswith(a.unit.path) for a in scope.assignments
    )


def check_campaign_manager(user, campaign):
    _check_perm(user, "recruitment.change_campaign")
    _check_unit(user, campaign.district)


# --- Campaigns and quotas -----------------------------------------------------------------------


@transaction.atomic
def campaign_create(*, user, district, year, handover_date, district_quota) -> Campaign:
    """Open the planning of a year's call-up for a district."""
    _check_perm(user, "recruitment.add_campaign")
    _check_unit(user, district)
    if district.kind.is_commune_level:
        raise ValidationError({"district": _("A campaign belongs to a district, not a commune.")})
    campaign = Campaign(year=year, district=district, handover_date=handover_date, district_quota=district_quota)
    campaign.full_clean()
    campaign.save()
    changed(units=[district])
    return campaign


@transaction.atomic
def quota_set(*, user, campaign, commune, count) -> Quota:
    """Set a commune's share of the district quota; only while the campaign is being planned."""
    _check_perm(user, "recruitment.change_quota")
    check_campaign_manager(user, campaign)
    _check_not_closed(campaign)
    if campaign.status != CampaignStatus.PLANNING:
        raise ValidationError(_("Quotas are split while the campaign is being planned."), code="not_planning")
    if not commune.path.startswith(campaign.district.path) or not commune.kind.is_commune_level:
        raise ValidationError(
            _("%(unit)s is not a commune of %(district)s.") % {"unit": commune.name, "district": campaign.district.name}
        )
    quota = Quota.objects.filter(campaign=campaign, commune=commune).first() or Quota(
        campaign=campaign, commune=commune
    )
    quota.count = count
    quota.full_clean()
    quota.save()
    changed(units=[commune])
    return quota


@transaction.atomic
def quotas_set(*, user, campaign: Campaign, counts: Iterable[tuple[Unit, int]]) -> list[Quota]:
    """Set the communes' shares of the district quota together: `counts` pairs each commune with its count. All
    or nothing: one refused commune leaves every quota as it was."""
    return [quota_set(user=user, campaign=campaign, commune=commune, count=count) for commune, count in counts]


def quota_difference(campaign) -> int:
    """The communes' quotas minus the district quota (0 when the split is complete)."""
    total = Quota.objects.filter(campaign=campaign).aggregate(total=Sum("count"))["total"] or 0
    return total - campaign.district_quota


@transaction.atomic
def campaign_open(*, user, campaign) -> Campaign:
    """Open the campaign for approvals once the communes' quotas add up to the district quota."""
    check_campaign_manager(user, campaign)
    _check_not_closed(campaign)
    if campaign.status != CampaignStatus.PLANNING:
        raise ValidationError(_("The campaign is already open."), code="already_open")
    total = Quota.objects.filter(campaign=campaign).aggregate(total=Sum("count"))["total"] or 0
    rules.validate_quota_sum(district_quota=campaign.district_quota, commune_total=total)
    campaign.status = CampaignStatus.OPEN
    campaign.full_clean()
    campaign.save()
    changed(units=[campaign.district])  # its communes show the campaign's state
    return campaign


@transaction.atomic
def campaign_close(*, user, campaign, carry_to=None):
    """Close the campaign (it becomes read-only). With `carry_to`, carry the pool into that campaign first;
    returns the carry-over plan that was committed (or None)."""
    check_campaign_manager(user, campaign)
    _check_not_closed(campaign)
    plan = None
    if carry_to is not None:
        plan = campaign_carry_over(from_campaign=campaign, to_campaign=carry_to, user=user)
    campaign.status = CampaignStatus.CLOSED
    campaign.full_clean()
    campaign.save()
    changed(units=[campaign.district])  # its communes show the campaign's state
    return plan


# --- Registration -------------------------------------------------------------------------------


def _flag_duplicates(candidate):
    """Same folded name and birth date in another commune of the campaign: flag both for the district."""
    person = candidate.person
    others = list(
        Candidate.objects.filter(
            campaign_id=candidate.campaign_id,
            person__search_key=person.search_key,
            person__birth_date=person.birth_date,
        )
        .exclude(pk=candidate.pk)
        .exclude(commune_id=candidate.commune_id)
    )
    if not others:
        return False
    for other in others + [candidate]:
        if not other.flagged_duplicate:
            other.flagged_duplicate = True
            other.save(update_fields=["flagged_duplicate"])
    changed(units=[other.commune_id for other in others])
    return True


def _record_stage(candidate, from_stage, to_stage, user, note):
    change = StageChange(
        candidate=candidate,
        from_stage=from_stage,
        to_stage=to_stage,
        by=user if getattr(user, "pk", None) else None,
        note=note or "",
    )
    change.full_clean()
    change.save()
    changed(units=[candidate.commune])
    return change


def _create_candidate(*, user, campaign, person, commune, education, notes, note, matching_profession=""):
    candidate = Candidate(
        person=person,
        campaign=campaign,
        commune=commune,
        stage=Stage.REGISTERED,
        education=education,
        notes=notes or "",
        matching_profession=matching_profession or "",
    )
    candidate.full_clean()
    candidate.save()
    _record_stage(candidate, "", Stage.REGISTERED, user, note)
    _flag_duplicates(candidate)
    return candidate


@transaction.atomic
def candidate_register(*, user, campaign, person, commune=None, notes="", note="", matching_profession="") -> Candidate:
    """Register a person in the year's call-up (đăng ký NVQS) at their commune: men from the year they turn 17,
    women of 18 or more with a profession the army needs (Điều 12), never a person with a ground of Điều 13–14
    recorded for the campaign."""
    _check_perm(user, "recruitment.add_candidate")
    _check_not_closed(campaign)
    rules.validate_registration(
        sex=person.sex,
        birth_date=person.birth_date,
        on=timezone.localdate(),
        matching_profession=matching_profession,
    )
    exclusion = RegistrationExclusion.objects.filter(campaign=campaign, person=person).select_related("ground")
    exclusion = exclusion.first()
    if exclusion is not None:
        raise ValidationError(
            _("%(law)s: %(name)s is recorded as not to be registered (%(ground)s).")
            % {"law": exclusion.ground.law_ref, "name": person.full_name, "ground": exclusion.ground.label_vi},
            code="registration_excluded",
        )
    commune = commune or person.commune
    _check_unit(user, commune)
    if not commune.path.startswith(campaign.district.path):
        raise ValidationError(
            {"commune": _("%(unit)s is not in %(district)s.") % {"unit": commune.name, "district": campaign.district}}
        )
    return _create_candidate(
        user=user,
        campaign=campaign,
        person=person,
        commune=commune,
        education=person.general_education,
        notes=notes,
        note=note or _("Registered."),
        matching_profession=matching_profession,
    )


@transaction.atomic
def candidate_register_person(
    *,
    user,
    campaign: Campaign,
    person: Person | None = None,
    new_person: Mapping[str, Any] | None = None,
    commune: Unit | None = None,
    notes: str = "",
    matching_profession: str = "",
) -> Candidate:
    """Register one person in the campaign: `person`, already in the registry, or a person created from the fields
    of `new_person` (people.services.person_create) in the same transaction, so a refused registration leaves no
    new person behind."""
    if (person is None) == (new_person is None):
        raise TypeError("give either person or new_person")
    if person is None:
        person = person_create(user=user, **new_person)
    return candidate_register(
        user=user,
        campaign=campaign,
        person=person,
        commune=commune,
        notes=notes or "",
        matching_profession=matching_profession or "",
    )


@transaction.atomic
def candidate_register_seventeen(*, user, campaign) -> list[Candidate]:
    """Register in one step the year's first registration of the user's units (selectors.first_registrations:
    men who turn 17 in the preparation year, women who turn 18 in it with a profession the army needs, Luật
    NVQS 2015 Điều 12, 16) not yet candidates of this campaign; a woman's matched profession is recorded."""
    from .selectors import first_registrations

    _check_perm(user, "recruitment.add_candidate")
    _check_not_closed(campaign)
    people, professions = first_registrations(campaign=campaign, user=user, on=timezone.localdate())
    created = []
    for person in people:
        commune = person.commune
        _check_unit(user, commune)
        profession = professions.get(person.pk, "")
        created.append(
            _create_candidate(
                user=user,
                campaign=campaign,
                person=person,
                commune=commune,
                education=person.general_education,
                notes="",
                note=_("First registration at 18: %(profession)s.") % {"profession": profession}
                if profession
                else _("First registration at 17."),
                matching_profession=profession,
            )
        )
    return created


# --- Stage changes ------------------------------------------------------------------------------


def _higher_study_deferments():
    """Deferments that raise the call-up age (rules.raises_age_limit), as a filter."""
    return Q(ground__code=rules.STUDY_GROUND_CODE, study_level__in=rules.HIGHER_STUDY_LEVELS)


def _deferred_for_study(candidate) -> bool:
    return Candidate.objects.filter(_higher_study_deferments(), person_id=candidate.person_id).exists()


@transaction.atomic
def candidate_change_stage(
    *,
    candidate,
    to_stage,
    user,
    note="",
    health_class=None,
    ground=None,
    ground_ends_on=None,
    reason=None,
    confirm_over_quota=False,
    receiving_unit=None,
    loaded_stage=None,
    study_level="",
) -> Candidate:
    """Move a candidate to another stage under the law's rules, recording who, when and why.

    An approval beyond the commune's quota puts the candidate on the reserve list instead, unless a
    district officer confirms with `confirm_over_quota=True`. `loaded_stage` is the stage the user saw
    (the stage form's): the change is refused when the candidate moved on since, checked under the row's
    lock, so of two changes sent at the same moment only the first is recorded. Warnings that do not stop
    the change (a list still posted) are in `candidate.warnings` and in the stage change's note.
    """
    _check_perm(user, "recruitment.change_candidate")
    _check_unit(user, candidate.commune)
    current = Candidate.objects.select_for_update().values_list("stage", flat=True).get(pk=candidate.pk)
    if loaded_stage is not None and current != loaded_stage:
        raise ValidationError(
            _("Someone else moved this candidate to “%(stage)s” after you opened the page; nothing was changed.")
            % {"stage": Stage(current).label},
            code="stale",
        )
    candidate.stage = current
    campaign = candidate.campaign
    _check_not_closed(campaign)
    if confirm_over_quota and not is_district_officer(user, campaign):
        raise PermissionDenied(_("Only a district officer may confirm an approval beyond the quota."))
    from_stage = candidate.stage
    rules.validate_transition(from_stage, to_stage)
    if health_class not in (None, ""):
        rules.validate_health_class_value(health_class)
        candidate.health_class = int(health_class)
    if to_stage == Stage.EXAMINED and health_class in (None, ""):
        rules.validate_health_class_value(None)
    if to_stage in (Stage.DEFERRED, Stage.EXEMPT, Stage.NOT_SELECTED):
        rules.validate_ground(
            stage=to_stage,
            ground=ground,
            ground_ends_on=ground_ends_on,
            reason=reason or "",
            study_level=study_level or "",
        )
        if to_stage == Stage.NOT_SELECTED:
            candidate.reason = reason.strip()
        else:
            candidate.ground = ground
            candidate.ground_ends_on = ground_ends_on if to_stage == Stage.DEFERRED else None
            is_study = to_stage == Stage.DEFERRED and ground.code == rules.STUDY_GROUND_CODE
            candidate.study_level = study_level if is_study else ""
    notes = [note] if note else []
    warnings = []
    if to_stage == Stage.APPROVED:
        to_stage = _approve(candidate, campaign, from_stage, confirm_over_quota, notes)
        warnings = _posting_warnings(candidate, (ListKind.DEFERMENT, ListKind.EXEMPTION), timezone.localdate())
    if to_stage == Stage.HANDED_OVER:
        warnings = _posting_warnings(candidate, (ListKind.CALL_UP,), campaign.handover_date)
        candidate.handover_date = campaign.handover_date
        if receiving_unit is not None:
            candidate.receiving_unit = receiving_unit
    candidate.stage = to_stage
    candidate.full_clean()
    candidate.save()
    _record_stage(candidate, from_stage, to_stage, user, " ".join(notes + warnings))
    candidate.warnings = warnings
    return candidate


def _posting_warnings(candidate, kinds, on):
    postings = dict(
        ListPosting.objects.filter(campaign_id=candidate.campaign_id, commune_id=candidate.commune_id).values_list(
            "kind", "posted_on"
        )
    )
    return rules.posting_warnings(postings=postings, kinds=kinds, on=on, commune_name=candidate.commune.name)


def eligibility_errors(candidate, *, quota=None, approved=None) -> list[ValidationError]:
    """Every rule of call-up eligibility the candidate fails (Luật NVQS 2015 Điều 30–31, Thông tư 148/2018 Điều 4),
    each as its own error: age, health and the findings, education (with the commune's especially disadvantaged
    status) on the hand-over day; the political standard
    verified by the day of approval (today). Reads, writes nothing: the candidate page shows the same list."""
    campaign = candidate.campaign
    person = candidate.person
    on = campaign.handover_date  # the law's standards are those in force on the hand-over day
    if quota is None:
        quota = Quota.objects.filter(campaign=campaign, commune_id=candidate.commune_id).first()
    if approved is None:
        approved = Candidate.objects.filter(
            campaign=campaign, commune_id=candidate.commune_id, stage__in=APPROVED_STAGES
        ).exclude(pk=candidate.pk)
    min_grade = int(rules.provision("education_standard", on).value.get("min_grade", rules.MIN_EDUCATION_GRADE))
    checks = [
        lambda: rules.validate_call_up_age(
            birth_date=person.birth_date, on=on, deferred_for_study=_deferred_for_study(candidate)
        ),
        lambda: rules.validate_health(
            health_class=candidate.health_class,
            on=on,
            myopia_dioptres=candidate.myopia_dioptres,
            hyperopia=candidate.hyperopia,
            drug_use=candidate.drug_use,
            hiv=candidate.hiv,
        ),
        lambda: rules.validate_education(
            grade=candidate.education,
            on=on,
            disadvantaged=is_disadvantaged(candidate.commune, on),
            small_ethnic_group=person.ethnicity.small_population,
            quota_count=quota.count if quota else 0,
            approved_below_grade=approved.filter(education__lt=min_grade).count(),
            low_grade_approval=candidate.low_grade_approval,
        ),
        lambda: rules.validate_political_standard(
            checked_on=candidate.political_checked_on,
            checked_by=candidate.political_checked_by,
            result=candidate.political_result,
            on=timezone.localdate(),
        ),
    ]
    errors = []
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            errors.extend(exc.error_list)
    return errors


def _approve(candidate, campaign, from_stage, confirm_over_quota, notes):
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("Approvals wait until the campaign is open (the quotas are split)."), code="planning")
    on = campaign.handover_date
    # Lock the commune's quota row: two officers approving at once must not both take the last place.
    quota = Quota.objects.select_for_update().filter(campaign=campaign, commune_id=candidate.commune_id).first()
    quota_count = quota.count if quota else 0
    approved = Candidate.objects.filter(
        campaign=campaign, commune_id=candidate.commune_id, stage__in=APPROVED_STAGES
    ).exclude(pk=candidate.pk)
    errors = eligibility_errors(candidate, quota=quota, approved=approved)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationError(errors)
    authority = rules.deciding_authority(on)
    notes.append(
        _("Decided by: %(body)s (%(law)s).") % {"body": authority.value.get("body", ""), "law": authority.citation}
    )
    if rules.quota_has_room(approved=approved.count(), quota_count=quota_count) or confirm_over_quota:
        if confirm_over_quota and not rules.quota_has_room(approved=approved.count(), quota_count=quota_count):
            notes.append(_("Approved beyond the quota, confirmed by a district officer."))
        return Stage.APPROVED
    if from_stage == Stage.RESERVE_LIST:
        raise ValidationError(
            _("The commune's quota of %(quota)s is filled; a district officer must confirm an approval beyond it.")
            % {"quota": quota_count},
            code="quota_full",
        )
    notes.append(_("The commune's quota of %(quota)s is filled: placed on the reserve list.") % {"quota": quota_count})
    return Stage.RESERVE_LIST


def _change_stage_each(*, candidates, to_stage, user, note, health_classes, kwargs):
    """Change each candidate's stage, each in its own savepoint; the caller's transaction is rolled back by the
    BulkStageChangeError raised when any candidate is refused."""
    errors, done = [], []
    for candidate in candidates:
        try:
            with transaction.atomic():
                done.append(
                    candidate_change_stage(
                        candidate=candidate,
                        to_stage=to_stage,
                        user=user,
                        note=note,
                        health_class=health_classes.get(candidate.pk, kwargs.get("health_class")),
                        **{k: v for k, v in kwargs.items() if k != "health_class"},
                    )
                )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            errors.append({"candidate": candidate, "messages": messages})
    if errors:
        raise BulkStageChangeError(errors)
    return done


@transaction.atomic
def candidates_change_stage_bulk(*, candidates, to_stage, user, note="", health_classes=None, **kwargs):
    """The same stage change for a selection, all or nothing: if any candidate is refused, none changes
    and BulkStageChangeError lists each refused candidate with the reasons."""
    return _change_stage_each(
        candidates=candidates,
        to_stage=to_stage,
        user=user,
        note=note,
        health_classes=health_classes or {},
        kwargs=kwargs,
    )


@transaction.atomic
def candidates_change_stage_selected(
    *,
    user,
    campaign: Campaign,
    ids: Iterable[int],
    to_stage: str,
    health_classes: Mapping[int, int] | None = None,
    health_class: int | None = None,
    note: str = "",
    ground: DeferralGround | None = None,
    ground_ends_on: datetime.date | None = None,
    study_level: str = "",
    reason: str = "",
    receiving_unit: str | None = None,
    confirm_over_quota: bool = False,
) -> list[Candidate]:
    """The stage change of the candidates ticked in a campaign's list, all or nothing.

    Every id must be a candidate of the campaign in the user's units, or PermissionDenied is raised and nothing
    changes. `health_classes` maps a candidate's id to the class typed on its row; when no row has one,
    `health_class` applies to every candidate. A refused candidate refuses the whole selection
    (BulkStageChangeError, see candidates_change_stage_bulk)."""
    ids = set(ids)
    candidates = list(
        Candidate.objects.editable_by(user)
        .filter(campaign=campaign, pk__in=ids)
        .select_related("person", "commune", "campaign", "campaign__district")
    )
    if len(candidates) != len(ids):
        raise PermissionDenied(_("Some of the candidates are not in your units."))
    health = {c.pk: health_classes[c.pk] for c in candidates if c.pk in (health_classes or {})}
    if not health and health_class:
        health = {c.pk: health_class for c in candidates}
    return _change_stage_each(
        candidates=candidates,
        to_stage=to_stage,
        user=user,
        note=note,
        health_classes=health,
        kwargs={
            "ground": ground,
            "ground_ends_on": ground_ends_on,
            "study_level": study_level,
            "reason": reason,
            "receiving_unit": receiving_unit,
            "confirm_over_quota": confirm_over_quota,
        },
    )


# --- Examination findings, verification, postings, registration grounds ---------------------------


REVIEW_FIELDS = (
    "myopia_dioptres",
    "hyperopia",
    "drug_use",
    "hiv",
    "political_checked_on",
    "political_checked_by",
    "political_result",
    "low_grade_approval",
)


@transaction.atomic
def candidate_record_review(*, user, candidate, **values) -> Candidate:
    """Record the findings of the examination that exclude a call-up (Thông tư 148/2018 Điều 4.3.c), the
    verification of the political standard (Thông tư liên tịch 50/2016) and the approval of grade 7 (Điều 4.4.a).
    Only the fields given change; the stage does not."""
    _check_perm(user, "recruitment.change_candidate")
    _check_unit(user, candidate.commune)
    _check_not_closed(candidate.campaign)
    unknown = set(values) - set(REVIEW_FIELDS)
    if unknown:
        raise TypeError(f"unknown review fields: {sorted(unknown)}")
    for name, value in values.items():
        if name in ("political_checked_by", "political_result", "low_grade_approval"):
            value = (value or "").strip()
        elif name in ("hyperopia", "drug_use", "hiv"):
            value = bool(value)
        setattr(candidate, name, value)
    rules.validate_political_record(
        checked_on=candidate.political_checked_on,
        checked_by=candidate.political_checked_by,
        result=candidate.political_result,
    )
    candidate.full_clean()
    candidate.save()
    changed(units=[candidate.commune])
    return candidate


@transaction.atomic
def list_posting_record(*, user, campaign, commune, kind, posted_on, place="") -> ListPosting:
    """Record the day a commune posted its deferment, exemption or call-up list (Luật NVQS 2015 Điều 41.4)."""
    _check_perm(user, "recruitment.change_candidate")
    _check_unit(user, commune)
    _check_not_closed(campaign)
    if not commune.path.startswith(campaign.district.path) or not commune.kind.is_commune_level:
        raise ValidationError(
            {
                "commune": _("%(unit)s is not a commune of %(district)s.")
                % {"unit": commune.name, "district": campaign.district.name}
            }
        )
    posting = ListPosting.objects.filter(campaign=campaign, commune=commune, kind=kind).first() or ListPosting(
        campaign=campaign, commune=commune, kind=kind
    )
    posting.posted_on, posting.place = posted_on, (place or "").strip()
    posting.full_clean()
    posting.save()
    changed(units=[commune])
    return posting


@transaction.atomic
def registration_exclusion_record(*, user, campaign, person, ground, until=None, note="") -> RegistrationExclusion:
    """Record why a person of registration age is not registered in the campaign (Luật NVQS 2015 Điều 13–14)."""
    _check_perm(user, "recruitment.add_candidate")
    _check_not_closed(campaign)
    commune = person.commune
    _check_unit(user, commune)
    rules.validate_registration_exclusion(ground=ground)
    if Candidate.objects.filter(campaign=campaign, person=person).exists():
        raise ValidationError(
            _("%(name)s is already registered in this campaign.") % {"name": person.full_name}, code="registered"
        )
    exclusion = RegistrationExclusion.objects.filter(campaign=campaign, person=person).first() or (
        RegistrationExclusion(campaign=campaign, person=person)
    )
    before = exclusion.commune_id
    exclusion.commune, exclusion.ground, exclusion.until, exclusion.note = commune, ground, until, note or ""
    exclusion.full_clean()
    exclusion.save()
    changed(units=[before, commune])
    return exclusion


# --- Year carry-over ----------------------------------------------------------------------------


def campaign_carry_over_preview(*, from_campaign, to_campaign, user):
    """Who carries into next year's pool and who does not, with the reason for each.

    Moves: deferred candidates whose ground ends before the next hand-over, and registered or
    pre-screened candidates not yet examined — unless already in the next campaign or past the
    call-up age (Điều 30) on its hand-over date.
    """
    check_campaign_manager(user, from_campaign)
    if to_campaign.district_id != from_campaign.district_id or to_campaign.year <= from_campaign.year:
        raise ValidationError(_("Carry over into a later campaign of the same district."), code="carry_target")
    _check_not_closed(to_campaign)
    already = set(Candidate.objects.filter(campaign=to_campaign).values_list("person_id", flat=True))
    candidates = list(
        Candidate.objects.filter(campaign=from_campaign)
        .select_related("person", "commune", "ground")
        .order_by("commune__name", "person__search_key", "pk")
    )
    students = set(
        Candidate.objects.filter(
            _higher_study_deferments(), person_id__in=[c.person_id for c in candidates]
        ).values_list("person_id", flat=True)
    )
    moves, stays = [], []
    on = to_campaign.handover_date
    for candidate in candidates:
        person = candidate.person
        if person.pk in already:
            reason = _("Already a candidate in %(year)s.") % {"year": to_campaign.year}
            stays.append({"candidate": candidate, "reason": reason})
            continue
        if candidate.stage == Stage.DEFERRED:
            if candidate.ground_ends_on and candidate.ground_ends_on < on:
                ended = candidate.ground_ends_on.strftime("%d/%m/%Y")
                reason = _("Deferment ground ended on %(date)s.") % {"date": ended}
            else:
                ends = candidate.ground_ends_on.strftime("%d/%m/%Y") if candidate.ground_ends_on else "—"
                stays.append({"candidate": candidate, "reason": _("Still deferred until %(date)s.") % {"date": ends}})
                continue
        elif candidate.stage in CARRY_STAGES:
            reason = _("Not yet examined.")
        else:
            stays.append(
                {
                    "candidate": candidate,
                    "reason": _("Stage “%(stage)s” does not carry over.") % {"stage": candidate.get_stage_display()},
                }
            )
            continue
        try:
            rules.validate_call_up_age(birth_date=person.birth_date, on=on, deferred_for_study=person.pk in students)
        except ValidationError as exc:
            if exc.code == "too_old":
                reason = _("Past the call-up age on %(date)s.") % {"date": on.strftime("%d/%m/%Y")}
                stays.append({"candidate": candidate, "reason": reason})
                continue
        moves.append({"candidate": candidate, "reason": reason})
    return {"from": from_campaign, "to": to_campaign, "moves": moves, "stays": stays}


@transaction.atomic
def campaign_carry_over(*, from_campaign, to_campaign, user):
    """Commit the carry-over: register each moving candidate in the next campaign. Returns the plan
    with `created`, the new candidates."""
    plan = campaign_carry_over_preview(from_campaign=from_campaign, to_campaign=to_campaign, user=user)
    _check_perm(user, "recruitment.add_candidate")
    created = []
    for move in plan["moves"]:
        old = move["candidate"]
        created.append(
            _create_candidate(
                user=user,
                campaign=to_campaign,
                person=old.person,
                commune=old.commune,
                education=old.education,
                notes=old.notes,
                note=_("Carried over from %(year)s: %(reason)s")
                % {"year": from_campaign.year, "reason": move["reason"]},
            )
        )
    plan["created"] = created
    return plan
