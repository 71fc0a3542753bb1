"""Summaries kept until the records they are made of change, place by place.

**Writing code: call `changed()`.** Every service that writes records says which places it changed, in
the same transaction, after its writes::

    from units.freshness import changed

    @transaction.atomic
    def member_enlist(*, user, **fields):
        ...
        member.save()
        changed(units=[member.unit, member.person.home_unit])
        return member

- `changed(units=[...])`: records that belong to these units changed (a `Unit`, its id or its tree path;
  give the old and the new unit when a record moves). The summaries of the unit, of its ancestors
  (commune → district → province) and of everything below it go stale; the neighbours' do not.
- `changed(users=[...])`: a user's roles or permissions changed (their scope and permission sets).
- `changed(everything=True)`: something every page may read changed (reference data, the unit tree,
  report periods and templates, the permissions of a role).

- `changed(units=[...], records={"reports"})`: the same, saying which apps' records changed (labels); the
  summaries that say they read none of them (`remember(..., reads=...)`, `keep(..., reads=...)`) are not
  touched: a report's draft does not recompute the militia figures its report shows.

Summary tables kept by the data (the dashboard's `dashboard.UnitYearFigures`) register with `keep()` and
the apps they read: `changed()` tells them which places changed, in the same transaction.

The generations move when the transaction commits (`transaction.on_commit`); nothing moves if it rolls
back. Until then, the transaction reads its own writes: a summary of a place it changed is computed, not
read from the cache. The admin marks its writes through `units.admin.ChangesAdminMixin`; imports, the
demo seeder and management commands call `changed()` like the services. A write that calls none of them
shows within `FRESHNESS_CACHE_SECONDS` (600) at the latest.

**Reading code: call `remember()` from selectors** (never from views)::

    return remember(day_key("campaign-page", campaign.pk), compute, units=[campaign.district])

`remember(parts, compute, units=..., users=...)` returns `compute()`'s value, cached under `parts` and the
generations of the places it summarises: `units=[...]` the subtrees it reads (`scope_units(scope)` for
what a user sees, `ALL_UNITS` for the whole tree), `users=[...]` the users whose roles it reads. The
shared generation (`everything`) is part of every key.

**How.** Generations are rows of `units.Generation` (key → random 62-bit value; random, so a restored
backup never lands on a value cached for other data):

- `*` — shared: moved by `changed(everything=True)`;
- `tree` — the whole tree: moved by every `changed(units=...)`;
- `u<id>` — the subtree of a unit: moved by a change at the unit or below it;
- `a<id>` — the unit's own records, which its whole subtree sees (a district's campaign, reserve units
  and targets are shown to its communes): moved by a change at the unit itself;
- `user<id>` — a user's roles and permissions.

A change moves each place's key and the same key suffixed with the apps whose records it changed
(`u<id>/reports`), or `/any` when it does not say. A summary of the subtree of unit U carries `*`, `u<U>`
and `a<A>` for each ancestor A of U — or, when it says which apps it reads, each of these keys suffixed
with `/any` and with every app it reads. A change in
a hamlet of commune C moves `u` of the hamlet, C, its district and province, `tree`, and `a` of the
hamlet: the summaries of C, of its district and province change key, those of C's neighbours do not.
The generations are read once per request (one query for the keys a page needs, memoised until the next
request or this process's next write); the values are read from Django's cache (`CACHE_URL`), shared
by every worker and node when it is Redis. With a shared cache each process also keeps the values it read
in its own memory (the `local` cache, `FRESHNESS_LOCAL_SECONDS`): a key names the generations it was made
under, so a local copy is never older than the writes committed before the request.
"""

import hashlib
import secrets
import threading
from functools import partial

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.translation import get_language

SHARED = "*"
TREE = "tree"
ANY_RECORDS = "any"  # the suffix a place's key takes when a write does not say which apps' records changed
PATH_STEP = 7  # units.models.PATH_STEP: six digits and a dot per level


class _AllUnits:
    def __repr__(self):
        return "ALL_UNITS"


ALL_UNITS = _AllUnits()
"""`remember(..., units=ALL_UNITS)`: the summary reads the whole tree (a superuser's view)."""

_local = threading.local()


def _state():
    if not hasattr(_local, "values"):
        _local.values = {}  # generation key → value, memoised for the request
        _local.queued = set()  # keys changed by transactions of this thread that have not committed yet
        _local.flushed = set()  # keys moved by the commit whose callbacks are running
    return _local


