"""Rules of Law 48/2019/QH14 (militia) and Law 53/2019/QH14 / Law 78/2015/QH13 (reserve), one function each.

Every entry point — model clean(), forms, the Excel import, admin and services — calls these.
Each raises ValidationError with a Vietnamese message that names the rule.
"""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from people.rules import FEMALE, age_on, years_before

# Law 48/2019/QH14 Điều 8 khoản 1: men 18 to the end of 45, women 18 to the end of 40;
# volunteers may serve to the end of 50 (men) / 45 (women).
MILITIA_MIN_AGE = 18
MILITIA_MAX_AGE = {"M": 45, "F": 40}
MILITIA_VOLUNTEER_MAX_AGE = {"M": 50, "F": 45}
# Điều 8 khoản 2: term 4 years (2 for standing militia, from the force type); extension up to 2 years,
# longer (to the age limit) for maritime militia, self-defence and commanders: how far is data on the force
# type and the post (ForceType.max_extension_years, PostExtensionLimit), None meaning "to the age limit".
MILITIA_MAX_EXTENSION_YEARS = 2

# Luật NVQS 2015 Điều 37: reserve NCOs and soldiers serve to the end of 45 (men) / 40 (women).
RESERVE_SOLDIER_MAX_AGE = {"M": 45, "F": 40}
# Luật Lực lượng DBĐV 2019 Điều 15: placement in a combat unit — NCOs/soldiers to 35, QNCN to 40;
# in a support unit men to 45, women to 40; women only in support units.
COMBAT_PLACEMENT_MAX_AGE = {"hsq_bs": 35, "qncn": 40}
SUPPORT_PLACEMENT_MAX_AGE = {"M": 45, "F": 40}

DAY = datetime.timedelta(days=1)


def militia_age_limit(sex: str, *, volunteer: bool) -> int:
    """Law 48/2019/QH14 Điều 8 khoản 1: the last age of militia duty (45/40, volunteers 50/45)."""
    return (MILITIA_VOLUNTEER_MAX_AGE if volunteer else MILITIA_MAX_AGE)[sex]


militia_max_age = militia_age_limit


def militia_last_day(birth_date: datetime.date, sex: str, *, volunteer: bool) -> datetime.date:
    """Law 48/2019/QH14 Điều 8 khoản 1: the last day of duty, the eve of the birthday after the age limit
    (a 29 February birthday falls on 1 March in a common year, as `age_on` counts it)."""
    return years_after(birth_date, militia_age_limit(sex, volunteer=volunteer) + 1) - DAY


def years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year: the birthday is reached on 1 March
        return day.replace(year=day.year + years, month=3, day=1)


def is_over_age(member, on: datetime.date) -> bool:
    """Law 48/2019/QH14 Điều 8 khoản 1: past the age limit on `on`. The limit holds every day of a term,
    not only the day of joining: such a member leaves the active strength and is due to leave."""
    person = member.person
    if not (person.birth_date and person.sex):
        return False
    return on > militia_last_day(person.birth_date, person.sex, volunteer=member.is_volunteer)


def militia_over_age_q(on: datetime.date, *, prefix: str = "") -> Q:
    """`is_over_age` as a filter on militia members (`prefix` leads from the queried model to the member)."""
    q = Q()
    for sex in MILITIA_MAX_AGE:
        for volunteer in (False, True):
            limit = militia_age_limit(sex, volunteer=volunteer)
            q |= Q(
                **{
                    f"{prefix}person__sex": sex,
                    f"{prefix}is_volunteer": volunteer,
                    f"{prefix}person__birth_date__lte": years_before(on, limit + 1),
                }
            )
    return q


def validate_militia_age(*, birth_date: datetime.date, sex: str, on: datetime.date, volunteer: bool = False):
    """Law 48/2019/QH14 Điều 8 khoản 1: age of militia duty on `on` (the day of joining, or any day of a term)."""
    age = age_on(birth_date, on)
    if age < MILITIA_MIN_AGE:
        raise ValidationError(
            _("Law 48/2019 art. 8.1: a militia member must be at least 18 on joining (age %(age)s on %(date)s).")
            % {"age": age, "date": on.strftime("%d/%m/%Y")},
            code="militia_too_young",
        )
    limit = militia_age_limit(sex, volunteer=volunteer)
    if age > limit:
        if not volunteer and age <= militia_age_limit(sex, volunteer=True):
            raise ValidationError(
                _(
                    "Law 48/2019 art. 8.1: %(sex)s serve to the end of age %(limit)s (this person is %(age)s); "
                    "tick “volunteer” to enlist a volunteer up to %(vlimit)s."
                )
                % {
                    "sex": _("women") if sex == FEMALE else _("men"),
                    "limit": limit,
                    "age": age,
                    "vlimit": militia_age_limit(sex, volunteer=True),
                },
                code="militia_too_old",
            )
        raise ValidationError(
            _("Law 48/2019 art. 8.1: %(sex)s may serve to the end of age %(limit)s, volunteers included (age %(age)s).")
            % {"sex": _("women") if sex == FEMALE else _("men"), "limit": limit, "age": age},
            code="militia_too_old",
        )


