"""Reads on reports: the sheet of one report (values, live figures, last period, roll-up), the inbox,
and the completeness of a period. Each costs a fixed number of queries, whatever the data size."""

from collections import defaultdict
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from units.figures import READS, get_figure
from units.freshness import day_key, remember, scope_units, user_key
from units.models import Unit
from units.scoping import get_scope
from units.selectors import placed_within_q, reporting_to_q

from . import rules
from .models import (
    Aggregation,
    IndicatorValue,
    Period,
    Report,
    ReportComment,
    ReportStatus,
    ReportTemplate,
    ReportTransition,
    SectionIndicator,
    SectionText,
    TemplateSection,
)

OPEN_STATES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def units_expected(period):
    """The units that owe a report for the period: those whose level has an active template of the
    period's kind and that existed at some time during the period."""
    kinds = ReportTemplate.objects.filter(is_active=True, period_kind=period.kind).values("unit_kinds")
    return (
        Unit.objects.filter(kind__in=kinds)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
        .select_related("kind", "parent")
        .order_by("path")
    )


def reports_visible(*, user):
    return Report.objects.visible_to(user).select_related("unit", "unit__kind", "period", "template")


def periods_visible(*, user):
    """Every period (periods are not scoped), with the number of visible reports by state."""
    scope = get_scope(user).q("reports__unit__path")
    return Period.objects.annotate(
        n_reports=Count("reports", filter=scope, distinct=True),
        n_approved=Count("reports", filter=scope & Q(reports__status=ReportStatus.APPROVED), distinct=True),
    ).order_by("-year", "kind", "-number")


def previous_period(period):
    """The period before, of the same kind (last year for a year; the last quarter of last year for Q1)."""
    parts = rules.PERIOD_PARTS[period.kind]
    year, number = (period.year, period.number - 1) if period.number > 1 else (period.year - 1, parts)
    return Period.objects.filter(kind=period.kind, year=year, number=number).first()


def _below(report, field="pk"):
    period = report.period
    return reporting_to_q(report.unit_id, start=period.start, end=period.end, field=field)


def has_children_reports(report):
    return Report.objects.filter(_below(report, "unit"), period_id=report.period_id).exists()


def rollup(report, indicators=None):
    """For a unit with units below it that report: per aggregating indicator, the total (sum or
    population-weighted average) of the approved child reports and each child's value; and the
    children still missing. Three queries."""
    period = report.period
    children = list(units_expected(period).filter(_below(report)).select_related(None).select_related("kind"))
    child_reports = {
        r.unit_id: r
        for r in Report.objects.filter(_below(report, "unit"), period=period).only(
            "pk", "unit_id", "status", "first_submitted_at"
        )
    }
    approved_ids = [r.pk for r in child_reports.values() if r.status == ReportStatus.APPROVED]
    values = defaultdict(dict)
    for v in IndicatorValue.objects.filter(report_id__in=approved_ids, value__isnull=False).values(
        "report__unit_id", "indicator_id", "value"
    ):
        values[v["indicator_id"]][v["report__unit_id"]] = v["value"]
    population = {c.pk: c.population or 0 for c in children}
    totals = {}
    for indicator in indicators or report.template_indicators():
        per_child = values.get(indicator.pk, {})
        totals[indicator.pk] = {
            "total": aggregate(indicator.aggregation, per_child, population) if per_child else None,
            "per_child": per_child,
            "count": len(per_child),
        }
    rows = []
    for child in children:
        child_report = child_reports.get(child.pk)
        rows.append(
            {
                "unit": child,
                "report": child_report,
                "status": child_report.status if child_report else None,
                "approved": bool(child_report and child_report.status == ReportStatus.APPROVED),
            }
        )
    return {
        "children": rows,
        "missing": [r["unit"] for r in rows if not r["approved"]],
        "approved_count": sum(1 for r in rows if r["approved"]),
        "indicators": totals,
    }


def aggregate(aggregation, per_unit, population):
    """Sum, or average weighted by population (a plain average when no unit has a population)."""
    if aggregation == Aggregation.SUM:
        return sum(per_unit.values(), Decimal(0))
    if aggregation == Aggregation.WEIGHTED_AVERAGE:
        weights = {unit_id: population.get(unit_id, 0) for unit_id in per_unit}
        total_weight = sum(weights.values())
        if not total_weight:
            return (sum(per_unit.values(), Decimal(0)) / len(per_unit)).quantize(Decimal("0.1"))
        return (sum(v * weights[u] for u, v in per_unit.items()) / total_weight).quantize(Decimal("0.1"))
    return None


