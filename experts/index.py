"""The expert directory's own Elasticsearch index, used when ELASTICSEARCH_URL is set."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def update_later(expert_id: int) -> None:
    """Index (or drop) the expert once the current transaction commits."""
    if enabled():
        transaction.on_commit(lambda: sync(expert_id))


def sync(expert_id: int) -> None:
    raise NotImplementedError