# --- Places → generation keys -----------------------------------------------------------------------------------


def _path_ids(path):
    return [int(part) for part in path.split(".") if part]


def _paths(units):
    """Tree paths of units given as `Unit`s, ids or paths (one query for the ids)."""
    paths, ids = [], []
    for unit in units:
        if unit is None:
            continue
        if isinstance(unit, str):
            paths.append(unit)
        elif isinstance(unit, int):
            ids.append(unit)
        elif getattr(unit, "path", ""):
            paths.append(unit.path)
        elif getattr(unit, "pk", None) is not None:
            ids.append(unit.pk)
    if ids:
        from .models import Unit

        paths.extend(Unit.objects.filter(pk__in=ids).values_list("path", flat=True))
    return paths


def _apps(records):
    """`records=`/`reads=` given as one app label or several: a frozenset of labels (None stays None)."""
    if records is None:
        return None
    labels = frozenset({records} if isinstance(records, str) else records)
    unknown = labels - set(django_apps.app_configs)
    if unknown:  # a misspelt label would keep a summary past the writes it reads
        raise ValueError(f"No installed app {sorted(unknown)}")
    return labels


def changed_keys(*, units=(), users=(), everything=False, records=None):
    """The generation keys `changed()` moves (see the module's docstring)."""
    keys = {SHARED} if everything else set()
    places = set()
    for path in _paths(units):
        ids = _path_ids(path)
        if ids:
            places.update(f"u{pk}" for pk in ids)
            places.update((f"a{ids[-1]}", TREE))
    records = _apps(records)
    suffixes = [ANY_RECORDS] if records is None else sorted(records)
    keys |= places | {f"{place}/{suffix}" for place in places for suffix in suffixes}
    keys.update(f"user{getattr(user, 'pk', user)}" for user in users if user is not None)
    return keys


def summary_keys(*, units=(), users=(), reads=None):
    """The generation keys a summary of `units` (and of `users`' roles) is kept under — of the records of the
    apps `reads` only, when it says which it reads."""
    places = set()
    if units is ALL_UNITS:
        places.add(TREE)
    else:
        for path in _paths(units):
            ids = _path_ids(path)
            if ids:
                places.add(f"u{ids[-1]}")
                places.update(f"a{pk}" for pk in ids[:-1])
    reads = _apps(reads)
    if reads is not None:
        places = {f"{place}/{suffix}" for place in places for suffix in (ANY_RECORDS, *sorted(reads))}
    keys = {SHARED} | places
    keys.update(f"user{getattr(user, 'pk', user)}" for user in users if user is not None)
    return keys


def scope_units(scope, within=None):
    """The `units=` of `remember()` for what a user sees (a units.scoping.UserScope): all of it, or only what
    lies in the subtree of the unit `within` (a district's campaign as a commune officer sees it)."""
    if within is None:
        return ALL_UNITS if scope.is_all else list(scope.read_paths)
    if scope.is_all or any(within.path.startswith(path) for path in scope.read_paths):
        return [within.path]
    return [path for path in scope.read_paths if path.startswith(within.path)]


def subtree_units(queryset):
    """The `units=` of a summary of `queryset`: the whole tree for records placed in it (a list filtered by
    anything), none for reference data that belongs to no unit (its changes are `everything`)."""
    return ALL_UNITS if hasattr(queryset.model, "scope_path_field") else ()


# --- Writing: changed() -----------------------------------------------------------------------------------------


def changed(*, units=(), users=(), everything=False, records=None, using=DEFAULT_DB_ALIAS):
    """Mark places whose records this transaction changed; their summaries go stale when it commits.

    units: the `Unit`s (or ids, or tree paths) whose records changed — the old and the new one when a
    record moves; users: users whose roles or permissions changed; everything: reference data, the tree,
    periods or role permissions changed (every summary); records: the apps whose records changed (labels,
    e.g. `{"reports"}`), so that the summaries which read none of them (`remember(..., reads=...)`,
    `keep(..., reads=...)`) are left alone — leave it out when unsure: every summary then goes stale. Call
    it inside the service's transaction, after the writes; outside a transaction the generations move at
    once."""
    paths = _paths(units)
    records = _apps(records)
    keys = changed_keys(units=paths, users=users, everything=everything, records=records)
    if not keys:
        return
    if paths or everything:
        for keeper, reads in _keepers.items():
            if everything or records is None or reads is None or not reads.isdisjoint(records):
                keeper(paths=paths, everything=everything, using=using)
    state = _state()
    state.queued.update(keys)
    state.flushed = set()  # new writes: the next commit bumps their keys again
    transaction.on_commit(partial(_flush, frozenset(keys), using), using=using, robust=True)


