"""The database itself refuses a second confirmed payment of one invoice, a second invoice for one
member and year, a second exemption and a second reminder at the same offset: what the services
check first is also true of rows written any other way (an import, a shell, two workers racing)."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from members.models import DuesReminder, Invoice, Payment, PaymentMethod, PaymentStatus
from members.models.dues import DuesExemption
from tests.conftest import run_at_once
from tests.members.factories import make_invoice, make_member, make_period


def pending_payments(invoice: Invoice, count: int) -> list[Payment]:
    return [
        Payment.objects.create(invoice=invoice, method=PaymentMethod.TRANSFER, amount=invoice.amount)
        for _ in range(count)
    ]


def refused(outcome) -> bool:
    return isinstance(outcome, IntegrityError)


@pytest.mark.django_db
def test_a_second_confirmed_payment_of_an_invoice_is_refused():
    invoice = make_invoice(make_member("wang@example.com", number="DL-1"), make_period(2026))
    first, second = pending_payments(invoice, 2)
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.CONFIRMED)

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(status=PaymentStatus.CONFIRMED)

    # Rejected and refunded payments of the same invoice are not limited.
    Payment.objects.filter(pk=second.pk).update(status=PaymentStatus.REJECTED)


@pytest.mark.django_db
def test_a_second_invoice_exemption_or_reminder_for_the_same_thing_is_refused():
    member = make_member("wang@example.com", number="DL-1")
    period = make_period(2026)
    invoice = make_invoice(member, period)
    DuesExemption.objects.create(member=member, period=period, reason="困难")
    DuesReminder.objects.create(invoice=invoice, offset=30, email="wang@example.com")

    for create in (
        lambda: Invoice.objects.create(member=member, period=period, amount=1, grace_ends=period.grace_ends),
        lambda: DuesExemption.objects.create(member=member, period=period, reason="again"),
        lambda: DuesReminder.objects.create(invoice=invoice, offset=30, email="wang@example.com"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            create()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_two_payments_confirmed_at_once_behind_the_services_back_end_with_one():
    invoice = make_invoice(make_member("wang@example.com", number="DL-1"), make_period(2026))
    payments = pending_payments(invoice, 2)

    outcomes = run_at_once(
        2, lambda index: Payment.objects.filter(pk=payments[index].pk).update(status=PaymentStatus.CONFIRMED)
    )

    assert sorted(map(refused, outcomes)) == [False, True], outcomes
    assert Payment.objects.filter(status=PaymentStatus.CONFIRMED).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_two_invoices_issued_at_once_behind_the_services_back_end_with_one():
    member = make_member("wang@example.com", number="DL-1")
    period = make_period(2026, due=datetime.date(2026, 3, 31))

    outcomes = run_at_once(
        2, lambda index: Invoice.objects.create(member=member, period=period, amount=200, grace_ends=period.grace_ends)
    )

    assert sorted(map(refused, outcomes)) == [False, True], outcomes
    assert Invoice.objects.count() == 1
