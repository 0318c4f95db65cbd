"""The 点击量 of articles: counted per view, written to the database every N views, exact under concurrency."""

import datetime
import re
import threading

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from notices.models import ArticlePage
from notices.views_counter import count_gathered_views
from portal.models import ContactSettings
from tests.conftest import sign_in
from tests.notices.factories import NoticeIndexPageFactory, NoticePageFactory
from tests.portal.factories import html, shown_view_count


@pytest.fixture
def article(home_page):
    return NoticePageFactory(parent=NoticeIndexPageFactory(parent=home_page), title="理事会会议通知", slug="meeting")


def stored_count(page) -> int:
    return ArticlePage.objects.values_list("view_count", flat=True).get(pk=page.pk)


def displayed_count(page) -> int:
    return ArticlePage.objects.get(pk=page.pk).displayed_view_count


@pytest.mark.django_db
def test_each_view_adds_one_to_the_displayed_count(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False

    shown = [shown_view_count(client.get(article.url)) for _ in range(3)]

    assert shown == [1, 2, 3]


@pytest.mark.django_db
def test_views_of_one_article_do_not_count_for_another(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    other = NoticePageFactory(parent=article.get_parent(), title="会费通知", slug="dues")

    for _ in range(3):
        client.get(article.url)

    assert shown_view_count(client.get(other.url)) == 1
    assert displayed_count(article) == 3


@pytest.mark.django_db
def test_database_is_written_only_every_n_views(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.VIEW_COUNT_FLUSH_EVERY = 10

    for _ in range(9):
        client.get(article.url)
    after_nine = (stored_count(article), displayed_count(article))
    client.get(article.url)
    after_ten = (stored_count(article), displayed_count(article))
    eleventh = client.get(article.url)

    assert after_nine == (0, 9)
    assert after_ten == (10, 10)
    assert shown_view_count(eleventh) == 11
    assert stored_count(article) == 10


@pytest.mark.django_db
def test_the_view_that_flushes_to_the_database_shows_the_right_count(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.VIEW_COUNT_FLUSH_EVERY = 10

    shown = [shown_view_count(client.get(article.url)) for _ in range(11)]

    assert shown[:9] == list(range(1, 10))
    assert shown[9] == 10
    assert shown[10] == 11


@pytest.mark.django_db
def test_views_served_from_the_page_cache_are_counted(client, article, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.VIEW_COUNT_FLUSH_EVERY = 5
    # Created now, not by the first page rendered (which would purge the cache).
    ContactSettings.for_site(Site.objects.get(is_default_site=True))

    responses = [client.get(article.url) for _ in range(5)]

    assert [r.get("X-Cache") for r in responses] == ["MISS", "HIT", "HIT", "HIT", "HIT"]
    assert displayed_count(article) == 5
    assert stored_count(article) == 5


@pytest.mark.django_db
def test_views_answered_from_the_page_cache_are_counted_together_once_a_second(client, article, settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.VIEW_COUNT_BATCH_SECONDS = 1
    settings.VIEW_COUNT_FLUSH_EVERY = 5
    ContactSettings.for_site(Site.objects.get(is_default_site=True))
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        first = [client.get(article.url) for _ in range(4)]  # rendered once, then three from the cache
        within_the_second = displayed_count(article)
    with time_machine.travel(start + datetime.timedelta(seconds=1.5), tick=False):
        client.get(article.url)
        a_second_later = displayed_count(article)
        client.get(article.url)
    count_gathered_views()  # as the worker stops

    assert [r.get("X-Cache") for r in first] == ["MISS", "HIT", "HIT", "HIT"]
    assert within_the_second == 1
    assert a_second_later == 5 and stored_count(article) == 5
    assert displayed_count(article) == 6


@pytest.mark.django_db
def test_previews_are_not_counted(client, article, superuser, settings):
    settings.PAGE_CACHE_ENABLED = False
    article.title = "理事会会议通知（修订）"
    article.save_revision()
    editor = Client()
    sign_in(editor, superuser)

    previews = [editor.get(reverse("wagtailadmin_pages:view_draft", args=[article.pk])) for _ in range(3)]
    public = client.get(article.url)

    for preview in previews:
        assert preview.status_code == 200
        assert "理事会会议通知（修订）" in preview.content.decode()
    assert shown_view_count(previews[-1]) == 0
    assert shown_view_count(public) == 1
    assert displayed_count(article) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_concurrent_views_are_counted_exactly(article, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.VIEW_COUNT_FLUSH_EVERY = 7
    threads, per_thread = 8, 5
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)
    url = article.url

    def visit():
        try:
            visitor = Client()
            start.wait()
            for _ in range(per_thread):
                statuses.append(visitor.get(url).status_code)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=visit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert errors == []
    assert statuses == [200] * threads * per_thread
    # 40 views: five flushes of 7 written to the database, 5 still pending in the cache.
    assert stored_count(article) == 35
    assert displayed_count(article) == 40
    assert shown_view_count(Client().get(url)) == 41


# Counted by the reader's browser (VIEW_COUNT_BEACON), as when a proxy or CDN serves the page ---------


@pytest.fixture
def beacon(settings):
    settings.VIEW_COUNT_BEACON = True
    settings.PAGE_CACHE_ENABLED = False


@pytest.mark.django_db
def test_with_the_beacon_a_view_is_counted_by_the_browser_not_by_the_page(client, article, beacon):
    page = html(client.get(article.url))
    url = re.search(r'data-count-view="([^"]+)"', page).group(1)

    before = displayed_count(article)
    reported = client.post(url)

    assert before == 0
    assert reported.status_code == 204
    assert displayed_count(article) == 1


@pytest.mark.django_db
def test_the_beacon_counts_nothing_but_published_public_articles(client, article, beacon, home_page):
    draft = NoticePageFactory(parent=article.get_parent(), title="草稿通知", slug="draft", live=False)
    other_page = home_page

    answers = [
        client.post(reverse("count_view", args=[draft.pk])).status_code,
        client.post(reverse("count_view", args=[other_page.pk])).status_code,
        client.post(reverse("count_view", args=[10**9])).status_code,
        client.get(reverse("count_view", args=[article.pk])).status_code,
    ]

    assert answers == [404, 404, 404, 405]
    assert displayed_count(article) == 0


@pytest.mark.django_db
def test_without_the_beacon_the_page_asks_the_browser_for_nothing(client, article, settings):
    settings.PAGE_CACHE_ENABLED = False
    settings.VIEW_COUNT_BEACON = False

    assert "data-count-view" not in html(client.get(article.url))
