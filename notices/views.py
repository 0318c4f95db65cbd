"""The view-count beacon: the reader's browser reports a view of an article (点击量).

Used when VIEW_COUNT_BEACON is on (by default whenever a proxy or CDN is in front of the site,
which answers most views without asking the site): the article page asks the browser to POST
here once it has been shown. Counting is the same as for a view counted by the page itself
(notices/views_counter.py). Only published, public articles are counted; anything else is 404.
"""

from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import ArticlePage
from .views_counter import record_view


@csrf_exempt  # sent by navigator.sendBeacon(), which carries no token; it only adds one to a counter
@require_POST
def count_view(request, page_id: int):
    if not ArticlePage.objects.live().public().filter(pk=page_id).exists():
        raise Http404
    record_view(page_id)
    return HttpResponse(status=204)