def militia_term_ends_on(
    joined_on: datetime.date, term_years: int, extension_years: int = 0, *, last_day: datetime.date | None = None
) -> datetime.date:
    """Law 48/2019/QH14 Điều 8 khoản 1–2: the term counts from joining, plus any extension, and ends at the
    latest on the last day of the age of duty (`last_day`, from `militia_last_day`)."""
    years = term_years + extension_years
    try:
        ends = joined_on.replace(year=joined_on.year + years) - DAY
    except ValueError:  # joined on 29 February
        ends = joined_on.replace(year=joined_on.year + years, day=28)
    return min(ends, last_day) if last_day else ends


def militia_max_extension_years(*, force_type_max: int | None, post_max: int | None | bool = False) -> int | None:
    """Law 48/2019/QH14 Điều 8 khoản 2: how far a term may be extended — the more generous of the force type's
    and the post's allowance; None means "to the age limit" (maritime militia, self-defence, commanders).
    `post_max` False: the post has no allowance of its own."""
    if force_type_max is None or post_max is None:
        return None
    if post_max is False:
        return force_type_max
    return max(force_type_max, post_max)


def validate_militia_extension(
    extension_years: int, decision: str, *, max_years: int | None = MILITIA_MAX_EXTENSION_YEARS
):
    """Law 48/2019/QH14 Điều 8 khoản 2: at most 2 years for most kinds, to the age limit for maritime militia,
    self-defence and commanders (`max_years` None), by a decision that must be recorded."""
    if extension_years < 0 or (max_years is not None and extension_years > max_years):
        raise ValidationError(
            _(
                "Law 48/2019 art. 8.2: this force type and post may extend a term by at most %(max)s years "
                "(maritime militia, self-defence and commanders may serve to the age limit)."
            )
            % {"max": max_years if max_years is not None else 0},
            code="extension_too_long",
        )
    if extension_years and not (decision or "").strip():
        raise ValidationError(
            _("Law 48/2019 art. 8.2: record the number of the decision that extends the term."),
            code="extension_decision",
        )


def validate_not_deferred(*, kind: str | None, ground: str = "", until: datetime.date | None = None):
    """Law 48/2019/QH14 Điều 11: a person deferred (tạm hoãn) or exempt (miễn) from militia duty on the day of
    joining cannot be enrolled as an active member. `kind` is that of the record in force, None if none."""
    if kind == "deferment":
        raise ValidationError(
            _(
                "Law 48/2019 art. 11.1: this person is deferred from militia duty %(until)s on the ground "
                "%(ground)s and cannot be enrolled as an active member."
            )
            % {
                "until": _("until %(date)s") % {"date": until.strftime("%d/%m/%Y")} if until else _("with no end date"),
                "ground": ground,
            },
            code="militia_deferred",
        )
    if kind == "exemption":
        raise ValidationError(
            _(
                "Law 48/2019 art. 11.2: this person is exempt from militia duty on the ground %(ground)s and "
                "cannot be enrolled as an active member."
            )
            % {"ground": ground},
            code="militia_exempt",
        )


def validate_duty_registration_age(*, birth_date: datetime.date, sex: str, on: datetime.date):
    """Law 48/2019/QH14 Điều 9 (with Điều 8 khoản 1): the duty is registered for citizens of militia age
    (18 to the end of 45 for men, 40 for women) on the day of registration."""
    age = age_on(birth_date, on)
    limit = militia_age_limit(sex, volunteer=False)
    if age < MILITIA_MIN_AGE or age > limit:
        raise ValidationError(
            _(
                "Law 48/2019 art. 9: militia duty is registered for citizens aged 18 to the end of %(limit)s "
                "(this person is %(age)s on %(date)s)."
            )
            % {"limit": limit, "age": age, "date": on.strftime("%d/%m/%Y")},
            code="registration_age",
        )