def live_values(report, indicators=None, *, roll=None):
    """The automatic value of each indicator that has one: the roll-up of the approved reports below
    (for a unit whose units report to it) or the live figure of its source, as of the period's last day. A
    figure that is the unit's own record (Figure.over_rollup: a district's call-up is its campaign) is taken
    from its source even where reports below roll up. {id: (value, note)}."""
    indicators = indicators if indicators is not None else report.template_indicators()
    live = {}
    if roll is None and any(i.aggregation != Aggregation.NONE for i in indicators) and has_children_reports(report):
        roll = rollup(report, indicators)
    sourced = []
    for indicator in indicators:
        fig = get_figure(indicator.source) if indicator.source else None
        own = fig is not None and fig.over_rollup
        if roll is not None and indicator.aggregation != Aggregation.NONE and not own:
            entry = roll["indicators"].get(indicator.pk)
            if entry and entry["total"] is not None:
                note = _("Roll-up of %(n)s of %(total)s approved reports below") % {
                    "n": entry["count"],
                    "total": len(roll["children"]),
                }
                live[indicator.pk] = (entry["total"].quantize(Decimal(1).scaleb(-indicator.decimals)), note)
                continue
        if fig is not None:
            sourced.append(indicator)
    live.update(unit_figures(report, sourced))
    return live


def unit_figures(report, indicators):
    """The live figures of the indicators' sources for the report's unit over its period: {id: (value, note)}.
    Kept until the records they count change (`units.figures.READS`) in the unit's subtree — not when a report
    is saved, which a report's own page does on every draft."""
    sources = tuple((i.pk, i.source, i.decimals) for i in indicators)
    if not sources:
        return {}
    unit, start, end = report.unit, report.period.start, report.period.end

    def compute():
        values = {}
        for pk, source, decimals in sources:
            fig = get_figure(source)
            value = fig.compute(unit=unit, start=start, end=end)
            if value is not None:
                value = value.quantize(Decimal(1).scaleb(-decimals))
            values[pk] = (value, str(fig.label))
        return values

    return remember(day_key("unit-figures", unit.pk, start, end, sources), compute, units=[unit], reads=READS)


def kept_for_report(report, name, compute):
    """`compute()`'s value — a summary of one report: its sheet, its page, its files — kept until the records
    of the report's unit or of its subtree change (units.freshness). A draft carries today's date and
    translated labels: the day and the language are part of the key."""
    return remember(day_key(name, report.pk), compute, units=[report.unit])


def report_sheet_cached(report, *, with_live=None):
    """`report_sheet` for the pages that only read it, kept until the report's subtree changes: the roll-up
    and the automatic figures are the costly part."""
    return kept_for_report(report, f"report-sheet-{with_live}", lambda: report_sheet(report, with_live=with_live))


def report_sheet(report, *, with_live=None):
    """Everything the report page shows, section by section."""
    with_live = report.is_editable if with_live is None else with_live
    sections = list(TemplateSection.objects.filter(template_id=report.template_id).order_by("order", "pk"))
    items = list(
        SectionIndicator.objects.filter(section__template_id=report.template_id)
        .select_related("indicator")
        .order_by("order", "pk")
    )
    indicators = [item.indicator for item in items]
    _as_issued(report, sections, indicators)
    texts = {t.section_id: t.text for t in SectionText.objects.filter(report=report)}
    stored = {v.indicator_id: v for v in IndicatorValue.objects.filter(report=report)}
    previous = previous_period(report.period)
    last = {}
    if previous is not None:
        last = dict(
            IndicatorValue.objects.filter(report__period=previous, report__unit_id=report.unit_id).values_list(
                "indicator_id", "value"
            )
        )
    last_label = ""
    if previous is not None and not last and _formed_after(report.unit, previous):
        last, last_label = predecessors_last(report.unit, previous, indicators)
    roll = None
    if any(i.aggregation != Aggregation.NONE for i in indicators) and has_children_reports(report):
        roll = rollup(report, indicators)
    live = live_values(report, indicators, roll=roll) if with_live else {}
    comments = defaultdict(list)
    for comment in ReportComment.objects.filter(report=report).select_related("author"):
        comments[comment.section_id].append(comment)
    by_section = defaultdict(list)
    missing, warned = [], []
    for item in items:
        indicator = item.indicator
        saved = stored.get(indicator.pk)
        auto, note = live.get(indicator.pk, (saved.auto_value if saved else None, ""))
        if not with_live and saved is None:
            auto = None
        value = saved.value if saved else None
        warnings = rules.value_warnings(indicator=indicator, value=value, auto_value=auto)
        row = {
            "indicator": indicator,
            "saved": saved,
            "value": value,
            "shown_value": value if saved is not None else auto,
            "auto": auto,
            "auto_note": note
            or (_("Automatic figure when last saved") if saved and saved.auto_value is not None else ""),
            "reason": saved.override_reason if saved else "",
            "overridden": rules.is_override(value=value, auto_value=auto),
            "last": last.get(indicator.pk),
            "warnings": warnings,
            "rollup": roll["indicators"].get(indicator.pk) if roll else None,
        }
        by_section[item.section_id].append(row)
        if saved is None or saved.value is None:
            missing.append(row)
        if warnings:
            warned.append(row)
    blocks = []
    for section in sections:
        text = texts.get(section.pk, "")
        blocks.append(
            {"section": section, "text": text, "rows": by_section[section.pk], "comments": comments[section.pk]}
        )
    return {
        "sections": blocks,
        "general_comments": comments[None],
        "missing_values": missing,
        "missing_texts": [b["section"] for b in blocks if not b["text"].strip()],
        "warnings": warned,
        "rollup": roll,
        "previous_period": previous,
        "last_label": last_label,
        "live": live,
    }


