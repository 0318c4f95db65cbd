"""A campaign's last place in a real browser: one volunteer takes it, another joins the waiting list
from a phone, the first cancels from 我的志愿服务 and the second moves up and is e-mailed. The
activity's calendar file opens in any calendar."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.volunteers.factories import make_activity, make_campaign, make_volunteer
from volunteers import services
from volunteers.enums import SignUpStatus
from volunteers.models import SignUp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Xinli-Volunteer-2026"  # noqa: S105
TIMEOUT_MS = 20_000
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# The campaign page as a volunteer sees it on a phone, for people to look at.
PHONE_SCREENSHOT = "/tmp/volunteer-campaign-phone.png"  # noqa: S108

ACTIVITY = "社区独居老人陪伴走访"


@pytest.fixture(autouse=True)
def _patient_expectations():
    """Each step waits up to TIMEOUT_MS for what a person should see (a fresh page, a redirect)."""
    expect.set_options(timeout=TIMEOUT_MS)
    yield
    expect.set_options(timeout=None)


def _tomorrow_morning() -> datetime.datetime:
    """10:00 tomorrow in the association's time zone: the activity is a week later, whatever the hour now."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(10, 0)))


def _volunteer(email: str, full_name: str):
    user = make_user(email, password=PASSWORD)
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


def _signed_in(browser, live_server, email: str, name: str, **device):
    """A browser of its own (a phone with `device`), signed in through the site's login form; the
    account bar then greets the volunteer by name."""
    tab = browser.new_context(base_url=live_server.url, locale="zh-CN", **device).new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    tab.goto("/accounts/login/")
    tab.get_by_label("电子邮件").fill(email)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("main").get_by_role("button", name="登录").click()
    expect(tab.locator(".account-bar__name")).to_have_text(name)
    return tab


def test_the_last_place_goes_to_the_waiting_list_when_its_holder_cancels(browser, live_server, home_page):
    with time_machine.travel(_tomorrow_morning(), tick=True):
        campaign = make_campaign(home_page, theme="关注老年人抑郁孤独")
        activity = make_activity(campaign, title=ACTIVITY, places=3, starts_in=datetime.timedelta(days=7))
        for _taken in range(2):
            services.sign_up(activity, make_volunteer())
        first = _volunteer("liu.fang@example.com", "刘芳")
        second = _volunteer("chen.jie@example.com", "陈杰")
        sent_before = len(mail.outbox)

        # 1. The first volunteer takes the last place.
        a = _signed_in(browser, live_server, "liu.fang@example.com", "刘芳")
        a.goto(campaign.url)
        expect(a.get_by_role("heading", level=1)).to_have_text(campaign.title)
        card = a.get_by_role("article", name=ACTIVITY)
        expect(card).to_contain_text("剩余 1 个名额")
        card.get_by_role("button", name="报名", exact=True).click()
        expect(a).to_have_url(re.compile(rf"{re.escape(campaign.url)}#activity-{activity.pk}$"))
        card = a.get_by_role("article", name=ACTIVITY)
        expect(card.locator(".message--success")).to_have_text(f"报名成功：“{ACTIVITY}”。活动前一天会邮件提醒您。")
        expect(card.locator(".card__meta")).to_contain_text("已满")
        expect(card.locator(".card__meta")).to_contain_text("已报名")
        expect(card.get_by_role("button", name="取消报名")).to_be_visible()

        # 2. The second, on a phone, finds it full and joins the waiting list.
        b = _signed_in(browser, live_server, "chen.jie@example.com", "陈杰", **PHONE)
        b.goto(campaign.url)
        card = b.get_by_role("article", name=ACTIVITY)
        expect(card).to_contain_text("共 3 人，已满，0 人候补")
        expect(card.get_by_role("button", name="报名", exact=True)).to_have_count(0)
        card.get_by_role("button", name="加入候补").click()
        card = b.get_by_role("article", name=ACTIVITY)
        expect(card.locator(".messages")).to_contain_text("您在候补名单第 1 位")
        expect(card.locator(".card__meta")).to_contain_text("候补第1位")
        expect(card).to_contain_text("共 3 人，已满，1 人候补")
        expect(card.get_by_role("button", name="取消候补")).to_be_visible()
        b.screenshot(path=PHONE_SCREENSHOT, full_page=True)
        assert SignUp.objects.get(volunteer=second).status == SignUpStatus.WAITING

        # 3. The first cancels from 我的志愿服务.
        a.locator(".account-bar").get_by_role("link", name="我的志愿服务").click()
        expect(a).to_have_url(re.compile(r"/volunteer/my/$"))
        upcoming = a.locator("section").filter(has=a.get_by_role("heading", name="即将参加的活动"))
        entry = upcoming.get_by_role("article").filter(has_text=ACTIVITY)
        expect(entry).to_contain_text("已报名")
        entry.get_by_role("button", name="取消报名").click()
        expect(a).to_have_url(re.compile(r"/volunteer/my/$"))
        expect(a.locator("main")).to_contain_text(f"已取消“{ACTIVITY}”的报名。")
        expect(upcoming).to_contain_text("您还没有报名即将开始的活动。")
        a.context.close()

        # 4. The second has moved up: the page shows the place, and the e-mail says so.
        b.reload()
        card = b.get_by_role("article", name=ACTIVITY)
        expect(card.locator(".card__meta")).to_contain_text("已报名")
        expect(card.locator(".card__meta")).not_to_contain_text("候补第")
        expect(card.get_by_role("button", name="取消报名")).to_be_visible()
        assert SignUp.objects.get(volunteer=second).status == SignUpStatus.CONFIRMED
        assert SignUp.objects.get(volunteer=first).status == SignUpStatus.CANCELLED
        to_second = [message for message in mail.outbox[sent_before:] if message.to == ["chen.jie@example.com"]]
        assert [message.subject for message in to_second] == [
            f"已进入候补名单：{ACTIVITY}",
            f"候补成功，您已获得名额：{ACTIVITY}",
        ]
        assert "陈杰，您好" in to_second[-1].body

        # 5. The calendar file of the activity, as a phone downloads it.
        with b.expect_download() as download:
            b.get_by_role("article", name=ACTIVITY).get_by_role("link", name="加入日历（.ics）").click()
        assert download.value.suggested_filename == f"activity-{activity.pk}.ics"
        calendar = icalendar.Calendar.from_ical(download.value.path().read_bytes())
        (event,) = calendar.walk("VEVENT")
        assert str(event["summary"]) == ACTIVITY
        assert event.decoded("dtstart") == activity.starts_at
        assert event.decoded("dtend") == activity.ends_at
        assert "中山区桃源街道社区服务中心" in str(event["location"])
        assert "陈杰" not in calendar.to_ical().decode()
        b.context.close()
