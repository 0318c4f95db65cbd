from experts import services
from portal.daily import DailyCommand, Step


class Command(DailyCommand):
    help = (
        "The expert database's daily run (from cron): e-mail re-certification reminders before admissions end "
        "and take expired experts out of the search index. Safe to repeat."
    )
    run_name = "Expert database daily run"

    def steps(self, on):
        return [
            Step("Re-certification reminders", services.send_recertification_reminders, "reminders sent"),
            Step("Admissions that have ended", services.expire_admissions, "experts taken out of the index"),
        ]
