from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "experts"
    verbose_name = _("专家库")

    def ready(self):
        from . import privacy, signals  # noqa: F401

        privacy.register()  # the expert records in a person's export and account closure
