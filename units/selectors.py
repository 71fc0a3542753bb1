"""Reads on units: the units a user sees, the communes of a scope."""

from django.db.models import Q

from .models import Unit


def units_visible(*, user):
    return Unit.objects.visible_to(user).select_related("kind", "parent")


def communes_visible(*, user):
    return Unit.objects.visible_to(user).communes().current().select_related("kind").order_by("name")


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
