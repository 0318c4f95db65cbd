"""Filters never offer a choice that leads to an empty list: a year is offered only if the listing has
articles in it in this language with the other filter chosen, and a category, type or audience only if
it has articles; choosing one keeps the year only when it has articles then."""

import datetime
import re
from urllib.parse import urljoin

import pytest

from tests.conftest import translate_page
from tests.notices.factories import (
    AudienceFactory,
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

DAY = datetime.date


def nav(html: str, label: str) -> dict[str, str]:
    """The links of one filter (年份：, 分类： ...): words -> address."""
    found = re.search(rf'<span class="filter__label">{label}</span>\s*<ul>(.*?)</ul>', html, re.S)
    if found is None:
        return {}
    return {
        words: address.replace("&amp;", "&")
        for address, words in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', found.group(1))
    }


def years(html: str, label: str = "年份：") -> list[str]:
    return [words for words in nav(html, label) if words not in ("全部", "All")]


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', html)


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def notices(home_page):
    """Notices of 会费 in 2024 and 2026, of 表彰 in 2025 only; a category without notices."""
    index = NoticeIndexPageFactory(parent=home_page)
    dues = NoticeCategoryFactory(name="会费", slug="dues")
    awards = NoticeCategoryFactory(name="表彰", slug="awards")
    NoticeCategoryFactory(name="招募", slug="recruitment")
    NoticePageFactory(parent=index, title="2024年会费通知", category=dues, date=DAY(2024, 1, 5))
    NoticePageFactory(parent=index, title="2026年会费通知", category=dues, date=DAY(2026, 1, 5))
    NoticePageFactory(parent=index, title="2025年表彰决定", category=awards, date=DAY(2025, 6, 1))
    return index


def test_years_are_those_of_the_chosen_category(client, notices):
    assert years(get(client, notices.url)) == ["2026", "2025", "2024"]
    assert years(get(client, notices.url + "?category=dues")) == ["2026", "2024"]
    assert years(get(client, notices.url + "?category=awards")) == ["2025"]


def test_every_year_offered_leads_to_notices(client, notices):
    for query in ("", "?category=dues", "?category=awards"):
        for year, address in nav(get(client, notices.url + query), "年份：").items():
            assert card_titles(get(client, urljoin(notices.url, address))), (query, year)


def test_a_year_the_chosen_category_has_nothing_in_is_not_found(client, notices):
    assert client.get(notices.url + "?category=dues&year=2024").status_code == 200
    assert client.get(notices.url + "?category=dues&year=2025").status_code == 404


def test_only_categories_with_notices_are_offered(client, notices):
    assert list(nav(get(client, notices.url), "分类：")) == ["全部", "会费", "表彰"]


def test_choosing_a_category_keeps_the_year_only_if_it_has_notices_then(client, notices):
    categories = nav(get(client, notices.url + "?year=2024"), "分类：")

    assert card_titles(get(client, categories["会费"])) == ["2024年会费通知"]  # 2024 kept
    assert "year" not in categories["表彰"]  # 表彰 has nothing in 2024
    assert card_titles(get(client, categories["表彰"])) == ["2025年表彰决定"]
    assert card_titles(get(client, categories["全部"])) == ["2024年会费通知"]


def test_a_year_with_items_in_another_language_only_is_not_offered(client, home_page, notices):
    english_home = translate_page(home_page, "en")
    english_index = translate_page(notices, "en")
    # Written in English only: 2023 has notices in English, none in 简体 or 繁體.
    NoticePageFactory(parent=english_index, title="Notice of 2023", slug="notice-2023", date=DAY(2023, 3, 1))
    translate_page(home_page, "zh-hant")
    hant_index = translate_page(notices, "zh-hant")

    assert english_home.url == "/en/"
    assert "2023" in years(get(client, english_index.url), "Year:")
    assert "2023" not in years(get(client, notices.url))
    assert "2023" not in years(get(client, hant_index.url), "年份：")
    assert client.get(notices.url + "?year=2023").status_code == 404


def test_a_hidden_notice_gives_its_year_no_link(client, notices, django_capture_on_commit_callbacks):
    hidden = NoticePageFactory(parent=notices, title="草稿通知", date=DAY(2022, 3, 1))
    assert "2022" in years(get(client, notices.url))

    with django_capture_on_commit_callbacks(execute=True):
        hidden.unpublish()

    assert "2022" not in years(get(client, notices.url))


def test_policy_years_follow_the_type_chosen(client, home_page):
    index = PolicyIndexPageFactory(parent=home_page)
    PolicyDocumentPageFactory(parent=index, title="2019年的政策文件", date=DAY(2019, 4, 1))
    PolicyInterpretationPageFactory(parent=index, title="2020年的政策解读", date=DAY(2020, 5, 1))

    assert years(get(client, index.url)) == ["2020", "2019"]
    assert years(get(client, index.url + "?type=documents")) == ["2019"]
    assert years(get(client, index.url + "?type=interpretations")) == ["2020"]
    kinds = nav(get(client, index.url + "?year=2020"), "类型：")
    assert list(kinds) == ["全部", "政策文件", "政策解读"]
    assert "year" not in kinds["政策文件"] and "year=2020" in kinds["政策解读"]


def test_policy_types_without_items_are_not_offered(client, home_page):
    index = PolicyIndexPageFactory(parent=home_page)
    PolicyInterpretationPageFactory(parent=index, title="只有解读", date=DAY(2020, 5, 1))

    assert list(nav(get(client, index.url), "类型：")) == ["全部", "政策解读"]


def test_science_years_follow_the_audience_chosen(client, home_page):
    index = ScienceIndexPageFactory(parent=home_page)
    children = AudienceFactory(name="儿童青少年", slug="children")
    elderly = AudienceFactory(name="老年人", slug="elderly")
    AudienceFactory(name="医护人员", slug="medical")
    for title, day, audiences in (
        ("考试焦虑怎么办", DAY(2021, 3, 1), [children]),
        ("老年人睡眠指南", DAY(2022, 3, 1), [elderly]),
        ("家庭沟通技巧", DAY(2023, 3, 1), [children, elderly]),
    ):
        article = ScienceArticlePageFactory(parent=index, title=title, date=day)
        article.audiences.set(audiences)
        article.save()

    assert years(get(client, index.url + "?audience=children")) == ["2023", "2021"]
    assert years(get(client, index.url + "?audience=elderly")) == ["2023", "2022"]
    assert list(nav(get(client, index.url), "读者对象：")) == ["全部", "儿童青少年", "老年人"]


@pytest.mark.parametrize("query", ["?category=%00", "?year=abc", "?year=99999999999", "?category=none&year=2024"])
def test_odd_filters_are_not_found_never_an_error(client, notices, query):
    assert client.get(notices.url + query).status_code == 404
