from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site `make run` loads: installed in development and in the tests, never in production."""

    name = "demo"
    verbose_name = "Demo content"
