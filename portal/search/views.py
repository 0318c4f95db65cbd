"""Site search (/search/?q=) over the public pages of the current language."""

import datetime
import hashlib

from django.db.models import Count
from django.db.models.functions import Substr
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.models import Page, Site

from portal import listing
from portal.cache import cached_until_purge
from portal.localization.conversion import to_simplified

from .highlight import excerpt, highlight
from .models import synonyms
from .query import Term, broad_query, exact_query, holds, marked_forms, parse

# Callables giving {page id: date} for those of the given ids that are dated pages (articles): results
# show their date and the newest rank first. Apps add theirs with add_result_dates() from ready().
RESULT_DATES: list = []


def add_result_dates(dates_of) -> None:
    RESULT_DATES.append(dates_of)


def _dates(ids: list[int]) -> dict[int, datetime.date]:
    dates: dict[int, datetime.date] = {}
    for dates_of in RESULT_DATES:
        dates.update(dates_of(ids))
    return dates


PER_PAGE = 10
MAX_QUERY_LENGTH = 100
# Matches beyond this many are counted (by the backend) but not ranked or listed.
RESULT_LIMIT = 1000


def _home_for_request(request):
    """The home page in the visitor's language: what the results are searched under."""
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    return site.root_page.localized.specific


def _sections(home) -> list[Page]:
    """The top-level sections results are grouped by, kept until the next purge."""
    return cached_until_purge(
        f"search-sections:{home.pk}", lambda: list(listing.visible(home.get_children()).order_by("path"))
    )


def _title_matches(title: str, terms: list[Term]) -> bool:
    simplified = to_simplified(title).lower()
    return all(holds(simplified, term) for term in terms)


def _searchable(root, *, inclusive: bool = False):
    """The public pages below `root` (and `root` itself if `inclusive`), as an index range on the path."""
    pages = listing.visible_for_search(Page.objects.all())
    if inclusive:
        return pages.filter(path__gte=root.path, path__lt=root.path + listing.PATH_END)
    return listing.descendants_of(pages, root)


def _first_matches(pages, query) -> list[Page]:
    """Light rows of at most RESULT_LIMIT matches: one full-text query without relevance scores
    (which the database backends compute row by row)."""
    return list(pages.only("pk", "path", "title").search(query, order_by_relevance=False)[:RESULT_LIMIT])


def _find(pages, sections: list[Page], terms: list[Term]) -> dict:
    """The matches among `pages`, ranked: pages holding the query's own words first, then those whose
    title holds them, newest first in each group; with the number of matches in all and per section,
    counted by the backend when there are more than RESULT_LIMIT."""
    broad, exact = broad_query(terms), exact_query(terms)
    found = _first_matches(pages, broad)
    capped = len(found) >= RESULT_LIMIT
    exact_found = _first_matches(pages, exact) if exact is not None else []
    exact_pks = {page.pk for page in exact_found}
    rows = {page.pk: page for page in [*exact_found, *found]}
    dates = _dates(list(rows))
    undated = datetime.date.min

    def rank(page):
        return (
            page.pk not in exact_pks,
            not _title_matches(page.title, terms),
            -(dates.get(page.pk, undated).toordinal()),
            -page.pk,
        )

    ranked = sorted(rows.values(), key=rank)[:RESULT_LIMIT]
    if capped:
        total, counts = _count(pages, broad, sections)
    else:
        total = len(ranked)
        counts = {section.pk: sum(page.path.startswith(section.path) for page in ranked) for section in sections}
    return {
        "matches": [(page.pk, page.path, dates.get(page.pk)) for page in ranked],
        "total": total,
        "section_counts": counts,
    }


