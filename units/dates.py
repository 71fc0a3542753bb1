"""Dates a person can have meant: from 1900, not in the future when they record what happened, and in order.

A date typed as 31/12/9999 or 01/01/0001 parses, and once stored it skews every age, term and deadline
computed from it. Every date field of the portal is checked here, by the model's clean() (so services,
imports and the admin get it) and therefore by the forms built on the models.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(1900, 1, 1)
PLANNING_YEARS = 10  # how far ahead a planned date (a term's end, a hand-over, a due date) may lie


def _text(day):
    return day.strftime("%d/%m/%Y")


def latest_date(*, on: datetime.date, planned: bool) -> datetime.date:
    """The last acceptable day: `on` itself for a date that records the past, ten years later for a plan."""
    if not planned:
        return on
    try:
        return on.replace(year=on.year + PLANNING_YEARS)
    except ValueError:  # 29 February
        return on.replace(year=on.year + PLANNING_YEARS, day=28)


def validate_date_range(value: datetime.date | None, *, on: datetime.date | None = None, planned: bool = False):
    """A date from 01/01/1900 to the day `on` (today by default), or to ten years after it when `planned`."""
    if value is None:
        return
    on = on or timezone.localdate()
    if value < EARLIEST_DATE:
        raise ValidationError(
            _("The date must not be before %(earliest)s.") % {"earliest": _text(EARLIEST_DATE)}, code="date_range"
        )
    latest = latest_date(on=on, planned=planned)
    if value > latest:
        if planned:
            message = _("The date must not be after %(latest)s (ten years from today).") % {"latest": _text(latest)}
        else:
            message = _("The date must not be after today (%(today)s).") % {"today": _text(on)}
        raise ValidationError(message, code="date_range")


def validate_date_order(earlier: datetime.date | None, later: datetime.date | None, *, earlier_label: str):
    """`later` must not fall before `earlier` (a date of the same record, or the person's birth date)."""
    if earlier is not None and later is not None and later < earlier:
        raise ValidationError(
            _("This date must not be before %(other)s (%(date)s).") % {"other": earlier_label, "date": _text(earlier)},
            code="date_order",
        )


def date_errors(instance, *, past=(), planned=(), order=(), born=None, after_birth=(), on=None) -> dict:
    """{field: [messages]} for the date fields of a model instance.

    `past`: fields that record what happened (not after `on`); `planned`: fields that may lie ahead (up to
    ten years); `order`: (earlier field, later field) pairs; `after_birth`: fields that must not fall before
    `born`, the person's birth date. A field already out of range is not compared again."""
    errors = {}
    for fields, is_planned in ((past, False), (planned, True)):
        for name in fields:
            try:
                validate_date_range(getattr(instance, name), on=on, planned=is_planned)
            except ValidationError as exc:
                errors[name] = exc.messages
    for earlier, later in order:
        if earlier in errors or later in errors:
            continue
        label = str(instance._meta.get_field(earlier).verbose_name)
        try:
            validate_date_order(getattr(instance, earlier), getattr(instance, later), earlier_label=f"«{label}»")
        except ValidationError as exc:
            errors[later] = exc.messages
    for name in after_birth:
        if name in errors:
            continue
        try:
            validate_date_order(born, getattr(instance, name), earlier_label=_("the birth date"))
        except ValidationError as exc:
            errors[name] = exc.messages
    return errors


def merge_errors(errors: dict, more: dict) -> dict:
    """Add `more` ({field: [messages]}) to `errors` in place; returns `errors`."""
    for name, messages in more.items():
        errors.setdefault(name, []).extend(messages)
    return errors
