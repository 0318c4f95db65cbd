"""Rendered pieces of pages that are the same for every visitor, kept until the next purge.

A listing card, the partners strip or the footer does not depend on who is looking, only on
the site, the language and the content. Each is rendered once after a purge and then read
from the shared cache: the twenty cards of a listing page in one round trip, and the rows of
the articles whose cards are cached are not even fetched. Rendering them is most of what an
uncached listing page costs; signed-in visitors, whose pages are never cached whole, get the
same benefit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page, Site

from portal.cache import cached_until_purge, current_key, get_many_until_purge, set_many_until_purge

FRAGMENT_SECONDS = 300  # as long as the listings keep their id lists: expired pages drop out by then
CARD_TEMPLATE = "includes/article_card.html"


def _scope(request) -> str:
    """What a fragment's links and words depend on besides its content: site, language and day."""
    site = Site.find_for_request(request) if request is not None else None
    return f"{site.pk if site else 0}:{get_language()}:{timezone.localdate():%Y%m%d}"


def render(template_name: str, context: dict) -> SafeString:
    """A template rendered without the context processors (a fragment must not depend on the visitor)."""
    return get_template(template_name).template.render(Context(context))


def fragment(request, name: str, build: Callable[[], SafeString]) -> SafeString:
    """One fragment of this site and language, built on the first request after a purge (every time in a preview)."""
    if getattr(request, "is_preview", False):
        return build()
    return mark_safe(cached_until_purge(f"fragment:{name}:{_scope(request)}", build, FRAGMENT_SECONDS))  # noqa: S308


def article_cards(request, ids: Iterable[int], load: Callable[[list[int]], list[Page]]) -> list[SafeString]:
    """The listing card of each article, in the order of `ids`.

    Cached cards come from one round trip to the shared cache; `load(missing_ids)` fetches the
    others (only the visible ones), which are rendered and stored. A cached card carries its
    article's expiry time, so an expired article disappears at once, as from the listing query.
    """
    ids = list(ids)
    if not ids:
        return []
    if getattr(request, "is_preview", False):
        return [render(CARD_TEMPLATE, {"article": article, "request": request}) for article in load(ids)]
    scope = _scope(request)
    keys = {pk: current_key(f"card:{scope}:{pk}") for pk in ids}
    found = get_many_until_purge(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        template = get_template(CARD_TEMPLATE).template
        context = Context({"request": request})
        built = {}
        for article in load(missing):
            with context.push(article=article):
                built[keys[article.pk]] = (article.expire_at, template.render(context))
        set_many_until_purge(built, FRAGMENT_SECONDS)
        found.update(built)
    now = timezone.now()
    return [
        mark_safe(html)  # noqa: S308 - rendered by our own template above
        for expire_at, html in (found[keys[pk]] for pk in ids if keys[pk] in found)
        if expire_at is None or expire_at > now
    ]
