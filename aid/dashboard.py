"""The aid coordinators' panel on the admin dashboard: what waits for them (counts only, no names)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import DashboardPanel, Figure

from .enums import CaseStatus
from .models import Assignment, Case, ChangeRequest

ENDING_SOON_DAYS = 30


class AidPanel(DashboardPanel):
    name = "aid"
    heading = gettext_lazy("援助项目")
    order = 70

    def figures(self):
        today = timezone.localdate()
        cases = reverse("aid_cases:index")
        change_requests = ChangeRequest.objects.filter(resolved_at__isnull=True).exclude(case__status=CaseStatus.CLOSED)
        ending = Assignment.objects.active().filter(
            ends_on__range=(today, today + datetime.timedelta(days=ENDING_SOON_DAYS))
        )
        return [
            Figure(
                Case.objects.filter(status=CaseStatus.WAITING).count(),
                _("个案例等待分配咨询师"),
                f"{cases}?status=waiting",
            ),
            Figure(Case.objects.flagged().count(), _("个高风险案例等待跟进"), reverse("aid_flags:index")),
            Figure(change_requests.count(), _("份更换咨询师申请待处理"), f"{cases}?change=yes"),
            Figure(
                ending.count(),
                _("个分配将在 %(days)s 天内期满") % {"days": ENDING_SOON_DAYS},
                f"{cases}?ending=soon",
            ),
        ]
