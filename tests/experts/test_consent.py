"""What an expert did not agree to show is nowhere public: not in the directory, their profile, the
batch notices, the notice feed, the site search, the sitemap or the directory's keyword search."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from experts import directory
from tests.experts.factories import make_expert

# Details the expert gave the association but did not consent to show (the notice lists name,
# employer and specialties, which every applicant agrees to; everything else is their choice).
PRIVATE = {
    "title": "心理科主任委员",
    "bio": "私密的个人简介内容",
    "projects": "未公开的科研项目",
    "publications": "未公开的论著",
    "public_email": "private.expert@example.com",
    "public_phone": "13312345678",
}


@pytest.fixture
def expert(notice_index):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 10), tick=False):
        return make_expert(
            admitted_on=datetime.date(2026, 6, 1),
            full_name="钱思远",
            consent=False,
            services_=("media",),
            district="lushunkou",
            **PRIVATE,
        )


def public_pages(client, expert) -> dict[str, str]:
    batch = expert.batch
    urls = {
        "directory": reverse("experts:directory"),
        "profile": reverse("experts:detail", args=[expert.pk]),
        "notice": batch.notice_page.url,
        "result": batch.result_page.url,
        "feed": batch.notice_page.get_parent().url + "feed/",
        "search": reverse("search") + "?q=钱思远",
        "sitemap": "/sitemap-experts.xml",
    }
    pages = {}
    for name, url in urls.items():
        cache.clear()
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_fields_without_consent_appear_nowhere_public(client, expert):
    pages = public_pages(client, expert)
    assert "钱思远" in pages["directory"] and "钱思远" in pages["profile"] and "钱思远" in pages["notice"]
    for name, html in pages.items():
        for field, value in PRIVATE.items():
            assert value not in html, (name, field)
        assert "旅顺口区" not in html, name  # district
        assert "媒体访谈" not in html, name  # services
        assert "13800000000" not in html, name  # the applicant's own mobile, never public
    assert reverse("experts:photo", args=[expert.pk]) not in pages["profile"]
    assert client.get(reverse("experts:photo", args=[expert.pk])).status_code == 404


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
@pytest.mark.parametrize("query", [*PRIVATE.values(), "旅顺口区"])
def test_the_directory_search_does_not_match_what_was_not_shown(expert, query):
    assert directory.search_database(directory.DirectoryQuery(text=query)).total == 0


@time_machine.travel(datetime.datetime(2026, 7, 1, 10), tick=False)
def test_filters_do_not_reveal_a_hidden_district_or_service(expert):
    assert directory.search_database(directory.DirectoryQuery(district="lushunkou")).total == 0
    assert directory.search_database(directory.DirectoryQuery(service="media")).total == 0
    facets = directory.search_database(directory.DirectoryQuery()).facets
    assert facets["district"] == [] and facets["service"] == []
    assert [value.value for value in facets["specialty"]] == ["youth"]
