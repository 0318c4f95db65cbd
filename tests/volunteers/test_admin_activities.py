"""志愿活动: coordinators create and change activities, keep each roster, and export it."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import translate_page
from tests.volunteers.factories import (
    login,
    make_activity,
    make_campaign,
    make_signup,
    make_volunteer,
    volunteer_index,
)
from volunteers.enums import HoursStatus, SignUpStatus
from volunteers.models import Activity, SignUp

PAST = -datetime.timedelta(hours=4)


def activity_form(campaign, **changes) -> dict:
    starts = (timezone.localtime() + datetime.timedelta(days=10)).replace(hour=9, minute=0, second=0, microsecond=0)
    data = {
        "campaign": campaign.pk,
        "title": "桃源街道独居老人走访",
        "starts_at": f"{starts:%Y-%m-%d %H:%M}",
        "ends_at": f"{starts + datetime.timedelta(hours=3):%Y-%m-%d %H:%M}",
        "place": "中山区桃源街道社区服务中心",
        "district": "zhongshan",
        "places": "5",
        "qualification": "open",
        "description": "两人一组入户陪伴。",
    }
    data.update(changes)
    return data


def edit_data(activity, **changes) -> dict:
    starts, ends = timezone.localtime(activity.starts_at), timezone.localtime(activity.ends_at)
    fields = {
        "title": activity.title,
        "starts_at": f"{starts:%Y-%m-%d %H:%M}",
        "ends_at": f"{ends:%Y-%m-%d %H:%M}",
        "places": str(activity.places),
    }
    return activity_form(activity.campaign, **{**fields, **changes})


def roster(client, activity) -> str:
    return client.get(reverse("volunteer_activities:inspect", args=[activity.pk])).content.decode()


def test_a_coordinator_creates_an_activity_for_a_campaign_in_the_default_language(coordinator, campaign, home_page):
    translate_page(home_page, "zh-hant")
    translate_page(volunteer_index(home_page), "zh-hant")
    traditional = translate_page(campaign, "zh-hant", title="愛心大使|關注老年人抑鬱孤獨")
    client = login(coordinator)

    form = client.get(reverse("volunteer_activities:add")).content.decode()
    assert f'<option value="{campaign.pk}">' in form and campaign.title in form
    assert f'<option value="{traditional.pk}">' not in form and "愛心大使" not in form

    refused = client.post(reverse("volunteer_activities:add"), activity_form(traditional)).content.decode()
    assert "请从列表中选择公益行动。" in refused and not Activity.objects.exists()

    response = client.post(reverse("volunteer_activities:add"), activity_form(campaign))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.campaign_id, activity.title, activity.places, activity.hours) == (
        campaign.pk,
        "桃源街道独居老人走访",
        5,
        3,
    )
    listing = client.get(reverse("volunteer_activities:index")).content.decode()
    assert "桃源街道独居老人走访" in listing and "0/5" in listing


def test_bad_times_and_places_are_refused_with_the_message_next_to_the_field(coordinator, campaign):
    data = activity_form(campaign, places="0")
    data["ends_at"] = data["starts_at"]
    page = login(coordinator).post(reverse("volunteer_activities:add"), data).content.decode()

    assert "结束时间应晚于开始时间。" in page and "名额至少为 1。" in page
    assert 'value="桃源街道独居老人走访"' in page
    assert not Activity.objects.exists()


def test_more_places_promote_the_waiting_list_at_once(
    coordinator, campaign, django_capture_on_commit_callbacks, mailoutbox
):
    activity = make_activity(campaign, places=1)
    make_signup(activity, make_volunteer(full_name="张一"))
    waiting = make_signup(activity, make_volunteer("wait@example.com", full_name="李二"), status=SignUpStatus.WAITING)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            reverse("volunteer_activities:edit", args=[activity.pk]), edit_data(activity, places="2")
        )

    assert response.status_code == 302
    activity.refresh_from_db()
    waiting.refresh_from_db()
    assert activity.places == 2 and waiting.status == SignUpStatus.CONFIRMED
    assert [mail.to for mail in mailoutbox] == [["wait@example.com"]]
    assert activity.title in mailoutbox[0].subject


def test_fewer_places_than_people_confirmed_is_a_form_error(coordinator, campaign):
    activity = make_activity(campaign, places=3)
    make_signup(activity)
    make_signup(activity)

    page = (
        login(coordinator)
        .post(reverse("volunteer_activities:edit", args=[activity.pk]), edit_data(activity, places="1", title="改名"))
        .content.decode()
    )

    assert "已有 2 人报名，名额不能少于这个数。" in page
    assert 'value="1"' in page
    activity.refresh_from_db()
    assert activity.places == 3 and activity.title != "改名"


def test_an_activity_someone_signed_up_for_is_not_deleted(coordinator, campaign):
    kept = make_activity(campaign, title="已有人报名的活动")
    make_signup(kept, status=SignUpStatus.CANCELLED)
    unused = make_activity(campaign, title="无人报名的活动")
    client = login(coordinator)

    refused = client.post(reverse("volunteer_activities:delete", args=[kept.pk]), follow=True).content.decode()
    assert "已经有人报名这个活动，不能删除" in refused
    assert (
        "已经有人报名这个活动，不能删除"
        in client.get(reverse("volunteer_activities:delete", args=[kept.pk]), follow=True).content.decode()
    )
    client.post(reverse("volunteer_activities:delete", args=[unused.pk]))

    assert list(Activity.objects.values_list("title", flat=True)) == ["已有人报名的活动"]


def test_the_roster_lists_confirmed_waiting_in_order_and_cancelled(coordinator, campaign):
    activity = make_activity(campaign, places=2)
    now = timezone.now()
    make_signup(activity, make_volunteer(full_name="张确认"), created_at=now - datetime.timedelta(hours=5))
    make_signup(
        activity,
        make_volunteer(full_name="王候补乙"),
        status=SignUpStatus.WAITING,
        created_at=now - datetime.timedelta(hours=1),
    )
    make_signup(
        activity,
        make_volunteer(full_name="赵候补甲"),
        status=SignUpStatus.WAITING,
        created_at=now - datetime.timedelta(hours=2),
    )
    make_signup(activity, make_volunteer(full_name="钱取消"), status=SignUpStatus.CANCELLED)

    page = roster(login(coordinator), activity)

    confirmed, rest = page.split('id="waiting"')
    waiting, cancelled = rest.split('id="cancelled"')
    assert "张确认" in confirmed and "未填报" in confirmed
    assert re.search(r"<td>1</td>\s*<td[^>]*>赵候补甲</td>.*<td>2</td>\s*<td[^>]*>王候补乙</td>", waiting, re.S)
    assert "钱取消" in cancelled and "钱取消" not in confirmed + waiting
    assert "已报名 1 / 名额 2，候补 2 人" in page
    assert "代为取消报名" in confirmed and 'value="attend"' not in page


def test_attendance_is_recorded_with_the_activitys_length_by_default(coordinator, campaign):
    activity = make_activity(campaign, starts_in=PAST, hours=3)
    came = make_signup(activity, make_volunteer(full_name="张来了"))
    stayed_home = make_signup(activity, make_volunteer(full_name="李没来"))
    client = login(coordinator)
    url = reverse("volunteer_activities:inspect", args=[activity.pk])

    page = roster(client, activity)
    assert f'id="hours-{came.pk}" value="3.0"' in page

    wrong = client.post(url, {"signup": came.pk, "action": "attend", "hours": "三小时"}).content.decode()
    assert "请填写服务时长（小时），如 2.5。" in wrong and 'value="三小时"' in wrong
    came.refresh_from_db()
    assert came.hours_status == HoursStatus.NONE

    done = client.post(url, {"signup": came.pk, "action": "attend", "hours": "2.5"}, follow=True).content.decode()
    client.post(url, {"signup": stayed_home.pk, "action": "absent"})

    came.refresh_from_db()
    stayed_home.refresh_from_db()
    assert (came.hours_status, came.hours_approved, came.hours_reviewed_by) == (
        HoursStatus.APPROVED,
        2.5,
        coordinator,
    )
    assert stayed_home.hours_status == HoursStatus.ABSENT
    assert "已登记张来了出勤 2.5 小时。" in done
    assert "未出席" in roster(client, activity)


@pytest.mark.parametrize("typed", ["NaN", "inf", "-Infinity", "sNaN", "1e99999999", "-2", "9999999999"])
def test_attendance_with_hours_that_are_not_a_number_of_hours_is_refused(coordinator, campaign, typed):
    activity = make_activity(campaign, starts_in=PAST, hours=3)
    came = make_signup(activity, make_volunteer(full_name="张来了"))

    response = login(coordinator).post(
        reverse("volunteer_activities:inspect", args=[activity.pk]),
        {"signup": came.pk, "action": "attend", "hours": typed},
    )

    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "请填写服务时长（小时），如 2.5。" in page or "服务时长应在 0.5 至 24 小时之间。" in page
    came.refresh_from_db()
    assert came.hours_status == HoursStatus.NONE


def test_attendance_waits_for_the_activity_to_start(coordinator, campaign):
    activity = make_activity(campaign)
    signup = make_signup(activity)

    page = (
        login(coordinator)
        .post(
            reverse("volunteer_activities:inspect", args=[activity.pk]),
            {"signup": signup.pk, "action": "attend", "hours": "3"},
        )
        .content.decode()
    )

    assert "活动开始后才能登记出勤。" in page
    signup.refresh_from_db()
    assert signup.hours_status == HoursStatus.NONE


def test_a_coordinator_cancels_for_a_volunteer_and_the_first_waiting_moves_up(
    coordinator, campaign, django_capture_on_commit_callbacks, mailoutbox
):
    activity = make_activity(campaign, places=1)
    placed = make_signup(activity, make_volunteer(full_name="张有事"))
    first = make_signup(activity, make_volunteer("first@example.com", full_name="李第一"), status="waiting")
    make_signup(activity, make_volunteer("second@example.com", full_name="王第二"), status="waiting")

    with django_capture_on_commit_callbacks(execute=True):
        page = (
            login(coordinator)
            .post(
                reverse("volunteer_activities:inspect", args=[activity.pk]),
                {"signup": placed.pk, "action": "cancel"},
                follow=True,
            )
            .content.decode()
        )

    placed.refresh_from_db()
    first.refresh_from_db()
    assert placed.status == SignUpStatus.CANCELLED and first.status == SignUpStatus.CONFIRMED
    assert "已取消张有事的报名。" in page and "候补的李第一已递补" in page
    assert [mail.to for mail in mailoutbox] == [["first@example.com"]]


def test_the_roster_query_count_does_not_grow_with_the_sign_ups(coordinator, campaign, django_assert_max_num_queries):
    activity = make_activity(campaign, places=40, starts_in=PAST)
    make_signup(activity, make_volunteer(full_name="志愿者甲"))
    client = login(coordinator)
    roster(client, activity)
    with CaptureQueriesContext(connection) as few:
        roster(client, activity)
    for index in range(10):
        make_signup(
            activity,
            make_volunteer(full_name=f"志愿者{index}"),
            hours_status=HoursStatus.APPROVED,
            hours_approved="3",
            hours_reviewed_by=coordinator,
        )
        make_signup(activity, make_volunteer(full_name=f"候补者{index}"), status=SignUpStatus.WAITING)
        make_signup(activity, make_volunteer(full_name=f"取消者{index}"), status=SignUpStatus.CANCELLED)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = roster(client, activity)

    assert page.count("志愿者") >= 11 and page.count("候补者") == 10 and page.count("取消者") == 10


def test_the_activity_list_query_count_does_not_grow(coordinator, campaign, home_page, django_assert_max_num_queries):
    make_activity(campaign, title="活动一")
    client = login(coordinator)
    url = reverse("volunteer_activities:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(10):
        activity = make_activity(make_campaign(home_page), places=4, title=f"活动{index + 2}")
        make_signup(activity)
        make_signup(activity, status=SignUpStatus.WAITING)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()

    assert page.count("1/4 · 候补 1") == 10


def test_the_roster_exports_as_csv_for_excel(coordinator, campaign):
    activity = make_activity(campaign, places=1, starts_in=PAST)
    make_signup(
        activity,
        make_volunteer("zhang@example.com", full_name="张确认"),
        hours_status=HoursStatus.APPROVED,
        hours_approved="3.0",
    )
    make_signup(activity, make_volunteer(full_name="李候补"), status=SignUpStatus.WAITING)

    response = login(coordinator).get(reverse("volunteer_activities:export", args=[activity.pk]))

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("序号,姓名,电子邮箱,状态")
    assert lines[1].startswith("1,张确认,zhang@example.com,已报名") and lines[1].endswith("已确认,3.0")
    assert lines[2].startswith("2,李候补,") and ",候补中,1," in lines[2]
    assert SignUp.objects.count() == 2


def test_what_volunteers_typed_cannot_run_as_a_formula_in_the_roster(coordinator, campaign):
    activity = make_activity(campaign, places=2, starts_in=PAST)
    make_signup(
        activity,
        make_volunteer("x@example.com", full_name='=HYPERLINK("http://x")'),
        hours_status=HoursStatus.APPROVED,
        hours_approved="3.0",
    )

    response = login(coordinator).get(reverse("volunteer_activities:export", args=[activity.pk]))

    line = response.content.decode("utf-8-sig").splitlines()[1]
    assert line.startswith('1,"\'=HYPERLINK(""http://x"")",x@example.com,') and line.endswith(",3.0")
