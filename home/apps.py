from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Records the site shows besides its pages: the partners strip and the contact details on every page,
# and on the join guide the current dues year's rates and the membership types.
PUBLIC_RECORDS = (
    "home.partner",
    "portal.contactsettings",
    "members.duesperiod",
    "members.duesrate",
    "members.membershiptype",
)


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("网站")

    def ready(self):
        from portal.signals import show_publicly

        show_publicly(*PUBLIC_RECORDS)
