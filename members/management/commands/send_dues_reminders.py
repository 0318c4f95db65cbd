from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from members import services


class Command(BaseCommand):
    help = "E-mail dues reminders (before the due date and in the grace period); run daily from cron. Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to remind for (YYYY-MM-DD), today by default.")
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")

    def handle(self, *args, **options):
        on = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if on is None:
            raise CommandError("--date must be YYYY-MM-DD")
        due = list(services.reminders_due(on, settings.DUES_REMINDER_OFFSETS))
        self.stdout.write(f"{len(due)} reminder(s) due on {on:%Y-%m-%d}.")
        sent = 0
        for number, (invoice, offset) in enumerate(due, start=1):
            if options["dry_run"]:
                self.stdout.write(
                    f"  would remind {invoice.member.number} about {invoice.period.title} ({offset:+d} days)"
                )
                continue
            sent += services.send_dues_reminder(invoice, offset)
            if number % 100 == 0 or number == len(due):
                self.stdout.write(f"  {number}/{len(due)} processed, {sent} sent")
        self.stdout.write(self.style.SUCCESS(f"Done: {sent} sent."))
