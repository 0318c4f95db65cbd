"""Demo members for `load_demo_content`: people in each standing, an application in each state,
last year's and this year's dues with payments, so the membership screens have something to show.
Every person here, listed in demo/data/members.json, is fictitious. Running it again changes nothing.

Members joined years ago owe both demo years: approving them issues those invoices. The other
demos' members (experts, aid counsellors) are in good standing, so they call `pay_dues()`."""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction

from demo.site import load as load_data
from members import providers, services
from members.models import DuesPeriod, DuesRate, Invoice, Member, MembershipApplication, MembershipType, Payment, User
from portal.roles import MEMBERSHIP_OFFICERS
from portal.vetting.enums import Status

PASSWORD = "portal-demo-2026"  # noqa: S105 - printed to the person running `make run`
OFFICER_EMAIL = "officer@example.com"
MEMBER_EMAIL = "member@example.com"
SCAN = b"%PDF-1.4\n% demo certificate scan\n%%EOF\n"

DATA = load_data("members.json")
# email, name, employer, district, standing to arrange
MEMBERS = [
    (member["email"], member["name"], member["employer"], member["district"], member["standing"])
    for member in DATA["members"]
]
# email, name, where the application stands, the officer's note
APPLICANTS = [
    (applicant["email"], applicant["name"], Status(applicant["status"]), applicant["note"])
    for applicant in DATA["applicants"]
]


def _person(email: str, name: str = "", groups: tuple[str, ...] = ()) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, PASSWORD, full_name=name, is_staff=bool(groups))
        for group in groups:
            user.groups.add(Group.objects.get(name=group))
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _period(year: int, due: datetime.date) -> DuesPeriod:
    period, created = DuesPeriod.objects.get_or_create(
        year=year, defaults={"title": f"{year}年会费", "due_date": due, "grace_days": 90}
    )
    if created:
        for membership_type in MembershipType.objects.all():
            DuesRate.objects.create(period=period, membership_type=membership_type, amount=membership_type.annual_fee)
    return period


def pay_dues(member: Member, *, officer) -> list[Payment]:
    """Everything `member` owes, paid at the secretariat (a demo member of the other sections is in
    good standing). Running it again pays nothing twice."""
    return [
        services.record_cash(invoice, by=officer, idempotency_key=f"demo-{invoice.period.year}-{member.number}")
        for invoice in services.owed_invoices(member)
        if invoice.owed and not invoice.is_paid
    ]


@transaction.atomic
def load(today: datetime.date) -> int:
    """Create what is missing; returns how many people were added."""
    if Member.objects.filter(user__email=MEMBER_EMAIL).exists():
        return 0
    officer = _person(OFFICER_EMAIL, "秘书处（演示）", groups=(MEMBERSHIP_OFFICERS,))
    individual = MembershipType.objects.get(name="个人会员")
    last_year = _period(today.year - 1, datetime.date(today.year - 1, 3, 31))
    # This year's dues fell due a month ago: members who have not paid yet are in their grace period.
    this_year = _period(today.year, today - datetime.timedelta(days=30))
    members = {}
    for email, name, employer, district, standing in MEMBERS:
        user = _person(email, name)
        application = MembershipApplication.objects.create(
            applicant=user,
            full_name=name,
            phone="13900000000",
            employer=employer,
            district=district,
            qualification="counsellor-2",
            certificate_number="DEMO-0000",
            years_of_practice=5,
            membership_type=individual,
            charter_agreed=True,
        )
        application.certificate_scan.save("demo.pdf", ContentFile(SCAN))
        services.submit_application(application, by=user)
        member = services.approve_application(application, by=officer, joined_on=datetime.date(today.year - 3, 5, 1))
        members[standing] = member
        last = Invoice.objects.get(member=member, period=last_year)  # issued on approval: they owe it
        if standing == "active":  # paid online, through the sandbox provider
            payment = providers.start_online_payment(last, by=user)
            providers.handle_notification(
                providers.PROVIDERS["sandbox"], providers.PROVIDERS["sandbox"].notification_for(payment)
            )
        elif standing != "lapsed":  # the lapsed member never paid last year's dues
            services.record_cash(last, by=officer, idempotency_key=f"demo-{last_year.year}-{email}")
    # The resigned member left before this year's dues fell due: they owe nothing for it, and the
    # invoice their (backdated) approval issued is withdrawn.
    resigned = members["resigned"]
    resigned.resigned_on = min(datetime.date(today.year - 1, 12, 31), this_year.due_date - datetime.timedelta(days=1))
    resigned.save(update_fields=["resigned_on"])
    Invoice.objects.filter(member=resigned, period=this_year, payments__isnull=True).delete()
    services.issue_invoices(this_year)  # this year's billing run: everyone owing it already has one
    paid = services.record_transfer(
        Invoice.objects.get(member=members["active"], period=this_year),
        by=members["active"].user,
        reference="DEMO-6222020400001",
        voucher=ContentFile(SCAN, name="voucher.pdf"),
        idempotency_key=f"demo-{this_year.year}-active",
    )
    services.confirm_payment(paid, by=officer)
    services.record_transfer(  # waiting in the officers' queue
        Invoice.objects.get(member=members["grace"], period=this_year),
        by=members["grace"].user,
        reference="DEMO-6222020400002",
        voucher=ContentFile(SCAN, name="voucher.pdf"),
        idempotency_key=f"demo-{this_year.year}-grace",
    )
    for email, name, status, note in APPLICANTS:
        user = _person(email, name)
        application = MembershipApplication.objects.create(
            applicant=user,
            full_name=name,
            phone="13900000001",
            employer="大连市心理咨询中心",
            district="xigang",
            qualification="counsellor-3",
            certificate_number="DEMO-0001",
            years_of_practice=2,
            membership_type=individual,
            charter_agreed=status != Status.DRAFT,
        )
        if status == Status.DRAFT:
            continue
        application.certificate_scan.save("demo.pdf", ContentFile(SCAN))
        services.submit_application(application, by=user)
        if status == Status.RETURNED:
            services.return_application(application, by=officer, comments=note)
        elif status == Status.REJECTED:
            services.reject_application(application, by=officer, reason=note)
    return len(MEMBERS) + len(APPLICANTS) + 1
