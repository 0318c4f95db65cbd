"""What a dues notice shows about its dues year, read from the year's rates so an amount is never typed twice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils import timezone

from members.models import DuesPeriod, DuesRate

register = template.Library()


@dataclass
class DuesRateLine:
    name: str
    amount: Decimal


@dataclass
class DuesSummary:
    year: int
    due_date: datetime.date
    grace_ends: datetime.date
    rates: list[DuesRateLine]

    @property
    def overdue(self) -> bool:
        """Past the due date but not past the grace period: members can still pay without lapsing."""
        return self.due_date < timezone.localdate() <= self.grace_ends


@register.simple_tag
def dues_summary(page) -> DuesSummary | None:
    """The dues year a notice announces, with the amount for each membership type, read live."""
    period = DuesPeriod.objects.filter(pk=page.dues_period_id).first() if page.dues_period_id else None
    if period is None:
        return None
    rates = (
        DuesRate.objects.filter(period=period)
        .select_related("membership_type")
        .order_by("membership_type__sort_order", "membership_type__pk")
    )
    return DuesSummary(
        year=period.year,
        due_date=period.due_date,
        grace_ends=period.grace_ends,
        rates=[DuesRateLine(rate.membership_type.label, rate.amount) for rate in rates],
    )
