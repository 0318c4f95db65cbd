"""Signing up for an activity and cancelling, from the campaign page: places, the waiting list,
who may come, and the e-mails that follow."""

import datetime

import pytest
from django.core import mail

from tests.conftest import translate_page
from tests.volunteers.factories import (
    login,
    make_activity,
    make_campaign,
    make_member_volunteer,
    make_team,
    make_volunteer,
    volunteer_index,
)
from volunteers import services
from volunteers.enums import Qualification, SignUpStatus
from volunteers.models import SignUp, TeamMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(home_page):
    return make_campaign(home_page, theme="关注老年人抑郁孤独", team=make_team("爱心大使团"))


def _signup(browser, activity, **data):
    return browser.post(f"/volunteer/activities/{activity.pk}/signup/", data)


def _cancel(browser, activity, **data):
    return browser.post(f"/volunteer/activities/{activity.pk}/cancel/", data)


def _messages(browser, campaign) -> str:
    return browser.get(campaign.url).content.decode()


def _card(page: str, activity) -> str:
    start = page.index(f'id="activity-{activity.pk}"')
    return page[start : page.index("</article>", start)]


def test_signing_up_takes_a_place_and_returns_to_the_activity(campaign, django_capture_on_commit_callbacks):
    activity = make_activity(campaign, title="社区老人陪伴走访", places=2)
    volunteer = make_volunteer(email="wang@example.com")
    browser = login(volunteer)

    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(browser, activity)

    assert response.status_code == 302
    assert response["Location"] == f"{campaign.url}#activity-{activity.pk}"
    signup = SignUp.objects.get()
    assert (signup.volunteer, signup.status) == (volunteer, SignUpStatus.CONFIRMED)
    assert [message.to for message in mail.outbox] == [["wang@example.com"]]
    assert "社区老人陪伴走访" in mail.outbox[0].body
    page = _messages(browser, campaign)
    # The message is beside the activity the page opens at.
    card = _card(page, activity)
    assert "报名成功：“社区老人陪伴走访”" in card and "message--success" in card
    assert "剩余 1 个名额" in card and "取消报名" in card
    assert "报名成功" not in _messages(browser, campaign)  # shown once


def test_a_full_activity_puts_people_on_the_waiting_list_in_order(campaign, django_capture_on_commit_callbacks):
    activity = make_activity(campaign, places=1)
    services.sign_up(activity, make_volunteer())
    first, second = make_volunteer(), make_volunteer(email="second@example.com")
    _signup(login(first), activity)
    browser = login(second)

    with django_capture_on_commit_callbacks(execute=True):
        _signup(browser, activity)

    assert SignUp.objects.get(volunteer=second).status == SignUpStatus.WAITING
    page = _messages(browser, campaign)
    assert "名额已满，您在候补名单第 2 位" in page
    assert "候补第2位" in page and "共 1 人，已满，2 人候补" in page
    assert mail.outbox[-1].to == ["second@example.com"] and "候补" in mail.outbox[-1].body


def test_a_double_click_makes_one_sign_up(campaign):
    activity = make_activity(campaign, places=3)
    browser = login(make_volunteer())
    _signup(browser, activity)
    _signup(browser, activity)
    assert SignUp.objects.count() == 1
    assert "您已经报名了" in _messages(browser, campaign)


def test_member_only_activities_refuse_people_who_are_not_members(campaign):
    activity = make_activity(campaign, title="养老院团体辅导", qualification=Qualification.MEMBER)
    browser = login(make_volunteer())

    _signup(browser, activity)

    assert not SignUp.objects.exists()
    assert "未能报名“养老院团体辅导”：本活动仅限会籍有效的本会会员报名。" in _messages(browser, campaign)

    _signup(login(make_member_volunteer()), activity)
    assert SignUp.objects.filter(status=SignUpStatus.CONFIRMED).count() == 1


def test_team_only_activities_refuse_people_outside_the_campaigns_team(campaign):
    activity = make_activity(campaign, title="团队督导", qualification=Qualification.TEAM)
    outsider, insider = make_volunteer(), make_volunteer()
    TeamMembership.objects.create(team=campaign.team, volunteer=insider)
    browser = login(outsider)

    _signup(browser, activity)

    assert "本活动仅限承担本次行动的志愿者团队成员报名。" in _messages(browser, campaign)
    _signup(login(insider), activity)
    assert list(SignUp.objects.values_list("volunteer", flat=True)) == [insider.pk]


