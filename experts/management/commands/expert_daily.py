from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from experts import services


class Command(BaseCommand):
    help = (
        "The expert database's daily run (from cron): e-mail re-certification reminders before admissions end "
        "and take expired experts out of the search index. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD), today by default.")

    def handle(self, *args, **options):
        on = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if on is None:
            raise CommandError("--date must be YYYY-MM-DD")
        sent = services.send_recertification_reminders(on)
        self.stdout.write(f"Re-certification reminders sent: {sent}.")
        expired = services.expire_admissions(on)
        self.stdout.write(f"Expired admissions taken out of the index: {expired}.")
        self.stdout.write(self.style.SUCCESS("Done."))
