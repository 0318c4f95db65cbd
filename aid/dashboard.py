"""The aid coordinators' panel on the admin dashboard: what waits for them (counts only, no names)."""

import datetime

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .enums import CaseStatus
from .models import Assignment, Case, ChangeRequest

ENDING_SOON_DAYS = 30


class AidPanel(Component):
    name = "aid"
    template_name = "aid/admin/dashboard_panel.html"
    order = 70

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        return {
            "waiting": Case.objects.filter(status=CaseStatus.WAITING).count(),
            "flagged": Case.objects.flagged().count(),
            "change_requests": ChangeRequest.objects.filter(resolved_at__isnull=True)
            .exclude(case__status=CaseStatus.CLOSED)
            .count(),
            "ending": Assignment.objects.active()
            .filter(ends_on__range=(today, today + datetime.timedelta(days=ENDING_SOON_DAYS)))
            .count(),
            "days": ENDING_SOON_DAYS,
        }
