"""Site search (/search/?q=) over the public pages of the current language."""

import datetime
import hashlib

from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from notices.models import ArticlePage
from portal import listing, routing
from portal.cache import cached_until_purge
from portal.localization.conversion import to_simplified

from .highlight import excerpt, highlight
from .segment import query_terms

PER_PAGE = 10
MAX_QUERY_LENGTH = 100
# Matches beyond this many are not ranked, counted or listed.
RESULT_LIMIT = 1000


def _home_for_request(request):
    """The home page in the visitor's language: what the results are searched under."""
    site = routing.prepare(request) or Site.objects.get(is_default_site=True)
    return routing.site_home(site)


def _sections(home) -> list[Page]:
    """The top-level sections results are grouped by, kept until the next purge."""
    return cached_until_purge(
        f"search-sections:{home.pk}", lambda: list(listing.visible(home.get_children()).order_by("path")), 300
    )


def _title_matches(title: str, terms: list[str]) -> bool:
    simplified = to_simplified(title).lower()
    return all(term in simplified for term in terms)


def _ranked_matches(home, query: str, terms: list[str]) -> list[tuple[int, str]]:
    """Matching pages under `home`: those whose title holds every query word first, newest first in each group.

    One full-text query without relevance scores (which the database backends compute row by
    row), then the ranking in Python over at most RESULT_LIMIT light rows.
    """
    pages = listing.visible_for_search(listing.descendants_of(Page.objects.all(), home)).only("pk", "path", "title")
    matches = list(pages.search(query, operator="and", order_by_relevance=False)[:RESULT_LIMIT])
    dates = dict(ArticlePage.objects.filter(pk__in=[m.pk for m in matches]).values_list("pk", "date"))
    undated = datetime.date.min

    def rank(page):
        return (not _title_matches(page.title, terms), -(dates.get(page.pk, undated).toordinal()), -page.pk)

    return [(page.pk, page.path) for page in sorted(matches, key=rank)]


def ranked_matches(home, query: str, terms: list[str]) -> list[tuple[int, str]]:
    """(pk, path) of the matches, kept for a few minutes or until the next purge: people search
    for the same few words (会费, 专家库, 志愿者) again and again."""
    digest = hashlib.sha256(" ".join(terms).encode()).hexdigest()[:32]
    return cached_until_purge(f"search:{home.pk}:{digest}", lambda: _ranked_matches(home, query, terms), 300)


def _section_of(path: str, sections):
    return next((s for s in sections if path.startswith(s.path)), None)


def _excerpt_texts(pages) -> dict[int, str]:
    """The summary or intro of each page: one query per page type on the results page, not per result."""
    by_model: dict[type, list[int]] = {}
    for page in pages:
        by_model.setdefault(page.specific_class, []).append(page.pk)
    texts = {}
    for model, ids in by_model.items():
        field = next((name for name in ("summary", "intro", "hero_text") if hasattr(model, name)), None)
        if model is not None and field:
            texts.update(model.objects.filter(pk__in=ids).values_list("pk", field))
    return texts


def _describe(pages, terms, sections) -> list[dict]:
    texts = _excerpt_texts(pages)
    return [
        {
            "page": page,
            "title": highlight(page.title, terms),
            "excerpt": highlight(excerpt(page.search_description or texts.get(page.pk) or "", terms), terms),
            "section": next((s for s in sections if page.path.startswith(s.path) and s.pk != page.pk), None),
        }
        for page in pages
    ]


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    home = _home_for_request(request)
    sections = _sections(home)
    selected = next((s for s in sections if str(s.pk) == request.GET.get("section", "")), None)

    context = {"search_query": query, "terms": terms, "sections": sections, "selected_section": selected}
    if terms:
        matches = ranked_matches(home, query, terms)
        counts = {section.pk: 0 for section in sections}
        for _pk, path in matches:
            section = _section_of(path, sections)
            if section:
                counts[section.pk] += 1
        if selected:
            matches = [(pk, path) for pk, path in matches if path.startswith(selected.path)]
        results_page = listing.paginate(request, [pk for pk, _path in matches], per_page=PER_PAGE)
        pages = listing.in_order(listing.visible(Page.objects.all()), results_page.object_list)
        context.update(
            {
                "total": len(matches) if not selected else sum(counts.values()),
                "section_counts": counts,
                "results": results_page,
                "described": _describe(pages, terms, sections),
            }
        )
    return TemplateResponse(request, "search/search.html", context)
