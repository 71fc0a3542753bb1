"""Rules of the Military Service Law (Luật NVQS 78/2015/QH13) on candidates, one function each.

Every entry point (services, forms, admin) calls these. Each raises ValidationError with a message
that names the rule; the Vietnamese wording lives in the catalog.
"""

import datetime
import decimal
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from people.rules import age_on, birth_date_range_for_age
from units.text import fold

from .grounds import ground_in_words  # noqa: F401 (rules.ground_in_words, as the pages and files cite it)

# Điều 30: call-up age 18 to the end of 25; to the end of 27 for those deferred while trained at college or
# university (ground 41.1g with the level of study recorded as college or university, not general school).
CALL_UP_MIN_AGE = 18
CALL_UP_MAX_AGE = 25
CALL_UP_MAX_AGE_STUDENTS = 27
STUDY_GROUND_CODE = "41.1g"
HIGHER_STUDY_LEVELS = frozenset({"college", "university"})
# Kept for callers that only need the numbers; the rules read the versions in force (LegalProvision).
MIN_EDUCATION_GRADE = 8
DISADVANTAGED_SHARE_PERCENT = 25
FIRST_REGISTRATION_AGE = 17  # Điều 12: men register at 17


def provision(rule: str, on: datetime.date):
    """The version of a rule in force on `on` (recruitment.LegalProvision, data an admin keeps)."""
    from .models import LegalProvision

    found = LegalProvision.objects.in_force(rule, on)
    if found is None:
        raise ValidationError(
            _("No legal provision “%(rule)s” is in force on %(date)s; ask an administrator to record it.")
            % {"rule": rule, "date": on.strftime("%d/%m/%Y")},
            code="no_provision",
        )
    return found


def _day(on: datetime.date) -> str:
    return on.strftime("%d/%m/%Y")


def stage_label(stage):
    from .models import Stage

    return str(Stage(stage).label) if stage in Stage.values else (stage or "—")


# The pipeline of Luật NVQS 2015 Điều 33–36 with the side exits of Điều 41: from stage → stages allowed next,
# the likely next one first (the pipeline's next step), then the side exits, then a return to the pool.
# "" is a candidate not yet registered.
TRANSITIONS = {
    "": ("registered",),
    "registered": ("prescreened", "deferred", "exempt", "not_selected"),
    "prescreened": ("examined", "deferred", "exempt", "not_selected"),
    "examined": ("approved", "reserve_list", "deferred", "exempt", "not_selected"),
    "approved": ("handed_over", "reserve_list", "deferred", "exempt", "not_selected"),
    "reserve_list": ("approved", "deferred", "exempt", "not_selected"),
    "deferred": ("registered",),  # the ground ended: back into the pool
    "not_selected": ("registered",),  # reconsidered, e.g. the reason was a mistake
    "exempt": (),
    "handed_over": (),
}
# Moves that go back to the start of the pipeline: offered, never preselected.
_RETURNS = frozenset({("deferred", "registered"), ("not_selected", "registered")})
# The order of the stages when several starting stages are offered together (the bulk change).
_OFFER_ORDER = (
    "registered",
    "prescreened",
    "examined",
    "approved",
    "handed_over",
    "reserve_list",
    "deferred",
    "exempt",
    "not_selected",
)


def allowed_transitions(from_stage):
    """The stages a candidate at `from_stage` may move to, the likely next one first."""
    return TRANSITIONS.get(from_stage or "", ())


def likely_next_stage(from_stage):
    """The stage to preselect for a candidate at `from_stage`: the pipeline's next step; none when the only
    way on is a return to the pool (a deferred or not-selected candidate), which must be a deliberate choice."""
    allowed = allowed_transitions(from_stage)
    if not allowed or (from_stage or "", allowed[0]) in _RETURNS:
        return None
    return allowed[0]