def test_an_activity_that_has_started_takes_no_more_sign_ups(campaign):
    activity = make_activity(campaign, starts_in=-datetime.timedelta(minutes=30))
    browser = login(make_volunteer())
    _signup(browser, activity)
    assert not SignUp.objects.exists()
    assert "活动已经开始，不能再报名。" in _messages(browser, campaign)


def test_signing_up_needs_an_account_and_a_post(client, campaign):
    activity = make_activity(campaign)
    response = _signup(client, activity)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get(f"/volunteer/activities/{activity.pk}/signup/").status_code == 405
    assert not SignUp.objects.exists()


def test_an_unpublished_campaigns_activities_take_no_sign_ups(campaign):
    activity = make_activity(campaign)
    campaign.unpublish()
    assert _signup(login(make_volunteer()), activity).status_code == 404
    assert not SignUp.objects.exists()


def test_cancelling_moves_the_first_person_waiting_up_and_tells_them(campaign, django_capture_on_commit_callbacks):
    activity = make_activity(campaign, title="社区老人陪伴走访", places=1)
    leaving = make_volunteer()
    services.sign_up(activity, leaving)
    first = make_volunteer(email="first@example.com")
    services.sign_up(activity, first)
    services.sign_up(activity, make_volunteer(email="later@example.com"))
    browser = login(leaving)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _cancel(browser, activity)

    assert response["Location"] == f"{campaign.url}#activity-{activity.pk}"
    assert SignUp.objects.get(volunteer=leaving).status == SignUpStatus.CANCELLED
    assert SignUp.objects.get(volunteer=first).status == SignUpStatus.CONFIRMED
    assert SignUp.objects.filter(status=SignUpStatus.WAITING).count() == 1
    assert [message.to for message in mail.outbox] == [["first@example.com"]]
    assert "递补" in mail.outbox[0].body
    page = _messages(browser, campaign)
    assert "已取消“社区老人陪伴走访”的报名。" in page
    assert ">报名</button>" not in page and ">加入候补</button>" in page


def test_leaving_the_waiting_list_promotes_nobody(campaign):
    activity = make_activity(campaign, places=1)
    services.sign_up(activity, make_volunteer())
    waiting = make_volunteer()
    services.sign_up(activity, waiting)
    _cancel(login(waiting), activity)
    assert list(SignUp.objects.values_list("status", flat=True).order_by("pk")) == ["confirmed", "cancelled"]


def test_cancelling_what_was_not_signed_up_for_changes_nothing(campaign):
    activity = make_activity(campaign, places=1)
    services.sign_up(activity, make_volunteer())
    browser = login(make_volunteer())
    _cancel(browser, activity)
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED
    assert "您没有报名" in _messages(browser, campaign)


def test_a_started_activity_cannot_be_cancelled(campaign):
    activity = make_activity(campaign, starts_in=-datetime.timedelta(minutes=5))
    volunteer = make_volunteer()
    SignUp.objects.create(activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED)
    browser = login(volunteer)
    _cancel(browser, activity)
    assert SignUp.objects.get().status == SignUpStatus.CONFIRMED
    assert "活动已经开始，不能取消报名。" in _messages(browser, campaign)


def test_cancelling_from_my_volunteering_returns_there_and_other_sites_are_not_followed(campaign):
    activity = make_activity(campaign, places=2)
    volunteer = make_volunteer()
    browser = login(volunteer)
    _signup(browser, activity)
    assert _cancel(browser, activity, next="/volunteer/my/")["Location"] == "/volunteer/my/"
    assert "的报名。" in browser.get("/volunteer/my/").content.decode()
    _signup(browser, activity)
    assert _cancel(browser, activity, next="https://evil.example.com/")["Location"].startswith(campaign.url)


def test_people_reading_in_another_language_return_to_the_page_in_that_language(campaign, home_page):
    translate_page(home_page, "zh-hant")
    translate_page(volunteer_index(home_page), "zh-hant")
    translated = translate_page(campaign, "zh-hant")
    activity = make_activity(campaign)
    browser = login(make_volunteer())

    response = browser.post(f"/zh-hant/volunteer/activities/{activity.pk}/signup/")

    assert response["Location"] == f"{translated.url}#activity-{activity.pk}"
    assert translated.url.startswith("/zh-hant/")
    assert SignUp.objects.get().activity == activity
