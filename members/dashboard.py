"""The membership officers' panel on the admin dashboard: what waits for them, and how the dues stand."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from portal.vetting.enums import Status

from . import services
from .models import MembershipApplication, Payment, PaymentMethod, PaymentStatus, Standing

BAR_WIDTH, CHART_HEIGHT = 56, 160


class MembershipPanel(Component):
    name = "membership"
    template_name = "members/admin/dashboard_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        years = services.dues_by_year()
        top = max([float(row["expected"]) for row in years] + [float(row["collected"]) for row in years] + [1])
        bars = [
            {
                **row,
                "x": index * (BAR_WIDTH * 2 + 24) + 8,
                "expected_height": round(float(row["expected"]) / top * CHART_HEIGHT),
                "collected_height": round(float(row["collected"]) / top * CHART_HEIGHT),
            }
            for index, row in enumerate(years)
        ]
        counts = services.standing_counts(today)
        this_year = next((row for row in years if row["year"] == today.year), {"expected": 0, "collected": 0})
        return {
            "pending_applications": MembershipApplication.objects.filter(status=Status.SUBMITTED).count(),
            "pending_transfers": Payment.objects.filter(
                status=PaymentStatus.PENDING, method=PaymentMethod.TRANSFER
            ).count(),
            "this_year": this_year,
            "year": today.year,
            "standings": [(standing.label, counts[standing]) for standing in Standing],
            "bars": bars,
            "chart_width": max(len(bars), 1) * (BAR_WIDTH * 2 + 24) + 16,
            "chart_height": CHART_HEIGHT + 40,
            "bar_width": BAR_WIDTH,
            "baseline": CHART_HEIGHT + 10,
        }
