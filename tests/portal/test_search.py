"""Chinese site search: word segmentation, 简体/繁體, ranking, highlighting, filters, admin search, Elasticsearch."""

import datetime
import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from notices.models import NoticePage
from portal.search.backends.elasticsearch8 import ChineseElasticsearch8SearchBackend
from portal.search.segment import GRAM_MARK, highlight_forms, index_words, query_terms, segment_for_index
from tests.conftest import sign_in
from tests.home.factories import StandardPageFactory
from tests.notices.factories import (
    NewsArticlePageFactory,
    NewsIndexPageFactory,
    NewsSectionPageFactory,
    NoticeIndexPageFactory,
    NoticePageFactory,
    body,
)
from tests.portal.factories import dues_notices, html, translate_tree

RESULT = re.compile(r'<li class="search-result">\s*<h2><a href="([^"]+)">(.*?)</a></h2>', re.S)


def results(response) -> list[tuple[str, str]]:
    """(url, title HTML) of every result listed, in order."""
    assert response.status_code == 200
    return RESULT.findall(html(response))


def result_urls(response) -> list[str]:
    return [url for url, _title in results(response)]


# The public search page ----------------------------------------------------------------------


@pytest.mark.django_db
def test_two_character_word_finds_notices_but_not_the_annual_meeting(client, home_page):
    dues_2019, dues_2015, meeting = dues_notices(home_page)

    response = client.get("/search/", {"q": "会费"})

    urls = result_urls(response)
    assert sorted(urls) == sorted([dues_2019.url, dues_2015.url])
    assert meeting.url not in urls
    assert "找到 2 条与“会费”相关的结果" in html(response)


@pytest.mark.django_db
def test_traditional_query_finds_the_simplified_pages(client, home_page):
    dues_2019, dues_2015, _meeting = dues_notices(home_page)

    response = client.get("/search/", {"q": "會費"})

    assert sorted(result_urls(response)) == sorted([dues_2019.url, dues_2015.url])
    # The 简体 spelling in the titles is marked even though the query was 繁體.
    assert "关于交纳2019年<mark>会费</mark>的通知" in html(response)


@pytest.mark.django_db
def test_simplified_query_finds_traditional_page_on_the_traditional_site(client, home_page):
    dues_2019, _dues_2015, _meeting = dues_notices(home_page)
    hant = translate_tree(
        dues_2019,
        "zh-hant",
        title="關於交納2019年會費的通知",
        summary="請各位會員按時交納2019年會費。",
        body=body("會員應於3月31日前交納年度會費。"),
    )

    response = client.get("/zh-hant/search/", {"q": "会费"})

    assert hant.url.startswith("/zh-hant/")
    assert result_urls(response) == [hant.url]
    assert "關於交納2019年<mark>會費</mark>的通知" in html(response)
    assert "請各位會員按時交納2019年<mark>會費</mark>。" in html(response)


@pytest.mark.django_db
def test_results_come_from_the_current_language_only(client, home_page):
    dues_2019, dues_2015, _meeting = dues_notices(home_page)
    hant = translate_tree(dues_2019, "zh-hant", title="關於交納2019年會費的通知")

    simplified = result_urls(client.get("/search/", {"q": "会费"}))
    traditional = result_urls(client.get("/zh-hant/search/", {"q": "会费"}))

    assert sorted(simplified) == sorted([dues_2019.url, dues_2015.url])
    assert hant.url not in simplified
    assert traditional == [hant.url]