def transitions_from_any(from_stages):
    """The stages reachable from at least one of `from_stages` (the ticked candidates of a bulk change),
    pipeline steps first, returns to the pool last."""
    reachable = {to for stage in from_stages for to in allowed_transitions(stage)}
    returns_only = {
        to for to in reachable if all((s or "", to) in _RETURNS for s in from_stages if to in allowed_transitions(s))
    }
    ordered = [stage for stage in _OFFER_ORDER if stage in reachable and stage not in returns_only]
    return tuple(ordered + [stage for stage in _OFFER_ORDER if stage in returns_only])


def validate_transition(from_stage: str, to_stage: str):
    """The pipeline of Luật NVQS 2015 Điều 33–36 (registration → pre-screening → examination → approval →
    hand-over) with the lawful side exits of Điều 41; anything else is refused."""
    if to_stage not in allowed_transitions(from_stage):
        raise ValidationError(
            _("A candidate cannot move from “%(from)s” to “%(to)s”.")
            % {"from": stage_label(from_stage), "to": stage_label(to_stage)},
            code="transition",
        )


def raises_age_limit(*, ground_code: str | None, study_level: str | None) -> bool:
    """Luật NVQS 2015 Điều 30: only a deferment for college or university training (ground 41.1g with that level
    recorded) raises the call-up limit to the end of 27; a deferment at general school does not."""
    return ground_code == STUDY_GROUND_CODE and study_level in HIGHER_STUDY_LEVELS


def call_up_max_age(*, deferred_for_study: bool) -> int:
    return CALL_UP_MAX_AGE_STUDENTS if deferred_for_study else CALL_UP_MAX_AGE


def validate_call_up_age(*, birth_date: datetime.date, on: datetime.date, deferred_for_study: bool = False):
    """Luật NVQS 2015 Điều 30, evaluated on the hand-over day: 18 to the end of 25; to the end of 27 for those
    deferred while trained at college or university (`deferred_for_study`, see `raises_age_limit`)."""
    age = age_on(birth_date, on)
    if age < CALL_UP_MIN_AGE:
        raise ValidationError(
            _(
                "Military Service Law 2015 art. 30: a recruit must be 18 on the hand-over date "
                "(age %(age)s on %(date)s)."
            )
            % {"age": age, "date": _day(on)},
            code="too_young",
        )
    limit = call_up_max_age(deferred_for_study=deferred_for_study)
    if age > limit:
        if deferred_for_study:
            message = _(
                "Military Service Law 2015 art. 30: call-up age ends with age %(limit)s "
                "(age %(age)s on the hand-over date %(date)s)."
            )
        else:
            message = _(
                "Military Service Law 2015 art. 30: call-up age ends with age %(limit)s (age %(age)s on the "
                "hand-over date %(date)s); only a deferment for college or university training raises it to 27."
            )
        raise ValidationError(message % {"limit": limit, "age": age, "date": _day(on)}, code="too_old")


def validate_health_class_value(health_class: int | None):
    """The examination gives a class 1–6 (the worst of eight scores)."""
    if health_class is None or not 1 <= int(health_class) <= 6:
        raise ValidationError(
            _("Military Service Law 2015 art. 31: the examination records a health class from 1 to 6."),
            code="health_class_value",
        )


