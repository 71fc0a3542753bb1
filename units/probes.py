"""Views that must answer without the session, the user or any query but their own (the health check)."""


def probe(view):
    """Mark a view as a probe: the portal's middlewares leave the session and the user unloaded for it, so
    a database that is down gives the probe's own answer, not an error raised while loading the user."""
    view.is_probe = True
    return view


def is_probe(view_func):
    return getattr(view_func, "is_probe", False)