def validate_deferment_period(*, kind: str, starts_on: datetime.date, ends_on: datetime.date | None):
    """Law 48/2019/QH14 Điều 11: a deferment runs over a period; an exemption has no end."""
    if kind == "exemption" and ends_on:
        raise ValidationError(_("Law 48/2019 art. 11.2: an exemption has no end date."), code="exemption_end")
    if ends_on and ends_on < starts_on:
        raise ValidationError(
            _("Law 48/2019 art. 11.1: the deferment cannot end before it starts."), code="deferment_dates"
        )


def validate_not_placed_in_reserve(*, placed_unit_name: str | None):
    """Law 48/2019/QH14 Điều 10 khoản 3: only a reservist not yet placed in a reserve unit may join the militia."""
    if placed_unit_name:
        raise ValidationError(
            _(
                "Law 48/2019 art. 10.3: this person is placed in the reserve unit %(unit)s and cannot be "
                "an active militia member; remove the placement first."
            )
            % {"unit": placed_unit_name},
            code="placed_in_reserve",
        )


# Ranks each category may hold: HSQ-BS binh nhì–thượng sĩ (Luật NVQS 2015 Điều 8), QNCN thiếu úy–thượng tá
# (Luật QNCN, CNVCQP 2015 Điều 16), officers thiếu úy–đại tá at district level (Luật Sĩ quan QĐND Điều 10).
RANKS_OF_CATEGORY = {
    "hsq_bs": ("binh_nhi", "binh_nhat", "ha_si", "trung_si", "thuong_si"),
    "qncn": ("thieu_uy", "trung_uy", "thuong_uy", "dai_uy", "thieu_ta", "trung_ta", "thuong_ta"),
    "officer": ("thieu_uy", "trung_uy", "thuong_uy", "dai_uy", "thieu_ta", "trung_ta", "thuong_ta", "dai_ta"),
}


def validate_rank_for_category(*, category: str, rank: str, rank_label: str = ""):
    """A reservist's rank must be one of the ranks of their category: an NCO or soldier is never a
    Đại tá (Luật NVQS 2015 Điều 8; Luật QNCN 2015 Điều 16; Luật Sĩ quan QĐND Điều 10)."""
    if not rank or category not in RANKS_OF_CATEGORY or rank in RANKS_OF_CATEGORY[category]:
        return
    messages = {
        "hsq_bs": _(
            "Military Service Law 2015 art. 8: NCOs and soldiers hold the ranks from private second class to "
            "staff sergeant, not %(rank)s."
        ),
        "qncn": _(
            "Law on Professional Soldiers 2015 art. 16: professional soldiers hold the ranks from second "
            "lieutenant to senior lieutenant colonel, not %(rank)s."
        ),
        "officer": _("Officers Law art. 10: reserve officers hold officer ranks, not %(rank)s."),
    }
    raise ValidationError(messages[category] % {"rank": rank_label or rank}, code="rank_category")


def reservist_age_limit(*, category: str, rank: str, sex: str, limits=None) -> tuple[int, str] | None:
    """The last age of reserve service and the article that sets it, or None when none is known.
    NCOs and soldiers: Luật NVQS 2015 Điều 37 (45 men / 40 women). Officers and professional soldiers by rank:
    the ReserveAgeLimit data (Officers Law, Law on Professional Soldiers 2015), editable in admin; `limits` is
    that table as rows (category, rank, sex, max_age, law_ref), read once by the caller or here."""
    if category == "hsq_bs":
        return RESERVE_SOLDIER_MAX_AGE[sex], _("Military Service Law 2015 art. 37")
    if not rank:  # officers and professional soldiers are limited by rank: none recorded, none known
        return None
    if limits is None:
        from django.apps import apps

        limits = apps.get_model("militia", "ReserveAgeLimit").objects.rows()
    best = None
    for row_category, row_rank, row_sex, max_age, law_ref in limits:
        if row_category != category or row_rank not in ("", rank) or row_sex not in ("", sex):
            continue
        score = (row_rank == rank) * 2 + (row_sex == sex)
        if best is None or score > best[0]:
            best = (score, max_age, law_ref)
    return (best[1], best[2]) if best else None


