"""Background jobs: the daily commands apps register (reminders, expiry, retention), enqueued
together by `manage.py enqueue_daily_jobs` from one cron line and run by the task worker."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django_tasks import task

# Management commands that run once a day, in the order they were registered (AppConfig.ready()).
DAILY_COMMANDS: list[str] = []


def add_daily_command(name: str) -> None:
    if name not in DAILY_COMMANDS:
        DAILY_COMMANDS.append(name)


@task()
def run_command(name: str) -> str:
    """Run one management command; what it printed is kept as the task's result."""
    out = StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def enqueue_daily_jobs() -> list[str]:
    """Queue every daily command; the ids of the queued tasks."""
    return [run_command.enqueue(name).id for name in DAILY_COMMANDS]
