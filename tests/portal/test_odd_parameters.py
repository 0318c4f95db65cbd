"""Public listings answer odd query parameters (huge numbers, NaN, negatives, non-digits, a NUL byte,
very long values) with a page or a 404, never a server error."""

import pytest

from tests.members.factories import make_member
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
    ScienceArticlePageFactory,
    ScienceIndexPageFactory,
)

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "10^26",
    str(10**26),
    str(-(10**26)),
    "9" * 5000,  # more digits than int() reads
    "NaN",
    "inf",
    "-inf",
    "-1",
    "0",
    "1.5",
    "1e3",
    "abc",
    "",
    " ",
    "\x00",
    "1\x00",
    "dues\x00",
    "%",
    "'",
    "١٢",  # Arabic-Indic digits, which int() reads
    "１",  # a full-width digit
    "x" * 3000,
]

LISTINGS = {
    "/notices/": ("page", "year", "category"),
    "/news/": ("page", "year"),
    "/news/domestic/": ("page", "year"),
    "/policies/": ("page", "year", "type"),
    "/science/": ("page", "year", "audience"),
    "/search/": ("q", "section", "page"),
    "/experts/": ("page", "q", "specialty", "service", "district", "language"),
    "/members/directory/": ("page", "district"),
    "/sitemap-pages.xml": ("p",),
}


@pytest.fixture
def site(home_page):
    notices = NoticeIndexPageFactory(parent=home_page)
    NoticePageFactory(parent=notices, title="关于交纳会费的通知", category=NoticeCategoryFactory(slug="dues"))
    section = NewsSectionPageFactory(parent=NewsIndexPageFactory(parent=home_page), slug="domestic")
    NewsArticlePageFactory(parent=section)
    PolicyDocumentPageFactory(parent=PolicyIndexPageFactory(parent=home_page))
    article = ScienceArticlePageFactory(parent=ScienceIndexPageFactory(parent=home_page))
    article.audiences.add(AudienceFactory(slug="parents"))
    article.save()
    member = make_member("listed@example.com", number="DL-2020-0001", directory_listed=True)
    return member


@pytest.mark.parametrize(
    ("path", "parameter"), [(path, parameter) for path, parameters in LISTINGS.items() for parameter in parameters]
)
@pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")  # keys stay short too
def test_odd_values_give_a_page_or_a_404(client, site, path, parameter):
    answers = {value: client.get(path, {parameter: value}).status_code for value in ODD_VALUES}

    assert client.get(path).status_code == 200
    assert {value: status for value, status in answers.items() if status not in (200, 404)} == {}


def test_a_page_number_past_every_result_is_a_404(client, site):
    for path in ("/notices/", "/experts/", "/members/directory/", "/search/?q=会费&"):
        separator = "" if path.endswith("&") else "?"
        assert client.get(f"{path}{separator}page={10**26}").status_code == 404, path
        assert client.get(f"{path}{separator}page=2").status_code == 404, path
