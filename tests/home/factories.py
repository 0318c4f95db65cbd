import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Locale

from home.demo.files import logo_png, pdf_document
from home.models import CustomDocument, CustomImage, Partner, StandardPage


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
