from django.apps import AppConfig


class LocalizationConfig(AppConfig):
    name = "portal.localization"
    label = "portal_localization"
    verbose_name = "Localization"
