"""Reads on the registry: scoped lists with filters, duplicates, a person's history."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from units.freshness import remember, scope_units
from units.scoping import get_scope
from units.text import fold

from . import rules
from .models import Person, UnitHeadcount

AGE_BANDS = {
    # code: (min age, max age) inclusive; None is open-ended
    "u18": (None, 17),
    "18-25": (18, 25),
    "26-35": (26, 35),
    "36-45": (36, 45),
    "46-60": (46, 60),
    "60+": (61, None),
}

SORTS = {
    "name": ("search_key", "birth_date", "pk"),
    "birth_date": ("birth_date", "search_key", "pk"),
    "hamlet": ("home_unit__name", "search_key", "pk"),
    "ethnicity": ("ethnicity__name", "search_key", "pk"),
}


def people_visible(*, user):
    return Person.objects.visible_to(user).select_related(
        "ethnicity", "home_unit", "home_unit__kind", "home_unit__parent"
    )


def people_count_in_scope(*, user):
    """How many people live in the user's units: a sum of the per-unit head counts that triggers keep
    (people.models.UnitHeadcount), whatever the size of the registry."""
    scope = get_scope(user)

    def total():
        return UnitHeadcount.objects.filter(scope.q("unit__path")).aggregate(n=Sum("people"))["n"] or 0

    return remember(("headcount", scope.is_all, *scope.read_paths), total, units=scope_units(scope))


def people_filter_by_age_band(queryset, band, *, on=None):
    if band not in AGE_BANDS:
        return queryset
    earliest, latest = rules.birth_date_range_for_age(*AGE_BANDS[band], on=on or timezone.localdate())
    if earliest:
        queryset = queryset.filter(birth_date__gte=earliest)
    if latest:
        queryset = queryset.filter(birth_date__lte=latest)
    return queryset


def people_sorted(queryset, sort):
    key = (sort or "").lstrip("-")
    fields = SORTS.get(key, SORTS["name"])
    if sort and sort.startswith("-") and key in SORTS:
        fields = ("-" + fields[0],) + fields[1:]
    return queryset.order_by(*fields)


def person_possible_duplicates(*, full_name, birth_date, exclude_pk=None):
    """People with the same folded name and birth date: likely the same citizen entered twice."""
    qs = Person.objects.filter(search_key=fold(full_name), birth_date=birth_date).select_related("home_unit")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def record_history(obj):
    """A record's change history, newest first, each entry with the list of fields it changed."""
    model = type(obj)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    fields = {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = fields.get(change.field)
                changes.append(
                    {
                        "field": field.verbose_name if field else change.field,
                        "old": _display(field, change.old, older),
                        "new": _display(field, change.new, newer),
                    }
                )
        entries.append({"record": newer, "changes": changes})
    return entries


person_history = record_history


def _display(field, value, record):
    if field is None or value in (None, ""):
        return value if value not in (None, "") else "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation:
        related = getattr(record, field.name, None)
        return str(related) if related is not None else value
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value


def people_summary_by_commune(*, user):
    """Per visible commune: people, men, Party members — aggregated in the database, one query (two with
    the communes). The people are picked by the ids of the visible units, so PostgreSQL counts them
    from the tally index alone (person_unit_tally_idx) instead of joining every row to its unit."""
    from units.models import Unit
    from units.selectors import communes_visible

    communes = communes_visible(user=user)
    visible_units = Unit.objects.visible_to(user).values("pk")
    counts = {}
    parents = {}
    for unit_id, parent_id in Unit.objects.visible_to(user).values_list("pk", "parent_id"):
        parents[unit_id] = parent_id
    for unit_id, total, party, men in (
        Person.objects.filter(home_unit_id__in=visible_units)
        .values("home_unit_id")
        .annotate(
            # Counting home_unit (never empty), not the id: the id is not in the tally index.
            total=Count("home_unit"),
            party=Count("home_unit", filter=Q(is_party_member=True)),
            men=Count("home_unit", filter=Q(sex="M")),
        )
        .values_list("home_unit_id", "total", "party", "men")
    ):
        for key in (unit_id, parents.get(unit_id)):
            bucket = counts.setdefault(key, [0, 0, 0])
            bucket[0] += total
            bucket[1] += party
            bucket[2] += men
    rows = []
    for commune in communes:
        total, party, men = counts.get(commune.pk, [0, 0, 0])
        rows.append({"unit": commune, "people": total, "party": party, "men": men})
    return rows
