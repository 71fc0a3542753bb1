"""Reads on units: the units a user sees, the communes of a scope."""

from .models import Unit


def units_visible(*, user):
    return Unit.objects.visible_to(user).select_related("kind", "parent")


def communes_visible(*, user):
    return Unit.objects.visible_to(user).communes().current().select_related("kind").order_by("name")


def hamlets_visible(*, user, commune=None):
    qs = Unit.objects.visible_to(user).current().filter(kind__is_commune_level=False, depth__gt=0)
    qs = qs.filter(parent__kind__is_commune_level=True).select_related("parent")
    if commune is not None:
        qs = qs.filter(parent=commune)
    return qs.order_by("parent__name", "name")
