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
from django.utils import timezone
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
        self.assignments = self.in_force = []
        self.above_paths = []
        commanded = {}
        if user.is_authenticated and user.is_active:
            self.assignments, commanded = _assignments(user)
        today = timezone.localdate()
        # A role at a unit that has ended (ends_on passed) still reads the unit's records, its history.
        in_force = [a for a in self.assignments if a.ends_on is None or a.ends_on >= today]
        read = [a.unit.path for a in self.assignments]
        # A unit's users read the history of the units it took over (the communes merged into it).
        for a in self.assignments:
            read += getattr(a, "predecessor_path_list", [])
        write = [a.unit.path for a in in_force if a.role in WRITE_ROLES]
        # The military line: an area command reaches the units that answer to it today (units.CommandLink).
        for a in in_force:
            read += commanded.get(a.unit_id, [])
            if a.role in WRITE_ROLES:
                write += commanded.get(a.unit_id, [])
        self.in_force = in_force
        self.read_paths = _minimal_prefixes(read)
        self.write_paths = _minimal_prefixes(write)
        # The units above the user's: their ancestors in the tree, and the commands their units answer to
        # today. Records those units own for everybody below them (a campaign, the reserve units) are read.
        above = {path[:i] for path in self.read_paths for i in range(7, len(path) + 1, 7)}
        for a in in_force:
            above.update(getattr(a, "commander_path_list", []))
        self.above_paths = sorted(above)

    @property
    def primary(self):
        """The assignment closest to the root: it names the user's unit and role in the header."""
        candidates = self.in_force or self.assignments
        if not candidates:
            return None
        return min(candidates, key=lambda a: (len(a.unit.path), a.unit.path))

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
    """The user's assignments with their units, and the paths of the units that answer to each assigned unit
    today along the military line ({unit id: [path]}); kept until the user's roles or the tree change
    (units.freshness)."""
    from .freshness import remember

    return remember(
        ("assignments", user.pk, timezone.localdate().isoformat()), lambda: _load_assignments(user), users=[user]
    )


def _load_assignments(user):
    """One query: each assignment with its unit, the paths of the units that answer to that unit today along
    the military line, and the paths of the units it took over (its predecessors and theirs), whose
    history its users read."""
    from django.db.models import OuterRef, StringAgg, Subquery, Value

    from .models import CommandLink, Unit

    today = timezone.localdate()

    def paths(queryset, field):
        grouped = queryset.order_by().annotate(group=Value(1)).values("group")
        return Subquery(grouped.annotate(paths=StringAgg(field, delimiter=Value(" "))).values("paths")[:1])

    commanded = paths(CommandLink.objects.on(today).filter(commander_id=OuterRef("unit_id")), "unit__path")
    taken_over = paths(
        Unit.objects.filter(
            models.Q(successor_id=OuterRef("unit_id")) | models.Q(successor__successor_id=OuterRef("unit_id"))
        ),
        "path",
    )
    commanders = paths(CommandLink.objects.on(today).filter(unit_id=OuterRef("unit_id")), "commander__path")
    assignments = list(
        user.assignments.select_related("unit", "unit__kind")
        .annotate(commanded_paths=commanded, predecessor_paths=taken_over, commander_paths=commanders)
        .order_by("unit__path")
    )
    commanded_by_unit = {a.unit_id: (a.commanded_paths or "").split() for a in assignments}
    for a in assignments:
        a.predecessor_path_list = (a.predecessor_paths or "").split()
        a.commander_path_list = (a.commander_paths or "").split()
    return assignments, commanded_by_unit


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
