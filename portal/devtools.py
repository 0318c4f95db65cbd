"""What `make run` (DEBUG on) adds: the site's own 404 page instead of Django's technical one."""

from __future__ import annotations

import os

from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


class SiteNotFoundMiddleware:
    """A page that does not exist shows what a visitor would see (search box, links home), not the URL
    patterns; DEBUG_TECHNICAL_404=1 in the environment brings Django's page back for debugging routes."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.technical = os.environ.get("DEBUG_TECHNICAL_404", "") == "1"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404) and not self.technical:
            return page_not_found(request, exception)
        return None
