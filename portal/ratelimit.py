"""Hourly limits per visitor on public forms anyone may send without signing in (objections,
certificate and receipt checks): counted in the shared cache, so every worker sees the same count."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied

HOUR = 3600


def client_key(request) -> str:
    """The visitor's address, read the way sign-in rate limits read it (TRUSTED_PROXY_COUNT)."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def count(key: str, *, seconds: int = HOUR) -> int:
    """Add one to the counter `key`, kept for `seconds` from its first use; returns the new count."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def over_hourly_limit(request, scope: str, limit: int) -> bool:
    """Count one more use of `scope` by this visitor; True once they have gone past `limit` this hour."""
    return count(f"{scope}:{client_key(request)}") > limit
