"""Puts the user's unit and role into every page's header."""

from .scoping import get_scope


def scope(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    primary = get_scope(user).primary
    return {"portal_scope": get_scope(user), "portal_assignment": primary}
