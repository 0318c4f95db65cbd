"""我的志愿服务: a volunteer's own applications, teams, sign-ups, hours and commendations, and reporting hours."""

import datetime
from decimal import Decimal

import pytest

from tests.volunteers.factories import (
    login,
    make_activity,
    make_application,
    make_coordinator,
    make_drive,
    make_signup,
    make_team,
    make_volunteer,
)
from volunteers import services
from volunteers.enums import HoursStatus, SignUpStatus
from volunteers.models import Commendation, SignUp, TeamMembership

pytestmark = pytest.mark.django_db

MY = "/volunteer/my/"
PAST = -datetime.timedelta(days=10)


def _page(browser) -> str:
    response = browser.get(MY)
    assert response.status_code == 200
    return response.content.decode()


def _section(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    end = page.find("<h2", start)
    return page[start : end if end != -1 else None]


def test_my_volunteering_needs_an_account(client):
    response = client.get(MY)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={MY}"


def test_the_account_bar_links_to_it(home_page):
    page = login(make_volunteer()).get("/").content.decode()
    assert f'href="{MY}"' in page and "我的志愿服务" in page


def test_applications_and_teams(home_page):
    volunteer = make_volunteer()
    coordinator = make_coordinator()
    accepted = make_drive(home_page, title="招募心理剧社社员", team=make_team("心理剧社"))
    rejected = make_drive(home_page, title="招募反家暴志愿者", team=make_team("反家暴志愿者联盟"))
    pending = make_drive(home_page, title="招募热线接线员", team=make_team("热线组"))
    services.accept(make_application(accepted, volunteer), by=coordinator)
    services.reject(make_application(rejected, volunteer), by=coordinator, note="需要持证心理咨询师。")
    make_application(pending, volunteer)

    page = _page(login(volunteer))

    applications = _section(page, "我的招募报名")
    for text in (
        "招募心理剧社社员",
        "已通过",
        "招募反家暴志愿者",
        "未通过",
        "需要持证心理咨询师。",
        "招募热线接线员",
        "待审核",
    ):
        assert text in applications, text
    assert f'href="{pending.url}apply/"' in applications
    teams = _section(page, "我的团队")
    assert "心理剧社" in teams and "反家暴志愿者联盟" not in teams


def test_upcoming_sign_ups_with_cancel_buttons_and_waiting_places(campaign):
    volunteer = make_volunteer()
    soon = make_activity(campaign, title="社区老人陪伴走访", starts_in=datetime.timedelta(days=2))
    full = make_activity(campaign, title="养老院团体辅导", places=1, starts_in=datetime.timedelta(days=5))
    services.sign_up(soon, volunteer)
    services.sign_up(full, make_volunteer())
    services.sign_up(full, make_volunteer())
    services.sign_up(full, volunteer)
    cancelled = make_activity(campaign, title="已经取消的活动")
    services.cancel(services.sign_up(cancelled, volunteer), by=volunteer)

    page = _page(login(volunteer))

    upcoming = _section(page, "即将参加的活动")
    assert upcoming.index("社区老人陪伴走访") < upcoming.index("养老院团体辅导")
    assert "已报名" in upcoming and "候补第2位" in upcoming
    assert "取消报名" in upcoming and "取消候补" in upcoming
    assert f'action="/volunteer/activities/{soon.pk}/cancel/"' in upcoming
    assert 'name="next" value="/volunteer/my/"' in upcoming
    assert "已经取消的活动" not in page
    assert 'name="csrfmiddlewaretoken"' in upcoming


def test_past_activities_with_each_hours_status_and_the_total(campaign):
    volunteer = make_volunteer()
    coordinator = make_coordinator()
    not_reported = make_signup(make_activity(campaign, title="活动未填报", starts_in=PAST), volunteer)
    reported = make_signup(make_activity(campaign, title="活动待确认", starts_in=PAST), volunteer)
    services.report_hours(reported, by=volunteer, hours="2.5")
    corrected = make_signup(make_activity(campaign, title="活动已确认", starts_in=PAST), volunteer)
    services.report_hours(corrected, by=volunteer, hours="4")
    services.approve_hours(corrected, by=coordinator, hours="3", note="活动 17:00 结束，按 3 小时计。")
    absent = make_signup(make_activity(campaign, title="活动未出席", starts_in=PAST), volunteer)
    services.record_attendance(absent.activity, volunteer, by=coordinator, attended=False)
    Commendation.objects.create(year=2025, volunteer=volunteer, title="优秀志愿者", hours=Decimal("48"))

    page = _page(login(volunteer))

    done = _section(page, "参加过的活动")

    def card(title):
        start = done.index(title)
        return done[start : done.find("</article>", start)]

    assert "未填报" in card("活动未填报") and f'action="/volunteer/my/hours/{not_reported.pk}/"' in card("活动未填报")
    assert "待确认" in card("活动待确认") and "已填报 2.5 小时" in card("活动待确认")
    assert "已确认" in card("活动已确认") and "服务时长 3.0 小时" in card("活动已确认")
    assert "活动 17:00 结束，按 3 小时计。" in card("活动已确认")
    assert "/hours/" not in card("活动已确认")
    assert "未出席" in card("活动未出席")
    assert "3.0 小时" in _section(page, "服务时长")
    assert "/volunteer/my/certificate.pdf" in page
    assert "2025 年度优秀志愿者" in _section(page, "所获表彰")


def test_no_certificate_link_before_any_hours_are_confirmed(campaign):
    volunteer = make_volunteer()
    make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    page = _page(login(volunteer))
    assert "/volunteer/my/certificate.pdf" not in page
    assert "0.0 小时" in _section(page, "服务时长")


def test_people_see_only_their_own_records(home_page, campaign):
    mine, theirs = make_volunteer(), make_volunteer()
    make_signup(make_activity(campaign, title="我的活动", starts_in=PAST), mine)
    make_signup(make_activity(campaign, title="别人的活动", starts_in=PAST), theirs)
    make_signup(make_activity(campaign, title="别人即将参加的活动"), theirs)
    make_application(make_drive(home_page, title="别人报名的招募"), theirs)
    TeamMembership.objects.create(team=make_team("别人的团队"), volunteer=theirs)
    Commendation.objects.create(year=2025, volunteer=theirs, hours=Decimal("30"), title="别人的表彰")

    page = _page(login(mine))

    assert "我的活动" in page
    for text in ("别人的活动", "别人即将参加的活动", "别人报名的招募", "别人的团队", "别人的表彰"):
        assert text not in page, text


@pytest.mark.parametrize("count", [2, 8])
def test_the_page_takes_the_same_queries_for_any_number_of_records(
    home_page, campaign, count, django_assert_max_num_queries
):
    volunteer = make_volunteer()
    for _ in range(count):
        make_signup(make_activity(campaign, starts_in=PAST), volunteer, hours_status=HoursStatus.REPORTED)
        full = make_activity(campaign, places=1)
        services.sign_up(full, make_volunteer())
        services.sign_up(full, volunteer)
        make_application(make_drive(home_page), volunteer)
        TeamMembership.objects.create(team=make_team(f"团队{_}{count}"), volunteer=volunteer)
    browser = login(volunteer)
    browser.get(MY)

    with django_assert_max_num_queries(12):
        page = _page(browser)
    assert page.count("候补第1位") == count


# Reporting hours ----------------------------------------------------------------------------------


def test_reporting_hours_after_the_activity(campaign):
    volunteer = make_volunteer()
    signup = make_signup(make_activity(campaign, starts_in=PAST, hours=3), volunteer)
    browser = login(volunteer)

    form = browser.get(f"/volunteer/my/hours/{signup.pk}/").content.decode()
    assert 'value="3.0"' in form or 'value="3"' in form

    response = browser.post(f"/volunteer/my/hours/{signup.pk}/", {"hours": "2.5", "note": "提前半小时离开。"})

    assert response.status_code == 302 and response["Location"] == MY
    signup.refresh_from_db()
    assert (signup.hours_status, signup.hours_reported, signup.hours_note) == (
        HoursStatus.REPORTED,
        Decimal("2.5"),
        "提前半小时离开。",
    )
    assert "服务时长已提交" in _page(browser)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请填写服务时长（小时），如 2.5。"),
        ("三小时", "请填写服务时长（小时），如 2.5。"),
        ("30", "服务时长应在 0.5 至 24 小时之间。"),
        ("NaN", "请填写服务时长（小时），如 2.5。"),
        ("-nan", "请填写服务时长（小时），如 2.5。"),
        ("sNaN", "请填写服务时长（小时），如 2.5。"),
        ("inf", "请填写服务时长（小时），如 2.5。"),
        ("-inf", "请填写服务时长（小时），如 2.5。"),
        ("1e9999", "请填写服务时长（小时），如 2.5。"),
        ("-3", "服务时长应在 0.5 至 24 小时之间。"),
        ("999999", "服务时长应在 0.5 至 24 小时之间。"),
    ],
)
def test_wrong_hours_are_refused_with_the_reason_and_what_was_typed(campaign, typed, message):
    volunteer = make_volunteer()
    signup = make_signup(make_activity(campaign, starts_in=PAST), volunteer)

    response = login(volunteer).post(f"/volunteer/my/hours/{signup.pk}/", {"hours": typed, "note": "我的说明"})

    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "我的说明" in page
    if typed:
        assert f'value="{typed}"' in page
    signup.refresh_from_db()
    assert signup.hours_status == HoursStatus.NONE


