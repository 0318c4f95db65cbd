from django.db import models
from django.utils.translation import gettext_lazy as _


class ExpertStatus(models.TextChoices):
    ADMITTED = "admitted", _("在库")
    WITHDRAWN = "withdrawn", _("已退出")
