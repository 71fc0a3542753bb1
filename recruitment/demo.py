"""Demo recruitment for the seeded district: the 2027 call-up in preparation (quotas and candidates at every
stage) and the closed call-ups handed over in February 2026 and 2025.

A campaign is named by its hand-over year; its stage changes are dated along the yearly cycle (registration
in April of the year before, pre-screening, examinations in November, approval, hand-over), so a report of a
past year counts the candidates as they stood then."""

import datetime
import random

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from people.models import Person
from people.rules import age_on
from units.models import DisadvantagedPeriod

from . import rules
from .models import Campaign, CampaignStatus, Candidate, DeferralGround, Quota, Stage, StageChange

# Especially disadvantaged communes (khu vực III) of the ethnic-minority and mountain areas, 2021–2025.
DISADVANTAGED_DECISION = "Quyết định 861/QĐ-TTg ngày 04/6/2021 của Thủ tướng Chính phủ"
DISADVANTAGED_FROM = datetime.date(2021, 6, 4)
# One demo commune leaves the list after 2025: the 2025 and 2026 hand-overs count it, the 2027 one does not.
DISADVANTAGED_LEFT_ON = datetime.date(2025, 12, 31)

YEAR = 2027  # the call-up being prepared: registered in April 2026, handed over on 20/02/2027
HANDOVER = datetime.date(2027, 2, 20)
PER_COMMUNE = 70
QUOTA_PER_POPULATION = 120 / 65000  # about 120 recruits for Bảo Lâm's 65,000 people


@transaction.atomic
def seed_disadvantaged(*, communes):
    """Every third commune on the list of especially disadvantaged communes since 04/06/2021, the second one
    until 31/12/2025 only. Idempotent: communes already with a period are left as they are."""
    listed = set(DisadvantagedPeriod.objects.filter(unit__in=communes).values_list("unit_id", flat=True))
    periods = []
    for index, commune in enumerate(communes):
        if commune.pk in listed or not (index % 3 == 0 or index == 1):
            continue
        end = DISADVANTAGED_LEFT_ON if index == 1 else None
        period = DisadvantagedPeriod(
            unit=commune, start=DISADVANTAGED_FROM, end=end, legal_ground=DISADVANTAGED_DECISION
        )
        period.full_clean()
        periods.append(period)
    bulk_create_with_history(periods, DisadvantagedPeriod)
    return len(periods)


@transaction.atomic
def seed_campaigns(*, district, communes, seed=20261120):
    """Create the 2027 campaign once; a second call changes nothing. Returns the number of candidates created."""
    if Campaign.objects.filter(district=district, year=YEAR).exists():
        return 0
    rng = random.Random(seed)
    quotas = {c.pk: max(3, round((c.population or 3000) * QUOTA_PER_POPULATION)) for c in communes}
    campaign = Campaign(
        year=YEAR,
        district=district,
        handover_date=HANDOVER,
        district_quota=sum(quotas.values()),
        status=CampaignStatus.OPEN,
    )
    campaign.full_clean()
    campaign.save()
    bulk_create_with_history([Quota(campaign=campaign, commune=c, count=quotas[c.pk]) for c in communes], Quota)
    deferments = list(DeferralGround.objects.filter(kind="deferment"))
    exemptions = list(DeferralGround.objects.filter(kind="exemption"))
    candidates, paths = [], []
    for commune in communes:
        men = [
            p
            for p in Person.objects.filter(home_unit__path__startswith=commune.path, sex="M")
            .exclude(candidacies__stage=Stage.HANDED_OVER)
            .order_by("national_id", "pk")
            if rules.CALL_UP_MIN_AGE <= age_on(p.birth_date, HANDOVER) <= rules.CALL_UP_MAX_AGE
        ]
        rng.shuffle(men)
        approved = 0
        for person in men[:PER_COMMUNE]:
            candidate = Candidate(
                person=person,
                campaign=campaign,
                commune=commune,
                education=person.general_education,
                stage=Stage.REGISTERED,
            )
            path = _walk(rng, candidate, deferments, exemptions)
            if candidate.stage == Stage.APPROVED:
                if approved >= quotas[commune.pk] or (candidate.education or 0) < rules.MIN_EDUCATION_GRADE:
                    candidate.stage = Stage.RESERVE_LIST
                    path[-1] = Stage.RESERVE_LIST
                else:
                    approved += 1
            candidates.append(candidate)
            paths.append(path)
    bulk_create_with_history(candidates, Candidate, batch_size=500)
    changes = []
    for candidate, path in zip(candidates, paths, strict=True):
        previous = ""
        for stage in path:
            changes.append(StageChange(candidate=candidate, from_stage=previous, to_stage=stage, note="Dữ liệu mẫu"))
            previous = stage
    bulk_create_with_history(changes, StageChange, batch_size=1000)
    _date_stage_changes(campaign)
    return len(candidates)


