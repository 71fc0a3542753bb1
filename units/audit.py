"""The security audit trail: sign-ins, failures, lock-outs, sign-outs, denials, exports and imports.

Events are written through `audit_record` only; the admin shows them read-only, and nothing in the
application edits or deletes them.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent
from .net import client_ip


def _address(request):
    if request is None:
        return None
    return client_ip(request)


def audit_record(*, kind, request=None, user=None, username="", target="", detail=""):
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or getattr(user, "username", "") or "")[:150],
        address=_address(request),
        target=target[:255],
        detail=detail[:500],
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.SIGN_IN, request=request, user=user)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    audit_record(
        kind=AuditEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=credentials.get("username", ""),
        detail=credentials.get("stage", ""),  # "otp" for a wrong code at the second step
    )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(kind=AuditEvent.Kind.LOCKED_OUT, request=request, username=username or "")
