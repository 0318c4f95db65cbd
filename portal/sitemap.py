"""sitemap.xml of every public page in every language, expired pages left out."""

from django.contrib.sitemaps.views import sitemap as django_sitemap
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from portal.listing import visible


class PortalSitemap(WagtailSitemap):
    def items(self):
        return visible(Page.objects.filter(depth__gt=1)).order_by("path").defer_streamfields().specific()


def sitemap(request):
    return django_sitemap(request, sitemaps={"pages": PortalSitemap(request)})
