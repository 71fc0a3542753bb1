"""Writes on reports: opening periods, saving drafts (with a version check), the workflow steps,
comments and document numbers. Each is one transaction: a failure half-way changes nothing."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from units.freshness import changed
from units.scoping import get_scope
from units.text import ascii_digits, clean_text

from . import documents, rules
from .models import (
    EDITABLE_STATUSES,
    DocumentNumber,
    IndicatorValue,
    Period,
    Report,
    ReportComment,
    ReportStatus,
    ReportTemplate,
    ReportTransition,
    SectionText,
    TemplateSection,
)
from .selectors import live_values, units_expected
from .signals import report_stepped


class ReportConflict(Exception):
    """The report was saved by someone else since the user opened it (a stale version)."""

    def __init__(self, report):
        super().__init__("stale version")
        self.report = report


# --- Periods ---------------------------------------------------------------------------------------


@transaction.atomic
def period_create(*, kind, year, number=1, due_date=None):
    start, end = rules.period_bounds(kind, year, number)
    period = Period(
        kind=kind,
        year=year,
        number=number,
        start=start,
        end=end,
        due_date=due_date or rules.default_due_date(kind, end),
    )
    period.full_clean()
    period.save()
    changed(everything=True)  # every unit's pages list the periods
    return period


@transaction.atomic
def period_open(*, period, user=None):
    """Create the report each expected unit owes (a unit that already has one keeps it). Returns the
    number of reports created. A user other than a superuser opens it for the units they keep (their
    write scope); another district's officer opening the same period adds their district's reports."""
    templates = {}
    for template in ReportTemplate.objects.filter(is_active=True, period_kind=period.kind).prefetch_related(
        "unit_kinds"
    ):
        for kind in template.unit_kinds.all():
            templates.setdefault(kind.pk, template)
    have = set(Report.objects.filter(period=period).values_list("unit_id", flat=True))
    issuing = {}
    new = []
    scope = get_scope(user) if user is not None else None
    for unit in units_expected(period):
        if unit.pk in have or (scope is not None and not scope.can_write_path(unit.path)):
            continue
        names = issuing.setdefault(unit.pk, rules.issuing_names(unit))
        new.append(
            Report(
                unit=unit,
                period=period,
                template=templates[unit.kind_id],
                signer_title=names["signer_title"],
                signer_name=names["signer_name"],
                recipients=names["recipients"],
            )
        )
    Report.objects.bulk_create(new)
    if period.opened_at is None:
        Period.objects.filter(pk=period.pk).update(opened_at=timezone.now())
        period.opened_at = timezone.now()
    changed(everything=True)  # reports of every expected unit
    return len(new)


def _templates_by_kind(kind):
    """{unit kind id: the active template its units file} for the periods of `kind` (period_open's choice)."""
    templates = {}
    for template in ReportTemplate.objects.filter(is_active=True, period_kind=kind).prefetch_related("unit_kinds"):
        for unit_kind in template.unit_kinds.all():
            templates.setdefault(unit_kind.pk, template)
    return templates


def reports_owed_by_new_units(*, units, since):
    """The (unit, period) pairs for which units formed by a reorganisation on `since` owe a report that does
    not exist yet: every period already opened that runs on or after that day, where the unit's level files a
    template of the period's kind. Units not saved yet (a preview) have no report. Reads only."""
    periods = list(Period.objects.filter(opened_at__isnull=False, end__gte=since).order_by("start", "kind"))
    have = set(
        Report.objects.filter(period__in=periods, unit_id__in=[u.pk for u in units if u.pk and u.pk > 0]).values_list(
            "unit_id", "period_id"
        )
    )
    owed = []
    for period in periods:
        kinds = _templates_by_kind(period.kind)
        owed += [(u, period) for u in units if u.kind_id in kinds and (u.pk, period.pk) not in have]
    return owed


@transaction.atomic
def reports_open_for_new_units(*, units, since):
    """Create the reports `reports_owed_by_new_units` lists (a split's parts: each files its own report for
    the periods under way). Returns them."""
    new = []
    templates = {}
    for unit, period in reports_owed_by_new_units(units=units, since=since):
        template = templates.setdefault(period.kind, _templates_by_kind(period.kind))[unit.kind_id]
        names = rules.issuing_names(unit)
        new.append(
            Report(
                unit=unit,
                period=period,
                template=template,
                signer_title=names["signer_title"],
                signer_name=names["signer_name"],
                recipients=names["recipients"],
            )
        )
    Report.objects.bulk_create(new)
    if new:
        changed(units=units, records={"reports"})
    return new


SIGNING = ("signer_title", "signer_name", "recipients")


@transaction.atomic
def report_move(*, report, unit):
    """Hand a report not yet approved to `unit`, the unit that takes over its place in a reorganisation.
    Where the unit's level files another template for the period's kind (a district's report taken over by
    an area defence command), the report takes that template: each narrative goes to the section of the same
    heading, the values of the indicators both templates ask for stay, and nothing else is deleted. The
    automatic figures are computed again for the new unit; a figure the officer changed with a reason keeps
    the officer's value; the signer and recipients the old unit gave it become the new unit's. An approved
    report stays with the unit that filed it."""
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(_("An approved report stays with the unit that filed it."))
    old_unit = report.unit
    report.unit = unit
    template = _templates_by_kind(report.period.kind).get(unit.kind_id)
    if template is not None and template.pk != report.template_id:
        _follow_template(report, template)
    # The signer and the recipients the old unit gave the report follow the new unit's; typed ones stay.
    before, after = rules.issuing_names(old_unit), rules.issuing_names(unit)
    names = [name for name in SIGNING if (getattr(report, name) or "") == before[name]]
    for name in names:
        setattr(report, name, after[name])
    report.save(update_fields=["unit", "template", *names])
    _recompute_automatic(report)
    changed(units=[old_unit, unit], records={"reports"})
    return report


def _heading_key(heading):
    return " ".join((heading or "").split()).casefold()


def _follow_template(report, template):
    """Point the report's narratives and section comments at the sections of `template` with the same
    heading; a text with no such section is kept as it is (not shown), a comment becomes a general one."""
    sections = {}
    for section in TemplateSection.objects.filter(template=template).order_by("order", "pk"):
        sections.setdefault(_heading_key(section.heading), section)
    old = {s.pk: _heading_key(s.heading) for s in TemplateSection.objects.filter(template_id=report.template_id)}
    taken = set()
    for text in SectionText.objects.filter(report=report).order_by("section__order", "pk"):
        target = sections.get(old.get(text.section_id))
        if target is not None and target.pk not in taken:
            taken.add(target.pk)
            text.section = target
            text.save(update_fields=["section"])
    for comment in ReportComment.objects.filter(report=report, section__isnull=False):
        target = sections.get(old.get(comment.section_id))
        comment.section = target
        comment.save(update_fields=["section"])
    report.template = template


def _recompute_automatic(report):
    """The saved automatic figures of a report that changed unit, as the new unit's records give them: a
    value that was the automatic figure follows it, a value the officer typed stays (with its reason while it
    still differs)."""
    live = live_values(report)
    saved = list(IndicatorValue.objects.filter(report=report, indicator_id__in=list(live)))
    for row in saved:
        auto = live[row.indicator_id][0]
        typed = row.value is not None and (row.auto_value is None or row.value != row.auto_value)
        if typed:
            row.override_reason = row.override_reason if rules.is_override(value=row.value, auto_value=auto) else ""
        else:
            row.value, row.override_reason = auto, ""
        row.auto_value = auto
    IndicatorValue.objects.bulk_update(saved, ["value", "auto_value", "override_reason"])


@transaction.atomic
def period_create_and_open(
    *, user, kind: str, year: int, number: int = 1, due_date: datetime.date | None = None
) -> tuple[Period, int]:
    """Create a period and open it for the units the user keeps (period_open), in one transaction: a refused
    period leaves no reports behind. Returns the period and the number of reports created."""
    period = period_create(kind=kind, year=year, number=number, due_date=due_date)
    return period, period_open(period=period, user=user)


# --- Saving a draft ----------------------------------------------------------------------------------


@dataclass
class Draft:
    """What the user typed: narrative per section id, value text and reason per indicator id."""

    texts: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)  # indicator id -> (value text or Decimal or None, reason)
    signer_title: str | None = None
    signer_name: str | None = None
    recipients: str | None = None


