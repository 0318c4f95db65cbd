from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("会员")

    def ready(self):
        from . import privacy

        privacy.register()  # the account and membership records in a person's export and account closure
