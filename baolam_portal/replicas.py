"""Read replicas: the dashboard's and the lists' reads go to a replica when one is configured.

`DATABASE_REPLICA_URL` adds a `replica` database (a streaming replica of the primary, read-only).
Without it nothing here changes anything: every query goes to `default`.

Which reads go to the replica (all three must hold):
- the request is a GET or HEAD of a view named in `settings.REPLICA_READ_VIEWS` (the dashboard and
  the lists: pages that only read and that a commander opens often);
- the query is not inside a transaction on the primary (a service that reads then writes reads
  what it will change from the primary, under its locks);
- the user has not written in the last `REPLICA_PIN_SECONDS` (read your own writes: a replica
  may lag the primary by a moment, and the officer who just saved must see the save).

Every write goes to the primary. A write is noticed where Django routes it (`db_for_write`),
not by looking at SQL; the middleware then pins the user's next requests to the primary with a
short-lived cookie.
"""

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PIN_COOKIE = "primary_until"

_replica_reads = ContextVar("replica_reads", default=False)
_wrote = ContextVar("wrote", default=False)

# Sign-in bookkeeping: its writes do not pin the user to the primary, and it is always read from the
# primary (a session started a moment ago may not be on the replica yet).
_BOOKKEEPING_APPS = {"sessions", "axes", "otp_static", "otp_totp", "admin", "django_tasks_database"}


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Routes reads as described above; writes, migrations and tests of relations stay on `default`."""

    def db_for_read(self, model, **hints):
        if (
            _replica_reads.get()
            and replica_configured()
            and model._meta.app_label not in _BOOKKEEPING_APPS
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in _BOOKKEEPING_APPS:
            _wrote.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there may be related to one on the primary.
        if {obj1._state.db, obj2._state.db} <= {"default", REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaMiddleware:
    """Lets the named read-only views read from the replica, and pins a user who wrote to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reads = _replica_reads.set(False)
        wrote = _wrote.set(False)
        try:
            response = self.get_response(request)
            if _wrote.get() and replica_configured():
                seconds = settings.REPLICA_PIN_SECONDS
                response.set_cookie(
                    PIN_COOKIE,
                    str(int(time.time()) + seconds),
                    max_age=seconds,
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
            return response
        finally:
            _replica_reads.reset(reads)
            _wrote.reset(wrote)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and request.resolver_match.view_name in settings.REPLICA_READ_VIEWS
            and not _pinned(request)
        ):
            _replica_reads.set(True)
        return None


def _pinned(request):
    try:
        return int(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False