@pytest.mark.django_db
def test_title_match_ranks_above_newer_body_only_match(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    in_title = NoticePageFactory(
        parent=index,
        title="关于交纳2019年会费的通知",
        slug="dues",
        date=datetime.date(2019, 1, 5),
        summary="请按时交纳。",
    )
    in_body = NoticePageFactory(
        parent=index,
        title="理事会工作简报",
        slug="bulletin",
        date=datetime.date(2024, 6, 1),
        summary="本期简报涉及会费收缴、会费标准和会费减免。",
        body=body("会费会费会费。会费收缴情况良好。", "会费标准不变，会费减免另行通知。"),
    )

    urls = result_urls(client.get("/search/", {"q": "会费"}))

    assert urls == [in_title.url, in_body.url]


@pytest.mark.django_db
def test_matched_words_are_marked_and_title_html_is_escaped(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(
        parent=index,
        title="<b>会费</b>缴纳提醒",
        slug="reminder",
        summary="本年度会费请于3月底前缴纳。",
    )

    page_html = html(client.get("/search/", {"q": "会费"}))

    assert "&lt;b&gt;<mark>会费</mark>&lt;/b&gt;缴纳提醒" in page_html
    assert "<b>会费</b>" not in page_html
    assert '<p class="search-result__excerpt">本年度<mark>会费</mark>请于3月底前缴纳。</p>' in page_html


@pytest.mark.django_db
def test_sub_word_of_a_longer_dictionary_word_is_found(client, home_page):
    about = StandardPageFactory(parent=home_page, title="大连市心理咨询师协会简介", slug="about", intro="协会简介。")
    StandardPageFactory(parent=home_page, title="联系我们", slug="contact", intro="地址和电话。")

    assert result_urls(client.get("/search/", {"q": "心理咨询师"})) == [about.url]


@pytest.mark.django_db
def test_section_filter_and_per_section_counts(client, home_page):
    dues_2019, dues_2015, _meeting = dues_notices(home_page)
    news = NewsIndexPageFactory(parent=home_page, title="行业资讯")
    section = NewsSectionPageFactory(parent=news, title="协会动态")
    article = NewsArticlePageFactory(parent=section, title="协会完成年度会费收缴", slug="dues-news")
    notices = dues_2019.get_parent()

    everything = client.get("/search/", {"q": "会费"})
    only_notices = client.get("/search/", {"q": "会费", "section": notices.pk})

    assert sorted(result_urls(everything)) == sorted([dues_2019.url, dues_2015.url, article.url])
    assert "全部（3）" in html(everything)
    assert f'section={notices.pk}">通知公告（2）</a>' in html(everything)
    assert f'section={news.pk}">行业资讯（1）</a>' in html(everything)
    # The news result names its top-level section.
    assert '<p class="search-result__section">行业资讯</p>' in html(everything)

    assert sorted(result_urls(only_notices)) == sorted([dues_2019.url, dues_2015.url])
    assert f'section={notices.pk}" aria-current="true">通知公告（2）</a>' in html(only_notices)
    assert f'section={news.pk}">行业资讯（1）</a>' in html(only_notices)
    assert "找到 2 条与“会费”相关的结果" in html(only_notices)


@pytest.mark.django_db
def test_results_are_paginated_and_a_bad_page_is_a_404(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page)
    for number in range(12):
        NoticePageFactory(parent=index, title=f"第{number + 1}批会费收缴通知", slug=f"dues-{number}")

    first = client.get("/search/", {"q": "会费"})
    second = client.get("/search/", {"q": "会费", "page": 2})

    assert len(results(first)) == 10
    assert len(results(second)) == 2
    assert not set(result_urls(first)) & set(result_urls(second))
    assert "找到 12 条与“会费”相关的结果" in html(first)
    assert client.get("/search/", {"q": "会费", "page": 3}).status_code == 404
    assert client.get("/search/", {"q": "会费", "page": "abc"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "   ", "\u3000"])
def test_empty_query_shows_no_results_and_no_error(client, home_page, query):
    dues_notices(home_page)

    response = client.get("/search/", {"q": query})
    control = client.get("/search/", {"q": "会费"})

    assert response.status_code == 200
    assert results(response) == []
    assert "找到" not in html(response) and "没有找到" not in html(response)
    assert len(results(control)) == 2


@pytest.mark.django_db
def test_query_of_punctuation_only_asks_for_words(client, home_page):
    dues_notices(home_page)

    response = client.get("/search/", {"q": "，。！？"})

    assert response.status_code == 200
    assert "请输入要搜索的文字。" in html(response)
    assert results(response) == []


@pytest.mark.django_db
def test_over_long_query_is_truncated_not_rejected(client, home_page):
    dues_2019, dues_2015, _meeting = dues_notices(home_page)
    query = "会费" * 60 + "这一段在第一百个字以后所以不会被搜索"

    response = client.get("/search/", {"q": query})

    assert response.status_code == 200
    assert sorted(result_urls(response)) == sorted([dues_2019.url, dues_2015.url])
    value = re.search(r'id="search-page-q" type="search" name="q" value="([^"]*)"', html(response)).group(1)
    assert value == "会费" * 50
    assert "不会被搜索" not in html(response)


@pytest.mark.django_db
def test_unknown_word_says_nothing_was_found(client, home_page):
    dues_notices(home_page)

    response = client.get("/search/", {"q": "督导"})

    assert results(response) == []
    assert "没有找到与“督导”相关的内容" in html(response)


# Word segmentation ---------------------------------------------------------------------------


def test_index_words_keep_words_and_their_dictionary_sub_words():
    words = index_words("大连市心理咨询师协会")

    assert "心理咨询师协会" in words
    assert {"心理咨询师", "心理咨询", "咨询", "协会", "大连"} <= set(words)
    assert "师协" not in words


def test_query_terms_find_the_sub_word_stored_in_the_index():
    assert query_terms("心理咨询师") == ["心理咨询师"]
    assert set(query_terms("心理咨询师")) <= set(index_words("大连市心理咨询师协会"))


def test_dues_is_one_word_also_after_a_year():
    words = index_words("2015年会费收缴通知")

    assert "会费" in words
    assert "年会" not in words
    assert query_terms("2015年会费") == ["2015", "年", "会费"]


def test_traditional_text_is_indexed_and_queried_as_simplified():
    assert index_words("關於交納2019年會費的通知") == index_words("关于交纳2019年会费的通知")
    assert query_terms("會費") == ["会费"]
    assert segment_for_index("會費通知") == "会费 通知"


def test_query_terms_drop_punctuation_duplicates_and_case():
    assert query_terms("会费，会费！COVID") == ["会费", "covid"]
    assert query_terms("") == []
    assert query_terms("，。 ") == []
    assert index_words("") == []


def test_highlight_forms_include_both_scripts():
    forms = highlight_forms(["会费", "通知"])

    assert {"会费", "會費", "通知"} <= set(forms)
    assert len(forms[0]) >= len(forms[-1])


# The Wagtail admin search --------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_search_finds_a_page_by_the_start_of_its_title(client, home_page, superuser):
    dues_notices(home_page)
    sign_in(client, superuser)

    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "关于"})

    assert response.status_code == 200
    assert "关于交纳2019年会费的通知" in html(response)
    assert "关于召开2019年年会的通知" in html(response)
    assert "2015年会费收缴通知" not in html(response)


