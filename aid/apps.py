from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("援助项目")

    def ready(self):
        from . import checks, signals  # noqa: F401 - the encryption key check; coordinators get the section's pages
