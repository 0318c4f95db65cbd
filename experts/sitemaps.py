"""The expert directory's part of sitemap.xml (registered in ExpertsConfig.ready())."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Expert


class ExpertSitemap(Sitemap):
    """The directory and the profiles of experts listed today (in the default language)."""

    def items(self):
        return [None, *Expert.objects.listed().order_by("pk").only("pk", "updated_at")]

    def location(self, item):
        return reverse("experts:directory") if item is None else reverse("experts:detail", args=[item.pk])

    def lastmod(self, item):
        return None if item is None else item.updated_at
