from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员")

    def ready(self):
        from portal.pagecache import cache_query_parameters
        from portal.tasks import add_daily_command

        from . import privacy, signals  # noqa: F401 - the member directory's cache purges

        privacy.register()  # the account and membership records in a person's export and account closure
        cache_query_parameters("member_directory", "district", "page")
        add_daily_command("send_dues_reminders")
