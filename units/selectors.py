"""Reads on units: the units a user sees, the communes of a scope."""

from django.db.models import Q

from .models import DisadvantagedPeriod, Unit


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


def reporting_to_q(unit_id, *, start, end, field="pk"):
    """The units whose reports roll up into `unit_id`'s for the period [start, end]: those answering to it
    along the military line during the period (units.CommandLink), and its children in the tree that did
    not answer to another command then. Before the 2025 reform a commune rolls up into its district; after
    it, into the area command it answers to, not into the province that is its administrative parent."""
    from .models import CommandLink

    links = CommandLink.objects.overlapping(start, end)
    here = links.filter(commander_id=unit_id).values("unit_id")
    elsewhere = links.exclude(commander_id=unit_id).values("unit_id")
    prefix = "" if field == "pk" else f"{field}__"
    return (Q(**{f"{prefix}parent_id": unit_id}) & ~Q(**{f"{field}__in": elsewhere})) | Q(**{f"{field}__in": here})
