"""Reorganisation of units as service calls: merge, split, rename, move. One transaction each.

Every call is dated (`on`: the first day of the new arrangement) and carries its legal basis (resolution
number and date, typed by the user). The old units end the day before and name their successor; nothing is
deleted; every record that moves keeps its history (simple-history) and the reorganisation itself is kept
as a `units.Restructuring` with what moved, plus a line of the security audit trail. `*_preview` returns the
plan the commit carries out (reorg.plan), so the preview page lists exactly what the commit moves.
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from activities.models import DutyEvent, DutyLog
from people.models import Person
from recruitment.models import Quota
from reports import services as report_services
from reports.models import Report
from units.audit import audit_record
from units.dates import validate_date_range
from units.freshness import changed
from units.models import Assignment, AuditEvent, CommandLink, FormerParent, Restructuring, Unit, UnitKind
from units.roles import Role
from units.services import user_sync_role_groups

from . import plan as plans

DAY = datetime.timedelta(days=1)


@dataclass
class NewUnit:
    """A unit the reorganisation creates (the merged commune, a part of a split)."""

    name: str
    code: str
    kind: UnitKind
    parent: Unit | None
    population: int | None = None

    def build(self, *, on, temporary_pk=None):
        unit = Unit(
            name=(self.name or "").strip(),
            code=(self.code or "").strip(),
            kind=self.kind,
            parent=self.parent,
            population=self.population,
            valid_from=on,
        )
        if temporary_pk is not None:
            unit.pk = temporary_pk
        return unit


@dataclass
class Basis:
    """The legal basis of a reorganisation: the resolution's number and date (căn cứ pháp lý)."""

    number: str
    date: datetime.date | None


# --- Checks shared by preview and commit -------------------------------------------------------------


def _check_day_and_basis(*, on, basis, errors):
    today = timezone.localdate()
    if on is None:
        errors.append(_("Give the day the reorganisation takes effect."))
    else:
        try:
            validate_date_range(on)
        except ValidationError as exc:
            errors.extend(exc.messages)
    if not (basis.number or "").strip():
        errors.append(_("Give the number of the resolution or decision it is based on."))
    if basis.date is None:
        errors.append(_("Give the date of the resolution or decision."))
    elif basis.date > today:
        errors.append(_("The date of the resolution must not be after today."))
    elif on is not None and basis.date > on:
        errors.append(_("The resolution must be dated on or before the day it takes effect."))


def _check_in_force(unit, on, errors):
    if unit.valid_to is not None:
        errors.append(
            _("%(unit)s has already ended (%(day)s).") % {"unit": unit.name, "day": f"{unit.valid_to:%d/%m/%Y}"}
        )
    elif on is not None and unit.valid_from is not None and unit.valid_from >= on:
        errors.append(
            _("%(unit)s only starts on %(day)s: the reorganisation must take effect after that.")
            % {"unit": unit.name, "day": f"{unit.valid_from:%d/%m/%Y}"}
        )


def _check_new(new, *, ending, errors):
    """A unit to create: a name, a kind, an official code that no unit staying in force holds."""
    if not (new.name or "").strip():
        errors.append(_("Give the name of the new unit."))
    code = (new.code or "").strip()
    if not code:
        errors.append(_("Give the official code of the new unit."))
    elif Unit.objects.current().filter(code=code).exclude(pk__in=[u.pk for u in ending]).exists():
        errors.append(_("A unit in force already has the official code %(code)s.") % {"code": code})
    if new.kind is None:
        errors.append(_("Choose the level of the new unit."))
    if new.parent is not None and new.parent.valid_to is not None:
        errors.append(_("The unit above the new unit has ended."))


def _raise(errors):
    if errors:
        raise ValidationError(list(dict.fromkeys(str(e) for e in errors)))


# --- Merge --------------------------------------------------------------------------------------------


def _merge_checks(*, sources, into, on, basis):
    errors = []
    _check_day_and_basis(on=on, basis=basis, errors=errors)
    if not sources:
        errors.append(_("Choose the units to merge."))
    for unit in sources:
        _check_in_force(unit, on, errors)
    if isinstance(into, NewUnit):
        _check_new(into, ending=sources, errors=errors)
    elif into is None:
        errors.append(_("Choose the unit they merge into, or describe the new one."))
    else:
        if into.pk in {u.pk for u in sources}:
            errors.append(_("The unit they merge into cannot be one of the units that end."))
        _check_in_force(into, None, errors)
        if into.path and any(into.path.startswith(u.path) for u in sources):
            errors.append(_("The unit they merge into cannot lie inside a unit that ends."))
    return errors


