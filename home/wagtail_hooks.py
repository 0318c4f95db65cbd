from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ConsultationRequest, Partner


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    """A page past its expiry time is gone for the public even before publish_scheduled unpublishes it."""
    if page.expire_at and page.expire_at <= timezone.now() and not getattr(request, "is_preview", False):
        raise Http404


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_label = _("合作伙伴")
    list_display = ["name", "url", "locale"]
    search_fields = ["name"]


register_snippet(PartnerViewSet)


class ConsultationRequestViewSet(SnippetViewSet):
    model = ConsultationRequest
    icon = "mail"
    menu_label = _("咨询留言")
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["name", "contact", "preferred_time", "created_at", "handled"]
    list_filter = ["handled"]
    search_fields = ["name", "contact", "message"]
    ordering = ["handled", "-created_at"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", read_only=True),
                FieldPanel("contact", read_only=True),
                FieldPanel("preferred_time", read_only=True),
                FieldPanel("message", read_only=True),
            ],
            heading=_("留言"),
        ),
        FieldPanel("handled"),
        FieldPanel("staff_note"),
    ]


register_snippet(ConsultationRequestViewSet)
