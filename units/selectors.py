"""Reads on units: the units a user sees, the communes of a scope."""

from functools import reduce
from operator import or_

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith

from .models import DisadvantagedPeriod, FormerParent, Officeholder, Unit


def units_visible(*, user):
    return Unit.objects.visible_to(user).select_related("kind", "parent")


def communes_visible(*, user):
    return Unit.objects.visible_to(user).communes().current().select_related("kind").order_by("name")


def unit_ids_visible(*, user):
    """The ids of the commune-level units whose records the user reads, ended ones included (the communes merged
    into the user's keep their history)."""
    return Unit.objects.visible_to(user).communes().order_by("path").values_list("pk", flat=True)


def hamlets_visible(*, user, commune=None):
    qs = Unit.objects.visible_to(user).current().filter(kind__is_commune_level=False, depth__gt=0)
    # The kind too: the hamlet's label reads it, and a list page must not query once per hamlet.
    qs = qs.filter(parent__kind__is_commune_level=True).select_related("kind", "parent")
    if commune is not None:
        qs = qs.filter(parent=commune)
    return qs.order_by("parent__name", "name")


def home_units_editable(*, user):
    """Communes and hamlets where the user may register people."""
    return (
        Unit.objects.editable_by(user)
        .current()
        .filter(Q(kind__is_commune_level=True) | Q(parent__kind__is_commune_level=True))
        .select_related("kind", "parent")
        .order_by("path")
    )


def disadvantaged_on(*, unit_ids, on):
    """{unit id: the DisadvantagedPeriod in force on `on`} for the units given that were especially
    disadvantaged communes that day. One query."""
    periods = DisadvantagedPeriod.objects.on(on).filter(unit_id__in=list(unit_ids)).order_by("start")
    return {period.unit_id: period for period in periods}


def disadvantaged_on_days(*, unit_ids, days):
    """{day: {unit id: period in force that day}} for several days at once (the hand-over days of a
    province's campaigns). One query."""
    days = sorted(set(days))
    result = {day: {} for day in days}
    if not days:
        return result
    periods = (
        DisadvantagedPeriod.objects.filter(unit_id__in=list(unit_ids), start__lte=days[-1])
        .filter(Q(end__isnull=True) | Q(end__gte=days[0]))
        .order_by("start")
    )
    for period in periods:
        for day in days:
            if period.start <= day and (period.end is None or day <= period.end):
                result[day][period.unit_id] = period
    return result


def is_disadvantaged(unit, on) -> bool:
    """Whether `unit` was an especially disadvantaged commune on the day `on`."""
    return DisadvantagedPeriod.objects.on(on).filter(unit_id=unit.pk).exists()


def _placing_moves(on):
    """The FormerParent rows that say where their unit stood on the day `on` (a date, or an expression of the
    outer query): for each unit moved after `on`, its earliest row ending on or after that day. Without such a
    row a unit stood where it stands now."""
    nested = OuterRef(on) if hasattr(on, "resolve_expression") else on
    earlier = FormerParent.objects.filter(unit_id=OuterRef("unit_id"), until__lt=OuterRef("until"), until__gte=nested)
    return FormerParent.objects.filter(until__gte=on).exclude(Exists(earlier))


def placed_within_q(paths, *, on, field="path"):
    """Rows whose unit (its tree path in `field`: "path" for units, "unit__path" for their records) lay on the
    day `on` in the subtree of one of the tree `paths`: the subtree today, less the units moved into it after
    that day, plus the units moved out of it after that day (each with what lay below it). One condition,
    no query of its own; equal to `field__startswith` when nothing was moved after the day."""
    covering = _placing_moves(on).filter(StartsWith(OuterRef(field), F("unit__path")))
    conditions = []
    for path in paths:
        there_then = Q(parent__path__startswith=path)
        moved_in = covering.filter(unit__path__startswith=path).exclude(unit__path=path).exclude(there_then)
        moved_out = covering.exclude(unit__path__startswith=path).filter(there_then)
        conditions.append((Q(**{f"{field}__startswith": path}) & ~Q(Exists(moved_in))) | Q(Exists(moved_out)))
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def subtree_on_q(unit, on, field="unit__path"):
    """Records of `unit`'s subtree as it stood on the day `on` (placed_within_q): what a figure of a period
    ending that day counts, so that a unit moved since is counted where it stood."""
    return placed_within_q([unit.path], on=on, field=field)


def reporting_to_q(unit_id, *, start, end, field="pk"):
    """The units whose reports roll up into `unit_id`'s for the period [start, end]: those answering to it
    along the military line during the period (units.CommandLink), and the units below it in the tree on the
    period's last day (a unit moved since counts under the unit it stood under then, units.FormerParent) that
    did not answer to another command then. Before the 2025 reform a commune rolls up into its district;
    after it, into the area command it answers to, not into the province that is its administrative parent."""
    from .models import CommandLink

    links = CommandLink.objects.overlapping(start, end)
    here = links.filter(commander_id=unit_id).values("unit_id")
    elsewhere = links.exclude(commander_id=unit_id).values("unit_id")
    moved_since = FormerParent.objects.filter(until__gte=end).values("unit_id")
    below_then = _placing_moves(end).filter(parent_id=unit_id).values("unit_id")
    prefix = "" if field == "pk" else f"{field}__"
    below = (Q(**{f"{prefix}parent_id": unit_id}) & ~Q(**{f"{field}__in": moved_since})) | Q(
        **{f"{field}__in": below_then}
    )
    return (below & ~Q(**{f"{field}__in": elsewhere})) | Q(**{f"{field}__in": here})


def officeholder_on(*, unit, office, on):
    """Who held `office` of `unit` on the day `on` (units.Officeholder), or None. One query."""
    return Officeholder.objects.on(on).filter(unit=unit, office=office).order_by("-start").first()


def officeholders_visible(*, user):
    """The signers of the units the user sees, unit by unit, newest term first."""
    return (
        Officeholder.objects.visible_to(user)
        .select_related("unit", "unit__kind")
        .order_by("unit__path", "office", "-start")
    )


class Signers:
    """The holders of one office of some units, read in one query and asked by day: a batch of papers, each
    signed by whoever held the office on its own date."""

    def __init__(self, *, units, office):
        self.office = office
        self.by_unit = {}
        holders = Officeholder.objects.filter(unit__in=[u.pk for u in units], office=office).order_by("-start")
        for holder in holders:
            self.by_unit.setdefault(holder.unit_id, []).append(holder)

    def on(self, unit, day):
        for holder in self.by_unit.get(unit.pk, ()):
            if holder.start <= day and (holder.end is None or holder.end >= day):
                return holder
        return None

    def sign(self, names, *, unit, day, typed=""):
        """The issuing body's `names` (portal_io.documents.issuing_names / committee_names) with the signer of
        the document dated `day`: the name typed for this document, else the holder on that day with their
        title, else what the names already say."""
        names = dict(names)
        holder = self.on(unit, day)
        typed = " ".join((typed or "").split())
        if typed and (holder is None or typed != holder.full_name):
            names["signer_name"] = typed  # somebody else signs this paper: the office's title stands
        elif holder is not None:
            names["signer_name"] = holder.full_name
            names["signer_title"] = holder.signer_title
        return names
