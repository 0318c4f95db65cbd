from django import template
from django.db.models import F
from django.utils import timezone

from portal.cache import cached_until_purge
from portal.vetting.enums import NoticeStatus

register = template.Library()


@register.simple_tag
def batch_in_notice(page):
    """The expert batch a notice (or its translation) announces, while it is in its notice period."""
    from experts.models import ExpertBatch

    if page is None or not page.pk:
        return None

    def in_notice() -> dict:
        # The few batches in their notice period, by the notices announcing them: one query per purge
        # (a batch's status change purges), not one per notice page rendered.
        batches = (
            ExpertBatch.objects.filter(status=NoticeStatus.NOTICE, notice_page__isnull=False)
            .annotate(announced_by=F("notice_page__translation_key"))
            .only("number", "status", "notice_starts", "notice_ends")
            .order_by("number")  # the latest batch wins where one notice announces two
        )
        return {batch.announced_by: batch for batch in batches}

    batch = cached_until_purge("batches-in-notice", in_notice).get(page.translation_key)
    if batch is None or not batch.accepts_objections(timezone.localdate()):
        return None
    return batch
