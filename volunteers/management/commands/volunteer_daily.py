import datetime

from django.db.models import Count, Q
from django.utils import timezone

from portal.daily import DailyCommand, Step
from volunteers import services
from volunteers.enums import SignUpStatus
from volunteers.models import Activity


class Command(DailyCommand):
    help = (
        "The volunteer service's daily run: e-mail everyone confirmed for an activity tomorrow a reminder. "
        "Each person is reminded once, so running it twice sends nothing new. "
        "Cron line: 50 9 * * *   cd /srv/portal && .venv/bin/python manage.py volunteer_daily"
    )
    run_name = "Volunteer service daily run"

    def steps(self, on):
        return [Step("Reminders of tomorrow's activities", self.remind, "reminder(s) sent")]

    def remind(self, today: datetime.date) -> int:
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
        self.stdout.write(f"    Activities on {tomorrow:%Y-%m-%d}: {len(activities)}.")
        for activity in activities:
            self.stdout.write(
                f"      {timezone.localtime(activity.starts_at):%H:%M} {activity.title}: {activity.due} to remind"
            )
        return services.send_reminders(today)

    def summary(self, on, counts, steps):
        return f"Done: {counts[0]} reminder(s) sent for {on + datetime.timedelta(days=1):%Y-%m-%d}."
