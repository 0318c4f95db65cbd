"""Every public listing renders 50 articles of a kind in no more SQL queries than it renders one or two."""

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
# Taken in turn, the first 5 articles are one of each page type: document, notice, news, science,
# interpretation.
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

    def add(self, count: int):
        """`count` more articles, taking the kinds in turn."""
        for kind in itertools.islice(itertools.cycle(ALL_KINDS), count):
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


# Where each listing is.
LISTINGS = {
    "home": lambda content: "/",
    "notice_index": lambda content: content.notices.url,
    "news_index": lambda content: content.news.url,
    "news_section": lambda content: content.sections[0].url,
    "policy_index": lambda content: content.policies.url,
    "science_index": lambda content: content.science.url,
    "science_index_by_audience": lambda content: content.science.url + "?audience=children",
    "notice_feed": lambda content: content.notices.url + "feed/",
    "news_feed": lambda content: content.news.url + "feed/",
    "news_section_feed": lambda content: content.sections[0].url + "feed/",
    "policy_feed": lambda content: content.policies.url + "feed/",
    "science_feed": lambda content: content.science.url + "feed/",
    "search": lambda content: f"/search/?q={SEARCH_WORD}",
    "sitemap": lambda content: "/sitemap-pages.xml",
}


def render(client, url: str) -> set[str]:
    """The articles a fresh (not page-cached) rendering links to."""
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200, url
    return set(re.findall(r"/(article-\d+)/", response.content.decode()))


def test_queries_do_not_grow_with_the_number_of_articles(client, home_page, subtests):
    """Every listing is rendered with one or two articles of each kind and again with about 50; one set
    of articles serves all the listings."""
    content = Content(home_page)
    content.add(5)
    few = {}
    for listing, url_of in LISTINGS.items():
        render(client, url_of(content))  # fills the per-process caches (content types and the like) once
        with CaptureQueriesContext(connection) as queries:
            few[listing] = (render(client, url_of(content)), len(queries.captured_queries))

    content.add(195)
    for listing, url_of in LISTINGS.items():
        with subtests.test(listing):
            articles, allowed = few[listing]
            with CaptureQueriesContext(connection) as queries:
                many = render(client, url_of(content))

            assert len(queries.captured_queries) <= allowed, (
                f"{listing}: {len(queries.captured_queries)} queries for 200 articles, {allowed} for 5"
            )
            assert articles  # control: both renderings list articles, the second one more of them
            assert len(many) > len(articles)