def check_can_edit(user, report):
    if not get_scope(user).can_write_path(report.unit.path) or not user.has_perm("reports.change_report"):
        raise PermissionDenied(_("Your role may only read the reports of this unit."))
    if not report.is_editable:
        raise PermissionDenied(
            _("This report is %(status)s and can no longer be changed.")
            % {"status": report.get_status_display().lower()}
        )


def parse_value(text):
    """A value typed the Vietnamese way (1.234,5) or plainly (1234.5); empty is None."""
    if text is None or isinstance(text, Decimal):
        return text
    try:
        text = ascii_digits(str(text)).strip().replace(" ", "").replace("\u00a0", "")
    except ValidationError:
        raise ValueError(text) from None
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (
        text.count(".") == 1 and len(text.split(".")[1]) == 3 and text.split(".")[0].lstrip("-") not in ("", "0")
    ):
        text = text.replace(".", "")  # 1.234 or 1.234.567: thousands separators
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValueError(text)
    return value


@transaction.atomic
def report_save(*, user, report, version, draft, live=None):
    """Save the user's draft if nobody saved since `version`; raise ReportConflict otherwise and
    ValidationError (with every problem) when a value is not a number or an automatic figure is
    changed without a reason. `live` maps indicator id -> automatic value (selectors.live_values)."""
    check_can_edit(user, report)
    indicators = {i.pk: i for i in report.template_indicators()}
    sections = set(report.template.sections.values_list("pk", flat=True))
    live = live or {}
    errors = {}
    parsed = {}
    for indicator_id, (raw, reason) in draft.values.items():
        indicator = indicators.get(int(indicator_id))
        if indicator is None:
            continue
        try:
            value = parse_value(raw)
        except ValueError:
            errors[f"value_{indicator.pk}"] = _("“%(value)s” is not a number.") % {"value": str(raw)[:40]}
            continue
        precision = rules.precision_error(indicator=indicator, value=value)
        if precision:
            errors[f"value_{indicator.pk}"] = precision
            continue
        if value is not None:
            value = value.quantize(Decimal(1).scaleb(-indicator.decimals))  # 1234.50 → 1234: nothing is lost
        auto = live.get(indicator.pk)
        reason = (reason or "").strip()[:255]
        if rules.is_override(value=value, auto_value=auto) and not reason:
            errors[f"reason_{indicator.pk}"] = _("Give a reason for changing the automatic figure.")
        parsed[indicator.pk] = (value, auto, reason if rules.is_override(value=value, auto_value=auto) else "")
    if errors:
        raise ValidationError(errors)
    # One conditional update decides: the version the user loaded, and a state that allows editing. It takes
    # the row's lock, so a submit or an approval committed meanwhile (they lock the row too) makes it match
    # nothing, and no draft is written after the report left the unit's hands.
    updated = Report.objects.filter(pk=report.pk, version=version, status__in=EDITABLE_STATUSES).update(
        version=F("version") + 1, last_saved_at=timezone.now(), last_saved_by=user
    )
    if not updated:
        current = Report.objects.select_related("unit", "last_saved_by").get(pk=report.pk)
        check_can_edit(user, current)
        raise ReportConflict(current)
    # One statement each for the narratives and the values: inserted, or updated where the row exists.
    SectionText.objects.bulk_create(
        [
            SectionText(report=report, section_id=section_id, text=clean_text(text or "")[:50000])
            for section_id, text in {int(key): text for key, text in draft.texts.items()}.items()
            if section_id in sections
        ],
        update_conflicts=True,
        unique_fields=["report", "section"],
        update_fields=["text"],
    )
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                report=report, indicator_id=indicator_id, value=value, auto_value=auto, override_reason=reason
            )
            for indicator_id, (value, auto, reason) in parsed.items()
        ],
        update_conflicts=True,
        unique_fields=["report", "indicator"],
        update_fields=["value", "auto_value", "override_reason"],
    )
    extra = {}
    for name in ("signer_title", "signer_name", "recipients"):
        value = getattr(draft, name)
        if value is not None:
            extra[name] = value.strip()[: 2000 if name == "recipients" else 120]
    if extra:
        Report.objects.filter(pk=report.pk).update(**extra)
    report.refresh_from_db()
    changed(units=[report.unit], records={"reports"})
    return report