def _formed_after(unit, period):
    """Whether the unit was formed after the period began (by a merger or a split): its last period's
    figures are its predecessors'."""
    return unit.valid_from is not None and unit.valid_from > period.start


def predecessors_last(unit, period, indicators):
    """A unit formed by a merger: the period's figures of the units it took over, from their approved
    reports, added up (or averaged, weighted by population) as each indicator aggregates; and the label
    that says so. One query."""
    rows = IndicatorValue.objects.filter(
        report__period=period,
        report__unit__successor_id=unit.pk,
        report__status=ReportStatus.APPROVED,
        value__isnull=False,
    ).values_list("indicator_id", "value", "report__unit_id", "report__unit__population", "report__unit__name")
    per_indicator, population, names = defaultdict(dict), {}, set()
    for indicator_id, value, unit_id, unit_population, name in rows:
        per_indicator[indicator_id][unit_id] = value
        population[unit_id] = unit_population or 0
        names.add(name)
    last = {}
    for indicator in indicators:
        values = per_indicator.get(indicator.pk)
        if values:
            last[indicator.pk] = aggregate(indicator.aggregation, values, population)
    label = ""
    if names:
        label = _("Units merged into it: %(names)s") % {"names": ", ".join(sorted(names))}
    return last, label


def _as_issued(report, sections, indicators):
    """An approved report shows the headings, labels and units it was approved with (its snapshot),
    like its signed document, whatever an admin renamed since. The objects are this sheet's own."""
    issued = report.issued if report.status == ReportStatus.APPROVED else None
    if not issued:
        return
    headings = {part["section"]: part["heading"] for part in issued["sections"]}
    labels = {row["indicator"]: row for part in issued["sections"] for row in part["rows"]}
    for section in sections:
        section.heading = headings.get(section.pk, section.heading)
    for indicator in indicators:
        row = labels.get(indicator.pk)
        if row is not None:
            indicator.label, indicator.unit_of_measure = row["label"], row["unit_of_measure"]
            indicator.decimals = row["decimals"]


def timeline(report):
    return list(ReportTransition.objects.filter(report=report).select_related("actor"))


def return_notes(reports):
    """The reviewer's step that sent each returned report back (its comment says what to fix): report id ->
    the latest return. One query, none when no report of `reports` is returned."""
    ids = [r.pk for r in reports if r.status == ReportStatus.RETURNED]
    if not ids:
        return {}
    notes = {}
    for step in (
        ReportTransition.objects.filter(report_id__in=ids, to_status=ReportStatus.RETURNED)
        .select_related("actor")
        .order_by("report_id", "-at", "-pk")
    ):
        notes.setdefault(step.report_id, step)
    return notes


# --- Inbox and completeness ---------------------------------------------------------------------------


def inbox(*, user, limit=50):
    """The reports waiting for the user: to review (approvers), drafts and returned ones (filers),
    overdue ones in the user's units, a returned one with the reviewer's comment. Four list queries and
    four counts, and one for the comments when a report shown is returned."""
    today = timezone.localdate()
    base = reports_visible(user=user).select_related("submitted_by", "last_saved_by")
    editable = (
        Report.objects.editable_by(user).select_related("unit", "unit__kind", "period", "template", "last_saved_by")
        if user.has_perm("reports.change_report")
        else Report.objects.none()
    )
    waiting = (
        base.filter(status=ReportStatus.SUBMITTED).exclude(submitted_by=user)
        if user.has_perm("reports.approve_report")
        else Report.objects.none()
    )
    lists = {
        "waiting": waiting.order_by("period__due_date", "unit__path"),
        "drafts": editable.filter(status=ReportStatus.DRAFT).order_by("period__due_date", "unit__path"),
        "returned": editable.filter(status=ReportStatus.RETURNED).order_by("period__due_date", "unit__path"),
        "overdue": base.filter(status__in=OPEN_STATES, period__due_date__lt=today).order_by(
            "period__due_date", "unit__path"
        ),
    }
    box = {key: {"count": qs.count(), "items": list(qs[:limit])} for key, qs in lists.items()}
    shown = [r for entry in box.values() for r in entry["items"]]
    notes = return_notes(shown)
    for report in shown:
        report.return_note = notes.get(report.pk)
    return box


