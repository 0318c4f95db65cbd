"""What the public listings show: hidden pages left out, pagination, year and type filters, ordering, related."""

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from tests.conftest import translate_page
from tests.home.factories import StandardPageFactory
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

EMPTY_LISTING = "这里暂时还没有内容，请稍后再来。"


def get_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def card_titles(html: str) -> list[str]:
    """The titles of the listing cards, in the order shown."""
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', html)


def home_notice_titles(html: str) -> list[str]:
    panel = html.split('id="notices-title"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li>\s*<a href="[^"]*">([^<]*)</a>', panel)


def related_titles(html: str) -> list[str]:
    aside = html.split('id="related-title"', 1)[1].split("</aside>", 1)[0]
    return re.findall(r'<a href="[^"]*">([^<]*)</a>', aside)


def prev_next(html: str) -> tuple[str | None, str | None]:
    previous = re.search(r'rel="prev">([^<]*)</a>', html)
    following = re.search(r'rel="next">([^<]*)</a>', html)
    return (previous and previous.group(1)), (following and following.group(1))


# (a) Pages the public must not see -------------------------------------------------------------

HIDDEN = "关于蝴蝶谷研学的内部通知"
VISIBLE = "关于蝴蝶谷研学的公开通知"
SEARCH_WORD = "蝴蝶谷"


def hide(page, kind: str) -> None:
    page = Page.objects.get(pk=page.pk).specific  # not a stale in-memory copy (translate_page returns one)
    if kind == "draft":
        page.unpublish()
    elif kind == "password_restricted":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="pw")
    elif kind == "login_restricted":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif kind == "expired":
        # Still live: the scheduled unpublishing has not run yet, but the page is gone for the public.
        Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))
        assert Page.objects.get(pk=page.pk).live
    else:
        raise AssertionError(kind)


def make_hidden_scene(kind: str, home):
    """(index, hidden page, visible control page) for one kind of page the public must not see."""
    if kind.endswith("_parent"):
        news = NewsIndexPageFactory(parent=home)
        closed = NewsSectionPageFactory(parent=news, title="理事会内参")
        open_section = NewsSectionPageFactory(parent=news, title="协会动态")
        hide(closed, kind.removesuffix("_parent"))
        hidden = NewsArticlePageFactory(parent=closed, title=HIDDEN)
        visible = NewsArticlePageFactory(parent=open_section, title=VISIBLE)
        return news, hidden, visible

    index = NoticeIndexPageFactory(parent=home)
    visible = NoticePageFactory(parent=index, title=VISIBLE, date=datetime.date(2024, 1, 1))
    # The hidden notice is the newest, so it would head every listing if it were shown.
    hidden = NoticePageFactory(parent=index, title=HIDDEN, date=datetime.date(2024, 6, 1))
    hide(hidden, kind)
    return index, hidden, visible


HIDDEN_KINDS = [
    "draft",
    "password_restricted",
    "login_restricted",
    "password_restricted_parent",
    "login_restricted_parent",
    "expired",
]
PLACES = {
    "index": lambda index: index.url,
    "home": lambda index: "/",
    "feed": lambda index: index.url + "feed/",
    "sitemap": lambda index: "/sitemap-pages.xml",
    "search": lambda index: f"/search/?q={SEARCH_WORD}",
}


@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_hidden_pages_never_listed(client, home_page, kind, place):
    index, hidden, visible = make_hidden_scene(kind, home_page)

    html = get_html(client, PLACES[place](index))

    if place == "sitemap":
        assert f"<loc>{visible.full_url}</loc>" in html
        assert f"<loc>{hidden.full_url}</loc>" not in html
    else:
        assert "公开通知" in html
        assert "内部通知" not in html


@pytest.mark.parametrize("kind", ["draft", "password_restricted", "expired"])
def test_hidden_news_section_is_not_offered_on_the_news_index(client, home_page, kind):
    news = NewsIndexPageFactory(parent=home_page)
    NewsSectionPageFactory(parent=news, title="协会动态")
    hide(NewsSectionPageFactory(parent=news, title="理事会内参"), kind)

    html = get_html(client, news.url)

    assert "协会动态" in html
    assert "理事会内参" not in html


