import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Locale

from demo.files import logo_png, pdf_document
from home.models import ContactPage, CounsellingCentrePage, Partner, StandardPage
from portal.models import CustomDocument, CustomImage


class ImageFactory(wagtail_factories.ImageFactory):
    class Meta:
        model = CustomImage

    title = factory.Sequence(lambda n: f"图片 {n}")
    file = factory.LazyAttribute(lambda o: ContentFile(logo_png("DL", "#0b4f8a"), name="image.png"))


class DocumentFactory(wagtail_factories.DocumentFactory):
    class Meta:
        model = CustomDocument

    title = factory.Sequence(lambda n: f"附件 {n}")
    file = factory.LazyAttribute(lambda o: ContentFile(pdf_document(o.title, ["附件正文。"]), name="attachment.pdf"))


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"关于我们 {n}")
    intro = "协会简介。"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"合作单位 {n}")
    logo = factory.SubFactory(ImageFactory)
    url = "https://partner.example.org/"
    locale = factory.LazyFunction(Locale.get_default)


class ContactPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContactPage

    title = "联系我们"
    slug = "contact"
    intro = "欢迎与协会秘书处联系。"


class CounsellingCentrePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CounsellingCentrePage

    title = "协会附属心理咨询中心"
    slug = "counselling-centre"
    intro = "为社会公众提供专业的心理咨询服务。"
    address = "大连市中山区民康街15号报业大厦23层"
    hours = "周一至周五 9:00—17:00"
    fees = "个体咨询：每次50分钟，300元"
    phone = "0411-39768800"
