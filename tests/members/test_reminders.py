"""Dues reminders: sent at the configured offsets, never twice, never to those who opted out, paid,
resigned or lapsed; a missed run sends one reminder, not a burst; staff see who was reminded."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from members import services
from members.models import DuesReminder
from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in
from tests.members.factories import make_invoice, make_member, make_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _offsets(settings):
    settings.DUES_REMINDER_OFFSETS = [30, 7, 0, -30]


@pytest.fixture
def period():
    return make_period(2026, due=datetime.date(2026, 3, 31), grace_days=90)


def run(day: str) -> str:
    out = StringIO()
    call_command("send_dues_reminders", "--date", day, stdout=out)
    return out.getvalue()


def test_reminders_go_out_at_each_offset_and_once(period):
    member = make_member("wang@example.com", number="DL-2020-0007")
    make_invoice(member, period)

    sent_by_day = {}
    for day in ("2026-02-28", "2026-03-01", "2026-03-01", "2026-03-24", "2026-03-31", "2026-04-30", "2026-05-01"):
        before = len(mail.outbox)
        run(day)
        sent_by_day.setdefault(day, []).append(len(mail.outbox) - before)

    assert sent_by_day == {
        "2026-02-28": [0],
        "2026-03-01": [1, 0],  # 30 days before; the same day again sends nothing
        "2026-03-24": [1],  # 7 days before
        "2026-03-31": [1],  # on the due date
        "2026-04-30": [1],  # 30 days into the grace period
        "2026-05-01": [0],
    }
    assert list(DuesReminder.objects.order_by("offset").values_list("offset", flat=True)) == [-30, 0, 7, 30]
    assert mail.outbox[0].to == ["wang@example.com"]
    assert "2026年会费" in mail.outbox[0].subject and "200.00" in mail.outbox[0].body
    assert "宽限期" in mail.outbox[-1].subject and "2026-06-29" in mail.outbox[-1].body


def test_two_runs_that_listed_the_same_reminder_send_it_once(period):
    # Both runs chose (invoice, 30) before either sent it: the second finds it recorded and stops.
    invoice = make_invoice(make_member("wang@example.com", number="DL-2020-0007"), period)

    sent = [services.send_dues_reminder(invoice, 30), services.send_dues_reminder(invoice, 30)]

    assert sent == [True, False]
    assert len(mail.outbox) == 1 and DuesReminder.objects.count() == 1


def test_a_missed_week_sends_one_reminder_not_a_burst(period):
    make_invoice(make_member("wang@example.com", number="DL-2020-0007"), period)

    run("2026-03-31")  # nothing ran since February: the 30- and 7-day reminders were missed

    assert len(mail.outbox) == 1
    assert DuesReminder.objects.get().offset == 0


def test_no_reminders_for_the_paid_the_opted_out_the_resigned_or_the_lapsed(period):
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    paid = make_invoice(make_member("paid@example.com", number="DL-1"), period)
    services.record_cash(paid, by=officer, idempotency_key="k")
    make_invoice(make_member("quiet@example.com", number="DL-2", dues_reminders=False), period)
    make_invoice(make_member("gone@example.com", number="DL-3", resigned_on=datetime.date(2026, 1, 1)), period)
    lapsed_period = make_period(2025, due=datetime.date(2025, 3, 31), grace_days=90)
    make_invoice(make_member("lapsed@example.com", number="DL-4"), lapsed_period)

    run("2026-03-01")

    assert mail.outbox == []


def test_a_dry_run_lists_and_sends_nothing(period):
    make_invoice(make_member("wang@example.com", number="DL-2020-0007"), period)
    out = StringIO()

    call_command("send_dues_reminders", "--date", "2026-03-01", "--dry-run", stdout=out)

    assert "DL-2020-0007" in out.getvalue()
    assert mail.outbox == [] and not DuesReminder.objects.exists()


def test_officers_see_who_was_reminded_when(client, period):
    make_invoice(make_member("wang@example.com", number="DL-2020-0007"), period)
    run("2026-03-01")
    sign_in(client, make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,)))

    page = client.get(reverse("dues_reminders:index")).content.decode()

    assert "wang@example.com" in page
