from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    name = "aid"
    verbose_name = _("援助项目")

    def ready(self):
        from . import checks  # noqa: F401 - registers the encryption key check
