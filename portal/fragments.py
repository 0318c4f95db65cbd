"""Parts of pages that are the same for everyone who sees them, kept until the next purge.

Templates cache them with Wagtail's `{% wagtailcache %}` and `{% wagtailpagecache %}` (which
render afresh in previews), varying on `fragment_scope`: the release, the purge generation, the
language, the day and the host, so a publish, a deployment or local midnight makes every fragment
stale. The footer varies on `chrome_scope` instead, whose generation a published article leaves
alone (portal/cache.py). The `<head>` and the header also vary on the address (a sub-route, a search query), and are
kept only for anonymous visitors of Wagtail pages: other views and signed-in visitors may see a
title or a crumb about themselves, so there `fragment_seconds` is 0, which Django's cache takes as
"do not keep". The context processor below provides both values.

A listing's cards are the one custom piece: the twenty cards of a listing page come from the
shared cache in one round trip, and the rows of the articles whose cards are cached are not
even fetched (decision 003).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from wagtail.models import Page

from portal.cache import (
    CHROME_GENERATION_KEY,
    GENERATION_KEY,
    KEEP_SECONDS,
    current_key,
    generation,
    get_many_until_purge,
    set_many_until_purge,
)

CARD_TEMPLATE = "includes/article_card.html"


def scope(request, generation_key: str = GENERATION_KEY) -> str:
    """What a fragment depends on besides its content: release, purge generation, language, day and host."""
    host = request.get_host() if request is not None else ""
    return f"{settings.RELEASE}:{generation(generation_key)}:{get_language()}:{timezone.localdate():%Y%m%d}:{host}"


def fragment_context(request) -> dict:
    """Template context processor: what the cached parts of the templates vary on (the footer on
    `chrome_scope`), how long the head and header are kept (only for anonymous visitors of Wagtail
    pages) and how long the parts that are the same for everyone are kept (`KEEP_SECONDS`: until
    the next purge, at most an hour)."""
    anonymous_page_view = getattr(request, "served_page", None) is not None and not request.user.is_authenticated
    return {
        "fragment_scope": SimpleLazyObject(lambda: scope(request)),
        "chrome_scope": SimpleLazyObject(lambda: scope(request, CHROME_GENERATION_KEY)),
        "fragment_seconds": KEEP_SECONDS if anonymous_page_view else 0,
        "shared_fragment_seconds": KEEP_SECONDS,
    }


def article_cards(request, ids: Iterable[int], load: Callable[[list[int]], list[Page]]) -> list[SafeString]:
    """The listing card of each article, in the order of `ids`.

    Cached cards come from one round trip to the shared cache; `load(missing_ids)` fetches the
    others (only the visible ones), which are rendered and stored. A cached card carries its
    article's expiry time, so an expired article disappears at once, as from the listing query.
    """
    ids = list(ids)
    if not ids:
        return []
    # The Django backend's template wraps the engine's, which renders with a plain Context.
    template = get_template(CARD_TEMPLATE).template  # type: ignore[attr-defined]
    context = Context({"request": request})
    if getattr(request, "is_preview", False):
        cards = []
        for article in load(ids):
            with context.push(article=article):
                cards.append(template.render(context))
        return cards
    prefix = scope(request)
    keys = {pk: current_key(f"card:{prefix}:{pk}") for pk in ids}
    found = get_many_until_purge(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        built = {}
        for article in load(missing):
            with context.push(article=article):
                built[keys[article.pk]] = (article.expire_at, template.render(context))
        set_many_until_purge(built, KEEP_SECONDS)
        found.update(built)
    now = timezone.now()
    return [
        mark_safe(html)  # noqa: S308 - rendered by our own template above
        for expire_at, html in (found[keys[pk]] for pk in ids if keys[pk] in found)
        if expire_at is None or expire_at > now
    ]
