"""置顶 ends: a pin lasts until its end date, a closed notice is never pinned above open ones, and a
listing served from the page cache stops showing a pin that has ended."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.date


def at(day: datetime.date, hour: int = 10, minute: int = 0, second: int = 0):
    """Frozen at this local time in Dalian."""
    moment = datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)
    return time_machine.travel(moment, tick=False)


def cards(html: str) -> list[tuple[str, bool, bool]]:
    """(title, shown as pinned, shown as closed) of each listing card, in order."""
    found = []
    for card in re.findall(r'<article class="card.*?</article>', html, re.S):
        title = re.search(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>', card).group(1)
        found.append((title, "badge--pinned" in card, "badge--closed" in card))
    return found


def home_headlines(html: str) -> list[tuple[str, bool]]:
    panel = html.split('id="notices-title"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", panel, re.S)
    return [(re.search(r'<a href="[^"]*">([^<]*)</a>', item).group(1), "badge--pinned" in item) for item in items]


@pytest.fixture
def scene(index):
    """A notice pinned until 31 May, one pinned for good, a pinned one that closed, and the newest one."""
    NoticePageFactory(
        parent=index, title="五月置顶的通知", date=DAY(2026, 3, 1), pinned=True, pinned_until=DAY(2026, 5, 31)
    )
    NoticePageFactory(parent=index, title="一直置顶的通知", date=DAY(2026, 2, 1), pinned=True)
    NoticePageFactory(
        parent=index, title="已截止的置顶通知", date=DAY(2026, 4, 1), pinned=True, closing_date=DAY(2026, 4, 30)
    )
    NoticePageFactory(parent=index, title="最新的普通通知", date=DAY(2026, 5, 1), closing_date=DAY(2026, 12, 31))
    return index


def test_a_pin_lasts_through_its_end_date(client, scene):
    with at(DAY(2026, 5, 31)):
        listed = cards(client.get(scene.url).content.decode())

    assert listed == [
        ("五月置顶的通知", True, False),
        ("一直置顶的通知", True, False),
        ("最新的普通通知", False, False),
        ("已截止的置顶通知", False, True),
    ]


def test_an_ended_pin_is_an_ordinary_notice(client, scene):
    with at(DAY(2026, 6, 1)):
        listed = cards(client.get(scene.url).content.decode())

    assert listed == [
        ("一直置顶的通知", True, False),
        ("最新的普通通知", False, False),
        ("已截止的置顶通知", False, True),
        ("五月置顶的通知", False, False),
    ]


def test_a_closed_notice_is_never_pinned_above_open_ones_on_the_home_page(client, scene):
    with at(DAY(2026, 6, 1)):
        headlines = home_headlines(client.get("/").content.decode())

    assert headlines == [
        ("一直置顶的通知", True),
        ("最新的普通通知", False),
        ("已截止的置顶通知", False),
        ("五月置顶的通知", False),
    ]


def test_notice_page_says_whether_it_is_pinned_or_closed(client, scene):
    ended = scene.get_children().get(title="五月置顶的通知")
    closed = scene.get_children().get(title="已截止的置顶通知")

    with at(DAY(2026, 5, 31)):
        assert 'badge--pinned">置顶' in client.get(ended.url).content.decode()
    with at(DAY(2026, 6, 1)):
        ended_html = client.get(ended.url).content.decode()
        closed_html = client.get(closed.url).content.decode()

    assert "badge--pinned" not in ended_html and "badge--closed" not in ended_html
    assert 'badge--closed">已截止' in closed_html
    assert "2026-04-30" in closed_html  # its closing date


@pytest.mark.parametrize("url", ["index", "home"])
def test_the_cached_listing_stops_showing_an_ended_pin_at_midnight(client, scene, url):
    """The page cache keeps a listing for ten minutes, and its id lists five: neither may outlive the day."""
    address = scene.url if url == "index" else "/"
    show = cards if url == "index" else home_headlines

    with at(DAY(2026, 5, 31), 23, 58):
        first = client.get(address)
        again = client.get(address)
    with at(DAY(2026, 6, 1), 0, 0, 30):
        after_midnight = client.get(address)

    if url == "index":
        assert first["X-Cache"] == "MISS" and again["X-Cache"] == "HIT"  # control: the page cache is on
        assert after_midnight["X-Cache"] == "MISS"
    assert show(again.content.decode())[0][:2] == ("五月置顶的通知", True)
    assert show(after_midnight.content.decode())[0][:2] == ("一直置顶的通知", True)
    assert ("五月置顶的通知", False) in [entry[:2] for entry in show(after_midnight.content.decode())]


def test_the_notice_centre_is_cached_no_later_than_midnight(client, scene):
    with at(DAY(2026, 5, 31), 23, 50):
        response = client.get(scene.url)

    assert response.page_cache_seconds == 10 * 60 + 1


def test_a_notice_closes_at_midnight_even_when_cached(client, index):
    notice = NoticePageFactory(parent=index, title="报名通知", closing_date=DAY(2026, 5, 31))

    with at(DAY(2026, 5, 31), 23, 59):
        assert "badge--closed" not in client.get(notice.url).content.decode()
        assert client.get(notice.url)["X-Cache"] == "HIT"
    with at(DAY(2026, 6, 1), 0, 0, 30):
        assert 'badge--closed">已截止' in client.get(notice.url).content.decode()
