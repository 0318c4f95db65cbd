"""sitemap.xml: an index of sections, each in pages of at most SITEMAP_LIMIT addresses, so that no
request renders the whole site. The pages section holds every public page in every language,
expired pages left out; apps add sections for their own public views (the expert directory) with
add_sitemap_section()."""

from collections.abc import Callable

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from portal.listing import visible

# Addresses per sitemap page (the protocol allows 50,000; smaller pages are each cheap to render).
SITEMAP_LIMIT = 2000

# name -> a callable taking the request and returning the section's Sitemap; apps add theirs from
# AppConfig.ready().
SECTIONS: dict[str, Callable[..., Sitemap]] = {}


def add_sitemap_section(name: str, make: Callable[..., Sitemap]) -> None:
    SECTIONS[name] = make


class PortalSitemap(WagtailSitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        return visible(Page.objects.filter(depth__gt=1)).order_by("path").defer_streamfields().specific()


def _sections(request) -> dict[str, Sitemap | type[Sitemap]]:
    found: dict[str, Sitemap | type[Sitemap]] = {"pages": PortalSitemap(request)}
    for name, make in SECTIONS.items():
        section = make()
        section.limit = min(getattr(section, "limit", SITEMAP_LIMIT), SITEMAP_LIMIT)
        found[name] = section
    return found


def sitemap_index(request):
    """/sitemap.xml: where each section's pages are (?p=2 … for sections longer than one page)."""
    return sitemap_views.index(request, _sections(request), sitemap_url_name="sitemap_section")


def sitemap_section(request, section: str):
    """/sitemap-<section>.xml?p=N: one page of a section's addresses."""
    sections = _sections(request)
    if section not in sections:
        raise Http404
    return sitemap_views.sitemap(request, sections, section=section)
