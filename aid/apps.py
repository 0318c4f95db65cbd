from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("援助项目")

    def ready(self):
        from django.db.models import Q

        from portal.tasks import add_daily_command
        from portal.twofactor import register_confidential_role

        from . import checks, signals  # noqa: F401 - the encryption key check; coordinators get the section's pages

        # A counsellor reads the cases of their caseload: two-factor in every session, as for staff.
        register_confidential_role(Q(aid_counsellor__isnull=False))

        from . import privacy

        privacy.register()  # the person's own cases, read as 本人, in their export and account closure
        add_daily_command("aid_daily")