def stage_dates(year, handover):
    """When the demo's stage changes of the call-up handed over in `year` happened (the yearly cycle of
    Luật NVQS 2015: registration in April of the year before, examinations 1 Nov – 31 Dec)."""
    before = year - 1
    return {
        Stage.REGISTERED: datetime.date(before, 4, 15),
        Stage.DEFERRED: datetime.date(before, 6, 20),
        Stage.EXEMPT: datetime.date(before, 6, 20),
        Stage.PRESCREENED: datetime.date(before, 9, 25),
        Stage.EXAMINED: datetime.date(before, 11, 20),
        Stage.NOT_SELECTED: datetime.date(before, 11, 20),
        Stage.RESERVE_LIST: datetime.date(before, 11, 28),
        Stage.APPROVED: datetime.date(before, 11, 28),
        Stage.HANDED_OVER: handover,
    }


def _date_stage_changes(campaign):
    """Move the campaign's stage changes (stamped at the time of seeding) to the dates of its cycle."""
    for stage, day in stage_dates(campaign.year, campaign.handover_date).items():
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        StageChange.objects.filter(candidate__campaign=campaign, to_stage=stage).update(at=at)


def _walk(rng, candidate, deferments, exemptions):
    """A lawful path through the pipeline for one demo candidate; sets the fields each stage needs."""
    roll = rng.random()
    path = [Stage.REGISTERED]
    if roll < 0.10:
        ground = rng.choice(deferments)
        candidate.stage, candidate.ground = Stage.DEFERRED, ground
        candidate.ground_ends_on = datetime.date(YEAR - 1 + rng.randint(1, 3), 6, 30)
        if ground.code == rules.STUDY_GROUND_CODE:
            candidate.study_level = "university"
        return path + [Stage.DEFERRED]
    if roll < 0.13:
        candidate.stage, candidate.ground = Stage.EXEMPT, rng.choice(exemptions)
        return path + [Stage.EXEMPT]
    if roll < 0.30:
        return path
    path.append(Stage.PRESCREENED)
    if roll < 0.40:
        candidate.stage = Stage.PRESCREENED
        return path
    path.append(Stage.EXAMINED)
    candidate.health_class = rng.choices(range(1, 7), weights=[15, 35, 30, 12, 5, 3])[0]
    if candidate.health_class > 3:
        candidate.stage, candidate.reason = Stage.NOT_SELECTED, f"Sức khỏe loại {candidate.health_class}"
        return path + [Stage.NOT_SELECTED]
    _verified(candidate, HANDOVER)
    if roll < 0.65:
        candidate.stage = Stage.EXAMINED
        return path
    candidate.stage = Stage.APPROVED
    return path + [Stage.APPROVED]


def _verified(candidate, handover):
    """The political standard verified (Thông tư liên tịch 50/2016) three months before the hand-over."""
    candidate.political_checked_on = handover - datetime.timedelta(days=90)
    candidate.political_checked_by = "Công an xã"
    candidate.political_result = "meets"


PREVIOUS_YEAR = YEAR - 1  # the call-up handed over on 25/02/2026
PREVIOUS_HANDOVER = datetime.date(PREVIOUS_YEAR, 2, 25)
EARLIER_YEAR = YEAR - 2  # the call-up handed over on 25/02/2025: last year's figures of the 2026 report
HANDED_OVER_PATH = [Stage.REGISTERED, Stage.PRESCREENED, Stage.EXAMINED, Stage.APPROVED, Stage.HANDED_OVER]


@transaction.atomic
def seed_previous_campaign(*, district, communes, seed=20251120):
    """The closed 2026 campaign: the quota handed over in February 2026, nearly in full (the year's figures of
    the 2026 report).

    Run before `seed_campaigns`, whose pool leaves out the men already handed over. Idempotent."""
    return seed_closed_campaign(district=district, communes=communes, year=PREVIOUS_YEAR, seed=seed)


def seed_earlier_campaign(*, district, communes, seed=20241120):
    """The closed 2025 campaign, handed over in February 2025 (last year's figures of the 2026 report).
    Run before `seed_campaigns`. Idempotent."""
    return seed_closed_campaign(district=district, communes=communes, year=EARLIER_YEAR, seed=seed)


def seed_closed_campaigns(*, district, communes, years, seed=20221120):
    """Closed campaigns of earlier years (oldest first) for the province-shaped demo. Idempotent."""
    return sum(
        seed_closed_campaign(district=district, communes=communes, year=year, seed=seed + district.pk * 10 + year)
        for year in sorted(years)
    )


# The rest of a closed call-up's pool, per handed-over recruit: where the others of the year ended
# (deferred, exempt, not fit, on the reserve list, pre-screened only and carried into the next year).
OTHER_OUTCOMES = (
    (Stage.DEFERRED, 0.45),
    (Stage.EXEMPT, 0.10),
    (Stage.NOT_SELECTED, 0.35),
    (Stage.RESERVE_LIST, 0.20),
    (Stage.PRESCREENED, 0.10),
)
OTHER_PATHS = {
    Stage.DEFERRED: [Stage.REGISTERED, Stage.DEFERRED],
    Stage.EXEMPT: [Stage.REGISTERED, Stage.EXEMPT],
    Stage.NOT_SELECTED: [Stage.REGISTERED, Stage.PRESCREENED, Stage.EXAMINED, Stage.NOT_SELECTED],
    Stage.RESERVE_LIST: [Stage.REGISTERED, Stage.PRESCREENED, Stage.EXAMINED, Stage.RESERVE_LIST],
    Stage.PRESCREENED: [Stage.REGISTERED, Stage.PRESCREENED],
}


