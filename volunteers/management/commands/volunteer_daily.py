import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateparse import parse_date

from volunteers import services
from volunteers.enums import SignUpStatus
from volunteers.models import Activity


class Command(BaseCommand):
    help = (
        "The volunteer service's daily run: e-mail everyone confirmed for an activity tomorrow a reminder. "
        "Each person is reminded once, so running it twice sends nothing new. "
        "Cron line: 50 9 * * *   cd /srv/portal && .venv/bin/python manage.py volunteer_daily"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD), today by default.")

    def handle(self, *args, **options):
        today = parse_date(options["date"]) if options["date"] else timezone.localdate()
        if today is None:
            raise CommandError("--date must be YYYY-MM-DD")
        tomorrow = today + datetime.timedelta(days=1)
        activities = (
            Activity.objects.on_day(tomorrow)
            .annotate(
                due=Count(
                    "signups",
                    filter=Q(signups__status=SignUpStatus.CONFIRMED, signups__reminded_at__isnull=True),
                )
            )
            .order_by("starts_at", "pk")
        )
        self.stdout.write(f"Activities on {tomorrow:%Y-%m-%d}: {len(activities)}.")
        for activity in activities:
            self.stdout.write(
                f"  {timezone.localtime(activity.starts_at):%H:%M} {activity.title}: {activity.due} to remind"
            )
        sent = services.send_reminders(today)
        self.stdout.write(self.style.SUCCESS(f"Done: {sent} reminder(s) sent for {tomorrow:%Y-%m-%d}."))
