from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    TEXT = "text", _("单行文字")
    TEXTAREA = "textarea", _("多行文字")
    CHOICE = "choice", _("单项选择")
    YES_NO = "yes-no", _("是/否")


class Qualification(models.TextChoices):
    """Who may sign up for an activity."""

    OPEN = "open", _("不限")
    MEMBER = "member", _("本会会员（会籍有效）")
    EXPERT = "expert", _("专家库在库专家")
    TEAM = "team", _("指定志愿者团队成员")


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补中")
    CANCELLED = "cancelled", _("已取消")


class HoursStatus(models.TextChoices):
    """Where a volunteer's hours for an activity stand."""

    NONE = "none", _("未填报")
    REPORTED = "reported", _("待确认")
    APPROVED = "approved", _("已确认")
    ABSENT = "absent", _("未出席")