@pytest.mark.django_db
def test_admin_search_finds_chinese_word_inside_titles(client, home_page, superuser):
    dues_notices(home_page)
    sign_in(client, superuser)

    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "会费"})

    assert response.status_code == 200
    assert "关于召开2019年年会的通知" not in html(response)
    assert "关于交纳2019年会费的通知" in html(response)
    assert "2015年会费收缴通知" in html(response)
    two_words = html(client.get(reverse("wagtailadmin_pages:search"), {"q": "交纳会费"}))
    assert "关于交纳2019年会费的通知" in two_words
    assert "2015年会费收缴通知" not in two_words


# Elasticsearch 8 backend ---------------------------------------------------------------------


def words_of(value: str) -> str:
    """The words of an indexed field, without its bigrams."""
    return " ".join(token for token in value.split() if not token.startswith(GRAM_MARK))


def es_backend(**params) -> ChineseElasticsearch8SearchBackend:
    return ChineseElasticsearch8SearchBackend({"URLS": ["http://127.0.0.1:9"], "INDEX": "x", **params})


def test_elasticsearch_default_analyzer_splits_on_whitespace_only():
    backend = es_backend()

    analyzers = backend.settings["settings"]["analysis"]["analyzer"]

    assert analyzers["default"] == {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]}
    # Wagtail's own analyzers are kept.
    assert "edgengram_analyzer" in analyzers


def test_elasticsearch_keeps_extra_index_settings():
    backend = es_backend(INDEX_SETTINGS={"settings": {"index": {"number_of_shards": 1}}})

    assert backend.settings["settings"]["index"]["number_of_shards"] == 1
    assert backend.settings["settings"]["analysis"]["analyzer"]["default"]["tokenizer"] == "whitespace"


@pytest.mark.django_db
def test_elasticsearch_document_holds_segmented_title_and_text(home_page):
    dues_2019, _dues_2015, _meeting = dues_notices(home_page)
    backend = es_backend()

    document = backend.mapping_class(NoticePage).get_document(NoticePage.objects.get(pk=dues_2019.pk))

    # Each field holds its words, then its marked character bigrams (see test_search_recall.py).
    assert words_of(document["title"]) == "关于 交纳 2019 年 会费 的 通知"
    assert words_of(document["notices_articlepage__summary"]) == "请 各位 会员 按时 交纳 2019 年 会费"
    assert "会费" in document["notices_articlepage__body"].split()
    assert {"g年会", "g会费", "g通知"} <= set(document["title"].split())


@pytest.mark.django_db
def test_elasticsearch_query_string_is_segmented_before_the_body_is_built():
    backend = es_backend()

    everywhere = backend.search("交纳會費", NoticePage).query_compiler.get_query()
    in_title = backend.search("交纳会费", NoticePage, fields=["title"], operator="and").query_compiler.get_query()

    assert everywhere["bool"]["must"]["multi_match"]["query"] == "交纳 会费"
    assert in_title["bool"]["must"]["match"]["title"]["query"] == "交纳 会费"
    assert in_title["bool"]["must"]["match"]["title"]["operator"] == "and"


@pytest.mark.django_db
@pytest.mark.skipif(
    not settings.TEST_ELASTICSEARCH_URL,
    reason="set ELASTICSEARCH_URL (e.g. http://127.0.0.1:9200) to run against a real Elasticsearch 8",
)
def test_elasticsearch_round_trip(home_page):
    dues_2019, dues_2015, meeting = dues_notices(home_page)
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

        found = {page.pk for page in backend.search("會費", NoticePage)}
        by_source = {page.pk for page in backend.search("心理咨询师", NoticePage)}
    finally:
        index.delete()

    assert found == {dues_2019.pk, dues_2015.pk}
    assert meeting.pk not in found
    # Every notice's source is 大连市心理咨询师协会 except the meeting's.
    assert by_source == {dues_2019.pk, dues_2015.pk}
