from aid import services
from portal.daily import DailyCommand, Step


class Command(DailyCommand):
    help = (
        "The aid programmes' daily run (from cron): e-mail counsellors and beneficiaries before an assignment "
        "ends, end the assignments whose term is over and close their cases, and purge the personal data of "
        "cases closed longer ago than AID_RETENTION_DAYS. Safe to repeat."
    )
    run_name = "Aid daily run"

    def steps(self, on):
        return [
            Step("Notices of terms ending soon", services.send_end_notices, "assignments notified", "notified"),
            Step("Terms that are over", services.end_expired, "assignments ended and cases closed", "ended"),
            Step("Personal data past the retention period", services.purge_expired, "cases purged", "purged"),
        ]
