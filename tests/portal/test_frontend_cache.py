"""A caching proxy in front of the site: what it may keep, and the purges it is sent.

The proxy is a real HTTP server on a free port of 127.0.0.1 that records the PURGE requests
Wagtail's HTTPBackend sends it, as Varnish or nginx would receive them.
"""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.utils import timezone
from django.utils.cache import get_max_age
from wagtail.models import Site

from portal.models import ContactSettings
from tests.conftest import sign_in
from tests.home.factories import StandardPageFactory
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db


class Proxy(ThreadingHTTPServer):
    """Answers PURGE with 200 and remembers (Host, path) of each."""

    def __init__(self):
        self.purged: list[tuple[str, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):  # noqa: N802 - the HTTP method's name
                proxy.purged.append((self.headers["Host"], self.path))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def proxy(settings):
    server = Proxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    settings.FRONTEND_CACHE_SECONDS = 300
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_SECONDS = 600
    ContactSettings.for_site(Site.objects.get(is_default_site=True))
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def notices(home_page):
    return NoticeIndexPageFactory(parent=home_page, slug="notices")


def test_an_anonymous_page_may_be_kept_by_the_proxy_but_not_by_the_browser(client, proxy, home_page):
    StandardPageFactory(parent=home_page, slug="about", title="关于协会")

    stored = client.get("/about/")
    replayed = client.get("/about/")

    for response in (stored, replayed):
        assert "public" in response["Cache-Control"]
        assert "s-maxage=" in response["Cache-Control"]
        assert get_max_age(response) == 0
    assert int(stored["Cache-Control"].split("s-maxage=")[1].split(",")[0]) == 300
    assert replayed["X-Cache"] == "HIT"


def test_a_signed_in_visitors_page_is_never_offered_to_the_proxy(client, proxy, home_page, member):
    StandardPageFactory(parent=home_page, slug="about", title="关于协会")
    sign_in(client, member)

    response = client.get("/about/")

    assert response.status_code == 200
    assert "s-maxage" not in response.get("Cache-Control", "")


def test_a_page_about_today_is_kept_by_the_proxy_no_later_than_midnight(client, proxy, notices):
    NoticePageFactory(parent=notices, title="关于交纳2026年会费的通知")
    half_past_eleven = timezone.make_aware(datetime.datetime(2026, 12, 3, 23, 30))

    with time_machine.travel(half_past_eleven, tick=False):
        response = client.get("/notices/")

    assert int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0]) <= 30 * 60 + 1


def test_publishing_a_notice_purges_it_its_listing_and_the_home_page_from_the_proxy(
    proxy, notices, django_capture_on_commit_callbacks
):
    notice = NoticePageFactory(parent=notices, slug="dues-2026", title="关于交纳2026年会费的通知")
    proxy.purged.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notice.title = "关于交纳2026年度会费的通知"
        notice.save_revision().publish()

    paths = {path for host, path in proxy.purged}
    assert {"/notices/dues-2026/", "/notices/", "/"} <= paths
    assert {host for host, path in proxy.purged} == {"localhost"}


def test_unpublishing_a_notice_purges_it_and_its_listing(proxy, notices, django_capture_on_commit_callbacks):
    notice = NoticePageFactory(parent=notices, slug="dues-2026", title="关于交纳2026年会费的通知")
    proxy.purged.clear()

    with django_capture_on_commit_callbacks(execute=True):
        notice.unpublish()

    assert {"/notices/dues-2026/", "/notices/"} <= {path for host, path in proxy.purged}


def test_nothing_is_sent_anywhere_without_a_proxy(client, home_page, settings, notices):
    settings.WAGTAILFRONTENDCACHE = {}
    settings.PAGE_CACHE_ENABLED = True
    StandardPageFactory(parent=home_page, slug="about", title="关于协会")

    response = client.get("/about/")

    assert "s-maxage" not in response.get("Cache-Control", "")
