from django import template
from django.utils import timezone

from portal.vetting.enums import NoticeStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_url(context, name: str, value: str = "") -> str:
    """The directory's query string with filter `name` set to `value` (or cleared if it already is), on page 1."""
    request = context.get("request")
    params = request.GET.copy() if request else {}
    params.pop("page", None)
    if not value or params.get(name) == value:
        params.pop(name, None)
    else:
        params[name] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag
def batch_in_notice(page):
    """The expert batch a notice (or its translation) announces, while it is in its notice period."""
    from experts.models import ExpertBatch

    if page is None or not page.pk:
        return None
    batch = ExpertBatch.objects.filter(
        notice_page__translation_key=page.translation_key, status=NoticeStatus.NOTICE
    ).first()
    if batch is None or not batch.accepts_objections(timezone.localdate()):
        return None
    return batch
