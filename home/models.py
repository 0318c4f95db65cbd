from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin

from portal.blocks import BaseStreamBlock
from portal.models import CustomImage
from portal.pagecache import cache_until_midnight
from portal.search.index import SegmentedSearchField, page_search_fields
from portal.tree_routing import RouteInOneQueryMixin

from .blocks import JoinGuideStreamBlock


class HomePage(RouteInOneQueryMixin, Page):
    """The front page of each language: latest notices, news, science and quick links."""

    hero_title = models.CharField(_("横幅标题"), max_length=120, blank=True)
    hero_text = models.TextField(_("横幅文字"), blank=True, max_length=400)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text")], heading=_("横幅")),
        InlinePanel("quick_links", label=_("快捷入口"), max_num=8),
    ]

    search_fields = page_search_fields(SegmentedSearchField("hero_text"))

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("首页")

    def serve(self, request, *args, **kwargs):
        # The latest notices say what is pinned and what has closed today.
        return cache_until_midnight(super().serve(request, *args, **kwargs))


class HomeQuickLink(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="quick_links")
    title = models.CharField(_("名称"), max_length=40)
    description = models.CharField(_("说明"), max_length=80, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("链接页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.CharField(_("链接地址"), max_length=255, blank=True, help_text=_("未选择页面时使用"))
    icon = models.CharField(
        _("图标"),
        max_length=20,
        choices=[
            ("join", _("入会")),
            ("dues", _("会费")),
            ("experts", _("专家库")),
            ("volunteer", _("志愿者")),
            ("notice", _("通知")),
        ],
        default="notice",
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        PageChooserPanel("link_page"),
        FieldPanel("link_url"),
        FieldPanel("icon"),
    ]

    @property
    def url(self) -> str:
        if self.link_page_id and self.link_page.live:
            return self.link_page.url
        return self.link_url or "#"


class StandardPage(Page):
    """About us, contact us, the affiliated counselling centre and similar pages."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)
    body = StreamField(BaseStreamBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    search_fields = page_search_fields(SegmentedSearchField("intro"), SegmentedSearchField("body"))

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    class Meta:
        verbose_name = _("普通页面")


class JoinGuidePage(Page):
    """入会指南: who may join, the fees of the current dues year, the steps and the way to the application."""

    intro = models.TextField(_("导语"), blank=True, max_length=500)
    body = StreamField(JoinGuideStreamBlock(), verbose_name=_("正文"), blank=True)
    apply_label = models.CharField(_("申请按钮文字"), max_length=40, blank=True, help_text=_("留空时显示“申请入会”"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("apply_label"), FieldPanel("body")]

    search_fields = page_search_fields(SegmentedSearchField("intro"), SegmentedSearchField("body"))

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("入会指南")


class ContactPage(StandardPage):
    """联系我们: the page's text beside the contact details, 公众号 QR code and helpline of the site settings,
    so they are edited in one place."""

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("联系我们页面")


class CounsellingCentrePage(StandardPage):
    """The affiliated counselling centre: where and when it receives people, what it costs, and a form to ask
    the secretariat for an appointment."""

    address = models.CharField(_("中心地址"), max_length=200, blank=True)
    hours = models.TextField(_("开放时间"), max_length=300, blank=True)
    fees = models.TextField(_("收费标准"), max_length=500, blank=True)
    phone = models.CharField(_("预约电话"), max_length=40, blank=True)

    content_panels = [
        *StandardPage.content_panels,
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("hours"), FieldPanel("fees"), FieldPanel("phone")],
            heading=_("中心信息"),
        ),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("心理咨询中心页面")

    def get_context(self, request, *args, **kwargs):
        from .forms import ConsultationForm

        context = super().get_context(request, *args, **kwargs)
        context["form"] = getattr(request, "consultation_form", None) or ConsultationForm()
        return context

    def serve(self, request, *args, **kwargs):
        from .views import counselling_centre

        return counselling_centre(request, self, super().serve, *args, **kwargs)


class ConsultationRequest(models.Model):
    """A visitor's request for a counselling appointment (留言咨询), for the secretariat to call back."""

    centre = models.ForeignKey(
        CounsellingCentrePage, verbose_name=_("咨询中心"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("称呼"), max_length=40)
    contact = models.CharField(_("联系方式"), max_length=80)
    preferred_time = models.CharField(_("方便联系的时间"), max_length=80, blank=True)
    message = models.TextField(_("咨询内容"), max_length=500)
    language = models.CharField(_("语言"), max_length=10, blank=True, editable=False)
    # The nonce of the form it was sent with: a second click on 提交 finds the first request.
    token = models.CharField(max_length=64, unique=True, null=True, default=None, editable=False)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    handled = models.BooleanField(_("已处理"), default=False)
    staff_note = models.TextField(_("处理记录"), blank=True)

    class Meta:
        verbose_name = _("咨询留言")
        verbose_name_plural = _("咨询留言")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.created_at:%Y-%m-%d}）" if self.created_at else self.name


class Partner(TranslatableMixin, Orderable):
    """A partner organisation shown in the partners strip of every page."""

    name = models.CharField(_("名称"), max_length=100)
    logo = models.ForeignKey(
        CustomImage, verbose_name=_("标志"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    url = models.URLField(_("网址"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("logo"), FieldPanel("url")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("合作伙伴")
        verbose_name_plural = _("合作伙伴")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name