def test_hours_of_someone_elses_sign_up_are_not_found(campaign):
    signup = make_signup(make_activity(campaign, starts_in=PAST), make_volunteer())
    browser = login(make_volunteer())
    assert browser.get(f"/volunteer/my/hours/{signup.pk}/").status_code == 404
    assert browser.post(f"/volunteer/my/hours/{signup.pk}/", {"hours": "2"}).status_code == 404
    signup.refresh_from_db()
    assert signup.hours_status == HoursStatus.NONE


def test_hours_cannot_be_reported_before_the_activity_or_once_confirmed(campaign):
    volunteer = make_volunteer()
    future = make_signup(make_activity(campaign), volunteer)
    approved = make_signup(make_activity(campaign, starts_in=PAST), volunteer)
    services.approve_hours(approved, by=make_coordinator(), hours="3")
    browser = login(volunteer)

    assert "活动开始后才能填报时长。" in browser.get(f"/volunteer/my/hours/{future.pk}/").content.decode()
    browser.post(f"/volunteer/my/hours/{future.pk}/", {"hours": "2"})
    response = browser.post(f"/volunteer/my/hours/{approved.pk}/", {"hours": "5"}, follow=True)

    assert "服务时长已经确认" in response.content.decode()
    future.refresh_from_db()
    approved.refresh_from_db()
    assert future.hours_status == HoursStatus.NONE
    assert (approved.hours_status, approved.hours_approved) == (HoursStatus.APPROVED, Decimal("3"))
    assert SignUp.objects.filter(status=SignUpStatus.CONFIRMED).count() == 2
