"""The expert reviewers' panel on the admin dashboard: their own queue, batches in 公示, open objections."""

from django.db.models import Count
from django.utils import timezone
from wagtail.admin.ui.components import Component

from portal.vetting import workdays
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

from . import services
from .models import BatchObjection, ExpertBatch, ProfileChange


class ExpertPanel(Component):
    name = "experts"
    template_name = "experts/admin/dashboard_panel.html"
    order = 60

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        queue = services.review_queue(self.user)
        batches = list(
            ExpertBatch.objects.filter(status=NoticeStatus.NOTICE)
            .annotate(size=Count("applications"))
            .order_by("number")
        )
        for batch in batches:
            batch.days_left = workdays.working_days_left(today, batch.notice_ends)
            batch.ready_to_close = batch.notice_period_over(today)
        return {
            "to_review": queue.filter(reviewed_by_me=False, conflict_for_me=False).count(),
            "awaiting_decision": services.awaiting_decision().count()
            if self.user.has_perm("experts.decide_expertapplication")
            else None,
            "proposed": services.proposed_applications().count(),
            "batches": batches,
            "objections": BatchObjection.objects.filter(outcome=ObjectionOutcome.PENDING).count(),
            "changes": ProfileChange.objects.filter(status=Status.SUBMITTED).count(),
        }
