from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a submission stands. Each domain allows the subset of moves it needs (see Submission.TRANSITIONS)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待审核")
    # A screening step between submission and decision (recruitment: 初选通过, invited to interview).
    SHORTLISTED = "shortlisted", _("初选通过")
    RETURNED = "returned", _("退回修改")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    # After approval, where a decision is announced publicly before it takes effect.
    NOTICE = "notice", _("公示中")
    ACCEPTED = "accepted", _("已入选")


class NoticeStatus(models.TextChoices):
    """A round of decisions announced together (an expert batch, an awards list)."""

    OPEN = "open", _("筹备中")
    NOTICE = "notice", _("公示中")
    CLOSED = "closed", _("已结束")


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")