def validate_health(
    *,
    health_class: int | None,
    on: datetime.date,
    myopia_dioptres=None,
    hyperopia: bool = False,
    drug_use: bool = False,
    hiv: bool = False,
):
    """Luật NVQS 2015 Điều 31 with the health standard in force on `on` (Thông tư liên tịch 16/2016 until
    31/12/2023, Thông tư 105/2023/TT-BQP from 01/01/2024): only the classes marked callable (1–3) may be called
    up; Thông tư 148/2018 Điều 4 khoản 3 điểm c: never class 3 with myopia of 1.5 dioptres or more or any
    hyperopia, never a drug user or a person with HIV/AIDS. Every reason that applies is given."""
    from .models import HealthClass

    standard = provision("health_standard", on)
    if health_class is None:
        raise ValidationError(
            _("Military Service Law 2015 art. 31: record the health class from the examination first."),
            code="no_health_class",
        )
    errors = []
    row = HealthClass.objects.filter(number=health_class).first()
    if row is None or not row.callable:
        errors.append(
            ValidationError(
                _("%(law)s: health class %(cls)s may not be called up (Military Service Law 2015 art. 31).")
                % {"law": standard.citation, "cls": health_class},
                code="health_class",
            )
        )
    exclusions = provision("health_exclusions", on)
    threshold = decimal.Decimal(str(exclusions.value.get("myopia_dioptres", "1.5")))
    if health_class == 3 and myopia_dioptres is not None and decimal.Decimal(str(myopia_dioptres)) >= threshold:
        errors.append(
            ValidationError(
                _("%(law)s: health class 3 with myopia of %(limit)s dioptres or more (%(value)s) may not be called up.")
                % {"law": exclusions.citation, "limit": _number(threshold), "value": _number(myopia_dioptres)},
                code="myopia",
            )
        )
    if health_class == 3 and hyperopia:
        errors.append(
            ValidationError(
                _("%(law)s: health class 3 with hyperopia may not be called up.") % {"law": exclusions.citation},
                code="hyperopia",
            )
        )
    if drug_use:
        errors.append(
            ValidationError(
                _("%(law)s: a drug user may not be called up.") % {"law": exclusions.citation}, code="drug_use"
            )
        )
    if hiv:
        errors.append(
            ValidationError(
                _("%(law)s: a person with HIV/AIDS may not be called up.") % {"law": exclusions.citation},
                code="hiv",
            )
        )
    if errors:
        raise ValidationError(errors)


def _number(value) -> str:
    """1.50 → "1,5": the Vietnamese decimal comma, no trailing zeros."""
    text = format(decimal.Decimal(str(value)).normalize(), "f")
    return text.replace(".", ",")


def primary_level_allowance(quota_count: int, *, percent: int = DISADVANTAGED_SHARE_PERCENT) -> int:
    """How many recruits below grade 8 a commune under the exception may send: `percent` of its quota."""
    return quota_count * percent // 100


def validate_education(
    *,
    grade: int | None,
    on: datetime.date,
    disadvantaged: bool = False,
    small_ethnic_group: bool = False,
    quota_count: int = 0,
    approved_below_grade: int = 0,
    low_grade_approval: str = "",
):
    """Thông tư 148/2018/TT-BQP (as consolidated) Điều 4 khoản 4, in the version in force on `on`:
    a) grade 8 or more, highest first; grade 7 only where the quota cannot otherwise be met, with the
       competent authority's approval recorded (`low_grade_approval`);
    b) especially disadvantaged communes and ethnic groups of fewer than 10,000 people: up to 25 % of the
       recruits (counted on the commune's quota) with primary education;
    never below primary education."""
    if grade is None:
        raise ValidationError(_("Record the candidate's education (grade) before approval."), code="no_education")
    standard = provision("education_standard", on)
    min_grade = int(standard.value.get("min_grade", MIN_EDUCATION_GRADE))
    exception_grade = int(standard.value.get("exception_grade", min_grade - 1))
    if grade >= min_grade:
        return
    primary = provision("primary_level_grade", on)
    primary_grade = int(primary.value.get("min_grade", 5))
    share = provision("primary_level_share", on)
    if grade < primary_grade:
        raise ValidationError(
            _(
                "%(law)s: a recruit needs at least primary education (grade %(min)s); "
                "grade %(grade)s may not be called up."
            )
            % {"law": share.citation, "min": primary_grade, "grade": grade},
            code="below_primary",
        )
    approved_grade_seven = grade >= exception_grade and bool((low_grade_approval or "").strip())
    if disadvantaged or small_ethnic_group:
        percent = int(share.value.get("percent", DISADVANTAGED_SHARE_PERCENT))
        allowance = primary_level_allowance(quota_count, percent=percent)
        if approved_below_grade + 1 <= allowance or approved_grade_seven:
            return
        raise ValidationError(
            _(
                "%(law)s: up to %(percent)s %% of the commune's recruits may be below grade %(min)s: "
                "%(allowance)s of a quota of %(quota)s, and %(count)s are already approved."
            )
            % {
                "law": share.citation,
                "percent": percent,
                "min": min_grade,
                "allowance": allowance,
                "quota": quota_count,
                "count": approved_below_grade,
            },
            code="education_share",
        )
    if approved_grade_seven:
        return
    if grade >= exception_grade:
        raise ValidationError(
            _(
                "%(law)s: grade %(grade)s is accepted only when the quota cannot otherwise be met and the "
                "competent authority approved it; record the approval first."
            )
            % {"law": standard.citation, "grade": grade},
            code="grade_seven_approval",
        )
    raise ValidationError(
        _(
            "%(law)s: recruits need grade %(min)s or more (grade %(grade)s); primary education is accepted only in "
            "especially disadvantaged communes and for ethnic groups of fewer than 10,000 people (%(share)s)."
        )
        % {"law": standard.citation, "min": min_grade, "grade": grade, "share": share.citation},
        code="education",
    )


