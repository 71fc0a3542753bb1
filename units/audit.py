"""The security audit trail: sign-ins, failures, lock-outs, sign-outs, denials, exports and imports.

Events are written through `audit_record` only; the admin shows them read-only, and nothing in the
application edits or deletes them.
"""

import re
from collections import defaultdict

from axes.signals import user_locked_out
from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.text import capfirst
from django.utils.translation import gettext as _

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


_TARGET = re.compile(r"^(?P<model>\w+\.\w+) (?:\{'pk': '?(?P<lookup>\d+)'?\}|(?P<pk>\d+))$")


def target_labels(events):
    """A readable label of each event's target ("Báo cáo «Vĩnh Quang · 2026»" rather than
    `reports.Report {'pk': 28}`), one query per kind of record named, set as `event.target_label`.
    A target that names no record (an export's file) is shown as written."""
    wanted = defaultdict(set)
    parsed = {}
    for event in events:
        match = _TARGET.match(event.target or "")
        if match is None:
            continue
        try:
            model = apps.get_model(match["model"])
        except (LookupError, ValueError):
            continue
        pk = int(match["lookup"] or match["pk"])
        parsed[event.pk] = (model, pk)
        wanted[model].add(pk)
    found = {model: model._base_manager.select_related().in_bulk(sorted(pks)) for model, pks in wanted.items()}
    for event in events:
        if event.pk not in parsed:
            event.target_label = event.target
            continue
        model, pk = parsed[event.pk]
        obj = found[model].get(pk)
        name = capfirst(model._meta.verbose_name)
        if obj is None:
            event.target_label = _("%(model)s no. %(pk)s (no longer exists)") % {"model": name, "pk": pk}
        else:
            event.target_label = f"{name} «{obj}»"
    return events
