"""Routing below a site's home page in one query, through Wagtail's own `Page.route()`.

Wagtail serves a page with `Page.route_for_request()`: the site, the home page in the active
language, then `route()` down the tree, a query for the child with the next slug and another for
its specific row at every level. The home page types of the portal take the mixin below, which
overrides `route()` (the extension point Wagtail documents for this): the pages along the rest
of the path are found in one query by slug, depth and tree range, and only the page that answers
is loaded. A page type that routes itself (RoutablePageMixin's sub-URLs such as feed/, or a
route() of its own) gets the request exactly where Wagtail would hand it over. Nothing is kept
between requests, and the site, the view restrictions and the serving are Wagtail's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import Resolver404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from portal.listing import PATH_END


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
    """(pk, path, content type, live) of each page the components name below `root`, top down."""
    rows = Page.objects.filter(
        slug__in=set(components),
        depth__gt=root.depth,
        depth__lte=root.depth + len(components),
        path__gt=root.path,
        path__lt=root.path + PATH_END,
    ).values_list("pk", "path", "slug", "content_type_id", "live")
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


if TYPE_CHECKING:
    from wagtail.models import Page as RoutedPage
else:
    RoutedPage = object


class RouteInOneQueryMixin(RoutedPage):
    """For site home pages: `route()` finds the page a path names in one query, then hands over to it."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        chain = _pages_along(self, path_components)
        page_class: type[Page]
        for depth, row in enumerate(chain):
            page_class = ContentType.objects.get_for_id(row[3]).model_class() or Page
            remaining = path_components[depth + 1 :]
            if remaining and _routes_itself(page_class, row[4], remaining):
                break  # a page that routes the rest of the path itself
        else:
            if len(chain) < len(path_components):
                raise Http404  # no page with the next slug here
        page = page_class.objects.get(pk=row[0])
        return page.route(request, remaining)