def validate_political_standard(*, checked_on: datetime.date | None, checked_by: str, result: str, on: datetime.date):
    """Thông tư liên tịch 50/2016/TTLT-BQP-BCA (Thông tư 148/2018 Điều 4 khoản 2): the political and moral
    standard is verified, with its date, who verified it and the result, on or before the approval day `on`,
    and met."""
    law = provision("political_standard", on).citation
    if checked_on is None or not (checked_by or "").strip() or not result:
        raise ValidationError(
            _("%(law)s: record the verification of the political standard (date, by whom, result) before approval.")
            % {"law": law},
            code="political_missing",
        )
    if checked_on > on:
        raise ValidationError(
            _("%(law)s: the verification of %(checked)s comes after the approval day %(date)s.")
            % {"law": law, "checked": _day(checked_on), "date": _day(on)},
            code="political_later",
        )
    if result != "meets":
        raise ValidationError(
            _("%(law)s: the candidate does not meet the political and moral standard (verified on %(checked)s).")
            % {"law": law, "checked": _day(checked_on)},
            code="political_fails",
        )


def validate_political_record(*, checked_on: datetime.date | None, checked_by: str, result: str):
    """A verification is recorded whole (date, by whom, result) or not at all, and not in the future."""
    parts = [checked_on is not None, bool((checked_by or "").strip()), bool(result)]
    if any(parts) and not all(parts):
        raise ValidationError(
            _("Record the verification of the political standard whole: date, by whom and result."),
            code="political_partial",
        )
    if checked_on is not None and checked_on > timezone.localdate():
        raise ValidationError(_("The verification date cannot be in the future."), code="political_future")


def _words(text: str) -> str:
    """Folded text padded with spaces, so that a profession matches whole words only."""
    return f" {re.sub(r'[^a-z0-9]+', ' ', fold(text))} "


def women_professions(on: datetime.date) -> list[str]:
    """The list of professions the army needs among women in force on `on` (Nghị định 14/2016/NĐ-CP)."""
    return list(provision("women_professions", on).value.get("professions", []))


def listed_profession(occupation: str, *, on: datetime.date, professions=None) -> str:
    """Luật NVQS 2015 Điều 12 khoản 2 with the list of Nghị định 14/2016/NĐ-CP in force on `on` (provision
    `women_professions`; `professions`: that list, read once for many people): the entry of the list that a
    woman's occupation names ("Y sĩ đa khoa" → "Y sĩ"), whole words, without regard to case or diacritics;
    "" when none does."""
    text = _words(occupation or "")
    if not text.strip():
        return ""
    if professions is None:
        professions = women_professions(on)
    for entry in sorted(professions, key=len, reverse=True):
        if _words(entry) in text:
            return entry
    return ""


