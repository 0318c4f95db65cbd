"""Membership facts that public pages show: this year's dues rates, the dues year a notice announces and
where the reader stands."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal.vetting.enums import Status

from ..models import DuesPeriod, DuesRate, Member, MembershipApplication

register = template.Library()

# An application in these states is still on its way: the person follows it, rather than applying anew.
OPEN_APPLICATION = (Status.DRAFT, Status.SUBMITTED, Status.SHORTLISTED, Status.RETURNED)


@dataclass
class Rate:
    name: str
    kind: str
    amount: Decimal


@dataclass
class DuesRates:
    year: int | None
    rates: list[Rate]


@register.simple_tag
def current_dues_rates() -> DuesRates:
    """The rates of the current dues year (the latest one not after this year), read live so that the
    join guide and anything else quoting the fees change when an officer edits a rate."""
    period = DuesPeriod.objects.filter(year__lte=timezone.localdate().year).order_by("-year").first()
    if period is None:
        return DuesRates(year=None, rates=[])
    rates = (
        DuesRate.objects.filter(period=period, membership_type__is_active=True)
        .select_related("membership_type")
        .order_by("membership_type__sort_order", "membership_type__pk")
    )
    return DuesRates(
        year=period.year,
        rates=[Rate(r.membership_type.label, r.membership_type.kind, r.amount) for r in rates],
    )


@dataclass
class DuesSummary:
    year: int
    due_date: datetime.date
    grace_ends: datetime.date
    rates: list[Rate]

    @property
    def overdue(self) -> bool:
        """Past the due date but not past the grace period: members can still pay without lapsing."""
        return self.due_date < timezone.localdate() <= self.grace_ends


@register.simple_tag
def dues_summary(page) -> DuesSummary | None:
    """The dues year a notice announces, with the amount for each membership type, read live so an
    amount is never typed twice."""
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
        rates=[Rate(r.membership_type.label, r.membership_type.kind, r.amount) for r in rates],
    )


@register.simple_tag(takes_context=True)
def membership_state(context) -> str:
    """Where the signed-in reader stands on joining, in one query: "anonymous", "member", "applied"
    (an application on its way) or "none" (free to apply, also after a rejection)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    memo = getattr(request, "_membership_state", None)
    if memo is not None:
        return memo
    member, applied = (
        get_user_model()
        ._default_manager.filter(pk=user.pk)
        .annotate(
            is_member=Exists(Member.objects.filter(user=OuterRef("pk"))),
            applied=Exists(MembershipApplication.objects.filter(applicant=OuterRef("pk"), status__in=OPEN_APPLICATION)),
        )
        .values_list("is_member", "applied")
        .get()
    )
    state = "member" if member else "applied" if applied else "none"
    request._membership_state = state
    return state
