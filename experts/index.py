"""The expert directory's own Elasticsearch index, used when ELASTICSEARCH_URL is set.

Each listed expert is one document holding only what they consented to show. Chinese text is cut
into words here (jieba, 繁體 folded into 简体) and stored space-separated in fields analysed with
Elasticsearch's built-in `whitespace` analyzer, so no analysis plugin is needed on the server.
Searching answers a `DirectoryQuery` with the same `DirectoryResults` as the database engine:
every keyword must match, the four filters narrow the hits, and each filter's counts are taken
with the other filters applied but not its own.
"""

from __future__ import annotations

import datetime
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from elasticsearch import ApiError, BadRequestError, Elasticsearch, TransportError
from elasticsearch.dsl import (
    Date,
    Document,
    FacetedSearch,
    Integer,
    Keyword,
    MetaField,
    TermsFacet,
    Text,
    connections,
)
from elasticsearch.helpers import bulk

from portal.search.segment import segment_for_index

from . import directory
from .enums import ExpertStatus
from .models import Expert

logger = logging.getLogger(__name__)

ALIAS = "experts"
REQUEST_TIMEOUT = 10
ANALYZER = "whitespace"
# Keyword field of each directory filter: named like the expert's field it comes from.
FACET_FIELDS = {name: path for name, (_model, path, _consent) in directory.FILTERS.items()}
# More buckets than any filter has values, so every value gets its count.
FACET_SIZE = 500
# The expert's name weighs more than the rest of the profile.
SEARCH_FIELDS = ["full_name^3", "text"]
SORT = ["full_name_sort", "id"]

_SEARCH_ERRORS = (ApiError, TransportError)


def enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def index_name() -> str:
    """The index's name: the site's Elasticsearch prefix (ELASTICSEARCH_INDEX_PREFIX) and `experts`."""
    prefix = getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", None)
    if prefix is None:
        prefix = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "portal_")
    return f"{prefix or 'portal_'}experts"


# The connection --------------------------------------------------------------------------------

_lock = threading.Lock()
_connected_to: tuple[str, float] | None = None
_ready: set[tuple[str, str]] = set()


def connection() -> Elasticsearch:
    """The client for ELASTICSEARCH_URL, registered under the `experts` alias once per process
    (again only if the address or timeout changes)."""
    global _connected_to
    wanted = (settings.ELASTICSEARCH_URL, REQUEST_TIMEOUT)
    if _connected_to != wanted:
        with _lock:
            if _connected_to != wanted:
                connections.create_connection(alias=ALIAS, hosts=[wanted[0]], request_timeout=wanted[1])
                _connected_to = wanted
    return connections.get_connection(ALIAS)


# The document ----------------------------------------------------------------------------------


class ExpertDocument(Document):
    """What the public may find of one listed expert: name and specialties always, everything else
    only with the expert's consent."""

    id = Integer()
    full_name = Text(analyzer=ANALYZER)
    full_name_sort = Keyword()
    title = Text(analyzer=ANALYZER)
    employer = Text(analyzer=ANALYZER)
    bio = Text(analyzer=ANALYZER)
    projects = Text(analyzer=ANALYZER)
    # Every consented field in one place, for keyword search.
    text = Text(analyzer=ANALYZER)
    specialties = Keyword(multi=True)
    services = Keyword(multi=True)
    languages = Keyword(multi=True)
    district = Keyword()
    status = Keyword()
    admitted_on = Date()
    expires_on = Date()

    class Index:
        name = index_name()
        using = ALIAS
        settings = {"number_of_shards": 1}

    class Meta:
        # A field not declared above is refused, never guessed into the mapping.
        dynamic = MetaField("strict")

    @classmethod
    def from_expert(cls, expert: Expert) -> ExpertDocument:
        from .services import public_text

        def consented(field: str, *values: str) -> str | None:
            text = "\n".join(value for value in values if value)
            return segment_for_index(text) if text and expert.shows(field) else None

        with translation.override(settings.LANGUAGE_CODE):
            text = public_text(expert)
        return cls(
            meta={"id": str(expert.pk), "index": index_name()},
            id=expert.pk,
            full_name=segment_for_index(expert.full_name),
            full_name_sort=expert.sort_name or expert.full_name,
            title=consented("title", expert.title),
            employer=consented("employer", expert.employer),
            bio=consented("bio", expert.bio),
            projects=consented("projects", expert.projects, expert.publications),
            text=segment_for_index(text),
            specialties=[term.slug for term in expert.specialties.all()],
            services=[term.slug for term in expert.services.all()] if expert.shows("services") else [],
            languages=[term.slug for term in expert.languages.all()] if expert.shows("languages") else [],
            district=expert.district if expert.district and expert.shows("district") else None,
            status=str(expert.status),
            admitted_on=expert.admitted_on.isoformat(),
            expires_on=expert.expires_on.isoformat(),
        )


def mapping_body() -> dict:
    """The index's settings and mappings, as sent when it is created."""
    return ExpertDocument._index.to_dict()


