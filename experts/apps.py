from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("专家库")

    def ready(self):
        from portal.pagecache import cache_query_parameters
        from portal.signals import show_publicly
        from portal.sitemap import add_sitemap_section
        from portal.tasks import add_daily_command

        from . import privacy, signals  # noqa: F401
        from .sitemaps import ExpertSitemap

        privacy.register()  # the expert records in a person's export and account closure
        # The directory, its filters, its vocabulary and the batches announced in notices.
        show_publicly(
            "experts.expert", "experts.expertbatch", "experts.specialty", "experts.servicetype", "experts.language"
        )
        cache_query_parameters("experts:directory", "q", "specialty", "service", "district", "language", "page")
        add_sitemap_section("experts", ExpertSitemap)
        add_daily_command("expert_daily")
