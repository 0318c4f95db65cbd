from django.db import models
from django.utils.translation import gettext_lazy as _


class CallKind(models.TextChoices):
    """What a call collects; the kind decides what happens after the deadline (review, or none)."""

    NOMINATION = "nomination", _("评选表彰")
    EVALUATION = "evaluation", _("考评")
    PROJECT = "project", _("项目申报")
    REPORT = "report", _("材料报送")
    SURVEY = "survey", _("问卷调查")
    DIRECTORY = "directory", _("名录征集")


class Eligibility(models.TextChoices):
    """Who may submit to a call. Organisations submit as the organisation: one submission each,
    which any of its named contacts may fill in."""

    SIGNED_IN = "signed_in", _("所有注册用户")
    MEMBERS = "members", _("会籍正常的会员")
    ORGANISATIONS = "organisations", _("团体会员和分支机构")
    BRANCHES = "branches", _("分支机构")
    EXPERTS = "experts", _("入库专家")


class FieldType(models.TextChoices):
    SHORT_TEXT = "short_text", _("单行文字")
    LONG_TEXT = "long_text", _("多行文字")
    NUMBER = "number", _("数字")
    DATE = "date", _("日期")
    CHOICE = "choice", _("单选")
    MULTIPLE_CHOICE = "multiple_choice", _("多选")
    YES_NO = "yes_no", _("是/否")
    FILE = "file", _("文件")
    TABLE = "table", _("表格（可逐行添加）")


class CallState(models.TextChoices):
    UPCOMING = "upcoming", _("尚未开始")
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


class Consent(models.TextChoices):
    """Whether the person nominated agreed to be put forward (and published if selected)."""

    PENDING = "pending", _("待被推荐人确认")
    GIVEN = "given", _("被推荐人已同意")
    DECLINED = "declined", _("被推荐人不同意")


class ProfileField(models.TextChoices):
    """What a field of a directory call (名录征集) fills in on the institution's public profile: its
    name, its district and its services are what the directory searches and filters by; every
    other field marked 公示时公开 is shown on the profile as answered."""

    NAME = "name", _("机构名称")
    DISTRICT = "district", _("所在区市县")
    SERVICES = "services", _("服务项目")
