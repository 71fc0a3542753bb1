"""Session and caching safeguards: the absolute session lifetime, and no caching of signed-in pages."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.middleware import SessionMiddleware
from django.dispatch import receiver

from units.probes import is_probe

SESSION_STARTED_KEY = "_auth_started_at"


@receiver(user_logged_in)
def _stamp_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())


class PortalSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except that a probe's request neither loads nor saves the session
    (sessions are saved on every request, which would otherwise be a query on the health check)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_probe(view_func):
            request.is_probe = True

    def process_response(self, request, response):
        if getattr(request, "is_probe", False):
            return response
        return super().process_response(request, response)


class SessionLifetimeMiddleware:
    """Sign out a session older than SESSION_ABSOLUTE_LIFETIME, whatever its activity. Done once the view is
    known (not on every path): a probe never loads the user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_probe(view_func) or not request.user.is_authenticated:
            return None
        started = request.session.get(SESSION_STARTED_KEY)
        if started is None:
            request.session[SESSION_STARTED_KEY] = int(time.time())
        elif time.time() - started > settings.SESSION_ABSOLUTE_LIFETIME:
            logout(request)
        return None


class NoStoreMiddleware:
    """Pages shown to a signed-in user hold personal data: no browser or proxy may keep a copy. An error page
    is never kept either, and deciding so does not load the user (the database may be what failed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if response.status_code >= 500:
            response["Cache-Control"] = "no-store, private"
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
