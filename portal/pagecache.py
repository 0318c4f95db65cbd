"""The anonymous full-page cache.

Pages are cached whole for visitors without a session, keyed by release, host, path and the
query parameters the page reads. A response is stored only if it is a plain 200 that sets no
cookie, so a page that used a CSRF token, showed messages or touched a session is never stored
and never served to someone else; and only if every parameter of the request is one its page
reads (QUERY_PARAMETERS), so made-up query strings cannot fill the cache. An entry counts only
if it was stored under the current purge generation (portal/cache.py), so one cache write
empties the whole page cache on every app server sharing the cache. A path has a generation of
its own too, for a change shown on one page only (purge_paths()).
"""

import datetime
import hashlib
import secrets
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.dispatch import Signal
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.http import urlencode

from portal import frontend_cache
from portal.cache import GENERATION_KEY, new_generation, remember_generation, request_memo

EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/accounts/")
SKIPPED_HEADERS = {"set-cookie", "vary"}


def path_generation_key(path: str) -> str:
    return "pagecache:path:" + hashlib.sha256(path.encode()).hexdigest()


def purge_paths(paths: Iterable[str]) -> None:
    """Make the cached responses of these paths stale (with any query string, on every host), and
    nothing else: for a change shown on one page only."""
    for path in paths:
        key = path_generation_key(path)
        try:
            cache.incr(key)
        except ValueError:
            if not cache.add(key, secrets.randbits(48), timeout=None):
                cache.incr(key)  # made meanwhile by a response being stored: that one is stale too


# Added to links by the tools people share them with (campaign tags, WeChat's share markers) and
# read by no page: the cached page of the address without them is served, but a response to such a
# request is not stored, as its links (pagination, filters) would pass them on. No page may use
# these names for parameters of its own.
IGNORED_PARAMETERS = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "from", "isappinstalled", "fbclid", "gclid"}
)

# The query parameters that choose what each public page shows: by URL name for views, by page type
# and sub-route for Wagtail pages. A request with any other parameter (or one given twice) is served
# by the page but never stored; a page left out here is stored only without a query string.
# Apps add their own with cache_query_parameters() from AppConfig.ready().
QUERY_PARAMETERS: dict[str, frozenset[str]] = {
    "search": frozenset({"q", "section", "page"}),
    "sitemap_section": frozenset({"p"}),
}
# Numbers: stored only as written canonically (page=2, not page=02 or page=2.0).
NUMBER_PARAMETERS = frozenset({"page", "p", "year", "section"})


def cache_query_parameters(answered_by: str, *names: str) -> None:
    """Let responses of `answered_by` (a URL name, or "app.model" / "app.model:route" of a page type)
    be stored for each value of these query parameters; for apps to call from AppConfig.ready()."""
    QUERY_PARAMETERS[answered_by] = frozenset(names)


def answered_by(request) -> str | None:
    """What answered the request, as QUERY_PARAMETERS names it."""
    match = request.resolver_match
    if match is None:
        return None
    page = getattr(request, "served_page", None)  # set by the before_serve_page hook (wagtail_hooks.py)
    if match.url_name == "wagtail_serve" and page is not None:
        name = page._meta.label_lower
        sub_route = getattr(request, "routable_resolver_match", None)
        return f"{name}:{sub_route.url_name}" if sub_route else name
    return match.view_name


def _canonical_number(value: str) -> bool:
    """Digits without leading zeros, short enough for any page or year (without int(): 5000 digits
    would raise)."""
    return value.isascii() and value.isdigit() and len(value) <= 10 and (value == "0" or value[0] != "0")


def query_is_stored(request) -> bool:
    """Whether a response to this request may be stored: every parameter read by its page, once."""
    if not request.GET:
        return True
    used = QUERY_PARAMETERS.get(answered_by(request) or "", frozenset())
    for name, values in request.GET.lists():
        if name not in used or len(values) != 1:
            return False
        if name in NUMBER_PARAMETERS and not _canonical_number(values[0]):
            return False
    return True