def validate_registration(*, sex: str, birth_date: datetime.date, on: datetime.date, matching_profession: str = ""):
    """Luật NVQS 2015 Điều 12: men register from the year they turn 17; women of 18 or more register when
    their profession is one the army needs (recorded as `matching_profession`, on the list of Nghị định
    14/2016/NĐ-CP in force on `on`)."""
    rule = provision("registration", on)
    if sex == "F":
        women_age = int(rule.value.get("women_age", 18))
        age = age_on(birth_date, on)
        if age < women_age:
            raise ValidationError(
                _("%(law)s: a woman registers from age %(min)s (age %(age)s on %(date)s).")
                % {"law": rule.citation, "min": women_age, "age": age, "date": _day(on)},
                code="registration_age",
            )
        if not (matching_profession or "").strip():
            raise ValidationError(
                _("%(law)s: a woman registers only with a profession the army needs; record it.")
                % {"law": rule.citation},
                code="registration_profession",
            )
        if not listed_profession(matching_profession, on=on):
            listing = provision("women_professions", on)
            raise ValidationError(
                _("%(law)s: “%(profession)s” is not on the list of professions the army needs (%(list)s).")
                % {"law": rule.citation, "profession": matching_profession.strip(), "list": listing.citation},
                code="registration_profession_list",
            )
        return
    men_age = int(rule.value.get("men_age", FIRST_REGISTRATION_AGE))
    if on.year - birth_date.year < men_age:
        raise ValidationError(
            _("%(law)s: a man registers from the year he turns %(min)s (born %(year)s).")
            % {"law": rule.citation, "min": men_age, "year": birth_date.year},
            code="registration_age",
        )


def registration_due_births(*, preparation_year: int, handover: datetime.date, on: datetime.date, first_only=False):
    """Who must have registered for the call-up handed over on `handover`, evaluated on `on`, as birth-date
    bounds per sex {"M": (earliest, latest), "F": (earliest, latest)}; a woman must also have a profession on
    the list (`listed_profession`):
    - Luật NVQS 2015 Điều 12 khoản 1, Điều 16: men register in April of the year they turn 17, so every man
      who turns 17 in the preparation year or earlier;
    - Điều 12 khoản 2: women of 18 or more on `on` with a profession the army needs;
    - Điều 30: only those still of call-up age (25 at most) on the hand-over day concern the call-up.
    `first_only`: the first registration of the year, those turning 17 (men) or 18 (women) in it."""
    rule = provision("registration", on)
    men_age = int(rule.value.get("men_age", FIRST_REGISTRATION_AGE))
    women_age = int(rule.value.get("women_age", 18))
    oldest, _youngest = birth_date_range_for_age(None, CALL_UP_MAX_AGE, on=handover)
    _oldest, women_latest = birth_date_range_for_age(women_age, None, on=on)
    men_latest = datetime.date(preparation_year - men_age, 12, 31)
    women_latest = min(women_latest, datetime.date(preparation_year - women_age, 12, 31))
    if first_only:
        return {
            "M": (datetime.date(preparation_year - men_age, 1, 1), men_latest),
            "F": (datetime.date(preparation_year - women_age, 1, 1), women_latest),
        }
    return {"M": (oldest, men_latest), "F": (oldest, women_latest)}


def validate_registration_exclusion(*, ground):
    """Luật NVQS 2015 Điều 13–14: a person not registered has a ground of art. 13 (may not be registered) or of
    art. 14 (exempt from registration)."""
    if ground is None or ground.kind not in ("not_registered", "registration_exempt"):
        raise ValidationError(
            _("Military Service Law 2015 art. 13–14: give a ground for not registering or for exemption from it."),
            code="registration_ground",
        )