def _merge_plan(*, sources, into, on):
    plan = plans.build(kind=Restructuring.Kind.MERGE, sources=sources, results=[into], router=plans.Router(into), on=on)
    _plan_new_reports(plan, units=[into], reports_unit=into)
    return plan


def _plan_new_reports(plan, *, units, reports_unit):
    """The reports opened for the units a reorganisation forms (`units`): each files its own report for the
    periods under way, except where `reports_unit` takes a source's report of the period (reports line)."""
    moving = set(Report.objects.filter(pk__in=list(plan.line("reports").targets)).values_list("period_id", flat=True))
    plan.new_reports = [
        (unit, period)
        for unit, period in report_services.reports_owed_by_new_units(units=units, since=plan.on)
        if not (unit is reports_unit and period.pk in moving)
    ]
    new_reports = plans.Line("new_reports", plans.LABELS["new_reports"])
    for index, (unit, period) in enumerate(plan.new_reports):
        new_reports.add(index, unit.pk, f"{unit.name} · {period.label}")
    plan.moves.append(new_reports)


def merge_preview(*, sources, into, on, basis):
    """The plan of a merger, without writing anything; `plan.errors` lists what must be corrected first."""
    sources = list(sources)
    errors = _merge_checks(sources=sources, into=into, on=on, basis=basis)
    target = into.build(on=on, temporary_pk=-1) if isinstance(into, NewUnit) else into
    plan = _merge_plan(sources=sources, into=target, on=on) if not errors else plans.Plan("merge", on, sources, [])
    plan.errors = [str(e) for e in errors]
    return plan


@transaction.atomic
def unit_merge(*, sources, into, on, basis, by=None) -> Restructuring:
    """Merge `sources` into `into` (an existing unit, or a NewUnit created here) on the day `on`. The
    sources' reports of periods from the day on go to it (one per period, with the template of its level),
    and it gets a report of its own for every other period under way (merge_preview)."""
    sources = list(Unit.objects.select_for_update().filter(pk__in=[u.pk for u in sources]).order_by("path"))
    _raise(_merge_checks(sources=sources, into=into, on=on, basis=basis))
    _end(sources, on)
    if isinstance(into, NewUnit):
        if into.population is None and sources and all(u.population is not None for u in sources):
            into.population = sum(u.population for u in sources)
        into = _create(into, on)
    plan = _merge_plan(sources=sources, into=into, on=on)
    _apply(plan, by=by)
    report_services.reports_open_for_new_units(units=[into], since=on)
    _name_successor(sources, into)
    return _record(plan, basis=basis, by=by)


# --- Split --------------------------------------------------------------------------------------------


def _split_checks(*, source, parts, on, basis):
    errors = []
    _check_day_and_basis(on=on, basis=basis, errors=errors)
    _check_in_force(source, on, errors)
    if len(parts) < 2:
        errors.append(_("A split needs at least two parts."))
    children = {u.pk: u for u in Unit.objects.filter(parent=source, valid_to__isnull=True)}
    named = {}
    for new, hamlets in parts:
        if isinstance(new, NewUnit):
            _check_new(new, ending=[source], errors=errors)
        for hamlet in hamlets:
            if hamlet.pk not in children:
                errors.append(_("%(hamlet)s is not a unit of %(unit)s.") % {"hamlet": hamlet.name, "unit": source.name})
            elif hamlet.pk in named:
                errors.append(_("%(hamlet)s is named to two parts.") % {"hamlet": hamlet.name})
            named[hamlet.pk] = new
    codes = [(new.code or "").strip() for new, _hamlets in parts if isinstance(new, NewUnit)]
    if len(codes) != len(set(codes)):
        errors.append(_("Two parts have the same official code."))
    unnamed = [u.name for pk, u in children.items() if pk not in named]
    if unnamed:
        errors.append(_("Name a part for every unit below: %(names)s.") % {"names": ", ".join(sorted(unnamed))})
    return errors


