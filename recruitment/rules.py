"""Rules of the Military Service Law (Luật NVQS 78/2015/QH13) on candidates, one function each.

Every entry point (services, forms, admin) calls these. Each raises ValidationError with a message
that names the rule; the Vietnamese wording lives in the catalog.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from people.rules import age_on

# Điều 30: call-up age 18 to the end of 25; to the end of 27 for those deferred while at
# college or university (ground 41.1g).
CALL_UP_MIN_AGE = 18
CALL_UP_MAX_AGE = 25
CALL_UP_MAX_AGE_STUDENTS = 27
STUDY_GROUND_CODE = "41.1g"
# Thông tư 148/2018/TT-BQP: classes 1–3 may be called up (reference/health_classes.csv).
CALLABLE_HEALTH_CLASSES = frozenset({1, 2, 3})
# Thông tư 148/2018/TT-BQP Điều 4: grade 8 or more; especially disadvantaged communes up to 25 % primary level.
MIN_EDUCATION_GRADE = 8
DISADVANTAGED_SHARE_PERCENT = 25
FIRST_REGISTRATION_AGE = 17  # Điều 16: men register at 17


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


_GROUND_CODE = re.compile(r"^(?P<article>\d+)\.(?P<clause>\d+)(?P<point>\w)$")


def ground_in_words(code):
    """A ground of Luật NVQS 2015 Điều 41 as the law cites it: "41.1c" → "điểm c khoản 1 Điều 41". One function
    for every page and file that shows a ground; a code that is not article.clause+point is shown as stored."""
    match = _GROUND_CODE.match(code or "")
    if not match:
        return code or ""
    return _("point %(point)s, clause %(clause)s, Article %(article)s") % match.groupdict()


def call_up_max_age(*, deferred_for_study: bool) -> int:
    return CALL_UP_MAX_AGE_STUDENTS if deferred_for_study else CALL_UP_MAX_AGE


def validate_call_up_age(*, birth_date: datetime.date, on: datetime.date, deferred_for_study: bool = False):
    """Luật NVQS 2015 Điều 30: 18 to the end of 25 on the hand-over date; to the end of 27 for those
    deferred while studying at college or university (Điều 41 khoản 1 điểm g)."""
    age = age_on(birth_date, on)
    if age < CALL_UP_MIN_AGE:
        raise ValidationError(
            _(
                "Military Service Law 2015 art. 30: a recruit must be 18 on the hand-over date "
                "(age %(age)s on %(date)s)."
            )
            % {"age": age, "date": on.strftime("%d/%m/%Y")},
            code="too_young",
        )
    limit = call_up_max_age(deferred_for_study=deferred_for_study)
    if age > limit:
        raise ValidationError(
            _(
                "Military Service Law 2015 art. 30: call-up age ends with age %(limit)s "
                "(age %(age)s on the hand-over date %(date)s)."
            )
            % {"limit": limit, "age": age, "date": on.strftime("%d/%m/%Y")},
            code="too_old",
        )


def validate_health_class(health_class: int | None):
    """Luật NVQS 2015 Điều 31 and Thông tư 148/2018/TT-BQP: only health classes 1–3 may be called up."""
    if health_class is None:
        raise ValidationError(
            _("Military Service Law 2015 art. 31: record the health class from the examination first."),
            code="no_health_class",
        )
    if health_class not in CALLABLE_HEALTH_CLASSES:
        raise ValidationError(
            _("Circular 148/2018: health class %(cls)s may not be called up; only classes 1–3 may.")
            % {"cls": health_class},
            code="health_class",
        )


def validate_health_class_value(health_class: int | None):
    """Thông tư 148/2018/TT-BQP: the examination gives a class 1–6 (the worst of eight scores)."""
    if health_class is None or not 1 <= int(health_class) <= 6:
        raise ValidationError(
            _("Circular 148/2018: the examination records a health class from 1 to 6."), code="health_class_value"
        )


def primary_level_allowance(quota_count: int) -> int:
    """How many recruits below grade 8 an especially disadvantaged commune may send: 25 % of its quota."""
    return quota_count * DISADVANTAGED_SHARE_PERCENT // 100


def validate_education(*, grade: int | None, disadvantaged: bool, quota_count: int, approved_below_grade: int):
    """Thông tư 148/2018/TT-BQP Điều 4 khoản 3: grade 8 or more as a rule; an especially disadvantaged
    commune may send up to 25 % of its recruits (counted on its quota) with primary education only."""
    if grade is None:
        raise ValidationError(_("Record the candidate's education (grade) before approval."), code="no_education")
    if grade >= MIN_EDUCATION_GRADE:
        return
    if not disadvantaged:
        raise ValidationError(
            _(
                "Circular 148/2018 art. 4: recruits need grade 8 or more (grade %(grade)s); only an especially "
                "disadvantaged commune may send up to 25 %% with primary education."
            )
            % {"grade": grade},
            code="education",
        )
    allowance = primary_level_allowance(quota_count)
    if approved_below_grade + 1 > allowance:
        raise ValidationError(
            _(
                "Circular 148/2018 art. 4: up to 25 %% of the commune's recruits may be below grade 8: "
                "%(allowance)s of a quota of %(quota)s, and %(count)s are already approved."
            )
            % {"allowance": allowance, "quota": quota_count, "count": approved_below_grade},
            code="education_share",
        )


def validate_ground(*, stage: str, ground, ground_ends_on: datetime.date | None, reason: str = ""):
    """Luật NVQS 2015 Điều 41: a deferment or an exemption records its ground (and a deferment the date
    the ground ends); a candidate not selected records the reason."""
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
    elif stage == "exempt":
        if ground is None or ground.kind != "exemption":
            raise ValidationError(
                _("Military Service Law 2015 art. 41.2: an exemption needs an exemption ground."), code="ground"
            )
    elif stage == "not_selected" and not (reason or "").strip():
        raise ValidationError(_("Give the reason the candidate is not selected."), code="reason")


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
