"""The listings: the notice centre, news and its sections, policy documents and science, each with
its year and filter pages and feeds."""

from __future__ import annotations

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import ExtractYear
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from portal import fragments, listing
from portal.cache import cached_until_purge
from portal.pagecache import cache_until_midnight
from portal.search.index import SegmentedSearchField, page_search_fields

from .articles import (
    ArticlePage,
    NewsArticlePage,
    NoticePage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
    ScienceArticlePage,
)
from .vocabulary import Audience, NoticeCategory


class IndexPage(RoutablePageMixin, Page):
    """A listing of articles: 20 a page, year filter, RSS feed at feed/."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = page_search_fields(SegmentedSearchField("intro"))

    article_model: type[ArticlePage] = ArticlePage
    # The query parameter that narrows the listing besides the year ("" for none).
    filter_parameter = ""
    # Whether what the listing shows changes at midnight (pins, 已截止) and not only on publishing.
    changes_daily = False

    class Meta:
        abstract = True

    def listed(self):
        """The visible articles of this listing for a reader of its language (those not translated into it
        in Chinese), without what the cards need."""
        return listing.in_language(self.article_model.objects.visible(), self)

    def get_articles(self):
        """Every article this index lists, newest first."""
        return self.listed().for_cards().order_by("-date", "-pk")

    def filter_choices(self) -> list[tuple[str, str]]:
        """(value, label) of each way `filter_parameter` narrows the listing."""
        return []

    def selected_filter(self, request) -> str:
        """The filter value asked for ("" for none)."""
        return listing.filter_value(request.GET, self.filter_parameter) if self.filter_parameter else ""

    def filter_articles(self, articles, value: str):
        return articles

    def facet_rows(self, articles) -> list[tuple[int, str]]:
        """(year, filter value) of every listed article, an article with several values once for each."""
        return [(year, "") for year in articles.values_list(ExtractYear("date"), flat=True).distinct()]

    def get_facets(self, today: datetime.date) -> frozenset[tuple[int, str]]:
        """Which years and filter values lead to articles, kept until the next purge (or the next day)."""
        return cached_until_purge(
            f"listing-facets:{self.pk}:{today:%Y%m%d}",
            lambda: frozenset((year, value or "") for year, value in self.facet_rows(self.listed().order_by())),
        )

    def filter_links(self, request, facets, chosen: str, year: int | None) -> list[dict]:
        """The filter's choices that lead to articles; a choice keeps the year only if it has articles then."""
        offered = {value for _year, value in facets}
        links = []
        for value, label in [("", _("全部")), *self.filter_choices()]:
            if value and value not in offered:
                continue
            params = request.GET.copy()
            for name in (self.filter_parameter, "page"):
                params.pop(name, None)
            if value:
                params[self.filter_parameter] = value
            if year and value and (year, value) not in facets:
                params.pop("year", None)
            query = params.urlencode()
            url = f"{request.path}?{query}" if query else request.path
            links.append({"label": label, "url": url, "current": value == chosen})
        return links

    @path("")
    def index_route(self, request):
        today = timezone.localdate()
        facets = self.get_facets(today)
        chosen = self.selected_filter(request)
        # Only years that have articles with the filter chosen: a year offered never leads to an empty list.
        years = sorted({y for y, value in facets if not chosen or value == chosen}, reverse=True)
        year = listing.parse_year(request.GET.get("year"), years)

        def selected_ids() -> list[int]:
            articles = self.get_articles()
            if year:
                articles = articles.filter(date__year=year)
            if chosen:
                articles = self.filter_articles(articles, chosen)
            return list(articles.values_list("pk", flat=True))

        # Hashed: the value comes from the address bar, and a key must stay short whatever is typed there.
        selection = hashlib.sha256(f"{year}|{chosen}".encode()).hexdigest()[:32]
        ids = cached_until_purge(f"listing-ids:{self.pk}:{today:%Y%m%d}:{selection}", selected_ids)
        page_obj = listing.paginate(request, ids)
        page_obj.object_list = fragments.article_cards(
            request, page_obj.object_list, lambda missing: listing.in_order(self.get_articles(), missing)
        )
        response = self.render(
            request,
            context_overrides={
                "cards": page_obj.object_list,
                "page_obj": page_obj,
                "years": years,
                "selected_year": year,
                "filter_links": self.filter_links(request, facets, chosen, year),
            },
        )
        return cache_until_midnight(response) if self.changes_daily else response

    @path("feed/")
    def feed_route(self, request):
        from ..feeds import IndexFeed

        return IndexFeed(self)(request)


