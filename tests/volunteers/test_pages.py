"""The volunteer section as the public and signed-in volunteers read it: the index, drives, campaigns."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.pagecache import LIVE_FIGURES_SECONDS
from tests.conftest import translate_page
from tests.volunteers.factories import (
    login,
    make_activity,
    make_campaign,
    make_drive,
    make_member_volunteer,
    make_team,
    make_volunteer,
    volunteer_index,
)
from volunteers import services
from volunteers.enums import Qualification
from volunteers.models import CampaignPartner

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The index ------------------------------------------------------------------------------------------


def test_the_index_lists_open_drives_first_then_closed_ones_then_campaigns_by_theme(client, home_page):
    today = timezone.localdate()
    make_drive(home_page, title="招募已截止的剧社", deadline=today - datetime.timedelta(days=1))
    make_drive(
        home_page,
        title="招募反家暴志愿者",
        team=make_team("反家暴志愿者联盟"),
        places=30,
        deadline=today + datetime.timedelta(days=30),
    )
    make_drive(home_page, title="招募心理剧社社员", places=12, deadline=today + datetime.timedelta(days=3))
    make_campaign(home_page, theme="关注老年人抑郁孤独", batch=1)
    make_campaign(home_page, theme="关注老年人抑郁孤独", batch=2)
    make_campaign(home_page, theme="关爱留守儿童", batch=1)

    page = _text(client.get("/volunteer/"))

    assert "志愿服务" in page and "加入协会的志愿者队伍。" in page
    # Open drives first, the closest deadline on top; the closed one last, marked.
    first, second, closed = (
        page.index(title) for title in ("招募心理剧社社员", "招募反家暴志愿者", "招募已截止的剧社")
    )
    assert first < second < closed
    assert page.count("报名中") == 2
    assert "已截止" in page[closed - 400 : closed + 600]
    assert "招募 30 人" in page and "反家暴志愿者联盟" in page
    assert (today + datetime.timedelta(days=3)).isoformat() in page
    # Campaigns grouped under their theme, each batch with its number and period.
    assert page.count("关注老年人抑郁孤独</h3>") == 1 and "关爱留守儿童</h3>" in page
    assert "第1批" in page and "第2批" in page
    assert f"{today:%Y-%m-%d}</time> 至 <time" in page
    # The theme with the latest batch comes first.
    assert page.index("关注老年人抑郁孤独</h3>") < page.index("关爱留守儿童</h3>")


def test_the_index_says_so_when_there_is_nothing_yet(client, home_page):
    volunteer_index(home_page)
    page = _text(client.get("/volunteer/"))
    assert "目前没有招募。" in page and "目前没有公益行动。" in page


# A recruitment drive ---------------------------------------------------------------------------------


def test_a_drive_shows_its_details_and_asks_visitors_to_sign_in_to_apply(client, home_page):
    drive = make_drive(home_page, title="关于招募心理剧社社员的通知", places=12)

    page = _text(client.get(drive.url))

    for text in (
        "关于招募心理剧社社员的通知",
        "以心理剧的形式开展心理健康宣传。",
        "本会会员，热爱心理剧，每月能参加一次排练。",
        "12 人",
        drive.deadline.isoformat(),
        "心理剧社",
        "报名中",
    ):
        assert text in page, text
    assert f'href="/accounts/login/?next={drive.url}apply/"' in page
    assert "登录后报名" in page


def test_a_closed_drive_says_so_and_offers_no_button(client, home_page):
    drive = make_drive(home_page, deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = _text(client.get(drive.url))
    assert "已截止" in page and "报名已于" in page
    assert "登录后报名" not in page and "我要报名" not in page
    volunteer = make_volunteer()
    assert "我要报名" not in _text(login(volunteer).get(drive.url))


def test_a_signed_in_applicant_sees_the_status_of_their_application(home_page):
    drive = make_drive(home_page)
    volunteer = make_volunteer()
    browser = login(volunteer)
    assert "我要报名" in _text(browser.get(drive.url))

    services.apply(drive, volunteer, full_name="王志愿", phone="13800001111", motivation="热爱心理剧。", answers=[])

    page = _text(browser.get(drive.url))
    assert "您已报名，当前状态：" in page and "待审核" in page
    assert "我要报名" not in page


# A campaign ----------------------------------------------------------------------------------------------


@pytest.fixture
def campaign(home_page):
    page = make_campaign(home_page, theme="关注老年人抑郁孤独", batch=3)
    CampaignPartner.objects.create(page=page, name="桃源街道社区服务中心", role="场地支持", url="https://example.org/")
    return page


def test_a_campaign_shows_its_batch_partners_and_activities_to_the_public(client, campaign):
    open_activity = make_activity(campaign, title="社区老人陪伴走访", places=3)
    full = make_activity(
        campaign,
        title="养老院团体辅导",
        places=1,
        qualification=Qualification.MEMBER,
        starts_in=datetime.timedelta(days=9),
    )
    services.sign_up(full, make_member_volunteer())

    page = _text(client.get(campaign.url))

    for text in (
        "关注老年人抑郁孤独",
        "第3批",
        "走进社区，陪伴独居老人。",
        "桃源街道社区服务中心",
        "场地支持",
        "社区老人陪伴走访",
        "中山区桃源街道社区服务中心",
        "两人一组入户陪伴",
        "剩余 3 个名额",
        "登录后报名",
        f'href="/volunteer/activities/{open_activity.pk}.ics"',
    ):
        assert text in page, text
    start = timezone.localtime(open_activity.starts_at)
    assert f"{start:%Y-%m-%d}" in page and f"{start:%H:%M}" in page
    assert "中山区" in page
    assert "本会会员（会籍有效）" in page
    assert "已满" in page and "共 1 人，已满，0 人候补" in page
    assert 'action="/volunteer/activities/' not in page  # no forms for visitors


def test_a_signed_in_volunteer_sees_their_own_state_and_the_buttons(campaign):
    confirmed_one = make_activity(campaign, title="活动甲", places=2)
    full_one = make_activity(campaign, title="活动乙", places=1)
    free_one = make_activity(campaign, title="活动丙", places=5)
    members_only = make_activity(campaign, title="活动丁", qualification=Qualification.MEMBER)
    services.sign_up(full_one, make_volunteer())
    services.sign_up(full_one, make_volunteer())
    volunteer = make_volunteer()
    services.sign_up(confirmed_one, volunteer)
    services.sign_up(full_one, volunteer)

    page = _text(login(volunteer).get(campaign.url))

    def card(activity):
        start = page.index(f'id="activity-{activity.pk}"')
        return page[start : page.find("</li>", start)]

    assert "已报名" in card(confirmed_one) and "取消报名" in card(confirmed_one)
    assert "候补第2位" in card(full_one) and "取消候补" in card(full_one)
    assert "共 1 人，已满，2 人候补" in card(full_one)
    assert ">报名</button>" in card(free_one)
    assert "本活动仅限会籍有效的本会会员报名。" in card(members_only)
    assert "</button>" not in card(members_only)
    assert "登录后报名" not in page


def test_a_full_activity_offers_the_waiting_list(campaign):
    activity = make_activity(campaign, places=1)
    services.sign_up(activity, make_volunteer())
    page = _text(login(make_volunteer()).get(campaign.url))
    assert ">加入候补</button>" in page


def test_a_started_activity_offers_no_sign_up(campaign):
    make_activity(campaign, title="昨天的活动", starts_in=-datetime.timedelta(days=1))
    page = _text(login(make_volunteer()).get(campaign.url))
    assert "已结束" in page
    assert "</button>" not in page.split("昨天的活动")[1].split("</li>")[0]


@pytest.mark.parametrize("count", [2, 12])
def test_the_campaign_page_takes_the_same_queries_for_any_number_of_activities(
    campaign, count, django_assert_max_num_queries
):
    activities = [make_activity(campaign, places=2) for _ in range(count)]
    activities.append(make_activity(campaign, qualification=Qualification.MEMBER))
    activities.append(make_activity(campaign, qualification=Qualification.TEAM))
    volunteer = make_volunteer()
    services.sign_up(activities[0], make_volunteer())
    services.sign_up(activities[0], make_volunteer())
    services.sign_up(activities[0], volunteer)  # on the waiting list
    services.sign_up(activities[1], volunteer)
    browser = login(volunteer)
    browser.get(campaign.url)

    # 20, whatever the number of activities: Wagtail's routing to the campaign (the site, the home page in
    # this language, the volunteer index and the campaign, their view restrictions), the page with its
    # activities and places, and the account bar's question whether to offer 申请入会
    with django_assert_max_num_queries(20):
        page = _text(browser.get(campaign.url))
    assert page.count("候补第1位") == 1 and page.count(">已报名</span>") == 1
    assert page.count("本活动仅限") == 2


def test_the_public_page_is_cached_briefly_so_places_left_follow_sign_ups_without_emptying_the_site_cache(
    client, campaign, home_page, settings, django_capture_on_commit_callbacks
):
    # A cache whose entries expire by the (travelled) clock, whatever cache the run uses otherwise.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "brief"}}
    activity = make_activity(campaign, places=2)
    volunteer = make_volunteer()
    first = client.get(campaign.url)
    assert first["X-Cache"] == "MISS" and "剩余 2 个名额" in first.content.decode()
    assert client.get(campaign.url)["X-Cache"] == "HIT"
    client.get(home_page.url)

    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(activity, volunteer)

    assert client.get(home_page.url)["X-Cache"] == "HIT"  # a sign-up does not empty the whole page cache
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=LIVE_FIGURES_SECONDS + 1)):
        again = client.get(campaign.url)
    assert again["X-Cache"] == "MISS"
    assert "剩余 1 个名额" in again.content.decode()


def test_signed_in_volunteers_are_never_served_the_cached_page(client, campaign):
    make_activity(campaign)
    client.get(campaign.url)
    assert client.get(campaign.url)["X-Cache"] == "HIT"
    response = login(make_volunteer()).get(campaign.url)
    assert "X-Cache" not in response
    assert "登录后报名" not in response.content.decode()


def test_a_translated_campaign_shows_the_same_activities(client, campaign, home_page):
    make_activity(campaign, title="社区老人陪伴走访")
    translate_page(home_page, "zh-hant")
    translate_page(volunteer_index(home_page), "zh-hant")
    translated = translate_page(campaign, "zh-hant", title="愛心大使|第3批公益行動")

    page = _text(client.get(translated.url))

    assert translated.url.startswith("/zh-hant/")
    # The activity is a record kept in 简体: the 繁體 page shows it converted.
    assert "愛心大使|第3批公益行動" in page and "社區老人陪伴走訪" in page


def test_a_new_drive_and_campaign_can_be_previewed_before_they_are_saved(home_page, rf):
    """Wagtail's preview renders a page not yet in the database: no records, no URL."""
    from django.contrib.auth.models import AnonymousUser

    from volunteers.models import CampaignPage, RecruitmentPage

    signed_in = make_volunteer()
    index = volunteer_index(home_page)
    team = make_team()
    drive = RecruitmentPage(
        title="预览中的招募",
        slug="draft-drive",
        team=team,
        purpose="预览目的",
        requirements="预览条件",
        places=5,
        deadline=timezone.localdate(),
    )
    campaign = CampaignPage(
        title="预览中的行动",
        slug="draft-campaign",
        theme="预览主题",
        batch_number=1,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate(),
    )
    for page in (drive, campaign):
        page.path, page.depth, page.locale = index.path + "9999", index.depth + 1, index.locale
        for user in (signed_in, AnonymousUser()):
            request = rf.get("/")
            request.user = user
            response = page.make_preview_request(original_request=request)
            assert response.status_code == 200
            assert page.title in response.rendered_content


@pytest.mark.parametrize("slug", ["my", "activities"])
def test_a_drive_cannot_take_the_address_of_the_volunteers_own_pages(home_page, slug):
    drive = make_drive(home_page)
    drive.slug = slug

    with pytest.raises(ValidationError) as refused:
        drive.full_clean()

    assert f"“{slug}”已被网站功能占用，请换一个网址。" in refused.value.message_dict["slug"]
