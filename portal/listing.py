"""What the public may see of the page tree, and the one way listings paginate."""

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from portal.cache import generation

PER_PAGE = 20


RESTRICTIONS_SECONDS = 3600


def restricted_paths() -> tuple[str, ...]:
    """Tree paths under a view restriction (password, login, groups), kept until the next purge.

    Wagtail's public() asks the database for them on every call, several times per page.
    """
    key = f"restricted-paths:{generation()}"
    paths = cache.get(key)
    if paths is None:
        paths = tuple(PageViewRestriction.objects.order_by("page__path").values_list("page__path", flat=True))
        cache.set(key, paths, RESTRICTIONS_SECONDS)
    return paths


def _public(pages):
    for path in restricted_paths():
        pages = pages.exclude(path__startswith=path)
    return pages


def visible(pages):
    """Live, public pages that have not passed their expiry time."""
    now = timezone.now()
    return _public(pages.live()).filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))


def visible_for_search(pages):
    """The same pages as visible(), filtered only on fields the search index can filter on."""
    expired = Page.objects.live().filter(expire_at__lte=timezone.now()).values_list("pk", flat=True)
    return _public(pages.live()).exclude(pk__in=list(expired))


def paginate(request, items, per_page: int = PER_PAGE):
    """The requested page of `items`; a page number that is not a number or out of range is a 404."""
    paginator = Paginator(items, per_page)
    number = request.GET.get("page") or 1
    try:
        return paginator.page(number)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(str(exc)) from exc


def years_of(articles) -> list[int]:
    return [d.year for d in articles.order_by().dates("date", "year", order="DESC")]


def parse_year(value: str | None, years: list[int]) -> int | None:
    """The year filter's value, or a 404 for a year the listing has nothing for."""
    if not value:
        return None
    try:
        year = int(value)
    except ValueError as exc:
        raise Http404("Invalid year") from exc
    if year not in years:
        raise Http404("No articles in that year")
    return year
