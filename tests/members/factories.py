"""Members, dues periods and invoices for the members tests."""

import datetime
from decimal import Decimal

from members.models import DuesPeriod, DuesRate, Invoice, Member, MembershipType
from tests.conftest import make_user


def make_member(email: str, *, number: str, type_name: str = "个人会员", joined_on=datetime.date(2020, 5, 1), **fields):
    user = make_user(email)
    return Member.objects.create(
        user=user,
        number=number,
        membership_type=MembershipType.objects.get(name=type_name),
        full_name=fields.pop("full_name", "王晓明"),
        joined_on=joined_on,
        **fields,
    )


def make_period(year: int, *, due=None, grace_days: int = 90, rates=None) -> DuesPeriod:
    period = DuesPeriod.objects.create(
        year=year, title=f"{year}年会费", due_date=due or datetime.date(year, 3, 31), grace_days=grace_days
    )
    for name, amount in (rates or {"个人会员": "200.00", "团体会员": "2000.00"}).items():
        DuesRate.objects.create(
            period=period, membership_type=MembershipType.objects.get(name=name), amount=Decimal(amount)
        )
    return period


def make_invoice(member: Member, period: DuesPeriod) -> Invoice:
    amount = period.rates.get(membership_type=member.membership_type).amount
    return Invoice.objects.create(member=member, period=period, amount=amount, grace_ends=period.grace_ends)
