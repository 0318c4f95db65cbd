from django.core.management.base import BaseCommand

from portal.tasks import DAILY_COMMANDS, enqueue_daily_jobs


class Command(BaseCommand):
    help = (
        "Queue the daily jobs (dues reminders, expert expiry, volunteer reminders, aid retention) for the task worker."
    )

    def handle(self, *args, **options):
        ids = enqueue_daily_jobs()
        for name, task_id in zip(DAILY_COMMANDS, ids, strict=True):
            self.stdout.write(f"{name}: {task_id}")
