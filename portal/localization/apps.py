from django.apps import AppConfig


class LocalizationConfig(AppConfig):
    name = "portal.localization"
    label = "portal_localization"
    verbose_name = "Localization"

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
