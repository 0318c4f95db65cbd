"""服务时长: the queue of hours volunteers reported, confirmed as reported or corrected with a note;
and the coordinators' dashboard panel, which counts what waits for them."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.volunteers.factories import (
    login,
    make_activity,
    make_application,
    make_campaign,
    make_drive,
    make_signup,
    make_volunteer,
)
from volunteers.enums import HoursStatus, SignUpStatus


@pytest.fixture
def held(home_page):
    """An activity held yesterday, three hours long."""
    return make_activity(make_campaign(home_page), starts_in=-datetime.timedelta(days=1), hours=3, title="社区走访")


def reported(activity, name: str, hours: str, *, days_ago: int, note: str = ""):
    return make_signup(
        activity,
        make_volunteer(full_name=name),
        hours_status=HoursStatus.REPORTED,
        hours_reported=Decimal(hours),
        hours_note=note,
        hours_reported_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_queue_lists_reported_hours_oldest_first(coordinator, held):
    reported(held, "王新报", "3", days_ago=0)
    reported(held, "李早报", "2.5", days_ago=3, note="提前离开半小时")
    make_signup(held, make_volunteer(full_name="赵已确认"), hours_status=HoursStatus.APPROVED, hours_approved=3)
    make_signup(held, make_volunteer(full_name="钱未填报"))

    page = login(coordinator).get(reverse("volunteer_hours:index")).content.decode()

    assert re.search(r"李早报.*提前离开半小时.*王新报", page, re.S)
    assert "赵已确认" not in page and "钱未填报" not in page
    assert "社区走访" in page


def test_hours_are_confirmed_as_reported_one_by_one_or_the_ones_ticked(coordinator, held):
    one = reported(held, "王一", "3", days_ago=2)
    two = reported(held, "李二", "2.5", days_ago=1)
    three = reported(held, "张三", "3", days_ago=0)
    client = login(coordinator)
    url = reverse("volunteer_hours:index")

    single = client.post(url, {"approve": one.pk, "selected": [two.pk]}, follow=True).content.decode()
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.hours_status, one.hours_approved, one.hours_reviewed_by) == (
        HoursStatus.APPROVED,
        Decimal("3"),
        coordinator,
    )
    assert two.hours_status == HoursStatus.REPORTED
    assert "已按填报确认 1 条服务时长。" in single

    nothing = client.post(url, {"approve_selected": "1"}, follow=True).content.decode()
    assert "请先勾选要确认的服务时长。" in nothing

    bulk = client.post(url, {"approve_selected": "1", "selected": [two.pk, three.pk]}, follow=True).content.decode()
    two.refresh_from_db()
    three.refresh_from_db()
    assert (two.hours_approved, three.hours_approved) == (Decimal("2.5"), Decimal("3"))
    assert "已按填报确认 2 条服务时长。" in bulk and "没有等待确认的服务时长。" in bulk


def test_a_correction_needs_a_note_the_volunteer_will_read(coordinator, held):
    signup = reported(held, "王多报", "5", days_ago=1)
    client = login(coordinator)
    url = reverse("volunteer_hours:correct", args=[signup.pk])

    form = client.get(url).content.decode()
    assert 'value="5.0"' in form and "王多报" in form

    no_note = client.post(url, {"hours": "3", "note": ""}).content.decode()
    assert "修改了填报的时长，请说明原因，志愿者会看到它。" in no_note and 'value="3"' in no_note
    bad = client.post(url, {"hours": "30", "note": "按签到表"}).content.decode()
    assert "服务时长应在 0.5 至 24 小时之间。" in bad and "按签到表" in bad
    signup.refresh_from_db()
    assert signup.hours_status == HoursStatus.REPORTED

    done = client.post(url, {"hours": "3", "note": "活动实际为三小时，按签到表确认。"}, follow=True).content.decode()
    signup.refresh_from_db()
    assert (signup.hours_status, signup.hours_approved, signup.hours_review_note) == (
        HoursStatus.APPROVED,
        Decimal("3"),
        "活动实际为三小时，按签到表确认。",
    )
    assert "已确认王多报的服务时长 3.0 小时。" in done
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NaN", "请填写服务时长（小时），如 2.5。"),
        ("-Infinity", "请填写服务时长（小时），如 2.5。"),
        ("1e99999999", "请填写服务时长（小时），如 2.5。"),
        ("-5", "服务时长应在 0.5 至 24 小时之间。"),
        ("9999999999", "服务时长应在 0.5 至 24 小时之间。"),
    ],
)
def test_a_correction_to_hours_that_are_not_a_number_of_hours_is_refused(coordinator, held, typed, message):
    signup = reported(held, "王多报", "5", days_ago=1)

    response = login(coordinator).post(
        reverse("volunteer_hours:correct", args=[signup.pk]), {"hours": typed, "note": "按签到表"}
    )

    assert response.status_code == 200 and message in response.content.decode()
    signup.refresh_from_db()
    assert signup.hours_status == HoursStatus.REPORTED


def test_the_queue_query_count_does_not_grow(coordinator, held, django_assert_max_num_queries):
    reported(held, "志愿者零", "3", days_ago=1)
    client = login(coordinator)
    url = reverse("volunteer_hours:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(12):
        reported(held, f"志愿者{index}", "3", days_ago=1)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()

    assert page.count('name="selected"') == 13


# The dashboard panel ---------------------------------------------------------------------------------

WEDNESDAY = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def week_activity(campaign, title: str, *, days: int, places: int = 2):
    return make_activity(campaign, title=title, places=places, starts_in=datetime.timedelta(days=days))


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_panel_counts_what_waits_and_shows_this_weeks_activities(coordinator, home_page):
    campaign = make_campaign(home_page)
    drive = make_drive(home_page)
    make_application(drive)
    make_application(drive)
    friday = week_activity(campaign, "周五社区走访", days=2, places=2)
    make_signup(friday)
    make_signup(friday)
    make_signup(friday, status=SignUpStatus.WAITING)
    week_activity(campaign, "周一讲座", days=-2)
    week_activity(campaign, "下周二讲座", days=6)
    held = week_activity(campaign, "上周活动", days=-7)
    make_signup(held, hours_status=HoursStatus.REPORTED, hours_reported=3)

    panel = login(coordinator).get(reverse("wagtailadmin_home")).content.decode()

    assert re.search(r"<strong>2</strong>\s*份志愿者报名待审核", panel)
    assert re.search(r"<strong>1</strong>\s*条服务时长待确认", panel)
    assert "本周活动（05-11 至 05-17）" in panel
    assert re.search(r"周五社区走访</a></td>\s*<td>2/2</td>\s*<td>1</td>", panel)
    assert "周一讲座" in panel and "下周二讲座" not in panel and "上周活动" not in panel


@time_machine.travel(WEDNESDAY, tick=False)
def test_the_panel_query_count_does_not_grow_with_the_activities(coordinator, home_page, django_assert_max_num_queries):
    campaign = make_campaign(home_page)
    week_activity(campaign, "活动零", days=1)
    client = login(coordinator)
    url = reverse("wagtailadmin_home")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(8):
        activity = week_activity(campaign, f"本周活动{index}", days=index % 4)
        make_signup(activity)
        make_signup(activity, status=SignUpStatus.WAITING)

    with django_assert_max_num_queries(len(few.captured_queries)):
        panel = client.get(url).content.decode()

    assert panel.count("本周活动") >= 9
