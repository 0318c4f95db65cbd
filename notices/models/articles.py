"""The articles: notices, news, policy documents and their interpretations, science articles."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from portal import listing
from portal.blocks import BaseStreamBlock
from portal.cache import cached_until_purge
from portal.pagecache import cache_until_midnight
from portal.search.index import SegmentedSearchField, page_search_fields

from .vocabulary import Audience, NoticeCategory


class ArticleQuerySet(PageQuerySet):
    def visible(self) -> ArticleQuerySet:
        """Live, public and not past their expiry time: what the public may list."""
        return listing.visible(self)

    def for_cards(self) -> ArticleQuerySet:
        """Everything a listing card shows, in a constant number of queries."""
        return self.select_related("listing_image").defer_streamfields()

    def for_links(self) -> ArticleQuerySet:
        """What a link to an article shows (its title, address and date), and nothing else."""
        return self.only("title", "url_path", "date")


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


def open_on(on: datetime.date) -> Q:
    """Notices whose closing date (if any) has not passed on `on`."""
    return Q(closing_date__isnull=True) | Q(closing_date__gte=on)


def pinned_on(on: datetime.date) -> Q:
    """Notices pinned on `on`: the pin has not expired and the notice has not closed."""
    return Q(pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gte=on)) & open_on(on)


class NoticeQuerySet(ArticleQuerySet):
    def pinned_first(self, on: datetime.date | None = None) -> NoticeQuerySet:
        """Pinned notices first (while their pin lasts and they are open), then the newest."""
        on = on or timezone.localdate()
        pinned_now = Case(When(pinned_on(on), then=Value(True)), default=Value(False), output_field=BooleanField())
        return self.annotate(pinned_now=pinned_now).order_by("-pinned_now", "-date", "-pk")

    def current_dues(self, on: datetime.date | None = None) -> NoticeQuerySet:
        """Open notices of this year's dues (or a later year's), the current year first: where 会费缴纳 leads."""
        on = on or timezone.localdate()
        return (
            self.visible()
            .filter(open_on(on), dues_period__isnull=False, dues_period__year__gte=on.year)
            .order_by("dues_period__year", "-date", "-pk")
        )


NoticeManager = PageManager.from_queryset(NoticeQuerySet)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey("notices.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(Page):
    """What every readable item shares: date, author, source, summary, body, tags, view count."""

    date = models.DateField(_("发布日期"), default=datetime.date.today, db_index=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    source = models.CharField(_("文章来源"), max_length=150, blank=True)
    summary = models.TextField(_("摘要"), max_length=400, blank=True, help_text=_("显示在列表和搜索结果中"))
    body = StreamField(BaseStreamBlock(), verbose_name=_("正文"), blank=True)
    listing_image = models.ForeignKey(
        "portal.CustomImage",
        verbose_name=_("列表图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = ClusterTaggableManager(through=ArticleTag, verbose_name=_("标签"), blank=True)
    view_count = models.PositiveIntegerField(_("点击量"), default=0, editable=False)

    objects = ArticleManager()

    article_panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("source")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("listing_image"),
        FieldPanel("tags"),
    ]
    content_panels = [*Page.content_panels, *article_panels]

    search_fields = page_search_fields(
        SegmentedSearchField("summary"),
        SegmentedSearchField("body"),
        SegmentedSearchField("source"),
        index.RelatedFields("tags", [SegmentedSearchField("name")]),
        index.FilterField("date"),
    )

    parent_page_types: list[str] = []
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("文章")
        ordering = ["-date", "-pk"]

    @property
    def displayed_view_count(self) -> int:
        from ..views_counter import pending_views

        return self.view_count + pending_views(self.pk)

    def get_related(self, limit: int = 4) -> list:
        """Other articles of the same kind sharing a tag (or category for notices), newest first.

        One query, which the database answers by walking the date index until it has `limit`
        matches: a tag in common (EXISTS, so no join to de-duplicate) or, for notices, the category.
        The locale is compared as an expression, which no index serves: given an index on it,
        SQLite would start from every page of the language (half the site) and sort them all by
        date (8 ms instead of 0.1 ms over 10,000 notices). The page keeps what it shows of them in
        a fragment until the next purge.
        """
        tags = ArticleTag.objects.filter(content_object=OuterRef("pk"), tag__in=self.tags.all())
        match = Q(Exists(tags))
        category_id = getattr(self, "category_id", None)
        if category_id:
            match |= Q(category_id=category_id)
        related = (
            type(self)
            .objects.visible()
            .alias(language=F("locale_id") + 0)
            .filter(language=self.locale_id)
            .filter(match)
            .exclude(pk=self.pk)
            .order_by("-date", "-pk")
            .for_links()
        )
        return list(related[:limit])

    @cached_property
    def _neighbours(self) -> dict:
        """The next older and newer articles of the listing, in its order (date, then id)."""
        parent = self.path[: -self.steplen]
        # The listing by its parent's path as an expression, which no index serves: the database
        # walks the date index from this article's date and stops at the first sibling it meets.
        siblings = (
            type(self)
            .objects.visible()
            .alias(parent_path=Substr("path", 1, len(parent)))
            .filter(parent_path=parent, depth=self.depth)
            .for_links()
        )
        older = siblings.filter(date__lte=self.date).exclude(date=self.date, pk__gte=self.pk)
        newer = siblings.filter(date__gte=self.date).exclude(date=self.date, pk__lte=self.pk)
        return {
            "older": older.order_by("-date", "-pk").first(),
            "newer": newer.order_by("date", "pk").first(),
        }

    @property
    def previous_article(self):
        """The next older article in the same listing."""
        return self._neighbours["older"]

    @property
    def next_article(self):
        """The next newer article in the same listing."""
        return self._neighbours["newer"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if settings.VIEW_COUNT_BEACON and not getattr(request, "is_preview", False):
            context["count_view_url"] = reverse("count_view", args=[self.pk])
        return context

    def serve(self, request, *args, **kwargs):
        # With the beacon on, the reader's browser counts the view (notices/views.py), wherever the page came from.
        if request.method == "GET" and not getattr(request, "is_preview", False) and not settings.VIEW_COUNT_BEACON:
            from ..views_counter import record_view

            # Keep the number shown on this very view right when it is the one that wrote to the database.
            self.view_count += record_view(self.pk)
            # The page cache counts later views served from the cache.
            request.counted_page_id = self.pk
        return super().serve(request, *args, **kwargs)

    def get_attachments(self):
        return self.attachments.select_related("document")


class ArticleAttachment(Orderable):
    """A file attached to a notice or policy document (附件)."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "portal.CustomDocument", verbose_name=_("文件"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("显示名称"), max_length=255, blank=True, help_text=_("留空则使用文件标题"))

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class NoticePage(ArticlePage):
    """A notice of the notice centre (通知公告)."""

    document_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    category = models.ForeignKey(
        NoticeCategory, verbose_name=_("分类"), null=True, blank=True, on_delete=models.SET_NULL, related_name="notices"
    )
    pinned = models.BooleanField(_("置顶"), default=False, db_index=True)
    pinned_until = models.DateField(
        _("置顶至"), null=True, blank=True, help_text=_("过了这一天不再置顶；留空则一直置顶到截止日期")
    )
    closing_date = models.DateField(_("截止日期"), null=True, blank=True)
    dues_period = models.ForeignKey(
        "members.DuesPeriod",
        verbose_name=_("会费年度"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("会费通知选择对应年度后，页面上显示“立即交纳”按钮"),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("source")]),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("category")]),
                FieldRowPanel([FieldPanel("pinned"), FieldPanel("pinned_until")]),
                FieldRowPanel([FieldPanel("closing_date"), FieldPanel("dues_period")]),
            ],
            heading=_("通知信息"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件")),
        FieldPanel("listing_image"),
        FieldPanel("tags"),
    ]

    search_fields = [*ArticlePage.search_fields, SegmentedSearchField("document_number")]

    parent_page_types = ["notices.NoticeIndexPage"]
    subpage_types: list[str] = []

    objects = NoticeManager()

    class Meta:
        verbose_name = _("通知公告")

    @property
    def is_closed(self) -> bool:
        return bool(self.closing_date and self.closing_date < timezone.localdate())

    @property
    def category_name(self) -> str:
        """The category's name, from the few names kept until the next purge (a changed category purges)."""
        if not self.category_id:
            return ""
        names = cached_until_purge(
            "notice-category-names", lambda: dict(NoticeCategory.objects.values_list("pk", "name"))
        )
        return names.get(self.category_id, "")

    @property
    def pin_lasts(self) -> bool:
        """Pinned, and the pin has not expired today."""
        return self.pinned and not (self.pinned_until and self.pinned_until < timezone.localdate())

    @property
    def is_pinned(self) -> bool:
        """Shown above the other notices today: the pin lasts and the notice is still open."""
        return self.pin_lasts and not self.is_closed

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if self.closing_date or self.pinned or self.dues_period_id:
            # 置顶, 已截止 and whether the dues are overdue are worked out for today.
            cache_until_midnight(response)
        return response


