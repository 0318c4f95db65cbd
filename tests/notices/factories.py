import datetime
import json

import factory
import wagtail_factories
from wagtail.models import Locale

from notices.models import (
    Audience,
    NewsArticlePage,
    NewsIndexPage,
    NewsSectionPage,
    NoticeCategory,
    NoticeIndexPage,
    NoticePage,
    PolicyDocumentPage,
    PolicyIndexPage,
    PolicyInterpretationPage,
    ScienceArticlePage,
    ScienceIndexPage,
)


def body(*paragraphs: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs], ensure_ascii=False)


def default_locale():
    return Locale.get_default()


class NoticeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeCategory

    name = factory.Sequence(lambda n: f"分类{n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    locale = factory.LazyFunction(default_locale)


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience

    name = factory.Sequence(lambda n: f"读者{n}")
    slug = factory.Sequence(lambda n: f"audience-{n}")
    locale = factory.LazyFunction(default_locale)


class NoticeIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NoticeIndexPage

    title = "通知公告"
    slug = "notices"
    intro = "协会发布的通知。"


class ArticleFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"关于开展第{n}次活动的通知")
    date = factory.Sequence(lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n))
    author = "协会秘书处"
    source = "大连市心理咨询师协会"
    summary = factory.LazyAttribute(lambda o: f"{o.title}的摘要。")
    body = factory.LazyAttribute(lambda o: body(f"{o.title}的正文。"))


class NoticePageFactory(ArticleFactory):
    class Meta:
        model = NoticePage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "行业资讯"
    slug = "news"


class NewsSectionPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsSectionPage

    title = "国内资讯"
    slug = factory.Sequence(lambda n: f"section-{n}")


class NewsArticlePageFactory(ArticleFactory):
    class Meta:
        model = NewsArticlePage

    title = factory.Sequence(lambda n: f"行业新闻{n}")


class PolicyIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = PolicyIndexPage

    title = "政策解读"
    slug = "policies"


class PolicyDocumentPageFactory(ArticleFactory):
    class Meta:
        model = PolicyDocumentPage

    title = factory.Sequence(lambda n: f"关于印发心理服务方案的通知{n}")
    issuing_body = "国务院应对新型冠状病毒肺炎疫情联防联控机制"
    document_number = factory.Sequence(lambda n: f"联防联控机制发〔2020〕{n}号")
    issue_date = datetime.date(2020, 4, 7)


class PolicyInterpretationPageFactory(ArticleFactory):
    class Meta:
        model = PolicyInterpretationPage

    title = factory.Sequence(lambda n: f"解读：心理服务方案{n}")


class ScienceIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ScienceIndexPage

    title = "科普"
    slug = "science"


class ScienceArticlePageFactory(ArticleFactory):
    class Meta:
        model = ScienceArticlePage

    title = factory.Sequence(lambda n: f"心理健康小知识{n}")
