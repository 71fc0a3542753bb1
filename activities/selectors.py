"""Reads on the records of activities: scoped lists and the year's counts per kind."""

from units.freshness import remember, scope_units, user_key
from units.scoping import get_scope

from .kinds import KINDS


def records_visible(*, kind, user):
    queryset = kind.model.objects.visible_to(user).select_related(*kind.select_related)
    if kind.annotate:
        queryset = queryset.annotate(**kind.annotate)
    return queryset.order_by(*kind.model._meta.ordering)


def year_counts(*, user, year):
    """[(kind, number of records of `year` in the user's units)], kept until the records change."""

    def compute():
        counts = {}
        for kind in KINDS.values():
            queryset = kind.model.objects.visible_to(user)
            if kind.date_field:
                queryset = queryset.filter(**{f"{kind.date_field}__year": year})
            counts[kind.key] = queryset.count()
        return counts

    counts = remember(user_key("activity_counts", user, year), compute, units=scope_units(get_scope(user)))
    return [(kind, counts[kind.key]) for kind in KINDS.values()]


def rows_of(*, kind, record):
    """[(rows description, [[values of a row's columns]])] of a record's rows, for its page."""
    result = []
    for rows in kind.rows:
        queryset = getattr(record, rows.related).all()
        if rows.select_related:
            queryset = queryset.select_related(*rows.select_related)
        result.append((rows, [[column.value(item) for column in rows.columns] for item in queryset]))
    return result
