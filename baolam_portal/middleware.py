"""Session and caching safeguards: the absolute session lifetime, and no caching of signed-in pages."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_STARTED_KEY = "_auth_started_at"


@receiver(user_logged_in)
def _stamp_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages shown to a signed-in user hold personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store, private"
        return response
