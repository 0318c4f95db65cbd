"""The blocks of the 入会指南 (join guide): the shared blocks plus who may join, fees, steps, documents and an FAQ."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from portal.blocks import BaseStreamBlock


class JoinKindBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("会员类别"), max_length=50)
    text = blocks.TextBlock(label=_("谁可以申请"))

    class Meta:
        icon = "user"
        label = _("会员类别")


class JoinKindsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=100)
    kinds = blocks.ListBlock(JoinKindBlock(), label=_("会员类别"))

    class Meta:
        icon = "group"
        label = _("谁可以入会")
        template = "blocks/join_kinds_block.html"


class JoinFeesBlock(blocks.StructBlock):
    """The fee table comes from the current dues year's rates, so an amount is never typed twice."""

    heading = blocks.CharBlock(label=_("标题"), max_length=100)
    note = blocks.TextBlock(label=_("说明"), required=False, help_text=_("金额取自当前会费年度的会费标准，无需填写"))

    class Meta:
        icon = "table"
        label = _("会费标准")
        template = "blocks/join_fees_block.html"


class JoinStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("步骤"), max_length=100)
    text = blocks.TextBlock(label=_("说明"))
    duration = blocks.CharBlock(label=_("所需时间"), max_length=60, required=False)

    class Meta:
        icon = "list-ol"
        label = _("步骤")


class JoinStepsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=100)
    steps = blocks.ListBlock(JoinStepBlock(), label=_("步骤"))

    class Meta:
        icon = "list-ol"
        label = _("申请步骤")
        template = "blocks/join_steps_block.html"


class ChecklistBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=100)
    items = blocks.ListBlock(blocks.CharBlock(label=_("项目"), max_length=200), label=_("清单"))

    class Meta:
        icon = "tasks"
        label = _("材料清单")
        template = "blocks/checklist_block.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("问题"), max_length=200)
    answer = blocks.RichTextBlock(label=_("回答"), features=["bold", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("问答")


class FaqBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=100)
    questions = blocks.ListBlock(QuestionBlock(), label=_("问答"))

    class Meta:
        icon = "help"
        label = _("常见问题")
        template = "blocks/faq_block.html"


class JoinGuideStreamBlock(BaseStreamBlock):
    """The sections of the 入会指南: the shared blocks plus who may join, fees, steps, documents and an FAQ."""

    join_kinds = JoinKindsBlock()
    join_fees = JoinFeesBlock()
    join_steps = JoinStepsBlock()
    checklist = ChecklistBlock()
    faq = FaqBlock()
