from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from . import frontend_cache, signals, twofactor  # noqa: F401 - cache purges (ours and the proxy's); the second factor's signals and key check