class NewsArticlePage(ArticlePage):
    """A news item in 国内资讯 or 协会动态."""

    parent_page_types = ["notices.NewsSectionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("新闻")


class PolicyDocumentPage(ArticlePage):
    """A policy document with its issuing body, number and full text."""

    issuing_body = models.CharField(_("发文机关"), max_length=200)
    document_number = models.CharField(_("发文字号"), max_length=100, blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    disclosure = models.CharField(_("公开方式"), max_length=50, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("issuing_body"),
                FieldRowPanel([FieldPanel("document_number"), FieldPanel("issue_date"), FieldPanel("disclosure")]),
                FieldRowPanel([FieldPanel("date"), FieldPanel("author"), FieldPanel("source")]),
            ],
            heading=_("文件信息"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件")),
        FieldPanel("tags"),
    ]

    search_fields = [
        *ArticlePage.search_fields,
        SegmentedSearchField("issuing_body"),
        SegmentedSearchField("document_number"),
    ]

    parent_page_types = ["notices.PolicyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("政策文件")

    def get_interpretations(self):
        """Interpretations of this document in any language, one per translation group, this language first."""
        found = (
            PolicyInterpretationPage.objects.visible()
            .filter(document_links__document__translation_key=self.translation_key)
            .select_related("locale")
            .defer_streamfields()
            .distinct()
            .order_by("-date", "pk")
        )
        chosen: dict = {}
        for page in found:
            current = chosen.get(page.translation_key)
            if current is None or (page.locale_id == self.locale_id and current.locale_id != self.locale_id):
                chosen[page.translation_key] = page
        return list(chosen.values())


class PolicyInterpretationPage(ArticlePage):
    """An interpretation (解读) that explains one or more policy documents."""

    content_panels = [
        *ArticlePage.content_panels,
        InlinePanel("document_links", label=_("解读的政策文件"), min_num=1),
    ]

    parent_page_types = ["notices.PolicyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("政策解读")

    def get_documents(self):
        """The documents this interprets, in whatever language they exist (an English interpretation
        may explain a document published in Chinese only)."""
        ids = self.document_links.values_list("document_id", flat=True)
        return PolicyDocumentPage.objects.visible().filter(pk__in=ids).select_related("locale").defer_streamfields()


class InterpretationDocumentLink(Orderable):
    page = ParentalKey(PolicyInterpretationPage, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(
        PolicyDocumentPage, verbose_name=_("政策文件"), on_delete=models.CASCADE, related_name="interpretation_links"
    )

    panels = [PageChooserPanel("document", "notices.PolicyDocumentPage")]

    class Meta(Orderable.Meta):
        verbose_name = _("解读的政策文件")


class ScienceArticlePage(ArticlePage):
    """A science-popularisation article (科普) for one or more audiences."""

    audiences = ParentalManyToManyField(Audience, verbose_name=_("读者对象"), blank=True, related_name="articles")

    content_panels = [*ArticlePage.content_panels, FieldPanel("audiences", widget=forms.CheckboxSelectMultiple)]

    parent_page_types = ["notices.ScienceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("科普文章")


# Index pages -----------------------------------------------------------------------------------
