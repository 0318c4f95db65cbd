"""The default order of every queue staff work through in the admin (applications, transfers, aid
registrations): what waits for someone first, the longest waiting at the top; then the rest,
newest first. A column header clicked still sorts by that column."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import OrderBy


def waiting_first(field: str, waiting: Iterable[str], *, since: str) -> list[OrderBy | str]:
    """An `ordering` for a viewset: rows whose `field` is in `waiting` first, oldest `since` first."""
    is_waiting = Q(**{f"{field}__in": list(waiting)})
    return [
        Case(When(is_waiting, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
        Case(When(is_waiting, then=F(since))).asc(nulls_last=True),
        F(since).desc(nulls_last=True),
        "-pk",
    ]
