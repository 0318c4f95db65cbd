"""The association's contact details (site settings) and the pages of their own type built from pages.json:
contact and the counselling centre."""

from __future__ import annotations

from django.core.files.base import ContentFile
from wagtail.models import Page, Site

from demo import files
from home.models import ContactPage, CounsellingCentrePage, HomePage, StandardPage
from portal.localization.conversion import to_traditional
from portal.models import ContactSettings, CustomImage

from .building import PageBuilder, load

ADDRESS = "大连市中山区民康街15号报业大厦23-D室"
ADDRESS_EN = "Room 23-D, Newspaper Building, 15 Minkang Street, Zhongshan District, Dalian"
PHONE = "0411-39768800"
# Fictitious: the filings, the 公众号 address its QR code holds and the secretariat's mailbox of the demo.
FILINGS = {"icp_number": "辽ICP备00000000号-1", "public_security_number": "辽公网安备21020202000000号"}
WECHAT_QR_TEXT = "https://weixin.qq.com/r/demo-dalian-counsellors"
SECRETARIAT_EMAIL = "secretariat@example.org"
DESCRIPTION = (
    "大连市心理咨询师协会官方网站：通知公告、行业资讯、政策解读、心理健康科普，会员服务、专家库、志愿服务与心理援助。",
    "The Dalian Psychological Counsellors Association: notices, news, policies and mental-health explainers; "
    "membership, the expert database, volunteering and psychological aid.",
)
# Standard pages of pages.json that are pages of their own type ("type" in the data).
PAGE_TYPES = {"contact": ContactPage, "counselling_centre": CounsellingCentrePage}


class ContactPages(PageBuilder):
    def contact_settings(self):
        site = Site.objects.get(is_default_site=True)
        contact = ContactSettings.for_site(site)
        if not contact.address:
            contact.address, contact.address_en, contact.phone = ADDRESS, ADDRESS_EN, PHONE
            contact.wechat_account = "大连市心理咨询师"
            contact.save()
        if not contact.icp_number:
            contact.icp_number, contact.public_security_number = (
                FILINGS["icp_number"],
                FILINGS["public_security_number"],
            )
            contact.description, contact.description_en = DESCRIPTION
            contact.email = contact.email or SECRETARIAT_EMAIL
            contact.wechat_qr = CustomImage.objects.create(
                title="协会微信公众号二维码（演示）",
                file=ContentFile(files.qr_png(WECHAT_QR_TEXT), name="wechat-qr.png"),
            )
            contact.share_image = CustomImage.objects.create(
                title="网站分享图片", file=ContentFile(files.share_png("DPCA"), name="share.png")
            )
            contact.save()
        if not contact.bank_account_number:  # fictitious: members see where a dues transfer would go
            contact.bank_account_name, contact.bank_name = "大连市心理咨询师协会", "中国工商银行大连分行营业部（演示）"
            contact.bank_account_number = "0000 0000 0000 0000 000"
            contact.save()
        if contact.seal is None:  # receipts and certificates carry a seal and 经办人: a demo one, marked so
            contact.seal = CustomImage.objects.create(
                title="协会印章（演示专用）",
                file=ContentFile(files.seal_png(contact.organisation_name), name="seal-demo.png"),
            )
            contact.receipt_handler = contact.receipt_handler or "王秘书（演示）"
            contact.save()
        if site.hostname == "localhost" and site.port == 80:
            # `make run` serves the demo at http://127.0.0.1:8000/.
            site.hostname, site.port = "127.0.0.1", 8000
            site.save()

    def page_types(self, home: HomePage):
        """Standard pages of the data that are pages of their own type (contact, the counselling centre), in
        every language: made as standard pages like the others, then given their type and its fields."""
        for item in load("pages.json"):
            model = PAGE_TYPES.get(item.get("type", ""))
            source = self.child(home, item["slug"])
            if model is None or source is None:
                continue
            fields = item.get("fields", {})
            fields_en = item.get("fields_en", {})
            for locale, values in (
                (self.zh_hans, fields),
                (self.zh_hant, {name: to_traditional(value) for name, value in fields.items()}),
                (self.en, fields_en),
            ):
                page = self.translation_of(source, locale)
                if page is not None and not isinstance(page, model):
                    self.specialise(page, model, values)
        self.progress("  contact and counselling centre pages")

    def specialise(self, page: StandardPage, model: type[StandardPage], fields: dict) -> StandardPage:
        """Turn a standard page into a page of a subtype in place: same id, address, text and history."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Revision

        specific = model(standardpage_ptr_id=page.pk, **fields)
        for field in StandardPage._meta.concrete_fields:
            setattr(specific, field.attname, getattr(page, field.attname))
        specific.save_base(raw=True)  # the subtype's own row; the page's rows stay as they are
        content_type = ContentType.objects.get_for_model(model)
        Page.objects.filter(pk=page.pk).update(content_type=content_type)
        Revision.page_revisions.filter(object_id=str(page.pk)).update(content_type=content_type)
        try:
            from wagtail_localize.models import TranslationSource

            TranslationSource.objects.filter(object_id=page.translation_key).update(specific_content_type=content_type)
        except ImportError:
            pass
        specific = model.objects.get(pk=page.pk)
        specific.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return specific
