from django.apps import AppConfig


class VettingConfig(AppConfig):
    name = "portal.vetting"
    label = "vetting"
    verbose_name = "审核流程"
