"""Membership operations: each is one transaction, called by views, admin actions, commands and tests."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Exists, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Site

from portal.mail import send_after_commit
from portal.models import ContactSettings, NumberSequence
from portal.vetting.enums import Status
from portal.vetting.services import move

from .models import (
    DuesPeriod,
    DuesRate,
    DuesReminder,
    Invoice,
    Member,
    MembershipApplication,
    OrganisationContact,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Standing,
    User,
)
from .models.dues import DuesExemption

NUMBER_PREFIX = "DL"


def member_number_series(year: int) -> str:
    """The number series member numbers of `year` are taken from."""
    return f"member-{year}"


def allocate_member_number(year: int) -> str:
    """The next member number of `year`: DL-2026-0001 …"""
    return f"{NUMBER_PREFIX}-{year}-{NumberSequence.objects.take(member_number_series(year)):04d}"


def _tell_applicant(application: MembershipApplication, template: str, **context) -> None:
    """E-mail the applicant once the decision is committed (in the site's language)."""
    send_after_commit(
        f"members/email/{template}", [application.applicant.email], {**context, "application": application}
    )


@transaction.atomic
def submit_application(application: MembershipApplication, *, by: User) -> MembershipApplication:
    return move(application, Status.SUBMITTED, by=by)


@transaction.atomic
def withdraw_application(application: MembershipApplication, *, by: User) -> MembershipApplication:
    return move(application, Status.WITHDRAWN, by=by)


@transaction.atomic
def approve_application(
    application: MembershipApplication, *, by: User, joined_on: datetime.date | None = None
) -> Member:
    """Admit the applicant: a member number, a start date, an e-mail."""
    move(application, Status.APPROVED, by=by)
    joined_on = joined_on or timezone.localdate()
    member = Member.objects.create(
        user=application.applicant,
        number=allocate_member_number(joined_on.year),
        # A submitted application names its type (REQUIRED_ON_SUBMIT); a draft may not, hence the nullable field.
        membership_type=application.membership_type,  # type: ignore[misc]
        full_name=application.full_name,
        phone=application.phone,
        employer=application.employer,
        district=application.district,
        joined_on=joined_on,
        application=application,
    )
    invoice_owed(member, on=timezone.localdate())  # approved after the year's billing: invoiced now
    _tell_applicant(application, "application_approved", member=member)
    return member


@transaction.atomic
def reject_application(application: MembershipApplication, *, by: User, reason: str) -> MembershipApplication:
    application = move(application, Status.REJECTED, by=by, note=reason)
    _tell_applicant(application, "application_rejected", reason=application.decision_note)
    return application


@transaction.atomic
def return_application(application: MembershipApplication, *, by: User, comments: str) -> MembershipApplication:
    application = move(application, Status.RETURNED, by=by, note=comments)
    _tell_applicant(application, "application_returned", comments=application.decision_note)
    return application


# Dues ------------------------------------------------------------------------------------------


def issue_invoices(period: DuesPeriod, *, progress=None) -> int:
    """One invoice for `period` per member who owes it (lapsed members included: they owe the year
    too); returns how many were created. Running it again creates nothing new (the database refuses a
    second invoice); members approved later are invoiced on approval."""
    rates = dict(period.rates.values_list("membership_type_id", "amount"))
    owed = DuesPeriod.objects.owed_by().filter(pk=period.pk)
    members = (
        Member.objects.owing(period)
        .exclude(invoices__period=period)
        .annotate(grace_ends=Subquery(owed.values("owed_grace_ends")[:1]))
        .values_list("pk", "membership_type_id", "grace_ends")
        .order_by("pk")
    )
    before = Invoice.objects.filter(period=period).count()
    batch: list[Invoice] = []
    now = timezone.now()
    for pk, type_id, grace_ends in members.iterator(chunk_size=2000):
        batch.append(Invoice(member_id=pk, period=period, amount=rates[type_id], grace_ends=grace_ends, issued_at=now))
        if len(batch) == 2000:
            Invoice.objects.bulk_create(batch, ignore_conflicts=True)
            batch.clear()
            if progress:
                progress(Invoice.objects.filter(period=period).count() - before)
    Invoice.objects.bulk_create(batch, ignore_conflicts=True)
    DuesPeriod.objects.filter(pk=period.pk, invoiced_at__isnull=True).update(invoiced_at=now)
    return Invoice.objects.filter(period=period).count() - before


def invoice_owed(member: Member, *, on: datetime.date | None = None) -> int:
    """Invoices for the dues years `member` owes and has none for, once the year has been billed or its
    due date has come (a member approved after billing, an exemption withdrawn, a year never billed):
    whatever they owe, they can pay. Returns how many were created."""
    on = on or timezone.localdate()
    rate = DuesRate.objects.filter(period=OuterRef("pk"), membership_type_id=member.membership_type_id)
    periods = (
        DuesPeriod.objects.owed_by(member)
        .filter(Q(invoiced_at__isnull=False) | Q(due_date__lte=on))
        .exclude(invoices__member=member)
        .annotate(amount=Subquery(rate.values("amount")[:1]))
    )
    invoices = [
        Invoice(member=member, period=period, amount=period.amount, grace_ends=period.owed_grace_ends)
        for period in periods
    ]
    return len(Invoice.objects.bulk_create(invoices, ignore_conflicts=True))


def owed_invoices(member: Member):
    """The member's invoices, each annotated with `owed` (the year is one they owe) and `exempt`, and
    with `owed_due` for those they owe."""
    owed = DuesPeriod.objects.owed_by(member).filter(pk=OuterRef("period_id"))
    return (
        Invoice.objects.filter(member=member)
        .annotate(
            owed=Exists(owed),
            owed_due=Subquery(owed.values("owed_due")[:1]),
            exempt=Exists(DuesExemption.objects.filter(member=member, period=OuterRef("period_id"))),
        )
        .select_related("period", "member")
        .prefetch_related("payments")
        .order_by("-period__year")
    )


def _receipt_number(year: int) -> str:
    return f"SJ-{year}-{NumberSequence.objects.take(f'receipt-{year}'):06d}"


@transaction.atomic
def record_transfer(invoice: Invoice, *, by: User, reference: str, voucher, idempotency_key: str) -> Payment:
    """A member's bank transfer (对公转账), waiting for an officer to confirm it. The same form sent
    twice (a double click, a reload) records one payment."""
    existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Payment.objects.create(
                invoice=invoice,
                method=PaymentMethod.TRANSFER,
                amount=invoice.amount,
                reference=reference.strip(),
                voucher=voucher,
                recorded_by=by,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:  # the same form, sent at the same moment
        return Payment.objects.get(idempotency_key=idempotency_key)


@transaction.atomic
def confirm_payment(payment: Payment, *, by: User | None) -> Payment:
    """An officer confirms a payment: the invoice is paid and a receipt number given. Two officers
    confirming at once, or one clicking twice, confirm it once; so do an officer and a provider's
    notification confirming two payments of one invoice, since both lock the invoice first."""
    locked = (
        Payment.objects.select_for_update(of=("self", "invoice")).select_related("invoice__period").get(pk=payment.pk)
    )
    if locked.status != PaymentStatus.PENDING:
        raise ValidationError(_("这笔缴费已处理（%(status)s）。") % {"status": locked.get_status_display()})
    if locked.invoice.payments.filter(status=PaymentStatus.CONFIRMED).exists():
        raise ValidationError(_("这张账单已经付清。"))
    now = timezone.now()
    locked.status, locked.decided_by, locked.decided_at, locked.confirmed_at = PaymentStatus.CONFIRMED, by, now, now
    locked.receipt_number = _receipt_number(locked.invoice.period.year)
    locked.save()
    return locked


@transaction.atomic
def record_cash(invoice: Invoice, *, by: User, idempotency_key: str, reference: str = "") -> Payment:
    """Cash or payment on site, taken by an officer: confirmed at once."""
    payment = Payment.objects.filter(idempotency_key=idempotency_key).first()
    if payment is None:
        payment = Payment.objects.create(
            invoice=invoice,
            method=PaymentMethod.CASH,
            amount=invoice.amount,
            reference=reference.strip(),
            recorded_by=by,
            idempotency_key=idempotency_key,
        )
    if payment.status == PaymentStatus.PENDING:
        payment = confirm_payment(payment, by=by)
    return payment


@transaction.atomic
def close_payment(payment: Payment, status: str, *, by: User | None, reason: str) -> Payment:
    """Reject a pending payment, or void or refund a confirmed one, with the reason. Nothing is deleted."""
    allowed: dict[str, set[str]] = {
        PaymentStatus.REJECTED: {PaymentStatus.PENDING},
        PaymentStatus.VOIDED: {PaymentStatus.CONFIRMED, PaymentStatus.PENDING},
        PaymentStatus.REFUNDED: {PaymentStatus.CONFIRMED},
    }
    locked = Payment.objects.select_for_update().get(pk=payment.pk)
    if locked.status not in allowed[status]:
        raise ValidationError(_("这笔缴费已处理（%(status)s）。") % {"status": locked.get_status_display()})
    if not reason.strip():
        raise ValidationError(_("请填写理由。"))
    locked.status, locked.decided_by, locked.decided_at, locked.note = status, by, timezone.now(), reason.strip()
    locked.save()
    return locked


def reminders_due(on: datetime.date, offsets: list[int]):
    """(invoice, offset) pairs to remind about on `on`: for each unpaid invoice of a year the member
    owes (not exempted, not resigned) and takes reminders for, the latest offset reached that has not
    been sent. A run missed for a few days sends one reminder, not a burst of the ones it missed."""
    offsets = sorted(set(offsets), reverse=True)  # 30, 7, 0, -30 …: in the order they fall due
    owed = DuesPeriod.objects.owed_by(via="member__").filter(pk=OuterRef("period_id"))
    invoices = (
        Invoice.objects.unpaid()
        .filter(member__dues_reminders=True)
        .filter(Q(member__resigned_on__isnull=True) | Q(member__resigned_on__gt=on))
        .annotate(
            owed_due=Subquery(owed.values("owed_due")[:1]),
            owed_grace_ends=Subquery(owed.values("owed_grace_ends")[:1]),
        )
        .filter(owed_grace_ends__gte=on)  # owed, and not past its grace (the membership has lapsed)
        .select_related("member__user", "period")
        .prefetch_related("reminders")
    )
    for invoice in invoices.iterator(chunk_size=500):
        reached = [offset for offset in offsets if invoice.owed_due - datetime.timedelta(days=offset) <= on]
        if not reached:
            continue
        latest = reached[-1]
        if latest not in {reminder.offset for reminder in invoice.reminders.all()}:
            yield invoice, latest


def send_dues_reminder(invoice: Invoice, offset: int) -> bool:
    """E-mail one reminder; False if it was already sent (by this run or one running beside it)."""
    with transaction.atomic():
        reminder, created = DuesReminder.objects.get_or_create(
            invoice=invoice, offset=offset, defaults={"email": invoice.member.user.email}
        )
        if not created:
            return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invoice": invoice,
            "member": invoice.member,
            "offset": offset,
            "overdue": offset < 0,
            "due": invoice.due_on,
            "grace_ends": getattr(invoice, "owed_grace_ends", None) or invoice.grace_ends,
            "bank": bank_account(),
            "contact": secretariat(),
            "site_url": settings.WAGTAILADMIN_BASE_URL,
        }
        subject = render_to_string("members/email/dues_reminder_subject.txt", context).strip()
        body = render_to_string("members/email/dues_reminder.txt", context)
    send_mail(subject, body, None, [reminder.email])
    return True


def standing_counts(on: datetime.date) -> dict[str, int]:
    """How many members are in each standing on `on`: one query, whatever the number of members."""
    counts: dict[str, int] = dict.fromkeys(Standing, 0)
    rows = Member.objects.with_standing(on).values("standing_code").annotate(members=Count("pk")).order_by()
    counts.update({Standing(row["standing_code"]): row["members"] for row in rows})
    return counts


def dues_by_year(years: int = 6) -> list[dict]:
    """Dues expected (what the members who owe each year owe: their invoice's amount, or the year's
    rate where no invoice was issued) and collected (confirmed payments), for the dashboard. One query
    for each, whatever the number of members."""
    owing = Member.objects.filter(Exists(DuesPeriod.objects.owed_by().filter(pk=OuterRef(OuterRef("pk")))))
    invoiced = Invoice.objects.filter(member=OuterRef("pk"), period=OuterRef(OuterRef("pk"))).values("amount")[:1]
    rate = DuesRate.objects.filter(period=OuterRef(OuterRef("pk")), membership_type=OuterRef("membership_type")).values(
        "amount"
    )[:1]
    money: DecimalField = DecimalField(max_digits=12, decimal_places=2)
    total = Func(Coalesce(Subquery(invoiced), Subquery(rate)), function="SUM", output_field=money)
    per_year = owing.order_by().annotate(total=total).values("total")[:1]
    expected = dict(
        DuesPeriod.objects.annotate(expected=Coalesce(Subquery(per_year), Value(0), output_field=money))
        .values_list("year", "expected")
        .order_by()
    )
    collected = dict(
        Payment.objects.filter(status=PaymentStatus.CONFIRMED)
        .values_list("invoice__period__year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    latest = sorted(set(expected) | set(collected))[-years:]
    return [{"year": year, "expected": expected.get(year, 0), "collected": collected.get(year, 0)} for year in latest]


def bank_account() -> dict[str, str] | None:
    """The association's account for bank transfers (对公账户) from the site settings, or None while any
    part of it is missing: a member is then told to ask the secretariat, never shown a blank."""
    contact = _contact_settings()
    account = {
        "name": contact.bank_account_name.strip(),
        "bank": contact.bank_name.strip(),
        "number": contact.bank_account_number.strip(),
    }
    return account if all(account.values()) else None


def secretariat() -> dict[str, str]:
    """How to reach the secretariat (phone, e-mail) from the site settings."""
    contact = _contact_settings()
    return {"phone": contact.phone, "email": contact.email}


def _contact_settings() -> ContactSettings:
    site = Site.objects.filter(is_default_site=True).first()
    return ContactSettings.for_site(site) if site else ContactSettings()


# An organisation's named contacts ----------------------------------------------------------------


@transaction.atomic
def add_contact(organisation: Member, *, email: str, role: str = "") -> OrganisationContact:
    """Name the person with this account e-mail as a contact of `organisation` (once)."""
    person = User.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise ValidationError(_("没有使用这个邮箱注册的账户。请对方先在本站注册，再添加。"))
    if person.pk == organisation.user_id:
        raise ValidationError(_("这是本单位自己的账户，无需添加。"))
    contact, created = OrganisationContact.objects.get_or_create(
        organisation=organisation, user=person, defaults={"role": role.strip()}
    )
    if not created:
        raise ValidationError(_("此人已经是本单位的联系人。"))
    return contact
