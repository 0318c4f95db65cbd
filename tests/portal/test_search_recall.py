"""The site search finds a query's words however the pages were cut into words: written apart,
inside a longer word, or as a synonym staff listed; exact words rank first; every result shows its
date and section; the number of results is the real one, also past the listing's limit."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notices.models import NoticePage
from portal.roles import EDITORS, MEMBERSHIP_OFFICERS, MODERATORS
from portal.search import views
from portal.search.backends.elasticsearch8 import ChineseElasticsearch8SearchBackend
from portal.search.models import SearchSynonym, synonyms
from portal.search.query import Term, broad_query, exact_query, parse
from portal.search.segment import bigrams, text_for_index
from tests.conftest import make_user, sign_in
from tests.home.factories import StandardPageFactory
from tests.notices.factories import (
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    NoticeIndexPageFactory,
    NoticePageFactory,
    body,
)
from tests.portal.factories import dues_notices, html
from tests.portal.test_search import result_urls, results

SUMMARY = re.compile(r'<p class="results-summary" role="status">(.*?)</p>', re.S)


def summary(response) -> str:
    return re.sub(r"<[^>]+>", "", SUMMARY.search(html(response)).group(1))


def notice(index, title: str, slug: str, text: str = "", **fields) -> NoticePage:
    return NoticePageFactory(
        parent=index, title=title, slug=slug, summary=text or "。", body=body(text or "。"), **fields
    )


# Words written apart or inside longer words ---------------------------------------------------


@pytest.mark.django_db
def test_a_word_inside_a_longer_word_the_segmenter_keeps_whole_is_found(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    covid = notice(index, "新冠肺炎患者心理支持要点", "covid")
    notice(index, "关于召开理事会的通知", "council")

    # jieba keeps 新冠肺炎 whole in the page and 新冠 whole in the query.
    assert result_urls(client.get("/search/", {"q": "新冠"})) == [covid.url]


@pytest.mark.django_db
def test_a_word_written_apart_in_the_page_is_found(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    assembly = notice(index, "关于召开协会第四次会员代表大会通知", "assembly")
    standing = notice(index, "关于召开协会第四届五次常务理事会议的通知", "standing")
    notice(index, "会员风采", "members", "优秀会员介绍。")

    # 会员大会 is one word of the query; the page says 会员代表大会.
    assert result_urls(client.get("/search/", {"q": "会员大会"})) == [assembly.url]
    # 理事会议 is cut 理事 / 会议 in the query, 常务理事会 / 议 in the page.
    assert result_urls(client.get("/search/", {"q": "理事会议"})) == [standing.url]


@pytest.mark.django_db
def test_exact_words_rank_before_pages_that_only_hold_the_characters(client, home_page):
    dues_2019, dues_2015, meeting = dues_notices(home_page)
    meeting.date = datetime.date(2010, 1, 1)
    meeting.save_revision().publish()

    urls = result_urls(client.get("/search/", {"q": "年会"}))

    # The annual meeting holds the word 年会; the two dues notices only the characters (2019年会费),
    # and are newer, with 年会 in their titles too.
    assert urls[0] == meeting.url
    assert sorted(urls[1:]) == sorted([dues_2019.url, dues_2015.url])


@pytest.mark.django_db
def test_two_character_words_do_not_match_across_unrelated_text(client, home_page):
    dues_2019, dues_2015, meeting = dues_notices(home_page)

    assert sorted(result_urls(client.get("/search/", {"q": "会费"}))) == sorted([dues_2019.url, dues_2015.url])
    assert meeting.url not in result_urls(client.get("/search/", {"q": "费用"}))
    assert result_urls(client.get("/search/", {"q": "督导"})) == []


def test_fields_are_indexed_as_words_then_marked_bigrams():
    assert bigrams("會費，通知 abc 心") == ["g会费", "g通知"]
    assert text_for_index("交纳会费") == "交纳 会费 g交纳 g纳会 g会费"
    assert text_for_index("") == ""


def test_the_query_keeps_a_listed_synonym_whole_only_where_the_query_has_that_word():
    listed = {"会费": ("年费", "会费"), "年费": ("年费", "会费"), "公众号": ("公众号", "公众帐号")}

    assert parse("年费", listed) == [Term("年费", synonyms=("会费",))]
    assert parse("微信公众号", listed) == [Term("微信"), Term("公众号", synonyms=("公众帐号",))]
    # A synonym is not taken out of other words: 年会费用 (the annual meeting's expenses), 年费用
    # (a year's expenses), 公众号码 (a public telephone number).
    assert [term.text for term in parse("年会费用", listed)] == ["年会", "费用"]
    assert [term.text for term in parse("年费用", listed)] == ["年", "费用"]
    assert [term.text for term in parse("公众号码", listed)] == ["公众", "号码"]
    # A single character is matched with its neighbour in the query.
    assert parse("2019年会费", {}) == [Term("2019"), Term("年", pair="年会"), Term("会费")]
    assert parse("，。", listed) == []
    assert broad_query([]) is None and exact_query([]) is None


# Synonyms staff keep --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["資訊", "资讯", "信息"])
def test_a_word_taiwan_writes_otherwise_finds_the_mainland_word(client, home_page, query):
    index = NoticeIndexPageFactory(parent=home_page)
    found = notice(index, "会员信息更新说明", "members-information")
    notice(index, "关于召开理事会的通知", "council")

    assert result_urls(client.get("/zh-hant/search/", {"q": query})) == [found.url]
    assert result_urls(client.get("/search/", {"q": query})) == [found.url]


@pytest.mark.django_db
def test_a_listed_synonym_finds_the_pages_and_a_removed_one_no_longer_does(
    client, home_page, django_capture_on_commit_callbacks
):
    dues_2019, dues_2015, _meeting = dues_notices(home_page)
    dues = sorted([dues_2019.url, dues_2015.url])

    # The list starts with 会费 年费 会员费 (portal/search/migrations); 年費 is the same word.
    assert sorted(result_urls(client.get("/search/", {"q": "年费"}))) == dues
    assert sorted(result_urls(client.get("/search/", {"q": "年費"}))) == dues
    assert "关于交纳2019年<mark>会费</mark>的通知" in html(client.get("/search/", {"q": "年费"}))

    with django_capture_on_commit_callbacks(execute=True):
        SearchSynonym.objects.filter(words__contains="年费").delete()

    # Nothing holds 年费 itself: the cached results and pages were purged.
    assert "没有找到与“年费”相关的内容" in html(client.get("/search/", {"q": "年费"}))


@pytest.mark.django_db
def test_an_editor_adds_a_synonym_in_the_admin_and_readers_find_with_it(
    client, home_page, django_capture_on_commit_callbacks
):
    index = NoticeIndexPageFactory(parent=home_page)
    supervision = notice(index, "督导小组工作安排", "supervision")
    editor = make_user("editor@example.com", groups=(EDITORS,))
    assert result_urls(client.get("/search/", {"q": "带教"})) == []  # and kept in the cache

    staff = client_for(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(reverse("wagtailsnippets_portal_search_searchsynonym:add"), {"words": "督导、带教"})

    assert response.status_code == 302
    assert SearchSynonym.objects.filter(words="督导 带教").exists()
    assert result_urls(client.get("/search/", {"q": "带教"})) == [supervision.url]


def client_for(user):
    from django.test import Client

    staff = Client()
    sign_in(staff, user)
    return staff


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("会费", "请至少填写两个不同的词。"),
        ("会费 会费", "请至少填写两个不同的词。"),
        ("会费 ！？", "“！？”不是一个词"),
        ("会费 " + "长" * 21, "太长：每个词最多 20 个字。"),
    ],
)
def test_a_synonym_group_needs_two_different_words(words, message):
    editor = make_user("editor@example.com", groups=(EDITORS,))

    response = client_for(editor).post(reverse("wagtailsnippets_portal_search_searchsynonym:add"), {"words": words})

    assert response.status_code == 200
    assert message in html(response)
    assert not SearchSynonym.objects.filter(words=words).exists()


@pytest.mark.django_db
def test_only_editors_and_moderators_keep_the_synonyms(client):
    add = reverse("wagtailsnippets_portal_search_searchsynonym:add")
    for groups, allowed in [((EDITORS,), True), ((MODERATORS,), True), ((MEMBERSHIP_OFFICERS,), False)]:
        user = make_user(f"{groups[0].replace(' ', '-').lower()}@example.com", groups=groups)
        response = client_for(user).get(add)
        assert (response.status_code == 200) is allowed, groups
    anonymous = client.get(add)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.django_db
def test_words_in_two_groups_join_them():
    SearchSynonym.objects.create(words="年费 会员年费")

    assert set(synonyms()["会员年费"]) == {"会费", "年费", "会员费", "会员年费"}


# Date, section and an honest count -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", "/zh-hant", "/en"])
def test_results_show_their_date_and_section(client, home_page, prefix):
    from tests.portal.factories import translate_tree

    news = NewsIndexPageFactory(parent=home_page, title="行业资讯")
    article = NewsArticlePageFactory(
        parent=news, title="协会完成年度会费收缴", slug="dues-news", date=datetime.date(2019, 12, 5)
    )
    about = StandardPageFactory(parent=home_page, title="会费标准", slug="fees", intro="会费标准。")
    if prefix:
        language = "zh-hant" if prefix == "/zh-hant" else "en"
        article = translate_tree(
            article, language, title="協會完成年度會費收繳" if language == "zh-hant" else "会费 dues"
        )
        about = translate_tree(about, language, title="會費標準" if language == "zh-hant" else "会费 fees")
    else:
        about.save_revision().publish()

    page_html = html(client.get(f"{prefix}/search/", {"q": "会费"}))

    items = dict(results(client.get(f"{prefix}/search/", {"q": "会费"})))
    assert set(items) == {article.url, about.url}
    assert '<p class="search-result__date"><time datetime="2019-12-05">2019-12-05</time></p>' in page_html
    assert re.search(r'<p class="search-result__section">(行业资讯|行業資訊)</p>', page_html)
    updated, label, everything = {
        "": ("更新于", "栏目：", "全部（2）"),
        "/zh-hant": ("更新於", "欄目：", "全部（2）"),
        "/en": ("Updated", "Sections:", "All (2)"),
    }[prefix]
    assert re.search(rf'<p class="search-result__date">{updated} <time datetime="\d{{4}}-\d\d-\d\d">', page_html)
    assert f'<span class="filter__label">{label}</span>' in page_html
    assert f'aria-current="true">{everything}</a>' in page_html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "没有找到与“量子力学”相关的内容，请换个关键词试试。"),
        ("/zh-hant", "沒有找到與“量子力学”相關的內容"),
        ("/en", "Nothing was found for “量子力学”"),
    ],
)
def test_a_search_without_results_says_so_without_an_empty_filter(client, home_page, prefix, message):
    dues_notices(home_page)

    page_html = html(client.get(f"{prefix}/search/", {"q": "量子力学"}))

    assert message in page_html
    assert 'class="filter"' not in page_html
    assert "search-result" not in page_html


@pytest.fixture
def small_limit(monkeypatch):
    """A listing limit of 5 stands for the real 1000: past it, matches are counted by the backend."""
    monkeypatch.setattr(views, "RESULT_LIMIT", 5)


def many_dues_notices(home_page, notices: int, news: int = 2):
    index = NoticeIndexPageFactory(parent=home_page)
    for number in range(notices):
        notice(index, f"第{number + 1}批会费收缴通知", f"dues-{number}", date=datetime.date(2020, 1, 1 + number))
    section = NewsIndexPageFactory(parent=home_page, title="行业资讯")
    for number in range(news):
        NewsArticlePageFactory(parent=section, title=f"会费收缴进展{number + 1}", slug=f"news-{number}")
    return index, section


@pytest.mark.django_db
def test_the_count_is_the_real_one_past_the_listing_limit(client, home_page, small_limit):
    index, news = many_dues_notices(home_page, notices=8, news=2)

    everything = client.get("/search/", {"q": "会费"})
    only_news = client.get("/search/", {"q": "会费", "section": news.pk})
    only_notices = client.get("/search/", {"q": "会费", "section": index.pk, "page": 1})

    assert summary(everything) == "找到 10 条与“会费”相关的结果（列出其中最相关的 5 条）"
    assert "全部（10）" in html(everything)
    assert f'section={index.pk}">通知公告（8）</a>' in html(everything)
    assert f'section={news.pk}">行业资讯（2）</a>' in html(everything)
    assert len(results(everything)) == 5
    # A section with fewer matches than the limit lists them all, even if they ranked below the limit overall.
    assert summary(only_news) == "找到 2 条与“会费”相关的结果"
    assert len(results(only_news)) == 2
    assert summary(only_notices) == "找到 8 条与“会费”相关的结果（列出其中最相关的 5 条）"
    assert client.get("/search/", {"q": "会费", "page": 2}).status_code == 404


@pytest.mark.django_db
def test_large_counts_are_written_with_thousands_separators(client, home_page, monkeypatch):
    dues_notices(home_page)
    monkeypatch.setattr(views, "_find", lambda *args: {**real_find(*args), "total": 10_030})

    assert summary(client.get("/search/", {"q": "会费"})).startswith("找到 10,030 条与“会费”相关的结果")


real_find = views._find


@pytest.mark.django_db
def test_search_queries_do_not_grow_with_the_results_past_the_limit(client, home_page, small_limit):
    index, _news = many_dues_notices(home_page, notices=6, news=1)
    client.get("/search/", {"q": "会费"})  # per-process caches (content types and the like)

    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert len(results(client.get("/search/", {"q": "会费"}))) == 5
    for number in range(6, 20):
        notice(index, f"第{number + 1}批会费收缴通知", f"dues-{number}")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/search/", {"q": "会费"})

    assert summary(response).startswith("找到 21 条")
    assert len(many.captured_queries) <= len(few.captured_queries)


# Elasticsearch -----------------------------------------------------------------------------------


def es_backend() -> ChineseElasticsearch8SearchBackend:
    return ChineseElasticsearch8SearchBackend({"URLS": ["http://127.0.0.1:9"], "INDEX": "x"})


@pytest.mark.django_db
def test_elasticsearch_receives_the_words_the_bigrams_and_the_synonyms():
    query = broad_query(parse("年费", synonyms()))

    body_ = es_backend().search(query, NoticePage).query_compiler.get_query()

    text = repr(body_)
    assert "'query': '年费'" in text and "'query': '会费'" in text  # the words, the listed synonyms
    assert "match_phrase" in text and "'g年费'" in text and "'g会费'" in text  # their characters in a row
    # The admin's searches are still cut into words only.
    assert (
        es_backend().search("交纳會費", NoticePage).query_compiler.get_query()["bool"]["must"]["multi_match"]["query"]
        == "交纳 会费"
    )


@pytest.mark.django_db
@pytest.mark.skipif(
    not settings.TEST_ELASTICSEARCH_URL,
    reason="set ELASTICSEARCH_URL (e.g. http://127.0.0.1:9200) to run against a real Elasticsearch 8",
)
def test_elasticsearch_finds_words_apart_inside_longer_words_and_by_synonym(home_page):
    import uuid

    dues_2019, dues_2015, meeting = dues_notices(home_page)
    covid = notice(dues_2019.get_parent(), "新冠肺炎患者心理支持要点", "covid")
    assembly = notice(dues_2019.get_parent(), "关于召开协会第四次会员代表大会通知", "assembly")
    backend = ChineseElasticsearch8SearchBackend(
        {"URLS": [settings.TEST_ELASTICSEARCH_URL], "INDEX_PREFIX": f"test_{uuid.uuid4().hex[:8]}_"}
    )
    index = backend.get_index_for_model(NoticePage)
    index.reset()
    try:
        index.add_model(NoticePage)
        for page in NoticePage.objects.all():
            index.add_item(page)
        index.refresh()

        def found(text: str, exact: bool = False) -> set[int]:
            terms = parse(text, synonyms())
            return {page.pk for page in backend.search(exact_query(terms) if exact else broad_query(terms), NoticePage)}

        assert found("新冠") == {covid.pk}
        assert found("会员大会") == {assembly.pk}
        assert found("年费") == {dues_2019.pk, dues_2015.pk}
        assert found("年会") == {meeting.pk, dues_2019.pk, dues_2015.pk}
        assert found("年会", exact=True) == {meeting.pk}
    finally:
        index.delete()
