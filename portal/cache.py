"""What is kept in the shared cache until the next change: purge generations and cached values.

Purging bumps a generation number that is part of every key kept "until the next purge", so one
cache write makes everything stale on every app server sharing the cache: the page cache
(portal/pagecache.py), the template fragments, and the values of cached_until_purge() (id lists,
synonyms, crumbs). Every such key also names the release (settings.RELEASE), so nothing cached
by another release is read during or after a deployment.

What every page draws around its content (the header with the menu, the footer with the partners
and contact details, the links to the legal pages) has a generation of its own: publishing an
article deep in the tree leaves it alone, so the first reader after a publish does not rebuild
it. Every other change bumps both (portal/signals.py says which page changes reach the chrome).
"""

import secrets
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "pagecache:generation"
CHROME_GENERATION_KEY = "pagecache:chrome-generation"

# How long anything kept "until the next purge" is kept at most. Every change the public can see
# purges at once: a publish, unpublish, move or delete, an edited record that pages show, and
# `publish_scheduled` unpublishing a page at its expiry time (its cron line runs every 5 minutes).
# The limit only bounds what a purge that never came could leave behind; long enough that a quiet
# site keeps its fragments, id lists and search results between one reader and the next.
KEEP_SECONDS = 3600


def purge(*, chrome: bool = True) -> None:
    """Make every cached page, fragment and value stale at once; with `chrome=False`, all but the
    chrome (for a change no header, menu or footer shows)."""
    for key in (GENERATION_KEY, CHROME_GENERATION_KEY) if chrome else (GENERATION_KEY,):
        try:
            cache.incr(key)
        except ValueError:
            new_generation(key)


def new_generation(key: str = GENERATION_KEY) -> int:
    """Start from a number never used before when the generation is missing (evicted, or a new cache):
    anything stored under an earlier generation must not become current again."""
    cache.add(key, secrets.randbits(48), timeout=None)
    return cache.get(key) or 0


# What this request has already read from the shared cache: the generations (a round trip with Redis).
_request_memo: ContextVar[dict | None] = ContextVar("portal_request_memo", default=None)


@contextmanager
def request_memo():
    """Read each generation at most once while a request is answered."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def remember_generation(value: int, key: str = GENERATION_KEY) -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo[key] = value


def generation(key: str = GENERATION_KEY) -> int:
    """Changes on every purge (CHROME_GENERATION_KEY: on every purge that reaches the chrome); part
    of the key of everything cached until the next such change."""
    memo = _request_memo.get()
    if memo is not None and key in memo:
        return memo[key]
    value = cache.get(key)
    if value is None:
        value = new_generation(key)
    remember_generation(value, key)
    return value


def current_key(key: str, generation_key: str = GENERATION_KEY) -> str:
    """The key under which `key` is stored by this code until the next purge (of the chrome)."""
    return f"{key}:{settings.RELEASE}:{generation(generation_key)}"


class LocalCopies:
    """This process's copies of what it read from the shared cache under a purge generation.

    Such a key names the generation it was stored under, so its value never changes: after a
    purge it is simply never asked for again. Keeping a copy for a few seconds saves a round
    trip to Redis per value on every page, and staying correct needs nothing from the other
    app servers (the generation is still read from Redis once per request). The copies are
    shared by the requests of this process: treat what cached_until_purge() returns as read-only.
    """

    def __init__(self, max_entries: int = 2000, seconds: float = 30):
        self.max_entries, self.seconds = max_entries, seconds
        self._entries: OrderedDict[str, tuple[float, object]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, default=None):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return default
            if entry[0] < time.monotonic():
                del self._entries[key]
                return default
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, value, timeout: float) -> None:
        expires = time.monotonic() + min(timeout, self.seconds)
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


local_copies = LocalCopies()


def get_many_until_purge(full_keys: list[str]) -> dict:
    """The values of these keys (which end with the generation), from this process or in one round trip."""
    found = {key: value for key in full_keys if (value := local_copies.get(key)) is not None}
    wanted = [key for key in full_keys if key not in found]
    if wanted:
        fetched = cache.get_many(wanted)
        for key, value in fetched.items():
            local_copies.set(key, value, local_copies.seconds)
        found.update(fetched)
    return found


def set_many_until_purge(values: dict, timeout: int) -> None:
    cache.set_many(values, timeout)
    for key, value in values.items():
        local_copies.set(key, value, timeout)


def cached_until_purge(key: str, build, timeout: int = KEEP_SECONDS, *, generation_key: str = GENERATION_KEY):
    """`build()`, kept in the shared cache until the next purge (or `timeout` seconds)."""
    full_key = current_key(key, generation_key)
    value = local_copies.get(full_key)
    if value is not None:
        return value
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, timeout)
    local_copies.set(full_key, value, timeout)
    return value


def cached_with_chrome(key: str, build, timeout: int = KEEP_SECONDS):
    """`build()` for what every page draws around its content, kept until the next purge that reaches
    the chrome: a home page or a page under one, the site's settings or records (not an article)."""
    return cached_until_purge(key, build, timeout, generation_key=CHROME_GENERATION_KEY)
