"""Summaries kept until the records they are made of change.

The portal keeps one counter, the *data generation* (the single row of `units_datageneration`). Every
transaction that writes to a table of the portal's records (people, militia, recruitment, reports, units
and roles, and the permission tables) bumps it once, right after it commits. A summary — a count, the
options of a filter, a user's units and permissions, the dashboard's figures — is cached under a key that
carries the generation it was computed at, so the first read after any committed write computes it again,
whichever web node or worker made the write. The generation moves right after the commit (not before:
a reader could otherwise cache the old data under the new generation); a summary read between the commit
and the bump is at most that moment old.

Writes are seen where Django executes SQL (an execute wrapper installed on every connection), so the ORM,
bulk operations, the admin, imports and raw SQL through Django's connection all bump the generation. A
change made outside Django (psql) is seen after `FRESHNESS_CACHE_SECONDS` at the latest. A restore rewinds
the row to the value of the backup, whose summaries (if still cached) were made of the same data; new
writes then move it to new random values, never to one cached for other data.

Reading the generation costs one query per request (memoised until the request ends or this process
writes); everything cached is then read from Django's cache.
"""

import hashlib
import re
import secrets
import threading

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_started
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils import timezone
from django.utils.translation import get_language

TABLE = "units_datageneration"
WATCHED_PREFIXES = ("people_", "militia_", "recruitment_", "activities_", "reports_", "units_", "auth_")
# Written on reads or sign-ins; nothing cached depends on them.
IGNORED_TABLES = frozenset({TABLE, "units_auditevent", "auth_user"})

_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)', re.IGNORECASE)
_local = threading.local()


def _watched(sql):
    if not isinstance(sql, str):
        return False
    head = sql.lstrip()[:1]
    if head not in ("I", "U", "D", "i", "u", "d"):
        return False
    match = _WRITE.match(sql)
    if match is None:
        return False
    table = match.group(1).lower()
    return table not in IGNORED_TABLES and table.startswith(WATCHED_PREFIXES)


def bump(using="default"):
    """Move the data generation on: every summary cached before is stale from now on."""
    _local.__dict__.pop(using, None)
    # A random value, not value + 1: after a restore rewinds the row, new writes must not land on
    # generations that were cached for other data.
    value = secrets.randbits(62)
    with connections[using].cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET value = %s WHERE id = 1", [value])  # noqa: S608 (a constant)
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES (1, %s)", [value])  # noqa: S608


class _Bump:
    """The on-commit callback of one transaction (at most one per transaction)."""

    def __init__(self, using):
        self.using = using

    def __call__(self):
        bump(self.using)


def _under_test_transaction(connection):
    # Django's TestCase wraps each test in a transaction that never commits, so on-commit callbacks never
    # run there: bump at once instead (the test's single connection sees it).
    blocks = connection.atomic_blocks
    return bool(blocks) and all(getattr(block, "_from_testcase", False) for block in blocks[:1])


_migrating = threading.Event()  # set between pre_migrate and post_migrate: the table may not exist yet


def watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if not _migrating.is_set() and _watched(sql):
        connection = context["connection"]
        if _under_test_transaction(connection):
            bump(connection.alias)
            # Inside the test's own atomic blocks, the outermost other one plays the transaction.
            own = [block for block in connection.atomic_blocks if not getattr(block, "_from_testcase", False)]
            if own:
                connection._freshness_wrote_in = own[0]
        elif not any(isinstance(func, _Bump) for _sids, func, _robust in connection.run_on_commit):
            # robust: the data is committed; a failed bump is logged and the cache lives its timeout at most.
            connection.on_commit(_Bump(connection.alias), robust=True)
    return result


def install(connection, **kwargs):
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def forget(**kwargs):
    """Read the generation again at the next use (a new request, a test)."""
    _local.__dict__.clear()


def _pre_migrate(**kwargs):
    _migrating.set()


def _post_migrate(using="default", **kwargs):
    if _migrating.is_set():
        _migrating.clear()
        bump(using)  # data migrations may have changed records


connection_created.connect(install, dispatch_uid="units.freshness.install")
pre_migrate.connect(_pre_migrate, dispatch_uid="units.freshness.pre_migrate")
post_migrate.connect(_post_migrate, dispatch_uid="units.freshness.post_migrate")
request_started.connect(forget, dispatch_uid="units.freshness.forget")


def _wrote_in_transaction(connection):
    if not connection.in_atomic_block:
        return False
    if any(isinstance(func, _Bump) for _s, func, _r in connection.run_on_commit):
        return True
    wrote_in = getattr(connection, "_freshness_wrote_in", None)  # under a test transaction
    return wrote_in is not None and any(block is wrote_in for block in connection.atomic_blocks)


def generation(using="default"):
    """The current data generation (read once per request, and again after this process writes)."""
    value = _local.__dict__.get(using)
    if value is None:
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT value FROM {TABLE} WHERE id = 1")  # noqa: S608 (a constant)
            row = cursor.fetchone()
        value = row[0] if row else 0
        _local.__dict__[using] = value
    return value


def _key(parts):
    raw = "\x1f".join(str(p) for p in parts)
    return "fresh:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def remember(parts, compute, *, using="default"):
    """`compute()`'s value, cached under `parts` until the next committed write to the portal's records."""
    timeout = getattr(settings, "FRESHNESS_CACHE_SECONDS", 600)
    if not timeout or _wrote_in_transaction(connections[using]):
        # A transaction that has written reads its own changes, which no other request sees yet.
        return compute()
    key = _key((generation(using), *parts))
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    return value


_MISSING = object()


def day_key(name, *parts):
    """The key of a summary shown as of today in the current language (dates, overdue reports and
    translated labels are part of it)."""
    return (name, get_language(), timezone.localdate(), *parts)


def user_key(name, user, *parts):
    """The key of a summary of what one user sees (their units, their permissions)."""
    return day_key(name, user.pk, user.is_superuser, *parts)


def queryset_key(queryset):
    """A stable key for what a queryset selects: its SQL and parameters."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter such as pk__in=[]: nothing to select, whatever the model
        return (queryset.db, "empty", queryset.model._meta.label)
    return (queryset.db, sql, repr(params))
