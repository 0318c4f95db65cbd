"""Searching the expert directory: keyword in Chinese, filters with counts per value, pages.

Two engines answer the same `DirectoryQuery` with the same `DirectoryResults`: the database (the
embedded default) and the directory's own Elasticsearch index (when ELASTICSEARCH_URL is set).
Both see only admitted, unexpired experts and only the fields each expert consented to show.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from portal import listing
from portal.districts import District
from portal.search.segment import query_terms

from .models import Expert, Language, ServiceType, Specialty

PER_PAGE = 20
# Elasticsearch answers only the first 10,000 hits of a search (its max_result_window); the database
# engine stops at the same page, so either engine gives a 404 past it instead of a server error.
MAX_PAGE = 10_000 // PER_PAGE

# Each filter: the query parameter, the vocabulary, the expert field, and the consent it needs.
FILTERS = {
    "specialty": (Specialty, "specialties", None),
    "service": (ServiceType, "services", "show_services"),
    "district": (None, "district", "show_district"),
    "language": (Language, "languages", "show_languages"),
}


@dataclass(frozen=True)
class DirectoryQuery:
    text: str = ""
    specialty: str = ""
    service: str = ""
    district: str = ""
    language: str = ""
    page: int = 1

    @classmethod
    def from_params(cls, params) -> DirectoryQuery:
        """The query from a request's GET parameters (a page that is not a number is page 1); a page
        past the last one any search can reach, or a value with a NUL character, is a 404."""
        try:
            page = max(1, int(params.get("page") or 1))
        except ValueError:
            page = 1
        if page > MAX_PAGE:
            raise Http404("No such page")
        values = {name: listing.filter_value(params, name).strip()[:100] for name in FILTERS}
        values["text"] = listing.filter_value(params, "q").strip()[:100]
        return cls(page=page, **values)

    def selected(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name)}

    @property
    def terms(self) -> list[str]:
        return query_terms(self.text)


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class DirectoryResults:
    experts: list[Expert]
    total: int
    page: int
    per_page: int = PER_PAGE
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def vocabulary() -> dict[str, list[tuple[str, str]]]:
    """Every filter's values and labels in the current language, in display order."""
    found = {}
    for name, (model, _field, _consent) in FILTERS.items():
        if model is None:
            found[name] = [(value, str(label)) for value, label in District.choices]
        else:
            found[name] = [(term.slug, term.label) for term in model.objects.filter(is_active=True)]
    return found


def page_of(ids: list[int]) -> list[Expert]:
    """The experts with these ids, in this order, with what a directory card shows (4 queries)."""
    return listing.in_order(Expert.objects.prefetch_related("specialties", "services", "languages"), ids)


def _filtered(query: DirectoryQuery, on: datetime.date, *, leave_out: str | None = None):
    experts = Expert.objects.listed(on)
    for term in query.terms:
        experts = experts.filter(search_text__contains=term)
    for name, value in query.selected().items():
        if name == leave_out:
            continue
        _model, path, consent = FILTERS[name]
        condition = Q(**{path: value}) if name == "district" else Q(**{f"{path}__slug": value})
        if consent:
            condition &= Q(**{consent: True})
        experts = experts.filter(condition)
    return experts


def _counts(query: DirectoryQuery, on: datetime.date, name: str) -> dict[str, int]:
    """How many experts each value of filter `name` would find, with the other filters applied."""
    _model, path, consent = FILTERS[name]
    experts = _filtered(query, on, leave_out=name)
    if consent:
        experts = experts.filter(**{consent: True})
    key = path if name == "district" else f"{path}__slug"
    # filter(isnull=False), not exclude(isnull=True): an inner join instead of an anti-join subquery.
    rows = experts.filter(**{f"{key}__isnull": False}).order_by().values(key).annotate(n=Count("pk", distinct=True))
    return {row[key]: row["n"] for row in rows if row[key]}


def facets_from_counts(query: DirectoryQuery, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    """Facet values in vocabulary order: those with experts, and the selected one even at zero."""
    selected = query.selected()
    facets = {}
    for name, values in vocabulary().items():
        facets[name] = [
            FacetValue(value, label, counts[name].get(value, 0), selected.get(name) == value)
            for value, label in values
            if counts[name].get(value) or selected.get(name) == value
        ]
    return facets


def search_database(query: DirectoryQuery, on: datetime.date | None = None) -> DirectoryResults:
    on = on or timezone.localdate()
    experts = _filtered(query, on)
    total = experts.count()
    start = (query.page - 1) * PER_PAGE
    ids = list(experts.order_by("sort_name", "pk").values_list("pk", flat=True)[start : start + PER_PAGE])
    counts = {name: _counts(query, on, name) for name in FILTERS}
    return DirectoryResults(page_of(ids), total, query.page, facets=facets_from_counts(query, counts))


def search(query: DirectoryQuery, on: datetime.date | None = None) -> DirectoryResults:
    """The directory's answer, from Elasticsearch when it is configured, else from the database."""
    from . import index

    if index.enabled():
        return index.search(query, on)
    return search_database(query, on)
