from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Partner


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