class NoticeIndexPage(IndexPage):
    """The notice centre (通知公告): pinned notices first."""

    article_model = NoticePage
    filter_parameter = "category"
    changes_daily = True
    parent_page_types = ["home.HomePage"]
    # Calls (征集) are notices that take submissions: the calls app builds on the notice centre.
    subpage_types = ["notices.NoticePage", "calls.CallPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("通知公告栏目")

    def get_articles(self):
        return self.listed().for_cards().select_related("category").pinned_first()

    def get_categories(self) -> list[NoticeCategory]:
        return cached_until_purge(
            f"notice-categories:{self.locale_id}",
            lambda: list(NoticeCategory.objects.filter(locale_id=self.locale_id)),
        )

    def filter_choices(self) -> list[tuple[str, str]]:
        return [(category.slug, category.name) for category in self.get_categories()]

    def facet_rows(self, articles) -> list[tuple[int, str]]:
        return list(articles.values_list(ExtractYear("date"), "category__slug").distinct())

    def filter_articles(self, articles, value: str):
        return articles.filter(category__slug=value)

    # Routes come before child pages: a name no notice is likely to have as its slug.
    @path("current-dues/", name="current_dues")
    def current_dues_route(self, request):
        """会费缴纳: the open notice of the current dues year in this language, or the member centre if there is none.

        Worked out on each visit, so a link to it (the home page's quick link) never leads to a closed notice,
        even from a page served from the cache."""
        notice = self.listed().current_dues().defer_streamfields().first()
        return redirect(notice.get_url(request) if notice else reverse("membership_home"))


class NewsIndexPage(IndexPage):
    """行业资讯: the latest items of every news section."""

    article_model = NewsArticlePage
    parent_page_types = ["home.HomePage"]
    subpage_types = ["notices.NewsSectionPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("资讯栏目")

    def get_sections(self):
        return listing.visible(listing.children_of(NewsSectionPage.objects.all(), self)).order_by("path")


class NewsSectionPage(IndexPage):
    """A news section such as 国内资讯 or 协会动态."""

    article_model = NewsArticlePage
    parent_page_types = ["notices.NewsIndexPage"]
    subpage_types = ["notices.NewsArticlePage"]

    class Meta:
        verbose_name = _("资讯分栏")


class PolicyIndexPage(IndexPage):
    """政策解读: policy documents and their interpretations."""

    filter_parameter = "type"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["notices.PolicyDocumentPage", "notices.PolicyInterpretationPage"]
    max_count_per_parent = 1

    # The values of ?type= and the page type each selects.
    kinds = {"documents": PolicyDocumentPage, "interpretations": PolicyInterpretationPage}

    class Meta:
        verbose_name = _("政策栏目")

    def get_articles(self):
        return super().get_articles().specific()

    def filter_choices(self) -> list[tuple[str, str]]:
        return [("documents", _("政策文件")), ("interpretations", _("政策解读"))]

    def selected_filter(self, request) -> str:
        kind = request.GET.get("type") or ""
        return kind if kind in self.kinds else ""

    def facet_rows(self, articles) -> list[tuple[int, str]]:
        kind_of = {ContentType.objects.get_for_model(model).pk: kind for kind, model in self.kinds.items()}
        rows = articles.values_list(ExtractYear("date"), "content_type_id").distinct()
        return [(year, kind_of.get(content_type, "")) for year, content_type in rows]

    def filter_articles(self, articles, value: str):
        return articles.type(self.kinds[value])


class ScienceIndexPage(IndexPage):
    """科普: articles filterable by audience."""

    article_model = ScienceArticlePage
    filter_parameter = "audience"
    parent_page_types = ["home.HomePage"]
    subpage_types = ["notices.ScienceArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("科普栏目")

    def get_audiences(self) -> list[Audience]:
        return cached_until_purge(
            f"audiences:{self.locale_id}",
            lambda: list(Audience.objects.filter(locale_id=self.locale_id)),
        )

    def filter_choices(self) -> list[tuple[str, str]]:
        return [(audience.slug, audience.name) for audience in self.get_audiences()]

    def get_articles(self):
        return super().get_articles().prefetch_related("audiences")

    def facet_rows(self, articles) -> list[tuple[int, str]]:
        return list(articles.values_list(ExtractYear("date"), "audiences__slug").distinct())

    def filter_articles(self, articles, value: str):
        return articles.filter(audiences__slug=value)
