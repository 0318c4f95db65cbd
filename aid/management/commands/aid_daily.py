from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date

from aid import services


class Command(BaseCommand):
    help = (
        "The aid programmes' daily run (from cron): e-mail counsellors and beneficiaries before an assignment "
        "ends, end the assignments whose term is over and close their cases, and purge the personal data of "
        "cases closed longer ago than AID_RETENTION_DAYS. Safe to repeat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD), today by default.")

    def handle(self, *args, **options):
        on = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if on is None:
            raise CommandError("--date must be YYYY-MM-DD")
        self.stdout.write(f"Aid daily run for {on:%Y-%m-%d}.")
        self.stdout.write("1/3 Notices of terms ending soon…")
        notices = services.send_end_notices(on)
        self.stdout.write(f"    assignments notified: {notices}.")
        self.stdout.write("2/3 Terms that are over…")
        ended = services.end_expired(on)
        self.stdout.write(f"    assignments ended and cases closed: {ended}.")
        self.stdout.write("3/3 Personal data past the retention period…")
        purged = services.purge_expired(on)
        self.stdout.write(f"    cases purged: {purged}.")
        self.stdout.write(self.style.SUCCESS(f"Done: {notices} notified, {ended} ended, {purged} purged."))
