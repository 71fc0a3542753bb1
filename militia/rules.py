"""Rules of Law 48/2019/QH14 (militia) and Law 53/2019/QH14 / Law 78/2015/QH13 (reserve), one function each.

Every entry point — model clean(), forms, the Excel import, admin and services — calls these.
Each raises ValidationError with a Vietnamese message that names the rule.
"""

import datetime
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from people.rules import FEMALE, age_on

# Law 48/2019/QH14 Điều 8 khoản 1: men 18 to the end of 45, women 18 to the end of 40;
# volunteers may serve to the end of 50 (men) / 45 (women).
MILITIA_MIN_AGE = 18
MILITIA_MAX_AGE = {"M": 45, "F": 40}
MILITIA_VOLUNTEER_MAX_AGE = {"M": 50, "F": 45}
# Điều 8 khoản 2–3: term 4 years (2 for standing militia, from the force type); extension up to 2 years.
MILITIA_MAX_EXTENSION_YEARS = 2

# Luật NVQS 2015 Điều 37: reserve NCOs and soldiers serve to the end of 45 (men) / 40 (women).
RESERVE_SOLDIER_MAX_AGE = {"M": 45, "F": 40}
# Luật Lực lượng DBĐV 2019 Điều 15: placement in a combat unit — NCOs/soldiers to 35, QNCN to 40.
COMBAT_PLACEMENT_MAX_AGE = {"hsq_bs": 35, "qncn": 40}


def militia_max_age(sex: str, *, volunteer: bool) -> int:
    return (MILITIA_VOLUNTEER_MAX_AGE if volunteer else MILITIA_MAX_AGE)[sex]


def validate_militia_age(*, birth_date: datetime.date, sex: str, on: datetime.date, volunteer: bool = False):
    """Law 48/2019/QH14 Điều 8 khoản 1: age of militia duty on the day of joining."""
    age = age_on(birth_date, on)
    if age < MILITIA_MIN_AGE:
        raise ValidationError(
            _("Law 48/2019 art. 8.1: a militia member must be at least 18 on joining (age %(age)s on %(date)s).")
            % {"age": age, "date": on.strftime("%d/%m/%Y")},
            code="militia_too_young",
        )
    limit = militia_max_age(sex, volunteer=volunteer)
    if age > limit:
        if not volunteer and age <= militia_max_age(sex, volunteer=True):
            raise ValidationError(
                _(
                    "Law 48/2019 art. 8.1: %(sex)s serve to the end of age %(limit)s (this person is %(age)s); "
                    "tick “volunteer” to enlist a volunteer up to %(vlimit)s."
                )
                % {
                    "sex": _("women") if sex == FEMALE else _("men"),
                    "limit": limit,
                    "age": age,
                    "vlimit": militia_max_age(sex, volunteer=True),
                },
                code="militia_too_old",
            )
        raise ValidationError(
            _("Law 48/2019 art. 8.1: %(sex)s may serve to the end of age %(limit)s, volunteers included (age %(age)s).")
            % {"sex": _("women") if sex == FEMALE else _("men"), "limit": limit, "age": age},
            code="militia_too_old",
        )


def militia_term_ends_on(joined_on: datetime.date, term_years: int, extension_years: int = 0) -> datetime.date:
    """Law 48/2019/QH14 Điều 8 khoản 2–3: the term counts from joining, plus any extension."""
    years = term_years + extension_years
    try:
        return joined_on.replace(year=joined_on.year + years) - datetime.timedelta(days=1)
    except ValueError:  # joined on 29 February
        return joined_on.replace(year=joined_on.year + years, day=28)


def validate_militia_extension(extension_years: int, decision: str):
    """Law 48/2019/QH14 Điều 8 khoản 3: at most 2 years, by a decision that must be recorded."""
    if extension_years < 0 or extension_years > MILITIA_MAX_EXTENSION_YEARS:
        raise ValidationError(
            _("Law 48/2019 art. 8.3: a term may be extended by at most 2 years."), code="extension_too_long"
        )
    if extension_years and not (decision or "").strip():
        raise ValidationError(
            _("Law 48/2019 art. 8.3: record the number of the decision that extends the term."),
            code="extension_decision",
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


def validate_reservist_age(*, birth_date: datetime.date, sex: str, category: str, on: datetime.date):
    """Luật NVQS 2015 Điều 37: reserve NCOs and soldiers to the end of 45 (men) / 40 (women)."""
    if category != "hsq_bs":
        return
    age = age_on(birth_date, on)
    limit = RESERVE_SOLDIER_MAX_AGE[sex]
    if age > limit:
        raise ValidationError(
            _(
                "Military Service Law 2015 art. 37: reserve NCOs and soldiers serve "
                "to the end of age %(limit)s (age %(age)s)."
            )
            % {"limit": limit, "age": age},
            code="reservist_over_age",
        )


def reservist_is_over_age(*, birth_date: datetime.date, sex: str, category: str, on: datetime.date) -> bool:
    try:
        validate_reservist_age(birth_date=birth_date, sex=sex, category=category, on=on)
    except ValidationError:
        return True
    return False


def validate_combat_placement_age(*, birth_date: datetime.date, category: str, on: datetime.date, is_combat: bool):
    """Luật Lực lượng DBĐV 2019 Điều 15: combat units take NCOs/soldiers to 35, QNCN to 40."""
    limit = COMBAT_PLACEMENT_MAX_AGE.get(category)
    if not is_combat or limit is None:
        return
    age = age_on(birth_date, on)
    if age > limit:
        raise ValidationError(
            _("Reserve Forces Law 2019 art. 15: a combat unit takes %(category)s up to age %(limit)s (age %(age)s).")
            % {
                "category": _("NCOs and soldiers") if category == "hsq_bs" else _("professional soldiers"),
                "limit": limit,
                "age": age,
            },
            code="combat_placement_age",
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