def _count(pages, query, sections: list[Page]) -> tuple[int, dict[int, int]]:
    """Every match, in all and per section (the top-level pages, all with paths of one length).

    The database backends give the matches as a queryset: one query grouped by the section's
    part of the path, one full-text match. Elasticsearch counts cheaply: one count per section.
    """
    results = pages.search(query, order_by_relevance=False)
    if not sections:
        return results.count(), {}
    if hasattr(results, "get_queryset"):
        width = len(sections[0].path)
        rows = results.get_queryset().order_by().values(part=Substr("path", 1, width)).annotate(n=Count("pk"))
        by_part = {row["part"]: row["n"] for row in rows}
        return sum(by_part.values()), {section.pk: by_part.get(section.path, 0) for section in sections}
    counts = {
        section.pk: pages.filter(path__gte=section.path, path__lt=section.path + listing.PATH_END)
        .search(query, order_by_relevance=False)
        .count()
        for section in sections
    }
    return results.count(), counts


def find(root, sections: list[Page], terms: list[Term], *, inclusive: bool = False) -> dict:
    """_find() under `root`, kept for a few minutes or until the next purge: people search for the
    same few words (会费, 专家库, 志愿者) again and again."""
    key = repr([(term.text, term.synonyms, term.pair) for term in terms])
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return cached_until_purge(
        f"search:{root.pk}:{int(inclusive)}:{digest}",
        lambda: _find(_searchable(root, inclusive=inclusive), sections, terms),
    )


def _excerpt_texts(pages) -> dict[int, str]:
    """The summary or intro of each page: one query per page type on the results page, not per result."""
    by_model: dict[type[Page], list[int]] = {}
    for page in pages:
        by_model.setdefault(page.specific_class, []).append(page.pk)
    texts = {}
    for model, ids in by_model.items():
        field = next((name for name in ("summary", "intro", "hero_text") if hasattr(model, name)), None)
        if model is not None and field:
            texts.update(model.objects.filter(pk__in=ids).values_list("pk", field))
    return texts


def _describe(pages, dates: dict[int, datetime.date | None], forms: list[str], sections) -> list[dict]:
    texts = _excerpt_texts(pages)
    described = []
    for page in pages:
        date = dates.get(page.pk)
        updated = None if date or not page.last_published_at else timezone.localdate(page.last_published_at)
        described.append(
            {
                "page": page,
                "title": highlight(page.title, forms),
                "excerpt": highlight(excerpt(page.search_description or texts.get(page.pk) or "", forms), forms),
                "section": next((s for s in sections if page.path.startswith(s.path) and s.pk != page.pk), None),
                "date": date,
                "updated": updated,
            }
        )
    return described


def _number(value: int) -> str:
    """10,030: a count as readers of every language here write it."""
    return f"{value:,}"


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = parse(query, synonyms()) if query else []
    home = _home_for_request(request)
    sections = _sections(home)
    selected = next((s for s in sections if str(s.pk) == request.GET.get("section", "")), None)

    context = {"search_query": query, "terms": terms, "sections": sections, "selected_section": selected}
    if terms:
        everything = find(home, sections, terms)
        counts = everything["section_counts"]
        matches = everything["matches"]
        total = everything["total"]
        if selected:
            total = counts[selected.pk]
            if everything["total"] > len(matches):
                matches = find(selected, [], terms, inclusive=True)["matches"]
            else:
                matches = [match for match in matches if match[1].startswith(selected.path)]
        results_page = listing.paginate(request, [pk for pk, _path, _date in matches], per_page=PER_PAGE)
        pages = listing.in_order(listing.visible(Page.objects.all()), results_page.object_list)
        dates = {pk: date for pk, _path, date in matches}
        context.update(
            {
                "total": _number(total),
                "total_everywhere": _number(everything["total"]),
                "listed": _number(len(matches)) if total > len(matches) else None,
                "section_links": [
                    (section, _number(counts[section.pk])) for section in sections if counts.get(section.pk)
                ],
                "results": results_page,
                "described": _describe(pages, dates, marked_forms(terms), sections),
            }
        )
    return TemplateResponse(request, "search/search.html", context)
