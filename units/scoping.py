"""One scoping mechanism for every app: what a user may read and edit is a set of unit subtrees.

A user's assignments give subtrees (materialised-path prefixes). Any role reads its subtree;
only write roles edit theirs. Querysets expose `visible_to(user)` / `editable_by(user)`, and
views fetch single objects through `get_object_for_user`, which answers 404 for an object
outside the user's units and 403 for a write the role does not allow.
"""

from contextlib import suppress
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

_CACHE_ATTR = "_portal_scope"


def _minimal_prefixes(paths):
    """Drop paths that lie inside another path of the set."""
    result = []
    for path in sorted(set(paths)):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return result


class UserScope:
    """The units a user reaches, computed once per request with one query."""

    def __init__(self, user):
        from .roles import WRITE_ROLES

        self.user = user
        self.is_all = bool(user.is_active and user.is_superuser)
        self.assignments = []
        if user.is_authenticated and user.is_active:
            self.assignments = _assignments(user)
        self.read_paths = _minimal_prefixes(a.unit.path for a in self.assignments)
        self.write_paths = _minimal_prefixes(a.unit.path for a in self.assignments if a.role in WRITE_ROLES)

    @property
    def primary(self):
        """The assignment closest to the root: it names the user's unit and role in the header."""
        if not self.assignments:
            return None
        return min(self.assignments, key=lambda a: (len(a.unit.path), a.unit.path))

    def can_read_path(self, path):
        return self.is_all or any(path.startswith(p) for p in self.read_paths)

    def can_write_path(self, path):
        return self.is_all or any(path.startswith(p) for p in self.write_paths)

    def q(self, path_field, *, write=False):
        """A filter for rows whose unit path lies in the user's subtrees (everything for a superuser)."""
        if self.is_all:
            return Q()
        prefixes = self.write_paths if write else self.read_paths
        if not prefixes:
            return Q(pk__in=[])
        return reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in prefixes))


def _assignments(user):
    """The user's assignments with their units, kept until the user's roles or the tree change (units.freshness)."""
    from .freshness import remember

    return remember(
        ("assignments", user.pk),
        lambda: list(user.assignments.select_related("unit", "unit__kind").order_by("unit__path")),
        users=[user],
    )


def get_scope(user):
    scope = getattr(user, _CACHE_ATTR, None)
    if scope is None:
        scope = UserScope(user)
        with suppress(AttributeError):
            setattr(user, _CACHE_ATTR, scope)
    return scope


class ScopedQuerySet(models.QuerySet):
    """Base queryset for every model that belongs to a unit; the model's `scope_path_field` leads to the unit path."""

    @property
    def scope_path_field(self):
        return self.model.scope_path_field

    def visible_to(self, user):
        return self.filter(get_scope(user).q(self.scope_path_field))

    def editable_by(self, user):
        return self.filter(get_scope(user).q(self.scope_path_field, write=True))


def object_path(obj, path_field):
    value = obj
    for part in path_field.split("__"):
        value = getattr(value, part)
        if value is None:
            return ""
    return value


def get_object_for_user(request, queryset, *, write=False, perm=None, **lookup):
    """Fetch one object through the user's scope: outside → 404; inside but not writable → 403."""
    from .audit import audit_record
    from .models import AuditEvent

    target = f"{queryset.model._meta.label} {lookup}"
    try:
        obj = queryset.visible_to(request.user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        audit_record(kind=AuditEvent.Kind.DENIED, request=request, target=target, detail="404")
        raise Http404(_("No such record in your units.")) from None
    if write:
        try:
            check_write(request.user, obj, queryset.scope_path_field, perm=perm)
        except PermissionDenied:
            audit_record(kind=AuditEvent.Kind.DENIED, request=request, target=target, detail="403")
            raise
    return obj


def check_write(user, obj, path_field, *, perm=None):
    scope = get_scope(user)
    if perm and not user.has_perm(perm):
        raise PermissionDenied(_("Your role may not change this record."))
    if not scope.can_write_path(object_path(obj, path_field)):
        raise PermissionDenied(_("Your role may only read records of this unit."))


def can_write(user, obj, path_field, *, perm=None):
    try:
        check_write(user, obj, path_field, perm=perm)
    except PermissionDenied:
        return False
    return True
