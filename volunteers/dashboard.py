"""The volunteer coordinators' panel on the admin dashboard (what waits for them, and this week's
activities), and the chart of a year's approved hours by month."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.dashboard import DashboardPanel, Figure
from portal.vetting.enums import Status

from .enums import HoursStatus, SignUpStatus
from .models import Activity, SignUp, VolunteerApplication

BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 40, 12, 160


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week of `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def hours_by_month(year: int) -> list[Decimal]:
    """Approved hours of the activities held in each month of `year`, January first, in one query."""
    totals = dict(
        SignUp.objects.approved_hours()
        .filter(activity__starts_at__year=year)
        .annotate(month=ExtractMonth("activity__starts_at"))
        .values("month")
        .annotate(total=Sum("hours_approved"))
        .order_by("month")
        .values_list("month", "total")
    )
    return [totals.get(month, Decimal(0)) for month in range(1, 13)]


def monthly_hours_chart(year: int) -> dict:
    """The bars of an inline SVG chart of `year`'s approved hours by month."""
    totals = hours_by_month(year)
    top = max([float(total) for total in totals] + [1.0])
    step = BAR_WIDTH + BAR_GAP
    bars = []
    for index, total in enumerate(totals):
        height = round(float(total) / top * CHART_HEIGHT)
        bars.append(
            {
                "month": index + 1,
                "hours": total,
                "x": index * step + BAR_GAP,
                "centre": index * step + BAR_GAP + BAR_WIDTH // 2,
                "height": height,
                "top": CHART_HEIGHT + 20 - height,
            }
        )
    return {
        "bars": bars,
        "total": sum(totals, Decimal(0)),
        "width": 12 * step + BAR_GAP,
        "height": CHART_HEIGHT + 44,
        "baseline": CHART_HEIGHT + 20,
        "bar_width": BAR_WIDTH,
    }


class VolunteerPanel(DashboardPanel):
    name = "volunteers"
    heading = gettext_lazy("志愿服务")
    order = 70
    detail_template = "volunteers/admin/dashboard_week.html"

    def figures(self):
        applications = VolunteerApplication.objects.aggregate(
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            shortlisted=Count("pk", filter=Q(status=Status.SHORTLISTED)),
        )
        listed = reverse("volunteer_applications:index")
        figures = [Figure(applications["submitted"], _("份志愿者报名待审核"), f"{listed}?status=submitted")]
        if applications["shortlisted"]:
            figures.append(
                Figure(applications["shortlisted"], _("份报名初选通过，待决定录用"), f"{listed}?status=shortlisted")
            )
        hours = SignUp.objects.filter(status=SignUpStatus.CONFIRMED, hours_status=HoursStatus.REPORTED)
        figures.append(Figure(hours.count(), _("条服务时长待确认"), reverse("volunteer_hours:index")))
        return figures

    def get_detail_context(self):
        monday, sunday = week_of(timezone.localdate())
        return {
            "monday": monday,
            "sunday": sunday,
            "activities": list(
                Activity.objects.filter(starts_at__date__gte=monday, starts_at__date__lte=sunday)
                .with_counts()
                .order_by("starts_at", "pk")
            ),
        }