@pytest.mark.parametrize("kind", ["draft", "password_restricted", "expired"])
def test_hidden_page_is_not_in_the_main_menu(client, home_page, kind):
    StandardPageFactory(parent=home_page, title="联系我们", slug="contact", show_in_menus=True)
    hide(StandardPageFactory(parent=home_page, title="换届选举专题", slug="election", show_in_menus=True), kind)

    html = get_html(client, "/")

    assert "联系我们" in html
    assert "换届选举专题" not in html


@pytest.mark.parametrize("kind", ["draft", "expired"])
def test_language_switcher_does_not_link_to_a_hidden_translation(client, home_page, kind):
    translate_page(home_page, "en")
    index = NoticeIndexPageFactory(parent=home_page)
    translate_page(index, "en")
    hidden_notice = NoticePageFactory(parent=index, title="理事会会议通知", slug="council")
    hide(translate_page(hidden_notice, "en", title="Council meeting"), kind)
    shown_notice = NoticePageFactory(parent=index, title="会费通知", slug="dues")
    translate_page(shown_notice, "en", title="Membership dues")

    def english_link(page) -> str:
        return re.search(r'<a href="([^"]*)" lang="en"', get_html(client, page.url)).group(1)

    assert english_link(shown_notice) == "/en/notices/dues/"
    assert english_link(hidden_notice) == "/en/notices/"  # the nearest page in that language instead


@pytest.mark.parametrize("kind", ["draft", "expired"])
def test_unpublished_or_expired_page_is_gone(client, home_page, kind):
    _index, hidden, visible = make_hidden_scene(kind, home_page)

    assert client.get(visible.url).status_code == 200
    assert client.get(hidden.url).status_code == 404


# (b) Pagination, year filter, empty state ------------------------------------------------------


@pytest.fixture
def notice_index(home_page):
    return NoticeIndexPageFactory(parent=home_page)


def make_notices(index, count: int, start=datetime.date(2020, 1, 1)):
    return [
        NoticePageFactory(parent=index, title=f"第{n + 1}号通知", date=start + datetime.timedelta(days=n))
        for n in range(count)
    ]


def test_twenty_notices_a_page(client, notice_index):
    make_notices(notice_index, 21)

    first = card_titles(get_html(client, notice_index.url))
    second_html = get_html(client, notice_index.url + "?page=2")

    assert first == [f"第{n}号通知" for n in range(21, 1, -1)]
    assert card_titles(second_html) == ["第1号通知"]
    assert "第 2 / 2 页，共 21 条" in second_html


def test_twenty_notices_fit_on_one_page(client, notice_index):
    make_notices(notice_index, 20)

    assert len(card_titles(get_html(client, notice_index.url))) == 20
    assert client.get(notice_index.url + "?page=2").status_code == 404


@pytest.mark.parametrize("page", ["0", "abc", "99", "-1"])
def test_page_numbers_out_of_range_are_404(client, notice_index, page):
    make_notices(notice_index, 21)

    assert client.get(notice_index.url + "?page=2").status_code == 200
    assert client.get(notice_index.url + f"?page={page}").status_code == 404


def test_year_filter(client, notice_index):
    NoticePageFactory(
        parent=notice_index, title="2019年理事会通知", slug="council-2019", date=datetime.date(2019, 3, 1)
    )
    NoticePageFactory(parent=notice_index, title="2019年年会通知", slug="annual-2019", date=datetime.date(2019, 11, 1))
    NoticePageFactory(parent=notice_index, title="2020年会费通知", slug="dues-2020", date=datetime.date(2020, 1, 10))

    all_years = card_titles(get_html(client, notice_index.url))
    only_2019 = card_titles(get_html(client, notice_index.url + "?year=2019"))

    assert all_years == ["2020年会费通知", "2019年年会通知", "2019年理事会通知"]
    assert only_2019 == ["2019年年会通知", "2019年理事会通知"]


@pytest.mark.parametrize("year", ["2018", "2021", "abc"])
def test_year_without_notices_is_404(client, notice_index, year):
    NoticePageFactory(parent=notice_index, date=datetime.date(2019, 3, 1))
    NoticePageFactory(parent=notice_index, date=datetime.date(2020, 3, 1))

    assert client.get(notice_index.url + "?year=2020").status_code == 200
    assert client.get(notice_index.url + f"?year={year}").status_code == 404


