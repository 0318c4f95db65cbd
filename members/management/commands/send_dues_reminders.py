from django.conf import settings

from members import services
from portal.daily import DailyCommand, Step


class Command(DailyCommand):
    help = "E-mail dues reminders (before the due date and in the grace period); run daily from cron. Safe to repeat."
    run_name = "Dues reminders"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--dry-run", action="store_true", help="List who would be reminded; send nothing.")

    def steps(self, on):
        return [Step("Reminders before the due date and in the grace period", self.remind, "reminders sent", "sent")]

    def remind(self, on) -> int:
        due = list(services.reminders_due(on, settings.DUES_REMINDER_OFFSETS))
        self.stdout.write(f"    {len(due)} reminder(s) due on {on:%Y-%m-%d}.")
        sent = 0
        for number, (invoice, offset) in enumerate(due, start=1):
            if self.options["dry_run"]:
                self.stdout.write(
                    f"    would remind {invoice.member.number} about {invoice.period.title} ({offset:+d} days)"
                )
                continue
            sent += services.send_dues_reminder(invoice, offset)
            if number % 100 == 0 or number == len(due):
                self.stdout.write(f"    {number}/{len(due)} processed, {sent} sent")
        return sent
