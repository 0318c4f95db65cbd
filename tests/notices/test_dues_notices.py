"""A dues notice leads to paying: the year's amounts read live from its rates, the due date, and the way to
pay for each reader; 会费缴纳 leads to the current year's open dues notice, never to a closed one."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from home.models import JoinGuidePage
from members.models import DuesRate
from portal.roles import MEMBERSHIP_OFFICERS
from tests.conftest import make_user, sign_in, translate_page
from tests.members.factories import make_member, make_period
from tests.notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date
TODAY = DAY(2026, 2, 10)


@pytest.fixture(autouse=True)
def _today():
    """The dues year 2026: its dues fall due on 31 March."""
    moment = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


@pytest.fixture
def period(db):
    return make_period(2026, rates={"个人会员": "200.00", "团体会员": "2000.00"})


@pytest.fixture
def dues_notice(index, period):
    return NoticePageFactory(parent=index, title="关于交纳2026年会费的通知", slug="dues-2026", dues_period=period)


def panel(html: str) -> str:
    found = re.search(r'<section class="dues-panel".*?</section>', html, re.S)
    return found.group(0) if found else ""


def button(html: str) -> tuple[str, str]:
    """(address, words) of the dues panel's button."""
    link = re.search(r'<a class="button" href="([^"]*)">([^<]*)</a>', panel(html))
    return link.group(1).replace("&amp;", "&"), link.group(2)


def rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><th scope="row">([^<]*)</th><td>([^<]*)</td></tr>', panel(html))


# What the notice shows --------------------------------------------------------------------------


def test_dues_notice_shows_the_amount_of_each_membership_type_and_the_due_date(client, dues_notice):
    html = client.get(dues_notice.url).content.decode()

    assert "2026年度会费" in panel(html)
    assert rows(html) == [("个人会员", "200元/年"), ("团体会员", "2000元/年")]
    assert "交纳截止日期" in panel(html) and "2026-03-31" in panel(html)
    assert "宽限期至" not in panel(html)  # not overdue yet


@pytest.mark.parametrize(
    ("prefix", "heading", "expected_rows", "due"),
    [
        ("/zh-hant/", "2026年度會費", [("個人會員", "200元/年"), ("團體會員", "2000元/年")], "繳納截止日期"),
        (
            "/en/",
            "Membership dues for 2026",
            [("Individual member", "¥200 a year"), ("Institutional member", "¥2000 a year")],
            "Due by",
        ),
    ],
)
def test_dues_notice_in_other_languages(client, home_page, index, dues_notice, prefix, heading, expected_rows, due):
    language = prefix.strip("/")
    translate_page(home_page, language)
    translate_page(index, language)
    translation = translate_page(dues_notice, language)

    html = client.get(translation.url).content.decode()

    assert translation.url.startswith(prefix)
    assert heading in panel(html)
    assert rows(html) == expected_rows
    assert due in panel(html)


def test_the_amounts_are_read_live_from_the_rates(client, dues_notice, period, django_capture_on_commit_callbacks):
    assert ("个人会员", "200元/年") in rows(client.get(dues_notice.url).content.decode())
    assert client.get(dues_notice.url)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        rate = DuesRate.objects.get(period=period, membership_type__name="个人会员")
        rate.amount = Decimal("240.00")
        rate.save()

    assert ("个人会员", "240元/年") in rows(client.get(dues_notice.url).content.decode())


