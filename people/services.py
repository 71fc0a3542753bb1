"""Writes on the registry: every change validated by the model's rules, inside a transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from units.concurrency import lock_for_edit
from units.freshness import changed
from units.scoping import get_scope

from .models import Person

PERSON_FIELDS = frozenset(
    f.name for f in Person._meta.get_fields() if getattr(f, "concrete", False) and getattr(f, "editable", False)
) - {"id"}


def _check_unit(user, unit):
    if not get_scope(user).can_write_path(unit.path):
        raise PermissionDenied(_("You may not register people in %(unit)s.") % {"unit": unit.name})


@transaction.atomic
def person_create(*, user, **fields) -> Person:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    person = Person(**fields)
    _check_unit(user, person.home_unit)
    person.full_clean()
    person.save()
    changed(units=[person.home_unit], records={"people"})
    return person


@transaction.atomic
def person_update(*, user, person: Person, loaded_version: str | None = None, **fields) -> Person:
    """Change a person. `loaded_version` is the edit form's (units.concurrency): the save is refused
    with EditConflict when someone saved the person since, and writes only the fields the user changed."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"Unknown person fields: {sorted(unknown)}")
    fields = lock_for_edit(person, loaded_version=loaded_version, fields=fields)
    _check_unit(user, person.home_unit)
    before = person.home_unit
    for name, value in fields.items():
        setattr(person, name, value)
    _check_unit(user, person.home_unit)
    person.full_clean()
    person.save()
    changed(units=[before, person.home_unit], records={"people"})
    return person