def cache_key(request) -> str:
    """The same key for the same path and parameters in any order, and without the ignored ones."""
    query = urlencode(sorted((k, v) for k, vs in request.GET.lists() for v in vs if k not in IGNORED_PARAMETERS))
    digest = hashlib.sha256(f"{settings.RELEASE}|{request.get_host()}|{request.path}|{query}".encode()).hexdigest()
    return f"pagecache:page:{digest}"


# How late anonymous visitors may see figures that change often (places left, people served).
LIVE_FIGURES_SECONDS = 30


def cache_briefly(response, seconds: int = LIVE_FIGURES_SECONDS):
    """Keep `response` in the anonymous page cache for at most `seconds`: for pages showing figures
    that change too often to purge the whole cache each time (places left, people served)."""
    response.page_cache_seconds = seconds
    return response


def seconds_until_midnight() -> int:
    """How long what a page says about today stays true: pins end and deadlines pass at local midnight."""
    now = timezone.localtime()
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    return max(1, int((midnight - now).total_seconds()) + 1)


def cache_until_midnight(response):
    """Keep `response` in the anonymous page cache no later than midnight: for pages that say what is
    pinned, closed or overdue today, which changes without anything being published."""
    return cache_briefly(
        response, min(seconds_until_midnight(), getattr(response, "page_cache_seconds", None) or 10**9)
    )


def request_is_cacheable(request) -> bool:
    if not settings.PAGE_CACHE_ENABLED or request.method != "GET":
        return False
    if request.path.startswith(EXCLUDED_PREFIXES) or "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def response_is_cacheable(response) -> bool:
    """A plain 200 that sets no cookie. `Vary: Cookie` is allowed: Django adds it whenever the
    session or user was looked at (the Wagtail userbar does so on every page), and the cache
    only ever answers requests that carry no session or messages cookie at all."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    if "*" in vary:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


# Sent with `page_id` when a stored page is answered whose view counts its readers (the view set
# request.counted_page_id): the app that counts them (notices) listens, as the view itself does not run.
page_served_from_cache = Signal()


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_memo():
            return self._respond(request)

    def _respond(self, request):
        if not request_is_cacheable(request):
            return self.get_response(request)

        # One round trip for all three: the entry is valid only if stored under the current generation
        # of the whole cache and of its path.
        key, path_key = cache_key(request), path_generation_key(request.path)
        found = cache.get_many([GENERATION_KEY, path_key, key])
        current = found.get(GENERATION_KEY)
        if current is None:
            current = new_generation()
        remember_generation(current)
        path_generation = found.get(path_key)
        entry = found.get(key)
        # The entry's own expiry is checked too: a shared cache (Redis) keeps time by its own clock,
        # and a page bounded at midnight must not be answered a second after it.
        if entry is not None and entry[:2] == (current, path_generation) and entry[2] > time.time():
            return self._replay(*entry[2:])

        response = self.get_response(request)
        if response_is_cacheable(response) and query_is_stored(request):
            if path_generation is None:
                # The path's first entry (or its generation was evicted): if a purge made the
                # generation since this request began, what was rendered may already be stale.
                path_generation = secrets.randbits(48)
                if not cache.add(path_key, path_generation, timeout=None):
                    return response
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() not in SKIPPED_HEADERS}
            page_id = getattr(request, "counted_page_id", None)
            seconds = min(getattr(response, "page_cache_seconds", None) or 10**9, settings.PAGE_CACHE_SECONDS)
            expires = time.time() + seconds
            entry = (current, path_generation, expires, response.status_code, headers, response.content, page_id)
            cache.set(key, entry, seconds)
            response["X-Cache"] = "MISS"
            if frontend_cache.configured():
                frontend_cache.let_proxy_keep(response, seconds)
        return response

    def _replay(self, expires, status, headers, content, page_id) -> HttpResponse:
        if page_id:
            page_served_from_cache.send(sender=AnonymousPageCacheMiddleware, page_id=page_id)
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        response["X-Cache"] = "HIT"
        if frontend_cache.configured():
            frontend_cache.let_proxy_keep(response, int(expires - time.time()))
        return response