def test_overdue_dues_show_the_end_of_the_grace_period(client, dues_notice):
    with time_machine.travel(datetime.datetime(2026, 4, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        html = client.get(dues_notice.url).content.decode()

    assert "宽限期至" in panel(html) and "2026-06-29" in panel(html)


def test_a_dues_notice_names_one_deadline_the_due_date(client, index, period):
    # The notice stays open until the grace ends; the reader is told the due date, not two deadlines.
    notice = NoticePageFactory(
        parent=index, slug="dues", dues_period=period, closing_date=period.grace_ends, title="关于交纳2026年会费的通知"
    )
    other = NoticePageFactory(parent=index, slug="council", closing_date=datetime.date(2026, 3, 1))

    html = client.get(notice.url).content.decode()

    assert "截止日期" in panel(html) and html.count("截止日期") == 1
    assert period.grace_ends.isoformat() not in html
    assert "截止日期" in client.get(other.url).content.decode()


def test_a_notice_without_a_dues_year_has_no_dues_panel(client, index):
    notice = NoticePageFactory(parent=index, title="理事会会议通知")

    assert panel(client.get(notice.url).content.decode()) == ""


# The button, by who is reading -------------------------------------------------------------------


def test_anonymous_readers_sign_in_first_then_reach_the_member_centre(client, dues_notice):
    address, words = button(client.get(dues_notice.url).content.decode())

    assert address == reverse("account_login") + "?next=" + reverse("membership_home")
    assert words == "登录后交纳会费"
    assert client.get(address).status_code == 200


def test_members_go_straight_to_the_member_centre(client, dues_notice):
    sign_in(client, make_member("wang@example.com", number="DL-2020-0007").user)

    address, words = button(client.get(dues_notice.url).content.decode())

    assert (address, words) == (reverse("membership_home"), "立即交纳会费")
    assert client.get(address).status_code == 200


def test_a_signed_in_non_member_is_shown_the_join_guide(client, home_page, dues_notice):
    guide = home_page.add_child(instance=JoinGuidePage(title="入会指南", slug="join"))
    sign_in(client, make_user("visitor@example.com"))

    address, words = button(client.get(dues_notice.url).content.decode())

    assert (address, words) == (guide.url, "了解如何入会")


def test_without_a_join_guide_a_non_member_is_shown_the_application(client, dues_notice):
    sign_in(client, make_user("visitor@example.com"))

    assert button(client.get(dues_notice.url).content.decode())[0] == reverse("membership_apply")


def test_staff_who_are_not_members_are_not_offered_to_pay(client, dues_notice):
    sign_in(client, make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,)))

    assert button(client.get(dues_notice.url).content.decode())[1] == "了解如何入会"


# 会费缴纳: the current dues notice ------------------------------------------------------------------


def current_dues(client, index) -> str:
    response = client.get(index.url + "current-dues/")
    assert response.status_code == 302
    return response["Location"]


def test_current_dues_leads_to_this_years_open_notice(client, index, period, dues_notice):
    NoticePageFactory(parent=index, slug="dues-2025", dues_period=make_period(2025), date=DAY(2025, 1, 5))
    NoticePageFactory(parent=index, slug="dues-2027", dues_period=make_period(2027), date=DAY(2026, 2, 1))
    NoticePageFactory(parent=index, slug="council", date=DAY(2026, 2, 9))

    assert current_dues(client, index) == dues_notice.url


def test_current_dues_never_leads_to_a_closed_notice(client, index, period):
    NoticePageFactory(parent=index, slug="closed", dues_period=period, closing_date=DAY(2026, 2, 9))
    open_one = NoticePageFactory(
        parent=index, slug="reminder", dues_period=period, closing_date=DAY(2026, 2, 10), date=DAY(2025, 12, 1)
    )

    assert current_dues(client, index) == open_one.url

    with time_machine.travel(datetime.datetime(2026, 2, 11, 0, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        assert current_dues(client, index) == reverse("membership_home")


def test_without_a_current_dues_notice_it_leads_to_the_member_centre(client, index):
    NoticePageFactory(parent=index, slug="dues-2025", dues_period=make_period(2025), date=DAY(2025, 1, 5))

    assert current_dues(client, index) == reverse("membership_home")


def test_current_dues_stays_in_the_readers_language(client, home_page, index, dues_notice):
    translate_page(home_page, "zh-hant")
    hant_index = translate_page(index, "zh-hant")
    hant_notice = translate_page(dues_notice, "zh-hant")

    assert current_dues(client, hant_index) == hant_notice.url
    assert current_dues(client, index) == dues_notice.url


def test_a_draft_dues_notice_is_not_current(client, index, dues_notice):
    dues_notice.unpublish()

    assert current_dues(client, index) == reverse("membership_home")
