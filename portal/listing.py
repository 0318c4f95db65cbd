"""What the public may see of the page tree, and the one way listings paginate."""

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, PageViewRestriction

from portal.cache import cached_until_purge

PER_PAGE = 20


# Greater than every character of a materialised path (0-9, A-Z): path < prefix + PATH_END
# selects the paths that start with prefix as an index range, where a LIKE would scan the table.
PATH_END = "~"


def restricted_paths() -> tuple[str, ...]:
    """Tree paths under a view restriction (password, login, groups), kept until the next purge.

    Wagtail's public() asks the database for them on every call, several times per page.
    """
    return cached_until_purge(
        "restricted-paths",
        lambda: tuple(PageViewRestriction.objects.order_by("page__path").values_list("page__path", flat=True)),
    )


def refuse_reserved_slug(page: Page, reserved: set[str]) -> None:
    """A page with one of these slugs would never be reached (an app's own views answer that path
    ahead of the page tree): say so in the editor."""
    if page.slug in reserved:
        raise ValidationError({"slug": _("“%(slug)s”已被网站功能占用，请换一个网址。") % {"slug": page.slug}})


def in_default_language(model):
    """Pages of `model` in the site's default language: the ones records (applications, cases) hang from."""
    return model.objects.filter(locale=Locale.get_default())


def _under(pages, path: str):
    return pages.filter(path__gt=path, path__lt=path + PATH_END)


def descendants_of(pages, page):
    """Like descendant_of(), as an index range on the path."""
    return _under(pages, page.path)


def children_of(pages, page):
    """Like child_of(), as an index range on the path."""
    return _under(pages, page.path).filter(depth=page.depth + 1)


def _original_of(index) -> tuple[int, str] | tuple[()]:
    """(locale id, tree path) of the page in the default language that `index` translates; () for a
    page in the default language or one written in its own language only. Kept until the next purge."""

    def find():
        default = Locale.get_default()
        if index.locale_id == default.pk:
            return ()
        original = Page.objects.filter(translation_key=index.translation_key, locale=default).only("path").first()
        return (default.pk, original.path) if original else ()

    return cached_until_purge(f"original-of:{index.pk}", find)


def in_language(pages, index, children: bool = False):
    """`pages` below `index` (its children only with `children`) for a reader of its language: those in
    that language, and those of its original in the default language that have no visible translation
    in it. An English or 繁體 listing then shows what exists in Chinese only, instead of nothing."""
    own = Q(path__gt=index.path, path__lt=index.path + PATH_END, locale_id=index.locale_id)
    original = _original_of(index)
    if original:
        locale_id, path = original
        translated = visible(Page.objects.filter(locale_id=index.locale_id)).values("translation_key")
        own |= Q(path__gt=path, path__lt=path + PATH_END, locale_id=locale_id) & ~Q(translation_key__in=translated)
    pages = pages.filter(own)
    return pages.filter(depth=index.depth + 1) if children else pages


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
    """The requested page of `items`; a page number that is not a number or out of range is a 404.

    Listings paginate their ordered ids and then fetch only that page's rows with in_order():
    a deep page of a long listing would otherwise sort every full row to skip most of them.
    """
    number = request.GET.get("page") or 1
    try:
        return Paginator(items, per_page).page(number)
    except (PageNotAnInteger, EmptyPage) as exc:
        raise Http404(str(exc)) from exc


def filter_value(params, name: str) -> str:
    """A query parameter that selects rows ("" when absent). A NUL character, which no stored value
    holds and PostgreSQL refuses to compare, makes it a 404 rather than a database error."""
    value = params.get(name) or ""
    if "\x00" in value:
        raise Http404(f"Invalid {name}")
    return value


def in_order(pages, ids: list[int]) -> list:
    """The pages with these ids, in this order, in one query (ids no longer visible are skipped)."""
    found = {page.pk: page for page in pages.filter(pk__in=ids).order_by()} if ids else {}
    return [found[pk] for pk in ids if pk in found]


def years_of(articles) -> list[int]:
    """The years a listing has articles in, newest first."""
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
