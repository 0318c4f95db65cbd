"""RSS 2.0 feeds of every listing, sitemap.xml in all three languages, robots.txt pointing at it."""

import datetime

import feedparser
import pytest
from defusedxml import ElementTree

from tests.conftest import translate_page
from tests.notices.factories import (
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

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
# Created in this order on purpose: neither creation order nor title order is date order.
DATES = [datetime.date(2021, 3, 1), datetime.date(2022, 7, 15), datetime.date(2020, 11, 30)]


def notices(home):
    index = NoticeIndexPageFactory(parent=home, title="通知公告")
    category = NoticeCategoryFactory(name="会费")
    return index, [NoticePageFactory(parent=index, date=date, category=category) for date in DATES]


def news(home):
    index = NewsIndexPageFactory(parent=home, title="行业资讯")
    sections = [NewsSectionPageFactory(parent=index, title=title) for title in ("国内资讯", "协会动态")]
    return index, [NewsArticlePageFactory(parent=sections[n % 2], date=date) for n, date in enumerate(DATES)]


def news_section(home):
    section = NewsSectionPageFactory(parent=NewsIndexPageFactory(parent=home), title="协会动态")
    return section, [NewsArticlePageFactory(parent=section, date=date) for date in DATES]


def policies(home):
    index = PolicyIndexPageFactory(parent=home, title="政策解读")
    document = PolicyDocumentPageFactory(parent=index, date=DATES[0])
    return index, [
        document,
        PolicyInterpretationPageFactory(parent=index, date=DATES[1]),
        PolicyDocumentPageFactory(parent=index, date=DATES[2]),
    ]


def science(home):
    index = ScienceIndexPageFactory(parent=home, title="心理科普")
    return index, [ScienceArticlePageFactory(parent=index, date=date) for date in DATES]


LISTINGS = {"notices": notices, "news": news, "news_section": news_section, "policies": policies, "science": science}


@pytest.mark.parametrize("listing", list(LISTINGS))
def test_feed_is_valid_rss_newest_first(client, home_page, listing):
    index, articles = LISTINGS[listing](home_page)

    response = client.get(index.url + "feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.title == index.title
    assert feed.feed.link == f"http://testserver{index.url}"
    newest_first = sorted(articles, key=lambda article: article.date, reverse=True)
    assert [entry.title for entry in feed.entries] == [article.title for article in newest_first]
    assert [entry.link for entry in feed.entries] == [f"http://testserver{article.url}" for article in newest_first]
    assert [datetime.date(*entry.published_parsed[:3]) for entry in feed.entries] == [a.date for a in newest_first]
    assert feed.entries[0].summary == newest_first[0].summary


def test_notice_feed_names_the_category(client, home_page):
    index, articles = notices(home_page)

    feed = feedparser.parse(client.get(index.url + "feed/").content)

    assert [tag.term for tag in feed.entries[0].tags] == ["会费"]
    assert feed.entries[0].author == "协会秘书处"


def test_notice_feed_is_in_date_order_even_with_pinned_notices(client, home_page):
    index, articles = notices(home_page)
    old_pinned = NoticePageFactory(parent=index, date=datetime.date(2019, 1, 1), pinned=True)

    feed = feedparser.parse(client.get(index.url + "feed/").content)

    dates = [datetime.date(*entry.published_parsed[:3]) for entry in feed.entries]
    assert old_pinned.title in [entry.title for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_sitemap_lists_pages_in_all_three_languages(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    notice = NoticePageFactory(parent=index, title="关于交纳会费的通知", slug="dues")
    pages = [home_page, index, notice]
    for language in ("zh-hant", "en"):
        translate_page(home_page, language)
        translate_page(index, language)
        pages.append(translate_page(notice, language, title=f"dues ({language})"))

    response = client.get("/sitemap-pages.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]
    assert len(locations) == len(set(locations))
    for page in pages:
        assert page.full_url in locations
    paths = {location.split("://", 1)[1].split("/", 1)[1] for location in locations}
    assert {"notices/dues/", "zh-hant/notices/dues/", "en/notices/dues/"} <= paths


def test_robots_txt_points_to_the_sitemap(client, home_page):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert client.get("/sitemap.xml").status_code == 200
