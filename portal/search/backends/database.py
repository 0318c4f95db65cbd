"""Wagtail's database search backend (SQLite FTS5 or PostgreSQL) with Chinese query segmentation."""

from functools import cache

from modelsearch.backends import database

from . import SegmentingBackendMixin


@cache
def _segmenting(backend_class: type) -> type:
    return type(backend_class.__name__, (SegmentingBackendMixin, backend_class), {})


def SearchBackend(params):  # noqa: N802 - Wagtail looks the backend up by this name.
    backend = database.SearchBackend(params)
    return _segmenting(backend.__class__)(params)
