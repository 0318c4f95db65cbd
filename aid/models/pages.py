"""The aid section's pages: the index and each programme (援助项目), with its registration form."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page

from portal.blocks import BaseStreamBlock
from portal.listing import refuse_reserved_slug
from portal.pagecache import cache_briefly
from portal.search.index import SegmentedSearchField, page_search_fields

# Paths under /aid/ answered by the aid views ahead of the page tree (aid/urls.py).
RESERVED_SLUGS = {"my", "cases"}


class AidIndexPage(Page):
    """The aid section (/aid/): the programmes, with what each has done so far."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = page_search_fields(SegmentedSearchField("intro"))

    parent_page_types = ["home.HomePage"]
    subpage_types = ["aid.AidProgrammePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("援助项目栏目")

    def get_context(self, request, *args, **kwargs):
        from .. import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.index_page_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        # The figures shown change with every registration and session: cached briefly, not purged.
        return cache_briefly(super().serve(request, *args, **kwargs))


class AidProgrammePage(RoutablePageMixin, Page):
    """A programme: who is eligible, how long support lasts, how many people it can take."""

    summary = models.TextField(_("简介"), max_length=500, help_text=_("显示在列表中"))
    eligibility = models.TextField(_("援助对象"), max_length=2000)
    term_months = models.PositiveSmallIntegerField(_("援助期限（月）"), default=24)
    capacity = models.PositiveIntegerField(_("可接受人数"))
    case_prefix = models.CharField(
        _("案例编号前缀"), max_length=10, default="AID", help_text=_("案例编号形如 WH-2026-0001 中的 WH")
    )
    registration_opens = models.DateField(_("开始登记"), null=True, blank=True)
    registration_closes = models.DateField(_("截止登记"), null=True, blank=True, help_text=_("留空为长期接受登记"))
    body = StreamField(BaseStreamBlock(), verbose_name=_("项目说明"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("eligibility"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("term_months"), FieldPanel("capacity"), FieldPanel("case_prefix")]),
                FieldRowPanel([FieldPanel("registration_opens"), FieldPanel("registration_closes")]),
            ],
            heading=_("援助安排"),
        ),
        FieldPanel("body"),
    ]
    search_fields = page_search_fields(
        SegmentedSearchField("summary"), SegmentedSearchField("eligibility"), SegmentedSearchField("body")
    )

    parent_page_types = ["aid.AidIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("援助项目")

    def clean(self):
        super().clean()
        refuse_reserved_slug(self, RESERVED_SLUGS)

    def registration_open(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        if self.registration_opens and today < self.registration_opens:
            return False
        return not (self.registration_closes and today > self.registration_closes)

    def get_context(self, request, *args, **kwargs):
        from .. import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.programme_page_context(request, self))
        return context

    def serve(self, request, *args, **kwargs):
        # The figures shown change with every registration and session: cached briefly, not purged.
        return cache_briefly(super().serve(request, *args, **kwargs))

    @path("register/")
    def register_route(self, request):
        """登记: the registration form (signed-in people only)."""
        from .. import views

        return views.register(request, self)
