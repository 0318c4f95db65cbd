"""机构名录's part of sitemap.xml (registered in CallsConfig.ready())."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Institution


class InstitutionSitemap(Sitemap):
    """The directory and the profiles of listed institutions (in the default language)."""

    def items(self):
        return [None, *Institution.objects.listed().order_by("pk").only("pk", "updated_at")]

    def location(self, item):
        return reverse("institutions:list") if item is None else reverse("institutions:detail", args=[item.pk])

    def lastmod(self, item):
        return None if item is None else item.updated_at
