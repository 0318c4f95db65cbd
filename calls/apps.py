from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("征集评选")

    def ready(self):
        from portal import certificates
        from portal.pagecache import cache_query_parameters
        from portal.signals import show_publicly
        from portal.sitemap import add_sitemap_section

        from .certificates import lookup
        from .sitemaps import InstitutionSitemap

        certificates.register(lookup)  # award certificates, checked on 证书查询
        # The objection button on the 公示 notice follows the announcement's notice period; 机构名录
        # follows its institutions.
        show_publicly("calls.callannouncement", "calls.institution")
        cache_query_parameters("institutions:list", "q", "district", "service", "page")
        add_sitemap_section("institutions", InstitutionSitemap)
