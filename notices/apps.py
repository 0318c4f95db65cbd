from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Records that dues notices show (the amounts of the year and the names of the membership types):
# a change to one empties the page cache, as a published page does.
DUES_RECORDS = {"members.duesperiod", "members.duesrate", "members.membershiptype"}


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("通知与资讯")

    def ready(self):
        from portal.signals import PUBLIC_RECORDS

        PUBLIC_RECORDS.update(DUES_RECORDS)
