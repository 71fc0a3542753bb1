"""Role checks: what a user's role allows, one object per check, used like the scoping helpers.

A check is one or more permissions and, for a check that changes records, an assignment to a unit to write
in. The same object serves three ways:
- as a predicate, `check(user)`: whether a page shows a button or a form;
- on a view function, `@role_required(check)`: the request is refused (403, audited) with the check's message;
- on a class-based view, `RoleRequiredMixin` with `role_check = check`.
Which records a user may see or change is the scoping helpers' business (`units.scoping`), not this one's.
"""

import functools
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from .audit import audit_record
from .models import AuditEvent
from .scoping import get_scope


@dataclass(frozen=True)
class RoleCheck:
    perms: tuple[str, ...]
    message: str
    writes: bool = False  # also needs a unit the user may write in

    def __call__(self, user) -> bool:
        if not user.has_perms(self.perms):
            return False
        if self.writes:
            scope = get_scope(user)
            return scope.is_all or bool(scope.write_paths)
        return True

    def require(self, request):
        """Refuse the request, audited as a denial, when the user's role does not allow it."""
        if not self(request.user):
            audit_record(kind=AuditEvent.Kind.DENIED, request=request, target=request.path, detail="403")
            raise PermissionDenied(self.message)


def role_required(check: RoleCheck):
    """The view runs only for a user whose role passes `check`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            check.require(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RoleRequiredMixin:
    """For class-based views: set `role_check`."""

    role_check: RoleCheck

    def dispatch(self, request, *args, **kwargs):
        self.role_check.require(request)
        return super().dispatch(request, *args, **kwargs)
