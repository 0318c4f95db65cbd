"""sitemap.xml of every public page in every language, expired pages left out, and the expert
directory with each admitted expert's profile."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.urls import reverse
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from portal.listing import visible


class PortalSitemap(WagtailSitemap):
    def items(self):
        return visible(Page.objects.filter(depth__gt=1)).order_by("path").defer_streamfields().specific()


class ExpertSitemap(Sitemap):
    """The directory and the profiles of experts listed today (in the default language)."""

    def items(self):
        from experts.models import Expert

        return [None, *Expert.objects.listed().order_by("pk").only("pk", "updated_at")]

    def location(self, item):
        return reverse("experts:directory") if item is None else reverse("experts:detail", args=[item.pk])

    def lastmod(self, item):
        return None if item is None else item.updated_at


def sitemap(request):
    return django_sitemap(request, sitemaps={"pages": PortalSitemap(request), "experts": ExpertSitemap()})
