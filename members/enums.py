from django.db import models
from django.utils.translation import gettext_lazy as _


class Qualification(models.TextChoices):
    COUNSELLOR_2 = "counsellor-2", _("国家二级心理咨询师")
    COUNSELLOR_3 = "counsellor-3", _("国家三级心理咨询师")
    PSYCHOTHERAPIST = "psychotherapist", _("心理治疗师")
    SOCIAL_WORKER = "social-worker", _("社会工作师")
    PSYCHIATRIST = "psychiatrist", _("精神科医师")
    OTHER = "other", _("其他")


class MembershipKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人会员")
    INSTITUTIONAL = "institutional", _("团体会员")
    BRANCH = "branch", _("分支机构")
