"""A caching proxy or CDN in front of the site, through `wagtail.contrib.frontend_cache`.

When WAGTAILFRONTENDCACHE names a backend (FRONTEND_CACHE_URL for a proxy that takes HTTP PURGE,
or a Cloudflare zone), the responses the anonymous page cache would store are sent with
`Cache-Control: public, s-maxage=N` so the proxy may keep them too, for no longer than the page
cache itself would (a page with live figures 30 s, a page about today until midnight). Wagtail
purges a page from the proxy when it is published or unpublished; the receiver below also purges
the pages that list it (its ancestors up to the home page), once the change is committed. Changes
that no single address shows (partners, contact details, documents) reach the proxy when its copy
expires, after FRONTEND_CACHE_SECONDS at most.
"""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils.cache import patch_cache_control
from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished


def configured() -> bool:
    return bool(settings.WAGTAILFRONTENDCACHE)


def let_proxy_keep(response, seconds: int) -> None:
    """Allow the proxy to keep this anonymous response for `seconds` (capped), browsers not at all."""
    patch_cache_control(
        response, public=True, max_age=0, s_maxage=max(0, min(seconds, settings.FRONTEND_CACHE_SECONDS))
    )


@receiver(page_published)
@receiver(page_unpublished)
def purge_listings_of(sender, instance, **kwargs):
    """The listings above a published or unpublished page show it: drop them from the proxy too."""
    if not configured():
        return
    ancestors = list(Page.objects.ancestor_of(instance).filter(depth__gt=1, live=True).specific())
    if ancestors:
        transaction.on_commit(lambda: purge_pages_from_cache(ancestors))
