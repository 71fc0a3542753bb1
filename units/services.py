"""Writes on units, roles and assignments."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .freshness import changed
from .models import Assignment, Officeholder, Unit
from .roles import ROLE_PERMISSIONS, Role, role_group_name
from .scoping import get_scope


def roles_ensure_groups():
    """Create or refresh the four role groups with their permissions (idempotent)."""
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        perms = set(Permission.objects.filter(codename__in=ROLE_PERMISSIONS[role]).values_list("pk", flat=True))
        if set(group.permissions.values_list("pk", flat=True)) != perms:
            group.permissions.set(perms)
            changed(everything=True)  # what a role may do changed for every user holding it


def user_sync_role_groups(*, user):
    role_names = {role_group_name(r) for r in Role}
    wanted = {role_group_name(r) for r in Assignment.objects.filter(user=user).values_list("role", flat=True)}
    current = set(user.groups.filter(name__in=role_names).values_list("name", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
    # Cached permissions and scope are stale now, in this request and (after the commit) in every other.
    changed(users=[user])
    for attr in ("_perm_cache", "_group_perm_cache", "_user_perm_cache", "_portal_scope"):
        user.__dict__.pop(attr, None)


@transaction.atomic
def assignment_create(*, user, unit: Unit, role: str) -> Assignment:
    roles_ensure_groups()
    assignment, _created = Assignment.objects.get_or_create(user=user, unit=unit, role=role)
    assignment.full_clean()
    return assignment


@transaction.atomic
def unit_create(*, name, kind, code, parent=None, population=None, valid_from=None) -> Unit:
    unit = Unit(name=name, kind=kind, code=code, parent=parent, population=population, valid_from=valid_from)
    unit.full_clean(exclude=["path", "depth"])
    unit.save()
    changed(everything=True)  # the tree every page reads (filters, scopes, names)
    return unit


@transaction.atomic
def documents_issue(*, unit: Unit, type_code: str, year: int, items, user=None, on=None):
    """Numbers for documents a unit issues, in the order of `items` ((subject, title) pairs), as
    {subject: IssuedDocument}. A subject issued before keeps its number; the others take the next numbers
    of the unit's counter for the type and year (Decree 30/2020, art. 15), allocated under the counter's
    row lock so that concurrent requests get neither gaps nor repeats (a failed transaction gives its
    numbers back with the rest of its writes)."""
    from django.utils import timezone

    from .models import DocumentCounter, IssuedDocument

    items = list(dict(items).items())
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(
        unit=unit, type_code=type_code, year=year
    )
    # After the lock: a concurrent request for the same subjects has committed by now, and is seen.
    issued = {d.subject: d for d in IssuedDocument.objects.filter(subject__in=[s for s, _t in items])}
    new = []
    for subject, title in items:
        if subject in issued:
            continue
        counter.last += 1
        document = IssuedDocument(
            unit=unit,
            type_code=type_code,
            year=year,
            number=counter.last,
            subject=subject,
            title=title[:255],
            issued_on=on or timezone.localdate(),
            issued_by=user,
        )
        new.append(document)
        issued[subject] = document
    if new:
        counter.save(update_fields=["last"])
        IssuedDocument.objects.bulk_create(new)
        changed(units=[unit], records={"units"})  # numbers of documents: no figure reads them
    return issued


OFFICEHOLDER_FIELDS = ("unit", "office", "full_name", "title", "start", "end")


@transaction.atomic
def officeholder_save(*, user, officeholder: Officeholder | None = None, **fields) -> Officeholder:
    """Record who holds an office of a unit from a day (a new term), or correct or end a term: the unit must
    be one the user keeps, before and after; one holder per office and day (Officeholder.clean)."""
    unknown = set(fields) - set(OFFICEHOLDER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown officeholder fields: {sorted(unknown)}")
    scope = get_scope(user)
    holder = officeholder or Officeholder()
    # The unit the term was recorded under (a form may already have set the new one on the instance).
    before = (
        Unit.objects.get(pk=Officeholder.objects.values_list("unit_id", flat=True).get(pk=holder.pk))
        if holder.pk
        else None
    )
    for name, value in fields.items():
        setattr(holder, name, value)
    for unit in (before, holder.unit):
        if unit is not None and not scope.can_write_path(unit.path):
            raise PermissionDenied(_("You may not record the signers of %(unit)s.") % {"unit": unit.name})
    holder.full_clean()
    holder.save()
    changed(units=[u for u in (before, holder.unit) if u is not None], records={"units"})
    return holder
