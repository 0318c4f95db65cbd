"""Page view counting (点击量) without a database write per view.

Every view increments a counter in the shared cache (atomic in Redis and in the
local-memory cache). The counter only grows; whenever it passes a multiple of
VIEW_COUNT_FLUSH_EVERY, the request that passed it adds those views to the
database with a single UPDATE ... SET view_count = view_count + N. The number shown
is the stored count plus the views still pending in the cache, so it is exact
under concurrent views; if the cache is cleared, fewer than N views can be lost.

Views of pages answered from the page cache (which already show the count of when
they were stored) are gathered in each worker for up to VIEW_COUNT_BATCH_SECONDS
and added to the shared counter together: a round trip to Redis for each such
view cost a third of the time of answering it. A worker adds what it gathered
when it next answers from the page cache after that time, and when it stops.
"""

import atexit
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db.models import F


def _key(page_id: int) -> str:
    return f"views:{page_id}"


def _flush_every() -> int:
    return max(1, settings.VIEW_COUNT_FLUSH_EVERY)


def record_view(page_id: int, views: int = 1) -> int:
    """Count `views` views; returns how many views this call wrote to the database (0 or a multiple of N)."""
    from .models import ArticlePage

    key = _key(page_id)
    try:
        total = cache.incr(key, views)
    except ValueError:
        # First view since the counter was created or evicted; add() loses no race.
        if cache.add(key, views, timeout=None):
            total = views
        else:
            total = cache.incr(key, views)
    every = _flush_every()
    written = (total // every - (total - views) // every) * every
    if written:
        ArticlePage.objects.filter(pk=page_id).update(view_count=F("view_count") + written)
    return written


def pending_views(page_id: int) -> int:
    total = cache.get(_key(page_id)) or 0
    return total % _flush_every()


class _Gathered:
    """Views answered from the page cache in this worker, not yet added to the shared counter."""

    def __init__(self):
        self.views: Counter[int] = Counter()
        self.since: float | None = None
        self.lock = threading.Lock()

    def add(self, page_id: int, seconds: float) -> Counter[int]:
        """Gather one view; the views to count now, once the oldest has waited `seconds`."""
        now = time.time()
        with self.lock:
            self.views[page_id] += 1
            if self.since is None:
                self.since = now
            if now - self.since < seconds:
                return Counter()
            return self._take()

    def take(self) -> Counter[int]:
        """Everything gathered, to count now."""
        with self.lock:
            return self._take()

    def _take(self) -> Counter[int]:
        views, self.views, self.since = self.views, Counter(), None
        return views


_gathered = _Gathered()


def record_cached_view(page_id: int) -> None:
    """Count a view of a page answered from the page cache, with the others of the last second."""
    seconds = settings.VIEW_COUNT_BATCH_SECONDS
    _record_all(_gathered.add(page_id, seconds) if seconds > 0 else Counter({page_id: 1}))


@atexit.register
def count_gathered_views() -> None:
    """What this worker gathered, counted as it stops."""
    _record_all(_gathered.take())


def _record_all(views: Counter[int]) -> None:
    for page_id, count in views.items():
        record_view(page_id, count)
