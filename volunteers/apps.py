from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿服务")

    def ready(self):
        from portal.signals import show_publicly
        from portal.tasks import add_daily_command

        from . import privacy, signals  # noqa: F401 - coordinators get the section's pages

        privacy.register()  # the volunteer records in a person's export and account closure
        # Drives name their team; campaign pages list their activities. Sign-ups change the places
        # left often and in rushes: those pages are cached briefly instead (cache_briefly).
        show_publicly("volunteers.team", "volunteers.activity")
        add_daily_command("volunteer_daily")
