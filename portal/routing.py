"""Wagtail's page routing in two queries, whatever the depth of the page.

Wagtail routes a URL one segment at a time: the site (a query), the home page in the
active language (two or three), then for every segment the child with that slug and its
specific page (two each): seven queries for /notices/<slug>/. Here the site and the home
page of each language are kept in the shared cache until the next purge, the pages along
the path are found in one query by slug, depth and tree range, and only the page that
answers is loaded. Page types that route themselves (RoutablePageMixin's sub-URLs such as
feed/) get the request exactly where Wagtail would hand it to them.

urlpatterns are Wagtail's front-end URLs with this view in place of Wagtail's page view: its own
views below the pages (the password form of a restricted page posts to one) stay ahead of it.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import Resolver404, re_path
from django.utils.translation import get_language
from wagtail import urls as wagtail_urls
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.views import serve as wagtail_serve

from portal.cache import cached_until_purge
from portal.listing import PATH_END

NO_SITE = "-"  # what the cache holds for a host no site answers (None would read as a miss)


def find_site(request) -> Site | None:
    """Site.find_for_request() from the shared cache; remembered on the request as Wagtail does."""
    if not hasattr(request, "_wagtail_site"):
        hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()

        def lookup():
            try:
                return get_site_for_hostname(hostname, port)
            except Site.DoesNotExist:
                return NO_SITE

        site = cached_until_purge(f"site-for:{hostname}:{port}", lookup)
        request._wagtail_site = None if site == NO_SITE else site
    return request._wagtail_site


def prepare(request) -> Site | None:
    """The site of this request, and the root paths of every site that page URLs are built from,
    from the shared cache instead of the database or a cache round trip each."""
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        request._wagtail_cached_site_root_paths = cached_until_purge("site-root-paths", Site.get_site_root_paths)
    return find_site(request)


def site_home(site: Site) -> Page:
    """The site's root page in the active language, specific: what Wagtail starts routing from."""
    return cached_until_purge(f"site-home:{site.pk}:{get_language()}", lambda: site.root_page.localized.specific)


def _routes_itself(cls: type[Page], live: bool, remaining: list[str]) -> bool:
    """Whether a page of this type would answer `remaining` itself instead of passing it to a child."""
    if cls.route is Page.route:
        return False
    if cls.route is RoutablePageMixin.route:
        if not live:
            return False
        try:
            cls.get_resolver().resolve("/" + "".join(f"{part}/" for part in remaining))
        except Resolver404:
            return False
        return True
    return True  # a route() of its own: let it decide


def _pages_along(root: Page, components: list[str]) -> list[tuple]:
    """(pk, path, slug, content type, live, alias_of) of each page the components name, top down."""
    rows = Page.objects.filter(
        slug__in=set(components),
        depth__gt=root.depth,
        depth__lte=root.depth + len(components),
        path__gt=root.path,
        path__lt=root.path + PATH_END,
    ).values_list("pk", "path", "slug", "content_type_id", "live", "alias_of_id")
    # A page is found by its parent's path and its own slug, as Wagtail looks among the children.
    by_place = {(row[1][: -Page.steplen], row[2]): row for row in rows}
    chain, parent_path = [], root.path
    for slug in components:
        row = by_place.get((parent_path, slug))
        if row is None:
            break
        chain.append(row)
        parent_path = row[1]
    return chain


def route(request, root: Page, components: list[str]):
    """What root.route(request, components) returns, from one query for the pages along the path."""
    chain = _pages_along(root, components) if components else []
    page_class, live, pk = type(root), root.live, None
    remaining, ancestors = components, []
    while remaining and not _routes_itself(page_class, live, remaining):
        if len(ancestors) >= len(chain):
            raise Http404  # no page with that slug here
        row = chain[len(ancestors)]
        ancestors.append(row)
        pk, live = row[0], row[4]
        page_class = ContentType.objects.get_for_id(row[3]).model_class() or Page
        remaining = remaining[1:]
    page = root if pk is None else page_class.objects.get(pk=pk)
    # Known only when every ancestor was looked at: the site root sits just below the tree root.
    if root.depth == 2:
        page._has_alias_ancestor = page is not root and (
            root.alias_of_id is not None or any(row[5] for row in ancestors[:-1])
        )
    return page.route(request, remaining)


def serve(request, path: str):
    """Wagtail's serve view, with the route found as above (Wagtail reads it from the request)."""
    if not hasattr(request, "_wagtail_route_for_request"):
        site = prepare(request)
        result = None
        if site is not None:
            components = [component for component in path.split("/") if component]
            try:
                result = route(request, site_home(site), components)
            except Http404:
                result = None
        request._wagtail_route_for_request = result
    return wagtail_serve(request, path)


urlpatterns = [
    *(pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"),
    re_path(wagtail_urls.serve_pattern, serve, name="wagtail_serve"),
]
