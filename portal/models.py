"""The models every app shares: the image and document libraries, the association's contact details
(one per site, edited under Settings) and numbered series (member numbers, aid case numbers …)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.images.models import AbstractImage, AbstractRendition, Image

from portal.search.index import with_segmented_title


class CustomImage(AbstractImage):
    """Images whose titles are searchable in Chinese in the admin."""

    admin_form_fields = Image.admin_form_fields
    search_fields = with_segmented_title(AbstractImage.search_fields)

    class Meta(AbstractImage.Meta):
        verbose_name = _("图片")
        verbose_name_plural = _("图片")


class Rendition(AbstractRendition):
    image = models.ForeignKey(CustomImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class CustomDocument(AbstractDocument):
    """Documents (attachments) whose titles are searchable in Chinese in the admin."""

    admin_form_fields = Document.admin_form_fields
    search_fields = with_segmented_title(AbstractDocument.search_fields)

    class Meta(AbstractDocument.Meta):
        verbose_name = _("文件")
        verbose_name_plural = _("文件")


@register_setting(icon="site")
class ContactSettings(BaseSiteSetting):
    """The association's name, contact details, bank account, crisis lines and filings, edited once in the admin."""

    organisation_name = models.CharField(_("协会名称"), max_length=100, default="大连市心理咨询师协会")
    organisation_name_en = models.CharField(
        _("协会名称（英文）"), max_length=150, default="Dalian Psychological Counsellors Association"
    )
    description = models.CharField(
        _("网站简介"), max_length=200, blank=True, help_text=_("没有单独简介的页面，搜索引擎和分享卡片显示这段文字")
    )
    description_en = models.CharField(_("网站简介（英文）"), max_length=300, blank=True)
    share_image = models.ForeignKey(
        CustomImage,
        verbose_name=_("默认分享图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("页面没有自己的图片时，分享到微信等平台显示这张图片"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    address_en = models.CharField(_("地址（英文）"), max_length=250, blank=True)
    postcode = models.CharField(_("邮编"), max_length=10, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    wechat_account = models.CharField(_("微信公众号"), max_length=60, blank=True)
    wechat_qr = models.ForeignKey(
        CustomImage,
        verbose_name=_("公众号二维码"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bank_account_name = models.CharField(_("开户名称"), max_length=100, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("银行账号"), max_length=40, blank=True)
    hotline_name = models.CharField(_("援助热线名称"), max_length=40, blank=True, default="心理援助热线")
    hotline_number = models.CharField(_("援助热线号码"), max_length=40, blank=True, default="12356")
    hotline_hours = models.CharField(_("热线服务时间"), max_length=60, blank=True, default="24小时")
    emergency_numbers = models.CharField(_("紧急电话"), max_length=40, blank=True, default="110/120")
    receipt_handler = models.CharField(
        _("经办人"), max_length=40, blank=True, help_text=_("印在收据和证明上的经办人姓名")
    )
    seal = models.ForeignKey(
        CustomImage,
        verbose_name=_("协会印章"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("印在收据和证明上的印章图片（透明背景的PNG）"),
    )
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True, help_text=_("例如：辽ICP备12345678号-1"))
    public_security_number = models.CharField(
        _("公安备案号"), max_length=60, blank=True, help_text=_("例如：辽公网安备21020202000123号")
    )

    # Wagtail's for_site() loads these images with the settings, in the same query (the chrome shows
    # the QR code and the share image on every page; receipts and certificates print the seal).
    select_related = ["share_image", "wechat_qr", "seal"]

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("organisation_name_en"),
                FieldPanel("description"),
                FieldPanel("description_en"),
                FieldPanel("share_image"),
            ],
            heading=_("名称和简介"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("address_en"),
                FieldPanel("postcode"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("wechat_account"),
                FieldPanel("wechat_qr"),
            ],
            heading=_("联系方式"),
        ),
        MultiFieldPanel(
            [FieldPanel("bank_account_name"), FieldPanel("bank_name"), FieldPanel("bank_account_number")],
            heading=_("对公账户"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hotline_name"),
                FieldPanel("hotline_number"),
                FieldPanel("hotline_hours"),
                FieldPanel("emergency_numbers"),
            ],
            heading=_("心理援助热线"),
        ),
        MultiFieldPanel([FieldPanel("receipt_handler"), FieldPanel("seal")], heading=_("收据和证明")),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("public_security_number")], heading=_("备案信息")),
    ]

    class Meta:
        verbose_name = _("联系信息")


class NumberSequenceManager(models.Manager["NumberSequence"]):
    def take(self, key: str) -> int:
        """The next number of series `key`, never given out twice (the caller's transaction holds the
        row's lock until it commits)."""
        sequence, _ = self.select_for_update().get_or_create(key=key)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        return sequence.last

    def continue_after(self, key: str, number: int) -> None:
        """Let series `key` go on after `number` (given out elsewhere, e.g. imported), if it has not yet."""
        sequence, _ = self.select_for_update().get_or_create(key=key)
        if sequence.last < number:
            sequence.last = number
            sequence.save(update_fields=["last"])


class NumberSequence(models.Model):
    """The last number given out in a series (member numbers of 2026, receipts of 2026 …): numbers
    are never reused, because the row is locked while one is taken and only ever counts up."""

    key = models.CharField(max_length=40, primary_key=True)
    last = models.PositiveIntegerField(default=0)

    objects = NumberSequenceManager()

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"
