"""Ending a user's sessions: every session of theirs in the database store is deleted, and the act audited."""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from units.audit import audit_record
from units.models import AuditEvent


@transaction.atomic
def user_sessions_end(*, users, request, keep_current=False) -> int:
    """Delete every live session of `users` (but the request's own with `keep_current`); returns how many ended.
    Each user gets a sign-out audit event."""
    by_id = {str(u.pk): u for u in users}
    ended = {pk: [] for pk in by_id}
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        owner = session.get_decoded().get(SESSION_KEY)
        if keep_current and session.session_key == request.session.session_key:
            continue
        if owner in ended:
            ended[owner].append(session.session_key)
    keys = [key for keys in ended.values() for key in keys]
    Session.objects.filter(session_key__in=keys).delete()
    for pk, keys in ended.items():
        if keep_current and not keys:
            continue
        audit_record(
            kind=AuditEvent.Kind.SIGN_OUT,
            request=request,
            user=by_id[pk],
            target=f"auth.User {pk}",
            detail=f"{len(keys)} session(s) ended by {request.user.get_username()}",
        )
    return len(keys)