def test_empty_listing_says_so(client, home_page, notice_index):
    news = NewsIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=notice_index, title="理事会会议通知")

    assert EMPTY_LISTING in get_html(client, news.url)
    notices_html = get_html(client, notice_index.url)
    assert EMPTY_LISTING not in notices_html and "理事会会议通知" in notices_html


# (c) Pinned notices first ----------------------------------------------------------------------


@pytest.fixture
def pinned_scene(notice_index):
    NoticePageFactory(parent=notice_index, title="旧的普通通知", date=datetime.date(2019, 1, 1))
    NoticePageFactory(parent=notice_index, title="旧的置顶通知", date=datetime.date(2019, 2, 1), pinned=True)
    NoticePageFactory(parent=notice_index, title="最新的普通通知", date=datetime.date(2020, 6, 1))
    return notice_index


def test_pinned_notices_head_the_notice_index(client, pinned_scene):
    titles = card_titles(get_html(client, pinned_scene.url))

    assert titles == ["旧的置顶通知", "最新的普通通知", "旧的普通通知"]


def test_pinned_notices_head_the_home_page(client, pinned_scene):
    titles = home_notice_titles(get_html(client, "/"))

    assert titles == ["旧的置顶通知", "最新的普通通知", "旧的普通通知"]


# (d) Related articles and previous/next --------------------------------------------------------


def test_related_notices_share_a_category_or_tag_in_the_same_language(client, home_page, notice_index):
    dues = NoticeCategoryFactory(name="会费", slug="dues")
    awards = NoticeCategoryFactory(name="表彰", slug="awards")
    page = NoticePageFactory(parent=notice_index, title="关于交纳会费的通知", category=dues)
    page.tags.add("会员服务")
    page.save()
    same_category = NoticePageFactory(parent=notice_index, title="会费减免办法", category=dues)
    tagged = NoticePageFactory(parent=notice_index, title="会员证补办须知", category=awards)
    tagged.tags.add("会员服务")
    tagged.save()
    NoticePageFactory(parent=notice_index, title="年度表彰名单", category=awards)
    translate_page(home_page, "en")
    translate_page(notice_index, "en")
    english_tagged = translate_page(tagged, "en", title="Replacing a membership card")
    english_same_category = translate_page(same_category, "en", title="Dues reductions")
    # The translations still share the tag and the category, so only the language can keep them out.
    assert list(english_tagged.tags.names()) == ["会员服务"]
    assert english_same_category.category_id == dues.pk

    related = related_titles(get_html(client, page.url))

    assert sorted(related) == sorted(["会费减免办法", "会员证补办须知"])
    assert "关于交纳会费的通知" not in related  # never the page itself
    assert "Replacing a membership card" not in related and "Dues reductions" not in related  # never another language
    assert "年度表彰名单" not in related


def test_related_notices_are_the_newest_of_many_that_match(client, home_page, notice_index):
    """With more matches than a reader is shown, the newest ones, not any four."""
    dues = NoticeCategoryFactory(name="会费", slug="dues")
    page = NoticePageFactory(
        parent=notice_index, title="关于交纳会费的通知", category=dues, date=datetime.date(2020, 1, 1)
    )
    for number in range(1, 56):
        NoticePageFactory(
            parent=notice_index,
            title=f"会费通知第{number}号",
            category=dues,
            date=datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        )

    assert related_titles(get_html(client, page.url)) == [f"会费通知第{number}号" for number in (55, 54, 53, 52)]


def test_related_science_articles_share_a_tag(client, home_page):
    index = ScienceIndexPageFactory(parent=home_page)
    page = ScienceArticlePageFactory(parent=index, title="考试焦虑怎么办")
    page.tags.add("青少年")
    page.save()
    other = ScienceArticlePageFactory(parent=index, title="青春期的情绪管理")
    other.tags.add("青少年")
    other.save()
    lonely = ScienceArticlePageFactory(parent=index, title="老年人睡眠指南")

    assert related_titles(get_html(client, page.url)) == ["青春期的情绪管理"]
    assert "暂无相关文章。" in get_html(client, lonely.url)