def validate_reservist_age(
    *, birth_date: datetime.date, sex: str, category: str, on: datetime.date, rank: str = "", limits=None
):
    """Luật NVQS 2015 Điều 37: reserve NCOs and soldiers to the end of 45 (men) / 40 (women); officers and
    professional soldiers to the age of their rank (`reservist_age_limit`)."""
    found = reservist_age_limit(category=category, rank=rank, sex=sex, limits=limits)
    if found is None:
        return
    limit, law_ref = found
    age = age_on(birth_date, on)
    if age > limit:
        if category == "hsq_bs":
            raise ValidationError(
                _(
                    "Military Service Law 2015 art. 37: reserve NCOs and soldiers serve "
                    "to the end of age %(limit)s (age %(age)s)."
                )
                % {"limit": limit, "age": age},
                code="reservist_over_age",
            )
        raise ValidationError(
            _("%(law)s: reservists of this category and rank serve to the end of age %(limit)s (age %(age)s).")
            % {"law": law_ref, "limit": limit, "age": age},
            code="reservist_over_age",
        )


def reservist_is_over_age(
    *, birth_date: datetime.date, sex: str, category: str, on: datetime.date, rank: str = "", limits=None
) -> bool:
    try:
        validate_reservist_age(birth_date=birth_date, sex=sex, category=category, on=on, rank=rank, limits=limits)
    except ValidationError:
        return True
    return False


def reservist_over_age_q(on: datetime.date, *, limits) -> Q:
    """`reservist_is_over_age` as a filter on reservists, for the figures and alerts of a day."""
    q = Q()
    for sex, max_age in RESERVE_SOLDIER_MAX_AGE.items():
        q |= Q(category="hsq_bs", person__sex=sex, person__birth_date__lte=years_before(on, max_age + 1))
    for category in ("officer", "qncn"):
        for rank in RANKS_OF_CATEGORY[category]:
            for sex in RESERVE_SOLDIER_MAX_AGE:
                found = reservist_age_limit(category=category, rank=rank, sex=sex, limits=limits)
                if found:
                    q |= Q(
                        category=category,
                        rank=rank,
                        person__sex=sex,
                        person__birth_date__lte=years_before(on, found[0] + 1),
                    )
    return q


def validate_placement(*, birth_date: datetime.date, sex: str, category: str, on: datetime.date, is_combat: bool):
    """Luật Lực lượng DBĐV 2019 Điều 15: women only in support units; combat units take NCOs/soldiers to 35 and
    QNCN to 40; support units take men to 45 and women to 40 (officers follow their rank's limit)."""
    if category not in COMBAT_PLACEMENT_MAX_AGE:
        return
    age = age_on(birth_date, on)
    if is_combat and sex == FEMALE:
        raise ValidationError(
            _("Reserve Forces Law 2019 art. 15: women reservists are placed only in support units."),
            code="combat_placement_women",
        )
    if is_combat:
        limit = COMBAT_PLACEMENT_MAX_AGE[category]
        if age > limit:
            raise ValidationError(
                _(
                    "Reserve Forces Law 2019 art. 15: a combat unit takes %(category)s up to age %(limit)s "
                    "(age %(age)s)."
                )
                % {
                    "category": _("NCOs and soldiers") if category == "hsq_bs" else _("professional soldiers"),
                    "limit": limit,
                    "age": age,
                },
                code="combat_placement_age",
            )
        return
    limit = SUPPORT_PLACEMENT_MAX_AGE[sex]
    if age > limit:
        raise ValidationError(
            _("Reserve Forces Law 2019 art. 15: a support unit takes %(sex)s up to age %(limit)s (age %(age)s).")
            % {"sex": _("women") if sex == FEMALE else _("men"), "limit": limit, "age": age},
            code="support_placement_age",
        )


def post_capacity(required_count: int, margin_percent: int) -> int:
    """Full strength plus the margin (Luật Lực lượng DBĐV 2019 Điều 16: units are kept at strength plus a reserve)."""
    return required_count + math.ceil(required_count * margin_percent / 100)


def validate_post_capacity(*, placed: int, required_count: int, margin_percent: int, post_name: str):
    """A placement may not exceed the post's count plus its margin."""
    capacity = post_capacity(required_count, margin_percent)
    if placed + 1 > capacity:
        raise ValidationError(
            _(
                "Reserve Forces Law 2019 art. 16: the post %(post)s needs %(count)s with a %(margin)s%% margin "
                "(at most %(capacity)s) and already has %(placed)s."
            )
            % {
                "post": post_name,
                "count": required_count,
                "margin": margin_percent,
                "capacity": capacity,
                "placed": placed,
            },
            code="post_full",
        )
