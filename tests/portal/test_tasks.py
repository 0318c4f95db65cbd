"""Background work through django-tasks: e-mails are queued once the decision has committed and
delivered by the worker, so a slow mail server never holds up a request; one command queues the
daily jobs that apps register."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from portal import tasks
from portal.mail import send_after_commit

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
pytestmark = pytest.mark.django_db


@pytest.fixture
def work_through_the_queue(monkeypatch):
    """The real worker (`manage.py db_worker --batch`), run in the test. Between tasks it closes
    connections that sit inside a transaction, as a test's always does (on PostgreSQL that would
    end the test's own transaction), so that housekeeping is switched off here."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_a_decision_e_mail_waits_in_the_queue_for_the_worker(
    settings, django_capture_on_commit_callbacks, work_through_the_queue
):
    settings.TASKS = DATABASE
    context = {"application": None, "member": None}

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send_after_commit("members/email/application_rejected", ["wang@example.com"], context)
        assert not DBTaskResult.objects.exists()  # nothing before the commit

    assert DBTaskResult.objects.count() == 1 and mail.outbox == []  # the request is done: queued, not sent
    work_through_the_queue()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["wang@example.com"]


def test_a_rolled_back_decision_queues_nothing(settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send_after_commit("members/email/application_rejected", ["wang@example.com"], {})
        raise RuntimeError

    assert not DBTaskResult.objects.exists() and mail.outbox == []


def test_an_account_e_mail_is_queued_too(client, settings, django_capture_on_commit_callbacks, work_through_the_queue):
    settings.TASKS = DATABASE
    form = {"email": "new@example.com", "password1": "Xinli-2026-dues", "password2": "Xinli-2026-dues"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {**form, "terms_agreed": "on"})

    assert mail.outbox == [] and DBTaskResult.objects.count() == 1
    work_through_the_queue()
    assert mail.outbox[0].to == ["new@example.com"] and "请确认您的电子邮箱" in mail.outbox[0].subject


def test_one_command_queues_every_daily_job(settings, work_through_the_queue):
    settings.TASKS = DATABASE

    call_command("enqueue_daily_jobs", verbosity=0)

    queued = [result.args_kwargs["args"][0] for result in DBTaskResult.objects.order_by("enqueued_at")]
    assert queued == tasks.DAILY_COMMANDS
    assert set(queued) == {"send_dues_reminders", "expert_daily", "volunteer_daily", "aid_daily"}
    work_through_the_queue()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


# The daily runs share one shape (portal.daily) ----------------------------------------------------


@pytest.mark.parametrize("name", ["send_dues_reminders", "expert_daily", "volunteer_daily", "aid_daily"])
def test_every_daily_run_catches_up_a_given_day_step_by_step_and_refuses_a_bad_date(name):
    from io import StringIO

    from django.core.management import CommandError, get_commands, load_command_class

    from portal.daily import DailyCommand

    assert name in tasks.DAILY_COMMANDS
    command = load_command_class(get_commands()[name], name)
    out = StringIO()

    call_command(name, "--date", "2026-03-01", stdout=out)
    lines = out.getvalue().splitlines()

    assert isinstance(command, DailyCommand)
    assert lines[0].endswith(" for 2026-03-01.")
    assert [line.split(" ")[0] for line in lines if line[:1].isdigit()] == [
        f"{number}/{len(command.steps(None))}" for number in range(1, len(command.steps(None)) + 1)
    ]
    assert lines[-1].startswith("Done: ")
    with pytest.raises(CommandError, match="--date must be YYYY-MM-DD"):
        call_command(name, "--date", "01/03/2026", stdout=StringIO())