_keepers = {}  # keeper → the app labels of the records it reads (None: any)


def keep(keeper, *, reads=None):
    """Register a summary table kept by the data (the dashboard's `dashboard.summary.mark`): `changed()` calls
    `keeper(paths=[tree paths], everything=bool, using=alias)` inside the writing transaction, after the
    writes, whenever records of units (or everything) changed — of the apps `reads` (labels), when the write
    says which apps' records it changed (`changed(records=...)`). Returns the keeper."""
    _keepers[keeper] = None if reads is None else frozenset(reads)
    return keeper


def _flush(keys, using):
    # The callbacks of one commit run one after the other: a key marked by several calls moves once.
    state = _state()
    state.queued.difference_update(keys)
    todo = keys - state.flushed
    if todo:
        state.values.update(bump(todo, using=using))
        state.flushed |= todo


def bump(keys, *, using=DEFAULT_DB_ALIAS):
    """Move the generations `keys` on now (committed writes call it through `changed()`)."""
    from .models import Generation

    values = {key: secrets.randbits(62) for key in sorted(keys)}
    Generation.objects.using(using).bulk_create(
        [Generation(key=key, value=value) for key, value in values.items()],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["value"],
    )
    return values


def forget(**kwargs):
    """Read the generations again at their next use (a new request, a test)."""
    _state().values.clear()


def reset():
    """Forget the generations and the changes of transactions that never committed (between tests)."""
    state = _state()
    state.values.clear()
    state.queued.clear()
    state.flushed = set()


def _after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    # Data migrations may have changed any record; the units app's signal comes once per `migrate`.
    if sender.label == "units" and "units_generation" in connections[using].introspection.table_names():
        bump([SHARED], using=using)


post_migrate.connect(_after_migrate, dispatch_uid="units.freshness.after_migrate")
request_started.connect(forget, dispatch_uid="units.freshness.forget")


# --- Reading: remember() ----------------------------------------------------------------------------------------


def generations(keys, *, using=None):
    """The current values of `keys` (one query for those this request has not read yet). Read where the page
    reads its records (baolam_portal/replicas.py): a summary computed from a lagging replica is kept under
    the replica's older generations, never under newer ones."""
    from .models import Generation

    values = _state().values
    missing = [key for key in keys if key not in values]
    if missing:
        queryset = Generation.objects.filter(key__in=missing)
        if using is not None:
            queryset = queryset.using(using)
        found = dict(queryset.values_list("key", "value"))
        for key in missing:
            values[key] = found.get(key, 0)
    return [values[key] for key in keys]


def _key(parts):
    raw = "\x1f".join(str(p) for p in parts)
    return "fresh:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def remember(parts, compute, *, units=(), users=(), reads=None, using=None):
    """`compute()`'s value, cached under `parts` until `units` or `users` change (see the module's docstring).

    units: the subtrees the value summarises (`Unit`s, ids, tree paths, `scope_units(scope)` or
    `ALL_UNITS`); users: the users whose roles it reads; reads: the apps whose records it reads (labels),
    when it reads only some — the value is then kept across writes that say they changed none of them
    (`changed(records=...)`). Call it from selectors."""
    timeout = getattr(settings, "FRESHNESS_CACHE_SECONDS", 600)
    keys = sorted(summary_keys(units=units, users=users, reads=reads))
    queued = _state().queued
    if queued:
        if transaction.get_autocommit(using=using or DEFAULT_DB_ALIAS):
            queued.clear()  # outside a transaction, changes queued by one that rolled back
        elif not queued.isdisjoint(keys):
            # This transaction changed these places: it reads its own writes, which no other request sees yet.
            return compute()
    if not timeout:
        return compute()
    key = _key((*keys, *generations(keys, using=using), *parts))
    local = caches["local"] if "local" in settings.CACHES else None
    if local is not None:
        value = local.get(key, _MISSING)
        if value is not _MISSING:
            return value
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, timeout)
    if local is not None:
        local.set(key, value, min(timeout, getattr(settings, "FRESHNESS_LOCAL_SECONDS", 60)))
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
