from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AidConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "aid"
    verbose_name = _("援助项目")
