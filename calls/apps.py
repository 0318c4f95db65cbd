from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("征集评选")

    def ready(self):
        from portal import certificates
        from portal.signals import show_publicly

        from .certificates import lookup

        certificates.register(lookup)  # award certificates, checked on 证书查询
        # The objection button on the 公示 notice follows the announcement's notice period.
        show_publicly("calls.callannouncement")