def _create_index(client: Elasticsearch, name: str) -> None:
    body = mapping_body()
    client.indices.create(index=name, mappings=body["mappings"], settings=body.get("settings"))


def _ensure_index(client: Elasticsearch, name: str) -> None:
    """Create the index with its mapping if it is missing, so that a first save never leaves the
    server to guess the fields."""
    key = (settings.ELASTICSEARCH_URL, name)
    if key in _ready:
        return
    if not client.indices.exists(index=name):
        try:
            _create_index(client, name)
        except BadRequestError as error:
            if error.error != "resource_already_exists_exception":
                raise
    _ready.add(key)


# Keeping the index up to date --------------------------------------------------------------------


def update_later(expert_id: int) -> None:
    """Index (or drop) the expert once the current transaction commits."""
    if enabled():
        transaction.on_commit(lambda: sync(expert_id))


def _listed_experts():
    return Expert.objects.listed().prefetch_related("specialties", "services", "languages")


def sync(expert_id: int) -> None:
    """Index the expert if the public may find them, else take them out. Elasticsearch being down
    or refusing is logged, never raised: the change is already saved in the database."""
    if not enabled():
        return
    expert = _listed_experts().filter(pk=expert_id).first()
    document = ExpertDocument.from_expert(expert) if expert is not None else None
    try:
        client = connection()
        name = index_name()
        if document is not None:
            _ensure_index(client, name)
            document.save(using=ALIAS, index=name)
        else:
            client.options(ignore_status=404).delete(index=name, id=str(expert_id))
    except _SEARCH_ERRORS:
        logger.exception("Could not update expert %s in the Elasticsearch index %s", expert_id, index_name())


def _chunks(experts: Iterable[Expert], size: int) -> Iterator[list[Expert]]:
    chunk: list[Expert] = []
    for expert in experts:
        chunk.append(expert)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rebuild(progress: Callable[[str], object] = print, chunk: int = 500) -> int:
    """Create the index afresh (dropping the old one) and index every listed expert; returns how many."""
    client = connection()
    name = index_name()
    client.options(ignore_status=404).indices.delete(index=name)
    _create_index(client, name)
    _ready.add((settings.ELASTICSEARCH_URL, name))
    experts = _listed_experts().order_by("pk")
    total = experts.count()
    done = 0
    for group in _chunks(experts.iterator(chunk_size=chunk), chunk):
        bulk(client, [ExpertDocument.from_expert(expert).to_dict(include_meta=True) for expert in group])
        done += len(group)
        progress(f"  experts {done}/{total}")
    if not done:
        progress(f"  experts 0/{total}")
    client.indices.refresh(index=name)
    return done


# Searching -------------------------------------------------------------------------------------


class ExpertSearch(FacetedSearch):
    """A directory query as an Elasticsearch request: keywords (all required), the always-on
    listing conditions, the selected filters as a post filter, and counts for every filter."""

    using = ALIAS
    fields = SEARCH_FIELDS
    facets = {name: TermsFacet(field=field, size=FACET_SIZE) for name, field in FACET_FIELDS.items()}

    def __init__(self, query: directory.DirectoryQuery, on: datetime.date):
        self.index = index_name()
        self.on = on
        terms = query.terms
        super().__init__(query=" ".join(terms) if terms else None, filters=query.selected(), sort=SORT)
        start = (query.page - 1) * directory.PER_PAGE
        self._s = self._s[start : start + directory.PER_PAGE]

    def search(self):
        """Only admitted experts whose admission covers the day, and only their ids."""
        on = self.on.isoformat()
        return (
            super()
            .search()
            .filter("term", status=ExpertStatus.ADMITTED.value)
            .filter("range", admitted_on={"lte": on})
            .filter("range", expires_on={"gte": on})
            .source(False)
            .extra(track_total_hits=True)
        )

    def query(self, search, query):
        """Every word must be found, in the name or anywhere else in the public profile."""
        if not query:
            return search
        return search.query("multi_match", query=query, fields=self.fields, type="cross_fields", operator="and")

    def highlight(self, search):
        return search

    def body(self) -> dict:
        return self._s.to_dict()


def search_body(query: directory.DirectoryQuery, on: datetime.date | None = None) -> dict:
    """The request `search` sends for this query, as a dict."""
    return ExpertSearch(query, on or timezone.localdate()).body()


def search(query: directory.DirectoryQuery, on: datetime.date | None = None) -> directory.DirectoryResults:
    """The directory's answer from Elasticsearch; from the database while Elasticsearch cannot answer."""
    on = on or timezone.localdate()
    try:
        connection()
        response = ExpertSearch(query, on).execute()
    except _SEARCH_ERRORS:
        logger.exception("Elasticsearch could not search the expert directory; answering from the database")
        return directory.search_database(query, on)
    ids = [int(hit.meta.id) for hit in response]
    counts = {name: {value: count for value, count, _selected in response.facets[name]} for name in FACET_FIELDS}
    return directory.DirectoryResults(
        experts=directory.page_of(ids),
        total=response.hits.total.value,
        page=query.page,
        facets=directory.facets_from_counts(query, counts),
    )