def _people_per_part(source, parts):
    """How many people of the registry each part takes: those of its hamlets, and for the first part those
    registered at the commune itself (as the plan moves them). One query."""
    part_of = {hamlet.pk: index for index, (_unit, hamlets) in enumerate(parts) for hamlet in hamlets}
    counts = [0] * len(parts)
    rows = (
        Person.objects.filter(Q(home_unit_id=source.pk) | Q(home_unit_id__in=list(part_of)))
        .values("home_unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[part_of.get(row["home_unit_id"], 0)] += row["n"]
    return counts


def proportional(total, weights):
    """`total` divided in proportion to `weights` in whole numbers that add up to it (largest remainders; a
    tie goes to the earlier part). Equal weights when every weight is zero."""
    if not weights:
        return []
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    exact = [Fraction(total * w, whole) for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def quota_division(*, source, parts, on, quotas=None):
    """Each quota of `source` of a campaign that runs in the structure of `on` (plan.campaign_runs_q) with its
    count per part: as given in `quotas` ({quota id: [count per part]}), else in proportion to the people each
    part takes. [(quota, counts, proportional)]."""
    given = quotas or {}
    open_quotas = list(
        Quota.objects.filter(commune_id=source.pk)
        .filter(plans.campaign_runs_q(on))
        .select_related("campaign")
        .order_by("campaign__year", "pk")
    )
    weights = _people_per_part(source, parts) if any(q.pk not in given for q in open_quotas) else []
    return [
        (quota, list(given[quota.pk]), False)
        if quota.pk in given
        else (quota, proportional(quota.count, weights), True)
        for quota in open_quotas
    ]


def _division_errors(division, parts):
    errors = []
    for quota, counts, _proportional in division:
        what = {"year": quota.campaign.year, "count": quota.count}
        if len(counts) != len(parts) or any(c is None or int(c) != c or c < 0 for c in counts):
            errors.append(
                _("Give each part a whole number, zero or more, of the quota of the call-up %(year)s.") % what
            )
        elif sum(counts) != quota.count:
            errors.append(
                _(
                    "The quota of the call-up %(year)s is %(count)s: the parts add up to %(sum)s. Divide it so "
                    "that they add up to exactly %(count)s."
                )
                % {**what, "sum": sum(counts)}
            )
    return errors


def _split_plan(*, source, parts, on, division, reports_to=0):
    router = plans.Router(
        parts[0][0],
        {hamlet.pk: unit for unit, hamlets in parts for hamlet in hamlets},
        reports_to=parts[reports_to][0],
    )
    results = [unit for unit, _h in parts]
    plan = plans.build(kind=Restructuring.Kind.SPLIT, sources=[source], results=results, router=router, on=on)
    # The quotas of open campaigns are divided between the parts, not handed to the first.
    line = plan.line("quotas")
    line.label = plans.LABELS["quota_division"]
    line.targets, line.examples = {}, []
    for quota, counts, _proportional in division:
        keeper = next((i for i, c in enumerate(counts) if c), 0)
        line.add(
            quota.pk,
            results[keeper].pk,
            _("call-up %(year)s (%(count)s): %(parts)s")
            % {
                "year": quota.campaign.year,
                "count": quota.count,
                "parts": ", ".join(f"{unit.name} {count}" for unit, count in zip(results, counts, strict=True)),
            },
        )
    plan.quota_division = division
    # Each part files its own report for the periods under way; the one the source's report of a period from
    # the day on goes to has that report.
    _plan_new_reports(plan, units=results, reports_unit=parts[reports_to][0])
    return plan


def _split_inputs(*, source, parts, on, basis, quotas, reports_to):
    errors = _split_checks(source=source, parts=parts, on=on, basis=basis)
    division = []
    if not errors:
        division = quota_division(source=source, parts=parts, on=on, quotas=quotas)
        errors += _division_errors(division, parts)
        if not 0 <= reports_to < len(parts):
            errors.append(_("Choose the part that takes the reports of the periods from the day on."))
    return errors, division


def split_preview(*, source, parts, on, basis, quotas=None, reports_to=0):
    """The plan of a split: `parts` is [(NewUnit or Unit, [hamlets])]; the first part is the successor.
    `quotas` ({quota id: [count per part]}) divides the quotas of open campaigns (the others in proportion to
    the people each part takes); `reports_to` (a part's index) takes the source's reports of the periods from
    the day on, the other parts get reports of their own."""
    parts = [(new, list(hamlets)) for new, hamlets in parts]
    errors, division = _split_inputs(
        source=source, parts=parts, on=on, basis=basis, quotas=quotas, reports_to=reports_to
    )
    if errors:
        plan = plans.Plan("split", on, [source], [])
    else:
        built = [
            (new.build(on=on, temporary_pk=-1 - index) if isinstance(new, NewUnit) else new, hamlets)
            for index, (new, hamlets) in enumerate(parts)
        ]
        plan = _split_plan(source=source, parts=built, on=on, division=division, reports_to=reports_to)
    plan.errors = [str(e) for e in errors]
    return plan


@transaction.atomic
def unit_split(*, source, parts, on, basis, by=None, quotas=None, reports_to=0) -> Restructuring:
    """Split `source` on `on` into the parts, each taking the hamlets named to it; the first is its successor.
    The quotas of open campaigns are divided between the parts (`quotas`, else in proportion to the people
    each takes); the source's reports of periods from the day on go to the part `reports_to`, and every part
    gets a report of its own for the periods under way (split_preview)."""
    source = Unit.objects.select_for_update().get(pk=source.pk)
    parts = [(new, list(hamlets)) for new, hamlets in parts]
    errors, division = _split_inputs(
        source=source, parts=parts, on=on, basis=basis, quotas=quotas, reports_to=reports_to
    )
    _raise(errors)
    _end([source], on)
    created = []
    for new, hamlets in parts:
        if isinstance(new, NewUnit):
            if new.population is None and hamlets and all(h.population is not None for h in hamlets):
                new.population = sum(h.population for h in hamlets)
            new = _create(new, on)
        created.append((new, hamlets))
    plan = _split_plan(source=source, parts=created, on=on, division=division, reports_to=reports_to)
    _apply(plan, by=by)
    report_services.reports_open_for_new_units(units=[unit for unit, _h in created], since=on)
    _name_successor([source], created[0][0])
    return _record(plan, basis=basis, by=by)


# --- Rename and move ----------------------------------------------------------------------------------


def _simple_checks(*, unit, on, basis):
    errors = []
    _check_day_and_basis(on=on, basis=basis, errors=errors)
    _check_in_force(unit, on, errors)
    return errors


@transaction.atomic
def unit_rename(*, unit, name, on, basis, by=None) -> Restructuring:
    """Give `unit` a new name from `on`; its records stay, its history keeps the old name."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    name = (name or "").strip()
    errors = _simple_checks(unit=unit, on=on, basis=basis)
    if not name:
        errors.append(_("Give the new name."))
    elif name == unit.name:
        errors.append(_("The new name is the same as the current one."))
    _raise(errors)
    old = unit.name
    unit.name = name
    unit._change_reason = _("Renamed from %(old)s (%(basis)s)") % {"old": old, "basis": basis.number}
    unit.save()
    plan = plans.Plan(Restructuring.Kind.RENAME, on, [unit], [unit])
    return _record(plan, basis=basis, by=by, extra={"old_name": old, "new_name": name})


def move_preview(*, unit, new_parent, on, basis):
    """What follows a unit moved under another: its whole subtree and every record in it."""
    errors = _move_checks(unit=unit, new_parent=new_parent, on=on, basis=basis)
    plan = plans.Plan(Restructuring.Kind.MOVE, on, [unit], [new_parent] if new_parent else [])
    plan.errors = [str(e) for e in errors]
    if not errors:
        subtree = plans.Line("units", _("Units moving with it"))
        for pk, name in Unit.objects.filter(path__startswith=unit.path).values_list("pk", "name"):
            subtree.add(pk, new_parent.pk, name)
        plan.moves.append(subtree)
        people = plans.Line("people", _("People of the registry (follow their hamlet)"))
        people.count = Person.objects.filter(home_unit__path__startswith=unit.path).count()
        plan.moves.append(people)
    return plan


def _move_checks(*, unit, new_parent, on, basis):
    errors = _simple_checks(unit=unit, on=on, basis=basis)
    if new_parent is None:
        errors.append(_("Choose the unit to move it under."))
    else:
        if new_parent.path.startswith(unit.path):
            errors.append(_("A unit cannot be placed under itself or its descendants."))
        if new_parent.pk == unit.parent_id:
            errors.append(_("The unit is already under %(parent)s.") % {"parent": new_parent.name})
        _check_in_force(new_parent, None, errors)
    return errors


@transaction.atomic
def unit_move(*, unit, new_parent, on, basis, by=None) -> Restructuring:
    """Place `unit` (with its subtree and every record in it) under `new_parent` from `on`."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    plan = move_preview(unit=unit, new_parent=new_parent, on=on, basis=basis)
    _raise(plan.errors)
    old_parent = unit.parent
    unit.parent = new_parent
    unit._change_reason = basis.number
    unit.save()
    if old_parent is not None:
        # Periods that ended before the day still count the unit (and its subtree) under its old parent.
        FormerParent.objects.create(unit=unit, parent=old_parent, until=plan.on - DAY)
    return _record(
        plan,
        basis=basis,
        by=by,
        extra={"old_parent": old_parent.name if old_parent else "", "new_parent": new_parent.name},
        units=[unit, new_parent] + ([old_parent] if old_parent else []),
    )


# --- Writing a plan -----------------------------------------------------------------------------------


def _end(units, on):
    for unit in units:
        unit.valid_to = on - DAY
        unit.save()


def _create(new, on):
    unit = new.build(on=on)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    return unit


def _name_successor(sources, successor):
    for unit in sources:
        unit.successor = successor
        unit.save()


def _apply(plan, *, by):
    reason = _("Reorganisation of %(day)s") % {"day": f"{plan.on:%d/%m/%Y}"}
    # The reports go last: their automatic figures are computed again from the records moved before them.
    for line in sorted(plan.moves, key=lambda line: line.key == "reports"):
        if not line.targets:
            continue
        if line.key == "units":
            for unit in Unit.objects.filter(pk__in=list(line.targets)).order_by("path"):
                # The hamlet follows its place to the successor; earlier periods count it where it stood.
                FormerParent.objects.create(unit=unit, parent_id=unit.parent_id, until=plan.on - DAY)
                unit.parent_id = line.targets[unit.pk]
                unit._change_reason = reason
                unit.save()
        elif line.key == "quotas" and plan.quota_division is not None:
            _divide_quotas(plan, reason=reason)
        elif line.key == "quotas":
            _move_quotas(line, by=by, reason=reason)
        elif line.key == "new_reports":
            continue  # opened by the merger or the split itself, once the units exist
        elif line.key == "reports":
            _move_reports(line)
        elif line.key == "duty_logs":
            _move_duty_logs(line, by=by, reason=reason)
        elif line.key == "assignments":
            _move_assignments(line, plan.on)
        elif line.key == "command_links":
            _move_links(line, plan)
        else:
            moved = [pk for pk, target in line.targets.items() if target is not None]
            objs = list(line.model.objects.filter(pk__in=moved))
            for obj in objs:
                setattr(obj, f"{line.unit_field}_id", line.targets[obj.pk])
            if hasattr(line.model, "history"):
                bulk_update_with_history(
                    objs, line.model, [line.unit_field], default_user=by, default_change_reason=reason
                )
            else:
                line.model.objects.bulk_update(objs, [line.unit_field])


def _move_or_fold(records, line, *, reason, twin, fold):
    """Each record goes to its successor (`line.targets`); where the successor already has its `twin` (the
    record of the same key: a campaign's quota, a day's duty log), `fold(record, twin)` adds the record into
    the twin, which is saved, and the record is removed (its history keeps it)."""
    for record in records:
        target = line.targets[record.pk]
        existing = twin(record, target)
        if existing is None:
            setattr(record, f"{line.unit_field}_id", target)
            record._change_reason = reason
            record.save()
            continue
        fold(record, existing)
        existing._change_reason = reason
        existing.save()
        record._change_reason = reason
        record.delete()


def _move_quotas(line, *, by, reason):
    """A quota goes to the successor; where the successor already has one for the campaign, it is added
    to it."""

    def fold(quota, existing):
        existing.count += quota.count

    _move_or_fold(
        Quota.objects.filter(pk__in=list(line.targets)).order_by("pk"),
        line,
        reason=reason,
        twin=lambda quota, target: Quota.objects.filter(campaign_id=quota.campaign_id, commune_id=target).first(),
        fold=fold,
    )


def _move_reports(line):
    units = {u.pk: u for u in Unit.objects.filter(pk__in=set(line.targets.values())).select_related("kind")}
    for report in Report.objects.filter(pk__in=list(line.targets)).select_related("period", "unit").order_by("pk"):
        report_services.report_move(report=report, unit=units[line.targets[report.pk]])


def _move_duty_logs(line, *, by, reason):
    """A day of readiness duty goes to the successor; where it already logged that day (two merged communes on
    duty the same day), the people on duty and the events are added to its log."""

    def fold(log, existing):
        existing.on_duty += log.on_duty
        existing.notes = "\n".join(note for note in (existing.notes, log.notes) if note)
        events = list(DutyEvent.objects.filter(log=log))
        for event in events:
            event.log = existing
        bulk_update_with_history(events, DutyEvent, ["log"], default_user=by, default_change_reason=reason)

    _move_or_fold(
        DutyLog.objects.filter(pk__in=list(line.targets)).order_by("on_date", "pk"),
        line,
        reason=reason,
        twin=lambda log, target: DutyLog.objects.filter(unit_id=target, on_date=log.on_date).first(),
        fold=fold,
    )


def _divide_quotas(plan, *, reason):
    """Each quota of an open campaign divided between the parts of a split: the first part with a share keeps
    the quota (its history goes on), the others get a quota of their own, or their share is added to the one
    they have."""
    for quota, counts, _proportional in plan.quota_division:
        quota = Quota.objects.get(pk=quota.pk)
        keeper = next((i for i, c in enumerate(counts) if c), 0)
        for index, (unit, count) in enumerate(zip(plan.results, counts, strict=True)):
            if index != keeper and not count:
                continue
            existing = Quota.objects.filter(campaign_id=quota.campaign_id, commune_id=unit.pk).first()
            if existing is not None:
                existing.count += count
                existing._change_reason = reason
                existing.save()
                if index == keeper:
                    quota._change_reason = reason
                    quota.delete()
            elif index == keeper:
                quota.commune_id, quota.count = unit.pk, count
                quota._change_reason = reason
                quota.save()
            else:
                Quota.objects.create(campaign_id=quota.campaign_id, commune_id=unit.pk, count=count)


def _move_assignments(line, on):
    """A role at an ended unit ends with it (its holder still reads the unit's history) and continues at the
    successor, where the role fits the successor's level."""
    users = set()
    for assignment in Assignment.objects.filter(pk__in=list(line.targets)).select_related("user"):
        assignment.ends_on = on - DAY
        assignment.save()
        target = Unit.objects.select_related("kind").get(pk=line.targets[assignment.pk])
        if assignment.role == Role.COMMUNE_OFFICER and not target.kind.is_commune_level:
            continue
        Assignment.objects.get_or_create(user=assignment.user, unit=target, role=assignment.role)
        users.add(assignment.user)
    for user in users:
        user_sync_role_groups(user=user)


def _move_links(line, plan):
    ending = {u.pk for u in plan.sources}
    for link in CommandLink.objects.filter(pk__in=list(line.targets)):
        target = line.targets[link.pk]
        unit_id = target if link.unit_id in ending else link.unit_id
        commander_id = target if link.commander_id in ending else link.commander_id
        link.valid_to = plan.on - DAY
        link.save()
        if not CommandLink.objects.on(plan.on).filter(unit_id=unit_id).exists():
            CommandLink.objects.create(unit_id=unit_id, commander_id=commander_id, valid_from=plan.on)


def _record(plan, *, basis, by, extra=None, units=None):
    changed(everything=True)  # the tree, the lines of command and the users' scopes every page reads
    record = Restructuring.objects.create(
        kind=plan.kind,
        effective_on=plan.on,
        basis=basis.number.strip(),
        basis_date=basis.date,
        by=by,
        summary={**plan.summary(), **(extra or {})},
    )
    record.units.set({u.pk for u in (units or plan.sources + plan.results) if u is not None})
    audit_record(
        kind=AuditEvent.Kind.RESTRUCTURE,
        user=by,
        target=f"units.Restructuring {record.pk}",
        detail=(
            f"{record.get_kind_display()} {plan.on:%d/%m/%Y} ({record.basis}, {basis.date:%d/%m/%Y}): "
            + ", ".join(u.name for u in plan.sources)
            + " → "
            + ", ".join(u.name for u in plan.results if u is not None)
        ),
    )
    return record
