"""Page view counting (点击量) without a database write per view.

Every view increments a counter in the shared cache (atomic in Redis and in the
local-memory cache). The counter only grows; whenever it reaches a multiple of
VIEW_COUNT_FLUSH_EVERY, the request that reached it adds that many views to the
database with a single UPDATE ... SET view_count = view_count + N. The number shown
is the stored count plus the views still pending in the cache, so it is exact
under concurrent views; if the cache is cleared, fewer than N views can be lost.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import F


def _key(page_id: int) -> str:
    return f"views:{page_id}"


def _flush_every() -> int:
    return max(1, settings.VIEW_COUNT_FLUSH_EVERY)


def record_view(page_id: int) -> int:
    """Count one view; returns how many views this call wrote to the database (0 or N)."""
    from .models import ArticlePage

    key = _key(page_id)
    try:
        total = cache.incr(key)
    except ValueError:
        # First view since the counter was created or evicted; add() loses no race.
        if cache.add(key, 1, timeout=None):
            total = 1
        else:
            total = cache.incr(key)
    every = _flush_every()
    if total % every == 0:
        ArticlePage.objects.filter(pk=page_id).update(view_count=F("view_count") + every)
        return every
    return 0


def pending_views(page_id: int) -> int:
    total = cache.get(_key(page_id)) or 0
    return total % _flush_every()
