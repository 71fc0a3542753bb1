"""Writes on units, roles and assignments."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .freshness import changed
from .models import Assignment, Unit
from .roles import ROLE_PERMISSIONS, Role, role_group_name


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
        changed(units=[unit])
    return issued