def _other_candidate(rng, *, campaign, person, commune, stage, deferments, exemptions):
    """A candidate of a closed call-up who was not handed over, with what the stage records."""
    candidate = Candidate(
        person=person, campaign=campaign, commune=commune, education=person.general_education, stage=stage
    )
    if stage == Stage.DEFERRED:
        candidate.ground = rng.choice(deferments)
        candidate.ground_ends_on = datetime.date(campaign.year + rng.randint(0, 2), 6, 30)
        if candidate.ground.code == rules.STUDY_GROUND_CODE:
            candidate.study_level = rng.choice(["general", "college", "university"])
    elif stage == Stage.EXEMPT:
        candidate.ground = rng.choice(exemptions)
    elif stage == Stage.NOT_SELECTED:
        candidate.health_class = rng.choice([4, 4, 5, 6])
        candidate.reason = f"Sức khỏe loại {candidate.health_class}"
    elif stage == Stage.RESERVE_LIST:
        candidate.health_class = rng.choice([2, 3, 3])
        _verified(candidate, campaign.handover_date)
    return candidate


@transaction.atomic
def seed_closed_campaign(*, district, communes, year, seed):
    """The closed call-up of `year`, its whole pipeline: the quota handed over on 25 February of that year,
    nearly in full, and the rest of the year's pool registered in April of the year before and ended along
    the way (deferred, exempt, not fit at the examination, on the reserve list, pre-screened only), each
    stage change on its day of the cycle, so that a past year's figures compare with this year's.

    Men already candidates of another campaign are not called. Idempotent."""
    if Campaign.objects.filter(district=district, year=year).exists():
        return 0
    handover = datetime.date(year, 2, 25)
    rng = random.Random(seed)
    quotas = {c.pk: max(3, round((c.population or 3000) * QUOTA_PER_POPULATION)) for c in communes}
    campaign = Campaign(
        year=year,
        district=district,
        handover_date=handover,
        district_quota=sum(quotas.values()),
        status=CampaignStatus.CLOSED,
    )
    campaign.full_clean()
    campaign.save()
    bulk_create_with_history([Quota(campaign=campaign, commune=c, count=quotas[c.pk]) for c in communes], Quota)
    deferments = list(DeferralGround.objects.filter(kind="deferment"))
    exemptions = list(DeferralGround.objects.filter(kind="exemption"))
    candidates, paths = [], []
    for commune in communes:
        men = [
            p
            for p in Person.objects.filter(home_unit__path__startswith=commune.path, sex="M")
            .exclude(candidacies__isnull=False)
            .order_by("national_id", "pk")
            if rules.CALL_UP_MIN_AGE <= age_on(p.birth_date, handover) <= rules.CALL_UP_MAX_AGE
        ]
        rng.shuffle(men)
        schooled = [p for p in men if (p.general_education or 0) >= rules.MIN_EDUCATION_GRADE]
        # Most communes fill their quota; a few fall one short, as happens.
        handed = quotas[commune.pk] - (1 if rng.random() < 0.25 else 0)
        recruits = schooled[:handed]
        for person in recruits:
            candidates.append(
                Candidate(
                    person=person,
                    campaign=campaign,
                    commune=commune,
                    education=person.general_education,
                    health_class=rng.choices([1, 2, 3], weights=[20, 50, 30])[0],
                    stage=Stage.HANDED_OVER,
                    handover_date=handover,
                    receiving_unit="Trung đoàn 852",
                    political_checked_on=handover - datetime.timedelta(days=90),
                    political_checked_by="Công an xã",
                    political_result="meets",
                )
            )
            paths.append(HANDED_OVER_PATH)
        taken = {p.pk for p in recruits}
        others = [p for p in men if p.pk not in taken]
        for stage, per_recruit in OTHER_OUTCOMES:
            for _ in range(round(per_recruit * len(recruits))):
                if not others:
                    break
                person = others.pop()
                candidates.append(
                    _other_candidate(
                        rng,
                        campaign=campaign,
                        person=person,
                        commune=commune,
                        stage=stage,
                        deferments=deferments,
                        exemptions=exemptions,
                    )
                )
                paths.append(OTHER_PATHS[stage])
    bulk_create_with_history(candidates, Candidate, batch_size=500)
    changes = [
        StageChange(candidate=candidate, from_stage=previous, to_stage=stage, note="Dữ liệu mẫu")
        for candidate, path in zip(candidates, paths, strict=True)
        for previous, stage in zip([""] + path[:-1], path, strict=True)
    ]
    bulk_create_with_history(changes, StageChange, batch_size=1000)
    _date_stage_changes(campaign)
    return len(candidates)
