"""Where people live and work: Dalian's districts, county-level cities and county, one list for
members, experts, volunteers and aid."""

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
