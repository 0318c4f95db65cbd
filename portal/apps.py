from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import signals, twofactor  # noqa: F401 - cache purges; the second factor's signals and key check
