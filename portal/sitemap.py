"""sitemap.xml of every public page in every language, expired pages left out, and the sections
apps add for their own public views (the expert directory) with add_sitemap_section()."""

from collections.abc import Callable

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from portal.listing import visible

# name -> a callable returning the section's Sitemap; filled from the apps' AppConfig.ready().
SECTIONS: dict[str, Callable[[], Sitemap]] = {}


def add_sitemap_section(name: str, make: Callable[[], Sitemap]) -> None:
    SECTIONS[name] = make


class PortalSitemap(WagtailSitemap):
    def items(self):
        return visible(Page.objects.filter(depth__gt=1)).order_by("path").defer_streamfields().specific()


def sitemap(request):
    sections = {"pages": PortalSitemap(request), **{name: make() for name, make in SECTIONS.items()}}
    return django_sitemap(request, sitemaps=sections)
