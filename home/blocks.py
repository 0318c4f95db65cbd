"""The stream blocks every page body is built from."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("标题"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("级别"),
        choices=[("h2", _("二级标题")), ("h3", _("三级标题")), ("h4", _("四级标题"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("小标题")
        template = "blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False, max_length=250)
    attribution = blocks.CharBlock(label=_("来源"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("引文"))
    attribution = blocks.CharBlock(label=_("出处"), required=False, max_length=250)

    class Meta:
        icon = "openquote"
        label = _("引文")
        template = "blocks/quote_block.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("链接文字"), required=False, max_length=250)

    class Meta:
        icon = "doc-full"
        label = _("文件链接")
        template = "blocks/document_link_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("段落"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul", "hr"],
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock()
    table = TableBlock(label=_("表格"))
    quote = QuoteBlock()
    document = DocumentLinkBlock()


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
