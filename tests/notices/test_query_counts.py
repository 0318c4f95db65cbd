"""Every public listing renders 50 articles in no more SQL queries than it renders 5."""

import itertools
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notices.models import (
    ArticleAttachment,
    InterpretationDocumentLink,
    NewsArticlePage,
    NoticePage,
    PolicyDocumentPage,
    PolicyInterpretationPage,
)
from tests.home.factories import DocumentFactory, ImageFactory
from tests.notices.factories import (
    AudienceFactory,
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    NewsSectionPageFactory,
    NoticeCategoryFactory,
    NoticeIndexPageFactory,
    NoticePageFactory,
    PolicyDocumentPageFactory,
    PolicyIndexPageFactory,
    PolicyInterpretationPageFactory,
    ScienceArticlePageFactory,
    ScienceIndexPageFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_WORD = "蝴蝶谷"
# With 5 articles every page type is there once: document, notice, news, science, interpretation.
ALL_KINDS = ("policy", "notice", "news", "science")


class Content:
    """The four sections of a home page, filled with articles that have everything a listing may show."""

    def __init__(self, home):
        self.home = home
        self.notices = NoticeIndexPageFactory(parent=home)
        self.news = NewsIndexPageFactory(parent=home)
        self.sections = [NewsSectionPageFactory(parent=self.news, title=title) for title in ("国内资讯", "协会动态")]
        self.policies = PolicyIndexPageFactory(parent=home)
        self.science = ScienceIndexPageFactory(parent=home)
        self.categories = [NoticeCategoryFactory(), NoticeCategoryFactory()]
        self.audiences = [AudienceFactory(slug="children"), AudienceFactory(), AudienceFactory()]
        self.numbers = itertools.count(1)

    def article_fields(self) -> dict:
        number = next(self.numbers)
        return {"title": f"{SEARCH_WORD}研学第{number}期", "slug": f"article-{number}", "listing_image": ImageFactory()}

    def decorate(self, page, *, attachment: bool = False):
        page.tags.add("心理健康", f"标签{page.slug}")
        page.save()
        if attachment:
            ArticleAttachment.objects.create(page=page, document=DocumentFactory())
        return page

    def add(self, count: int, kinds=ALL_KINDS):
        """`count` more articles, taking the kinds in turn."""
        for kind in itertools.islice(itertools.cycle(kinds), count):
            getattr(self, f"add_{kind}")()

    def add_notice(self):
        number = NoticePage.objects.count()
        notice = NoticePageFactory(
            parent=self.notices,
            category=self.categories[number % 2],
            pinned=number % 7 == 0,
            document_number=f"大心协发〔2024〕{number}号",
            **self.article_fields(),
        )
        self.decorate(notice, attachment=True)

    def add_news(self):
        section = self.sections[NewsArticlePage.objects.count() % 2]
        self.decorate(NewsArticlePageFactory(parent=section, **self.article_fields()))

    def add_policy(self):
        """Policy documents and interpretations of the latest document, in turn."""
        document = PolicyDocumentPage.objects.order_by("-pk").first()
        if document is None or PolicyInterpretationPage.objects.count() >= PolicyDocumentPage.objects.count():
            self.decorate(PolicyDocumentPageFactory(parent=self.policies, **self.article_fields()), attachment=True)
        else:
            interpretation = PolicyInterpretationPageFactory(parent=self.policies, **self.article_fields())
            InterpretationDocumentLink.objects.create(page=interpretation, document=document)
            self.decorate(interpretation)

    def add_science(self):
        article = ScienceArticlePageFactory(parent=self.science, **self.article_fields())
        article.audiences.set([self.audiences[0], self.audiences[1 + article.pk % 2]])
        self.decorate(article)


# Each listing: the kinds of articles it shows and where it is.
LISTINGS = {
    "home": (ALL_KINDS, lambda content: "/"),
    "notice_index": (("notice",), lambda content: content.notices.url),
    "news_index": (("news",), lambda content: content.news.url),
    "news_section": (("news",), lambda content: content.sections[0].url),
    "policy_index": (("policy",), lambda content: content.policies.url),
    "science_index": (("science",), lambda content: content.science.url),
    "science_index_by_audience": (("science",), lambda content: content.science.url + "?audience=children"),
    "notice_feed": (("notice",), lambda content: content.notices.url + "feed/"),
    "news_feed": (("news",), lambda content: content.news.url + "feed/"),
    "news_section_feed": (("news",), lambda content: content.sections[0].url + "feed/"),
    "policy_feed": (("policy",), lambda content: content.policies.url + "feed/"),
    "science_feed": (("science",), lambda content: content.science.url + "feed/"),
    "search": (ALL_KINDS, lambda content: f"/search/?q={SEARCH_WORD}"),
    "sitemap": (ALL_KINDS, lambda content: "/sitemap-pages.xml"),
}


def render(client, url: str) -> set[str]:
    """The articles a fresh (not page-cached) rendering links to."""
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return set(re.findall(r"/(article-\d+)/", response.content.decode()))


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_queries_do_not_grow_with_the_number_of_articles(client, home_page, django_assert_max_num_queries, listing):
    kinds, url_of = LISTINGS[listing]
    content = Content(home_page)
    content.add(5, kinds)
    url = url_of(content)
    render(client, url)  # fills the per-process caches (content types and the like) once

    with CaptureQueriesContext(connection) as few_queries:
        few = render(client, url)
    content.add(45, kinds)
    with django_assert_max_num_queries(len(few_queries.captured_queries)):
        many = render(client, url)

    assert few  # control: both renderings list articles, the second one more of them
    assert len(many) > len(few)
