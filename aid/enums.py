from django.db import models
from django.utils.translation import gettext_lazy as _


class Need(models.TextChoices):
    """What a beneficiary asks help with (need-based classification), and the counsellors'
    specialties (experts' vocabulary, by slug) that suit it."""

    STRESS = "stress", _("情绪与压力")
    TRAUMA = "trauma", _("创伤与应激反应")
    SLEEP = "sleep", _("睡眠问题")
    GRIEF = "grief", _("哀伤")
    FAMILY = "family", _("家庭与亲子关系")
    WORK = "work", _("工作与职业倦怠")
    OTHER = "other", _("其他")


NEED_SPECIALTIES: dict[str, tuple[str, ...]] = {
    Need.STRESS: ("crisis", "trauma", "workplace"),
    Need.TRAUMA: ("trauma", "crisis"),
    Need.SLEEP: ("trauma", "workplace"),
    Need.GRIEF: ("grief",),
    Need.FAMILY: ("family", "education", "youth"),
    Need.WORK: ("workplace",),
    Need.OTHER: (),
}


class Mode(models.TextChoices):
    PHONE = "phone", _("电话")
    VIDEO = "video", _("视频")
    IN_PERSON = "in-person", _("面谈")


class CaseStatus(models.TextChoices):
    WAITING = "waiting", _("待分配")
    ACTIVE = "active", _("援助中")
    CLOSED = "closed", _("已结案")


class CloseReason(models.TextChoices):
    COMPLETED = "completed", _("援助期满")
    DECLINED = "declined", _("本人不再需要")
    INELIGIBLE = "ineligible", _("不符合条件")
    REFERRED = "referred", _("已转介")


class AssignmentStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    ENDED = "ended", _("已期满")
    REPLACED = "replaced", _("已更换")
    CLOSED = "closed", _("已结案")


class Risk(models.TextChoices):
    SELF_HARM = "self-harm", _("自伤")
    SUICIDE = "suicide", _("自杀风险")
    HARM_OTHERS = "harm-others", _("伤害他人")