class UnitState:
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    ON_TIME = "on_time"
    LATE = "late"
    RETURNED = "returned"
    APPROVED = "approved"

    LABELS = {
        NOT_STARTED: lambda: _("Not started"),
        DRAFT: lambda: _("Draft"),
        ON_TIME: lambda: _("Submitted on time"),
        LATE: lambda: _("Submitted late"),
        RETURNED: lambda: _("Returned"),
        APPROVED: lambda: _("Approved"),
    }


def unit_state(report):
    if report is None or (
        report.status == ReportStatus.DRAFT and report.version == 0 and not report.first_submitted_at
    ):
        return UnitState.NOT_STARTED
    if report.status == ReportStatus.APPROVED:
        return UnitState.APPROVED
    if report.status == ReportStatus.RETURNED:
        return UnitState.RETURNED
    if report.status == ReportStatus.SUBMITTED:
        on_time = rules.is_on_time(submitted_at=report.first_submitted_at, due_date=report.period.due_date)
        return UnitState.ON_TIME if on_time else UnitState.LATE
    return UnitState.DRAFT


def inbox_kept(*, user):
    """`inbox`, kept until the records of the user's units change."""
    return remember(user_key("inbox", user), lambda: inbox(user=user), units=scope_units(get_scope(user)))


def completeness_page(*, period, user, state, asked, per_page):
    """`completeness` for the period page, kept until the records of the user's units change. The rates count
    every unit; the table shows a page of them (a province has hundreds of units, the nation thousands):
    only the rows of page `asked` (of those in `state`, when given) are kept, not every unit's."""

    def figures():
        result = completeness(period=period, user=user)
        rows = [r for r in result["rows"] if r["state"] == state] if state else result["rows"]
        page = Paginator(rows, per_page).get_page(asked)
        return {
            "result": {key: value for key, value in result.items() if key != "rows"},
            "rows": list(page.object_list),
            "number": page.number,
            "count": len(rows),
            "missing_reports": sum(1 for r in result["rows"] if r["report"] is None),
        }

    return remember(
        user_key("completeness", user, period.pk, state, asked), figures, units=scope_units(get_scope(user))
    )


def completeness(*, period, user):
    """Each expected unit of the user's scope with its state; the reporting rate (submitted or approved
    among expected), the on-time rate (first submitted by the due date) and what is overdue. Units
    that did not exist during the period are not expected, so no rate can pass 100 %. Two queries."""
    today = timezone.localdate()
    scope = get_scope(user)
    # The units of the user's scope as they stood on the period's last day (a unit moved since counts where it
    # stood then, units.FormerParent).
    expected = units_expected(period)
    units = list(expected if scope.is_all else expected.filter(placed_within_q(scope.read_paths, on=period.end)))
    reports = {
        r.unit_id: r
        for r in Report.objects.filter(period=period, unit_id__in=[u.pk for u in units]).select_related(
            "submitted_by", "approved_by"
        )
    }
    rows = []
    counts = defaultdict(int)
    on_time = submitted = overdue = 0
    for unit in units:
        report = reports.get(unit.pk)
        if report is not None:
            report.period = period
        state = unit_state(report)
        counts[state] += 1
        was_submitted = bool(report and report.first_submitted_at)
        submitted += was_submitted
        punctual = was_submitted and rules.is_on_time(submitted_at=report.first_submitted_at, due_date=period.due_date)
        on_time += punctual
        is_overdue = (not report or report.status in OPEN_STATES) and today > period.due_date
        overdue += is_overdue
        rows.append(
            {
                "unit": unit,
                "report": report,
                "state": state,
                "state_label": UnitState.LABELS[state](),
                "on_time": punctual,
                "overdue": is_overdue,
            }
        )
    expected = len(units)
    return {
        "period": period,
        "rows": rows,
        "expected": expected,
        "counts": dict(counts),
        "submitted": submitted,
        "on_time": on_time,
        "overdue": overdue,
        "reporting_rate": round(100 * submitted / expected, 1) if expected else None,
        "on_time_rate": round(100 * on_time / expected, 1) if expected else None,
        "approved_rate": round(100 * counts[UnitState.APPROVED] / expected, 1) if expected else None,
    }


__all__ = [
    "completeness",
    "inbox",
    "live_values",
    "previous_period",
    "report_sheet",
    "reports_visible",
    "rollup",
    "timeline",
    "unit_state",
]
