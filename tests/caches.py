"""Query-count tests measure the cost of a page when nothing is cached yet (units.freshness).

`django_assert_num_queries` and `django_assert_max_num_queries` (conftest.py) and `cold_queries()` start
from an empty cache, as the first view after a write: no test has to remember to empty it."""

from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from units.freshness import reset


def cold():
    """Empty the cache of summaries: the next request computes everything, as after a write."""
    cache.clear()
    if "local" in settings.CACHES:  # each worker's copies, beside a shared cache
        caches["local"].clear()
    reset()


@contextmanager
def cold_queries(using=connection):
    """The queries of the block, run with nothing cached (`with cold_queries() as queries: client.get(url)`)."""
    cold()
    with CaptureQueriesContext(using) as queries:
        yield queries


def places(*units, everything=False, users=(), records=None):
    """The generation keys a change of these units (and users) must move, read from the tree itself: `u` of
    each unit and of every ancestor, `a` of each unit, `tree`, each also suffixed with the apps whose records
    changed (`records`, or `any`); `*` for everything; `user<id>` per user."""
    keys = {"*"} if everything else set()
    found = set()
    for unit in units:
        found |= {"tree", f"a{unit.pk}", f"u{unit.pk}"} | {f"u{ancestor.pk}" for ancestor in unit.ancestors()}
    suffixes = ["any"] if records is None else sorted(records)
    keys |= found | {f"{key}/{suffix}" for key in found for suffix in suffixes}
    return keys | {f"user{user.pk}" for user in users}


@contextmanager
def moved_generations(capture_on_commit_callbacks):
    """The generation keys the block's committed changes moved (`moved` fixture, conftest.py): the block's
    on-commit callbacks run at its end, as when a request's transaction commits."""
    from units.models import Generation

    before = dict(Generation.objects.values_list("key", "value"))
    keys = set()
    with capture_on_commit_callbacks(execute=True):
        yield keys
    after = dict(Generation.objects.values_list("key", "value"))
    keys.update(key for key, value in after.items() if before.get(key) != value)
