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
