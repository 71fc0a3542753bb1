"""Query-count tests measure the cost of a page when nothing is cached yet (units.freshness)."""

from django.core.cache import cache

from units.freshness import forget


def cold():
    """Empty the cache of summaries: the next request computes everything, as after a write."""
    cache.clear()
    forget()
