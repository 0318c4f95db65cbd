from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Records the join guide shows besides its page (the current dues year's rates and the membership types):
# a change to one empties the page cache, as a published page does.
JOIN_GUIDE_RECORDS = {"members.duesperiod", "members.duesrate", "members.membershiptype"}


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("网站")

    def ready(self):
        from portal.signals import PUBLIC_RECORDS

        PUBLIC_RECORDS.update(JOIN_GUIDE_RECORDS)
