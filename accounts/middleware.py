"""The second sign-in step: a session whose user has an authenticator goes to the code step before any page;
with REQUIRE_2FA, a commander or admin without one goes to enrolment first."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from units.probes import is_probe

from .twofactor import (
    ENROLLED_SESSION_KEY,
    session_owes_code,
    user_is_enrolled,
    user_is_verified,
    user_must_use_2fa,
)

# Pages a half-signed-in user may still reach.
OPEN_VIEWS = {"logout", "set_language", "healthz", "accounts:verify"}
ENROL_VIEWS = {"accounts:security", "accounts:enrol", "accounts:recovery_codes"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in OPEN_VIEWS or is_probe(view_func):  # decided before loading the user: a probe must not
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if session_owes_code(request):
            return _redirect("accounts:verify", request)
        if settings.REQUIRE_2FA and not user_is_verified(user) and user_must_use_2fa(user):
            if user_is_enrolled(user):  # enrolled in another session since this one signed in
                request.session[ENROLLED_SESSION_KEY] = True
                return _redirect("accounts:verify", request)
            if name in ENROL_VIEWS:
                return None
            return _redirect("accounts:security", request)
        return None


def _redirect(view_name, request):
    url = reverse(view_name)
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)
