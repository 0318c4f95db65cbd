"""sitemap.xml is an index of sections, each in pages of at most 2,000 addresses: no request
renders the whole site, and a crawler finds every page through the index."""

from xml.etree import ElementTree

import pytest

from portal import sitemap
from tests.home.factories import StandardPageFactory

pytestmark = pytest.mark.django_db

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def locations(response, element: str) -> list[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own response
    return [loc.text for loc in root.findall(f"sm:{element}/sm:loc", NS)]


def test_the_index_lists_each_section(client, home_page):
    index = locations(client.get("/sitemap.xml"), "sitemap")

    assert index == [
        "http://testserver/sitemap-pages.xml",
        "http://testserver/sitemap-experts.xml",
        "http://testserver/sitemap-institutions.xml",
    ]
    assert "http://localhost/" in locations(client.get("/sitemap-pages.xml"), "url")


def test_a_long_section_is_split_into_pages_the_index_names(client, home_page, monkeypatch):
    monkeypatch.setattr(sitemap.PortalSitemap, "limit", 2)
    pages = [StandardPageFactory(parent=home_page, slug=f"page-{n}") for n in range(4)]  # 5 with the home page

    index = locations(client.get("/sitemap.xml"), "sitemap")
    first, second, third = (locations(client.get("/sitemap-pages.xml", {"p": n}), "url") for n in (1, 2, 3))

    assert "http://testserver/sitemap-pages.xml?p=3" in index
    assert len(first) == len(second) == 2 and len(third) == 1
    assert sorted(first + second + third) == sorted(["http://localhost/", *(page.full_url for page in pages)])
    assert client.get("/sitemap-pages.xml", {"p": 4}).status_code == 404


def test_no_section_is_longer_than_the_limit():
    assert sitemap.PortalSitemap.limit == sitemap.SITEMAP_LIMIT == 2000
    assert all(section.limit <= 2000 for section in sitemap._sections(None).values())


@pytest.mark.parametrize("address", ["/sitemap-nothing.xml", "/sitemap-pages.xml?p=0", "/sitemap-pages.xml?p=x"])
def test_an_unknown_section_or_page_is_not_found(client, home_page, address):
    assert client.get(address).status_code == 404