def test_previous_and_next_follow_date_order_within_the_index(client, home_page):
    news = NewsIndexPageFactory(parent=home_page)
    section = NewsSectionPageFactory(parent=news, title="协会动态")
    other_section = NewsSectionPageFactory(parent=news, title="国内资讯")
    # Created out of date order, so creation order cannot pass for date order.
    middle = NewsArticlePageFactory(parent=section, title="三月的活动", date=datetime.date(2021, 3, 1))
    newest = NewsArticlePageFactory(parent=section, title="五月的活动", date=datetime.date(2021, 5, 1))
    oldest = NewsArticlePageFactory(parent=section, title="一月的活动", date=datetime.date(2021, 1, 1))
    # Closer in date, but in another section: never linked.
    NewsArticlePageFactory(parent=other_section, title="二月的国内新闻", date=datetime.date(2021, 2, 1))
    NewsArticlePageFactory(parent=other_section, title="四月的国内新闻", date=datetime.date(2021, 4, 1))

    assert prev_next(get_html(client, middle.url)) == ("一月的活动", "五月的活动")
    assert prev_next(get_html(client, oldest.url)) == (None, "三月的活动")
    assert prev_next(get_html(client, newest.url)) == ("三月的活动", None)


def test_an_article_without_neighbours_says_so_in_words_in_english(client, home_page):
    """ "Previous: None" reads like a leaked program value; the English says "none"."""
    news = NewsIndexPageFactory(parent=home_page)
    section = NewsSectionPageFactory(parent=news, title="协会动态")
    lonely = NewsArticlePageFactory(parent=section, title="唯一的活动")
    for page in (home_page, news, section):
        translate_page(page, "en")
    english = translate_page(lonely, "en", title="The only event")

    nav = re.search(r'<nav class="prev-next".*?</nav>', get_html(client, english.url), re.S).group(0)
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nav)).strip()

    assert words == "Previous: none Next: none"


# (e) Filters ------------------------------------------------------------------------------------


def test_notice_index_filters_by_category(client, notice_index):
    dues = NoticeCategoryFactory(name="会费", slug="dues")
    awards = NoticeCategoryFactory(name="表彰", slug="awards")
    NoticePageFactory(parent=notice_index, title="关于交纳会费的通知", category=dues)
    NoticePageFactory(parent=notice_index, title="年度表彰名单", category=awards)
    NoticePageFactory(parent=notice_index, title="理事会会议通知")

    assert sorted(card_titles(get_html(client, notice_index.url))) == sorted(
        ["关于交纳会费的通知", "年度表彰名单", "理事会会议通知"]
    )
    assert card_titles(get_html(client, notice_index.url + "?category=dues")) == ["关于交纳会费的通知"]
    assert card_titles(get_html(client, notice_index.url + "?category=awards")) == ["年度表彰名单"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["关于印发心理服务方案的通知", "解读：心理服务方案"]),
        ("?type=documents", ["关于印发心理服务方案的通知"]),
        ("?type=interpretations", ["解读：心理服务方案"]),
    ],
)
def test_policy_index_filters_by_type(client, home_page, query, expected):
    index = PolicyIndexPageFactory(parent=home_page)
    PolicyDocumentPageFactory(parent=index, title="关于印发心理服务方案的通知")
    PolicyInterpretationPageFactory(parent=index, title="解读：心理服务方案")

    assert sorted(card_titles(get_html(client, index.url + query))) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["困境儿童心理关爱", "老年人睡眠指南", "家庭沟通技巧"]),
        ("?audience=children", ["困境儿童心理关爱", "家庭沟通技巧"]),
        ("?audience=elderly", ["老年人睡眠指南"]),
    ],
)
def test_science_index_filters_by_audience(client, home_page, query, expected):
    index = ScienceIndexPageFactory(parent=home_page)
    children = AudienceFactory(name="儿童青少年", slug="children")
    elderly = AudienceFactory(name="老年人", slug="elderly")
    parents = AudienceFactory(name="家长", slug="parents")
    for title, audiences in (
        ("困境儿童心理关爱", [children]),
        ("老年人睡眠指南", [elderly]),
        ("家庭沟通技巧", [children, parents]),
    ):
        article = ScienceArticlePageFactory(parent=index, title=title)
        article.audiences.set(audiences)
        article.save()

    assert sorted(card_titles(get_html(client, index.url + query))) == sorted(expected)


def test_wagtails_sibling_queries_work_on_articles(home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    first = NoticePageFactory(parent=index, title="第一则通知")
    second = NoticePageFactory(parent=index, title="第二则通知")

    assert [page.title for page in first.get_next_siblings(inclusive=False)] == [second.title]
    assert [page.title for page in second.get_prev_siblings(inclusive=False)] == [first.title]
