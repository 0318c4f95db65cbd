"""The expert reviewers' panel on the admin dashboard: their own queue, batches in 公示, open objections."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import DashboardPanel, Figure
from portal.vetting import workdays
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status

from . import services
from .models import BatchObjection, ExpertBatch, ProfileChange


class ExpertPanel(DashboardPanel):
    name = "experts"
    heading = gettext_lazy("专家库")
    order = 60
    detail_template = "experts/admin/dashboard_batches.html"

    def figures(self):
        queue = services.review_queue(self.user)
        figures = [
            Figure(
                queue.filter(reviewed_by_me=False, conflict_for_me=False).count(),
                _("份入库申请等待您评审"),
                reverse("expert_applications:queue"),
            )
        ]
        if self.user.has_perm("experts.decide_expertapplication"):
            figures.append(
                Figure(
                    services.awaiting_decision().count(),
                    _("份申请评审已满，待组长决定"),
                    f"{reverse('expert_applications:index')}?status=submitted",
                )
            )
        return [
            *figures,
            Figure(
                services.proposed_applications().count(), _("份拟入库申请待加入批次"), reverse("expert_batches:index")
            ),
            Figure(
                BatchObjection.objects.filter(outcome=ObjectionOutcome.PENDING).count(),
                _("条公示异议待处理"),
                f"{reverse('expert_objections:index')}?outcome=pending",
            ),
            Figure(
                ProfileChange.objects.filter(status=Status.SUBMITTED).count(),
                _("份专家资料修改待审核"),
                f"{reverse('expert_changes:index')}?status=submitted",
            ),
        ]

    def get_detail_context(self):
        today = timezone.localdate()
        batches = list(
            ExpertBatch.objects.filter(status=NoticeStatus.NOTICE)
            .annotate(size=Count("applications"))
            .order_by("number")
        )
        for batch in batches:
            batch.days_left = workdays.working_days_left(today, batch.notice_ends)
            batch.ready_to_close = batch.notice_period_over(today)
        return {"batches": batches}