# --- The workflow ------------------------------------------------------------------------------------


def _transition(*, user, report, action, comment=""):
    error = rules.transition_error(action=action, report=report, user=user, comment=comment)
    if error:
        raise ValidationError(error)
    _allowed, target = rules.TRANSITIONS[action]
    # Lock the row: two reviewers acting at once see one another's step, never a lost one.
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != report.status:
        raise ValidationError(_("Someone else changed this report's state meanwhile; reload the page."))
    ReportTransition.objects.create(
        report=report, from_status=report.status, to_status=target, actor=user, comment=comment.strip()
    )
    report.status = target
    changed(units=[report.unit], records={"reports"})
    report_id = report.pk
    transaction.on_commit(lambda: report_stepped.send_robust(sender=Report, report_id=report_id, action=action))
    return report


def _check_reviewer(user, report):
    if not user.has_perm("reports.approve_report") or not get_scope(user).can_read_path(report.unit.path):
        raise PermissionDenied(_("Only a commander of this unit may review its reports."))


@transaction.atomic
def report_submit(*, user, report, comment=""):
    check_can_edit(user, report)
    _transition(user=user, report=report, action="submit", comment=comment)
    now = timezone.now()
    report.submitted_at, report.submitted_by = now, user
    report.first_submitted_at = report.first_submitted_at or now
    report.save(update_fields=["status", "submitted_at", "submitted_by", "first_submitted_at"])
    return report


