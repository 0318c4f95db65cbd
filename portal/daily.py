"""The shape every daily run shares (reminders, expiry, retention): a management command that cron or
the task worker runs once a day (`portal.tasks`), with `--date` to catch up a missed day, numbered
steps that each say what they did, and a summary. Each step does only what is still due, so running
a day twice does nothing new."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date


@dataclass(frozen=True)
class Step:
    title: str  # what the step does: "Notices of terms ending soon"
    run: Callable[[datetime.date], int]  # does it for the day; how many it did
    counted: str  # what that number counts: "assignments notified"
    done: str = ""  # the same, short, for the summary: "notified" (`counted` if not given)


class DailyCommand(BaseCommand):
    """Subclasses name the run and list its steps; `summary()` may say the outcome their own way."""

    run_name = "Daily run"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD), today by default.")

    def steps(self, on: datetime.date) -> list[Step]:
        raise ImproperlyConfigured(f"{type(self).__name__} lists no steps (steps())")

    def summary(self, on: datetime.date, counts: list[int], steps: list[Step]) -> str:
        done = (f"{count} {step.done or step.counted}" for count, step in zip(counts, steps, strict=True))
        return f"Done: {', '.join(done)}."

    def handle(self, *args, **options):
        self.options = options
        on = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if on is None:
            raise CommandError("--date must be YYYY-MM-DD")
        self.stdout.write(f"{self.run_name} for {on:%Y-%m-%d}.")
        steps = self.steps(on)
        counts = []
        for number, step in enumerate(steps, start=1):
            self.stdout.write(f"{number}/{len(steps)} {step.title}…")
            counts.append(step.run(on))
            self.stdout.write(f"    {step.counted}: {counts[-1]}.")
        self.stdout.write(self.style.SUCCESS(self.summary(on, counts, steps)))
