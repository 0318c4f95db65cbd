"""The membership officers' panel on the admin dashboard: what waits for them, and how the dues stand."""

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import DashboardPanel, Figure
from portal.vetting.enums import Status

from . import services
from .models import MembershipApplication, Payment, PaymentMethod, PaymentStatus, Standing

BAR_WIDTH, CHART_HEIGHT = 56, 160


class MembershipPanel(DashboardPanel):
    name = "membership"
    heading = gettext_lazy("会员管理")
    order = 50
    detail_template = "members/admin/dashboard_dues.html"

    def figures(self):
        today = timezone.localdate()
        this_year = next((row for row in self.years if row["year"] == today.year), None)
        collected, expected = (this_year["collected"], this_year["expected"]) if this_year else (0, 0)
        return [
            Figure(
                MembershipApplication.objects.filter(status=Status.SUBMITTED).count(),
                _("份入会申请待审核"),
                f"{reverse('membership_applications:index')}?status=submitted",
            ),
            Figure(
                Payment.objects.filter(status=PaymentStatus.PENDING, method=PaymentMethod.TRANSFER).count(),
                _("笔转账待确认"),
                reverse("payments:confirm_transfers"),
            ),
            Figure(
                None,
                _("%(year)s年会费：已收 %(collected)s 元 / 应收 %(expected)s 元")
                % {"year": today.year, "collected": f"{collected:.2f}", "expected": f"{expected:.2f}"},
            ),
        ]

    @cached_property
    def years(self) -> list[dict]:
        return services.dues_by_year()

    def get_detail_context(self):
        today = timezone.localdate()
        years = self.years
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
        return {
            "standings": [(standing.label, counts[standing]) for standing in Standing],
            "bars": bars,
            "chart_width": max(len(bars), 1) * (BAR_WIDTH * 2 + 24) + 16,
            "chart_height": CHART_HEIGHT + 40,
            "bar_width": BAR_WIDTH,
            "baseline": CHART_HEIGHT + 10,
        }
