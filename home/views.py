"""The counselling centre's consultation form and the QR code of a page's address for sharing."""

from __future__ import annotations

from collections.abc import Callable

import qrcode
from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from qrcode.image.svg import SvgPathFillImage
from wagtail.models import Site

from . import services
from .forms import ConsultationForm
from .models import ConsultationRequest, CounsellingCentrePage

MAX_SHARED_PATH = 400


def _client(request: HttpRequest) -> str:
    """The visitor's address, read the way sign-in rate limits read it (TRUSTED_PROXY_COUNT)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def counselling_centre(request: HttpRequest, page: CounsellingCentrePage, serve: Callable, *args, **kwargs):
    """The centre's page; a consultation request posted to it is kept once, then the page again with a thank-you."""
    if request.method != "POST":
        return serve(request, *args, **kwargs)
    form = ConsultationForm(request.POST)
    received = _("留言已收到。协会秘书处会在两个工作日内按您留下的方式与您联系。如情况紧急，请直接拨打心理援助热线。")
    if form.is_robot():
        # Said to succeed, so a robot learns nothing; nothing is kept.
        messages.success(request, received)
        return HttpResponseRedirect(page.get_url(request) + "#consultation")
    if form.is_valid():
        nonce = form.nonce()
        if not ConsultationRequest.objects.filter(token=nonce).exists() and services.over_limit(_client(request)):
            form.add_error(None, _("提交过于频繁，请一小时后再试，或直接致电协会秘书处。"))
        else:
            services.request_consultation(
                page,
                token=nonce,
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                preferred_time=form.cleaned_data["preferred_time"],
                message=form.cleaned_data["message"],
                language=get_language(),
                site=Site.find_for_request(request),
            )
            messages.success(request, received)
            return HttpResponseRedirect(page.get_url(request) + "#consultation")
    request.consultation_form = form
    return serve(request, *args, **kwargs)


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def share_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of an address on this site, as SVG: scanned from a screen to open the page on a phone."""
    path = request.GET.get("u", "")
    if not path.startswith("/") or path.startswith("//") or len(path) > MAX_SHARED_PATH or not path.isprintable():
        raise Http404
    if "\\" in path or " " in path:
        raise Http404
    image = qrcode.make(request.build_absolute_uri(path), image_factory=SvgPathFillImage, box_size=10, border=2)
    return HttpResponse(image.to_string(), content_type="image/svg+xml")
