from django.db import models
from django.utils.translation import gettext_lazy as _


class District(models.TextChoices):
    """Dalian's districts, county-level cities and county."""

    ZHONGSHAN = "zhongshan", _("中山区")
    XIGANG = "xigang", _("西岗区")
    SHAHEKOU = "shahekou", _("沙河口区")
    GANJINGZI = "ganjingzi", _("甘井子区")
    LUSHUNKOU = "lushunkou", _("旅顺口区")
    JINZHOU = "jinzhou", _("金州区")
    PULANDIAN = "pulandian", _("普兰店区")
    WAFANGDIAN = "wafangdian", _("瓦房店市")
    ZHUANGHE = "zhuanghe", _("庄河市")
    CHANGHAI = "changhai", _("长海县")


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
