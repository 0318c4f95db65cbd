from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Records the notice centre shows besides its pages: categories and audiences, and on dues notices the
# amounts of the year and the names of the membership types.
PUBLIC_RECORDS = (
    "notices.noticecategory",
    "notices.audience",
    "members.duesperiod",
    "members.duesrate",
    "members.membershiptype",
)
# The query parameters that choose what each listing shows (a page type and its sub-route).
LISTING_PARAMETERS = {
    "notices.noticeindexpage:index_route": ("year", "category", "page"),
    "notices.newsindexpage:index_route": ("year", "page"),
    "notices.newssectionpage:index_route": ("year", "page"),
    "notices.policyindexpage:index_route": ("year", "type", "page"),
    "notices.scienceindexpage:index_route": ("year", "audience", "page"),
}


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("通知与资讯")

    def ready(self):
        from portal.pagecache import cache_query_parameters, page_served_from_cache
        from portal.search.views import add_result_dates
        from portal.signals import show_publicly

        from .models import ArticlePage

        show_publicly(*PUBLIC_RECORDS)
        for answered_by, names in LISTING_PARAMETERS.items():
            cache_query_parameters(answered_by, *names)
        # An article read from the page cache is counted too.
        page_served_from_cache.connect(count_cached_view, dispatch_uid="notices.count_cached_view")
        # Search results show an article's date and rank the newest first.
        add_result_dates(lambda ids: dict(ArticlePage.objects.filter(pk__in=ids).values_list("pk", "date")))


def count_cached_view(sender, page_id, **kwargs):
    from .views_counter import record_cached_view

    record_cached_view(page_id)
