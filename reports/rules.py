"""The rules of the reports, each in one function: periods, value checks, the workflow, and the
Decree 30/2020/NĐ-CP document format (number line, date line, header names)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal_io import documents as official

from .choices import PeriodKind, ReportStatus

# Parts of a year per period kind.
PERIOD_PARTS = {PeriodKind.YEAR: 1, PeriodKind.HALF: 2, PeriodKind.QUARTER: 4, PeriodKind.MONTH: 12}
# An automatic figure changed by hand by more than this share is flagged for the reviewer.
OVERRIDE_TOLERANCE = Decimal("0.10")


def period_bounds(kind, year, number):
    """First and last day of the `number`-th part of `year` for the period kind."""
    months = 12 // PERIOD_PARTS[kind]
    first_month = (number - 1) * months + 1
    start = datetime.date(year, first_month, 1)
    last_month = first_month + months - 1
    end = (
        datetime.date(year, 12, 31)
        if last_month == 12
        else datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)
    )
    return start, end


def default_due_date(kind, end):
    """Annual reports are due mid-December (the summary conference precedes the year's end);
    the others ten days after the period."""
    if kind == PeriodKind.YEAR:
        return datetime.date(end.year, 12, 15)
    return end + datetime.timedelta(days=10)


def period_errors(*, kind, year, number, start, end, due_date):
    """Errors of a period as {field: message}; empty when it is consistent."""
    errors = {}
    parts = PERIOD_PARTS.get(kind)
    if parts and number and not 1 <= number <= parts:
        errors["number"] = _("A period of this kind is numbered 1 to %(n)s.") % {"n": parts}
    if start and end and end < start:
        errors["end"] = _("The last day must not be before the first day.")
    if start and year and start.year != year:
        errors["start"] = _("The first day must fall in the period's year.")
    if due_date and start and due_date < start:
        errors["due_date"] = _("The due date must not be before the first day of the period.")
    return errors


PERIOD_DATES_PERM = "reports.change_period_dates"


def may_change_period(*, user, period):
    """A period is shared by every district: once reports exist for it, changing its kind, number or
    dates (the due date above all) changes every district's reports. Then only a system administrator,
    or a user given the permission to change a period's dates, may change it; before, a role that
    manages periods may still correct it."""
    if period is None or period.pk is None or user.has_perm(PERIOD_DATES_PERM):
        return True
    return not period.reports.exists()


def is_on_time(*, submitted_at, due_date):
    """A report counts as on time when first submitted on or before its due date (local time)."""
    if submitted_at is None:
        return False
    return timezone.localdate(submitted_at) <= due_date


def precision_error(*, indicator, value):
    """A value with more decimal places than the indicator keeps (0 for counts, 1 for rates) is refused,
    never rounded: the figure the unit signs is the figure it typed. None when the value fits."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.quantize(Decimal(1).scaleb(-indicator.decimals)):
        return None
    if indicator.decimals == 0:
        return _("“%(value)s” has decimals: this indicator takes whole numbers only.") % {"value": _plain(value)}
    return ngettext(
        "“%(value)s” has too many decimals: this indicator takes at most %(count)d decimal place.",
        "“%(value)s” has too many decimals: this indicator takes at most %(count)d decimal places.",
        indicator.decimals,
    ) % {"value": _plain(value), "count": indicator.decimals}


def value_warnings(*, indicator, value, auto_value):
    """Warnings (not errors) for one value: more decimals than the indicator keeps (a value stored before
    that was refused), outside the indicator's range, or an automatic figure changed by more than 10 %."""
    warnings = []
    if value is None:
        return warnings
    precision = precision_error(indicator=indicator, value=value)
    if precision:
        warnings.append(precision)
    if indicator.min_value is not None and value < indicator.min_value:
        warnings.append(_("Below the expected minimum of %(min)s.") % {"min": _plain(indicator.min_value)})
    if indicator.max_value is not None and value > indicator.max_value:
        warnings.append(_("Above the expected maximum of %(max)s.") % {"max": _plain(indicator.max_value)})
    if is_large_override(value=value, auto_value=auto_value):
        warnings.append(
            _("Differs by more than 10 %% from the automatic figure (%(auto)s).") % {"auto": _plain(auto_value)}
        )
    return warnings


def is_override(*, value, auto_value):
    return auto_value is not None and value is not None and Decimal(value) != Decimal(auto_value)


def is_large_override(*, value, auto_value):
    if not is_override(value=value, auto_value=auto_value):
        return False
    if auto_value == 0:
        return True
    return abs(Decimal(value) - Decimal(auto_value)) / abs(Decimal(auto_value)) > OVERRIDE_TOLERANCE


def _plain(number):
    return f"{Decimal(number).normalize():f}".replace(".", ",")


# --- The workflow: draft → submitted (→ withdrawn: draft) → approved, or returned (with a comment) → draft

TRANSITIONS = {
    "submit": ({ReportStatus.DRAFT, ReportStatus.RETURNED}, ReportStatus.SUBMITTED),
    "return": ({ReportStatus.SUBMITTED}, ReportStatus.RETURNED),
    "approve": ({ReportStatus.SUBMITTED}, ReportStatus.APPROVED),
    "reopen": ({ReportStatus.APPROVED}, ReportStatus.DRAFT),
    # The unit takes back what it submitted, while nobody has reviewed it yet.
    "withdraw": ({ReportStatus.SUBMITTED}, ReportStatus.DRAFT),
}


def transition_error(*, action, report, user, comment=""):
    """Why `user` may not take `action` on `report`, or None when it is allowed (scope and role are
    checked by the caller: filing needs write scope, review the approve permission)."""
    allowed_from, _target = TRANSITIONS[action]
    if report.status not in allowed_from:
        return _("A report that is %(status)s cannot be %(action)s.") % {
            "status": report.get_status_display().lower(),
            "action": ACTION_PAST[action](),
        }
    if action == "approve" and report.submitted_by_id == user.pk:
        return _("Nobody approves their own report: another commander must approve it.")
    if action in ("return", "reopen") and not comment.strip():
        return _("Say why: a comment is required.") if action == "return" else _("Say why: a reason is required.")
    return None


ACTION_PAST = {
    "submit": lambda: _("submitted"),
    "return": lambda: _("returned"),
    "approve": lambda: _("approved"),
    "reopen": lambda: _("reopened"),
    "withdraw": lambda: _("withdrawn"),
}


# --- Decree 30/2020/NĐ-CP: the document format ------------------------------------------------------

NATIONAL_NAME = official.NATIONAL_NAME
MOTTO = official.MOTTO
REPORT_TYPE_CODE = "BC"  # Decree 30/2020, Appendix III: báo cáo


def number_line(number, abbreviation):
    """'Số: 12/BC-BCH' (Decree 30/2020, Appendix I, I.3); an unnumbered draft keeps the blank."""
    return official.number_line(number, REPORT_TYPE_CODE, abbreviation)


date_line = official.date_line
issuing_names = official.issuing_names