def validate_ground(
    *, stage: str, ground, ground_ends_on: datetime.date | None, reason: str = "", study_level: str = ""
):
    """Luật NVQS 2015 Điều 41: a deferment or an exemption records its ground (and a deferment the date the
    ground ends, and for ground 41.1g the level of study); a candidate not selected records the reason."""
    if stage == "deferred":
        if ground is None or ground.kind != "deferment":
            raise ValidationError(
                _("Military Service Law 2015 art. 41.1: a deferment needs a deferment ground."), code="ground"
            )
        if ground_ends_on is None:
            raise ValidationError(
                _("Military Service Law 2015 art. 41.1: give the date the deferment ground ends."),
                code="ground_ends_on",
            )
        if ground.code == STUDY_GROUND_CODE and not study_level:
            raise ValidationError(
                _(
                    "Military Service Law 2015 art. 41.1.g: give the level of study (general school, college or "
                    "university); only college or university raises the call-up age to 27 (art. 30)."
                ),
                code="study_level",
            )
    elif stage == "exempt":
        if ground is None or ground.kind != "exemption":
            raise ValidationError(
                _("Military Service Law 2015 art. 41.2: an exemption needs an exemption ground."), code="ground"
            )
    elif stage == "not_selected" and not (reason or "").strip():
        raise ValidationError(_("Give the reason the candidate is not selected."), code="reason")


def posting_ends_on(*, posted_on: datetime.date) -> datetime.date:
    """The last day a list posted on `posted_on` stays posted (20 days, the first day counted)."""
    days = int(provision("public_posting", posted_on).value.get("days", 20))
    return posted_on + datetime.timedelta(days=days - 1)


def posting_warnings(*, postings: dict, kinds, on: datetime.date, commune_name: str) -> list[str]:
    """Luật NVQS 2015 Điều 41 khoản 4: the deferment, exemption and call-up lists are posted at the commune for
    20 days. `postings` maps a list kind to its posting day; a decision on `on` before the end of the posting of
    `kinds` (or with no posting recorded) gets a warning, not a refusal."""
    from .models import ListKind

    law = provision("public_posting", on).citation
    warnings = []
    for kind in kinds:
        label = ListKind(kind).label
        posted_on = postings.get(kind)
        if posted_on is None:
            warnings.append(
                _("%(law)s: the %(list)s of %(commune)s is not recorded as posted.")
                % {"law": law, "list": label, "commune": commune_name}
            )
            continue
        ends_on = posting_ends_on(posted_on=posted_on)
        if on <= ends_on:
            warnings.append(
                _("%(law)s: the %(list)s of %(commune)s is posted until %(end)s; this decision comes before the end.")
                % {"law": law, "list": label, "commune": commune_name, "end": _day(ends_on)}
            )
    return warnings


def deciding_authority(on: datetime.date):
    """Who decides call-up, deferment and exemption on `on`: the district chairman on the district council's
    proposal until 30/06/2025, the commune chairman with the commune council from 01/07/2025 (Luật 98/2025/QH15)."""
    return provision("deciding_authority", on)


def quota_has_room(*, approved: int, quota_count: int) -> bool:
    """Điều 33: the commune sends its quota (chỉ tiêu); approvals beyond it go to the reserve list."""
    return approved < quota_count


def validate_quota_sum(*, district_quota: int, commune_total: int):
    """Luật NVQS 2015 Điều 33: the district splits its quota among its communes, the parts adding up to it."""
    if commune_total != district_quota:
        difference = commune_total - district_quota
        raise ValidationError(
            _(
                "The communes' quotas add up to %(total)s but the district quota is %(quota)s "
                "(difference %(difference)+d)."
            )
            % {"total": commune_total, "quota": district_quota, "difference": difference},
            code="quota_sum",
        )
