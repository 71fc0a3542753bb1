"""At sign-in, note in the session whether the user has an authenticator (so later pages need no query)."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .twofactor import ENROLLED_SESSION_KEY, user_is_enrolled


@receiver(user_logged_in)
def _note_enrolment(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = user_is_enrolled(user)