@transaction.atomic
def report_withdraw(*, user, report, comment=""):
    """Take a submitted report back to draft before it is reviewed (rút lại): the unit's filers only;
    once approved or returned it is the reviewer's, and only a reopening or a new submission moves it."""
    if not get_scope(user).can_write_path(report.unit.path) or not user.has_perm("reports.change_report"):
        raise PermissionDenied(_("Your role may only read the reports of this unit."))
    _transition(user=user, report=report, action="withdraw", comment=comment)
    report.submitted_at = report.submitted_by = None
    # A submission nobody ever reviewed, taken back, does not count as submitted (reporting and on-time rates).
    reviewed = ReportTransition.objects.filter(
        report=report, to_status__in=[ReportStatus.RETURNED, ReportStatus.APPROVED]
    ).exists()
    if not reviewed:
        report.first_submitted_at = None
    report.save(update_fields=["status", "submitted_at", "submitted_by", "first_submitted_at"])
    return report


@transaction.atomic
def report_return(*, user, report, comment):
    _check_reviewer(user, report)
    _transition(user=user, report=report, action="return", comment=comment)
    report.save(update_fields=["status"])
    return report


@transaction.atomic
def report_approve(*, user, report, comment=""):
    _check_reviewer(user, report)
    _transition(user=user, report=report, action="approve", comment=comment)
    report.approved_at, report.approved_by = timezone.now(), user
    if report.doc_number is None:
        report.doc_number = allocate_number(unit=report.unit, year=timezone.localdate().year)
    # The signed document keeps the names and labels of this moment, whatever is edited later.
    report.issued = documents.issued_snapshot(report)
    report.save(update_fields=["status", "approved_at", "approved_by", "doc_number", "issued"])
    return report


@transaction.atomic
def report_reopen(*, user, report, reason):
    _check_reviewer(user, report)
    _transition(user=user, report=report, action="reopen", comment=reason)
    report.approved_at = report.approved_by = report.issued = None
    report.save(update_fields=["status", "approved_at", "approved_by", "issued"])
    return report


def allocate_number(*, unit, year):
    """The next document number of the unit in the year; numbers are never reused (Decree 30/2020,
    art. 15: numbered per year from 01/01 to 31/12)."""
    counter, _created = DocumentNumber.objects.select_for_update().get_or_create(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def comment_add(*, user, report, text, section=None):
    if not get_scope(user).can_read_path(report.unit.path):
        raise PermissionDenied(_("No such record in your units."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment first.")})
    if section is not None and section.template_id != report.template_id:
        raise ValidationError({"section": _("This section is not part of the report.")})
    comment = ReportComment(report=report, section=section, author=user, text=text[:5000])
    comment.full_clean()
    comment.save()
    changed(units=[report.unit], records={"reports"})
    return comment
