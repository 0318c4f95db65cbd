"""Site search (/search/?q=) over the public pages of the current language."""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from portal import listing

from .highlight import excerpt, highlight
from .segment import query_terms

PER_PAGE = 10
MAX_QUERY_LENGTH = 100
# How many matches are bucketed into sections for the per-section counts.
COUNT_LIMIT = 1000


def _home_for_request(request):
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    try:
        locale = Locale.objects.get_for_language(get_language())
    except Locale.DoesNotExist:
        locale = Locale.get_default()
    return Page.objects.filter(translation_key=site.root_page.translation_key, locale=locale).first() or site.root_page


def _searchable(home):
    expired = Page.objects.live().filter(expire_at__lte=timezone.now()).values_list("pk", flat=True)
    return listing.visible(Page.objects.descendant_of(home)).exclude(pk__in=list(expired))


def _section_counts(results, sections) -> dict[int, int]:
    ids = [page.pk for page in results[:COUNT_LIMIT]]
    paths = Page.objects.filter(pk__in=ids).values_list("path", flat=True)
    counts = {section.pk: 0 for section in sections}
    for path in paths:
        for section in sections:
            if path.startswith(section.path):
                counts[section.pk] += 1
                break
    return counts


def _describe(results_page, terms, sections) -> list[dict]:
    """Title, excerpt and section of each result on the page, in two queries whatever its length."""
    from notices.models import ArticlePage

    pages = list(results_page.object_list)
    summaries = dict(ArticlePage.objects.filter(pk__in=[p.pk for p in pages]).values_list("pk", "summary"))
    described = []
    for page in pages:
        text = page.search_description or summaries.get(page.pk) or ""
        section = next((s for s in sections if page.path.startswith(s.path) and page.pk != s.pk), None)
        described.append(
            {
                "page": page,
                "title": highlight(page.title, terms),
                "excerpt": highlight(excerpt(text, terms), terms),
                "section": section,
            }
        )
    return described


def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    home = _home_for_request(request)
    sections = list(listing.visible(home.get_children()).order_by("path"))
    selected = next((s for s in sections if str(s.pk) == request.GET.get("section", "")), None)

    context = {
        "search_query": query,
        "terms": terms,
        "sections": sections,
        "selected_section": selected,
        "results": None,
        "page": home,
    }
    if terms:
        searchable = _searchable(home)
        all_results = searchable.search(query, operator="and")
        context["section_counts"] = _section_counts(all_results, sections)
        context["total"] = sum(context["section_counts"].values())
        results = searchable.descendant_of(selected).search(query, operator="and") if selected else all_results
        results_page = listing.paginate(request, results, per_page=PER_PAGE)
        context["results"] = results_page
        context["page_obj"] = results_page
        context["described"] = _describe(results_page, terms, sections)
    response = TemplateResponse(request, "search/search.html", context)
    return response
