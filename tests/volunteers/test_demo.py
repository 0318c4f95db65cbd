"""The demo volunteer section: the notice centre's drives and campaign batches, worked through the
services, dated from the day of loading, loaded once and only once."""

import datetime
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from demo import volunteers as demo
from members.models import User
from portal.districts import District
from portal.roles import VOLUNTEER_COORDINATORS
from portal.vetting.enums import Status
from tests.portal.factories import html
from volunteers.enums import HoursStatus, SignUpStatus
from volunteers.models import (
    Activity,
    CampaignPage,
    Commendation,
    RecruitmentPage,
    SignUp,
    Team,
    TeamMembership,
    VolunteerApplication,
    VolunteerIndexPage,
)

pytestmark = pytest.mark.django_db

DRIVES = [
    "关于招募《心理剧社》社员的通知",
    "【心理咨询组】大连市反家暴志愿者联盟招募！",
    "关于招募家庭教育工作者担任兼职社区家庭教育顾问的通知",
    "关于 “大连市家庭教育讲师团” 招募专家和讲师的通知",
    "关于招募实施《老年人抑郁筛查及心理干预服务项目》通知",
]
CAMPAIGNS = [
    "爱心大使｜关注老年人抑郁孤独公益行动（第一批）",
    "爱心大使｜第二批关注老年人抑郁孤独公益行动",
    "爱心大使｜第三批关注老年人抑郁孤独公益行动",
    "爱心大使｜“护航童年，远离侵害”公益行动（第一批）",
    "爱心大使｜第二批“护航童年，远离侵害”公益行动",
    "爱心大使｜第三批“护航童年，远离侵害”公益行动",
]


def row_counts() -> dict[str, int]:
    models = (
        User,
        VolunteerIndexPage,
        RecruitmentPage,
        CampaignPage,
        Team,
        TeamMembership,
        VolunteerApplication,
        Activity,
        SignUp,
        Commendation,
    )
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def loaded(home_page):
    progress: list[str] = []
    added = demo.load(timezone.localdate(), progress=progress.append)
    return added, progress


def current_activities():
    return Activity.objects.filter(campaign__batch_number=3, starts_at__gt=timezone.now()).with_counts()


def test_a_second_load_creates_nothing(loaded):
    added, progress = loaded
    counts = row_counts()

    again = demo.load(timezone.localdate(), progress=progress.append)

    assert added == 1 + len(DRIVES) + len(CAMPAIGNS) and again == 0
    assert row_counts() == counts
    assert any("volunteer section" in line for line in progress)


def test_the_drives_are_the_notice_centres_with_their_own_questions(loaded):
    index = VolunteerIndexPage.objects.get(slug="volunteer")
    drives = RecruitmentPage.objects.child_of(index).live()
    today = timezone.localdate()

    assert index.get_parent().specific_class.__name__ == "HomePage" and index.show_in_menus
    assert sorted(drives.values_list("title", flat=True)) == sorted(DRIVES)
    assert drives.get(title=DRIVES[0]).team.name == "心理剧社"
    assert drives.get(title=DRIVES[1]).team.name == "大连市反家暴志愿者联盟 心理咨询组"
    open_drives = [drive for drive in drives if drive.is_open(today)]
    assert len(open_drives) == 4 and drives.get(title=DRIVES[2]).deadline < today
    for drive in drives:
        assert drive.purpose and drive.requirements and drive.places > 0
        assert 2 <= drive.questions.count() <= 3
    labels = [question.label for drive in drives for question in drive.questions.all()]
    assert len(set(labels)) == len(labels)  # each drive asks its own


def test_applications_in_each_state_and_the_accepted_join_the_team(loaded):
    applications = VolunteerApplication.objects.select_related("drive__team")

    assert {application.status for application in applications} == {
        Status.SUBMITTED,
        Status.SHORTLISTED,
        Status.APPROVED,
        Status.REJECTED,
    }
    rejected = applications.get(status=Status.REJECTED)
    assert "资质" in rejected.decision_note
    for application in applications.filter(status=Status.APPROVED):
        assert TeamMembership.objects.filter(team=application.drive.team, volunteer=application.applicant).exists()
    for application in applications:
        assert len(application.answers) == application.drive.questions.count()
        assert application.full_name.endswith("（演示）") and application.phone.startswith("139")


def test_batches_one_and_two_ran_last_year_and_batch_three_runs_now(loaded):
    today = timezone.localdate()
    campaigns = CampaignPage.objects.live()

    assert sorted(campaigns.values_list("title", flat=True)) == sorted(CAMPAIGNS)
    for theme in ("关注老年人抑郁孤独", "护航童年，远离侵害"):
        batches = {page.batch_number: page for page in campaigns.filter(theme=theme)}
        assert sorted(batches) == [1, 2, 3]
        assert batches[1].ends_on < batches[2].starts_on and batches[2].ends_on < today
        assert batches[1].starts_on.year == batches[2].starts_on.year == today.year - 1
        assert batches[3].starts_on <= today <= batches[3].ends_on
    for campaign in campaigns:
        assert campaign.partners.count() >= 2
        assert campaign.activities.count() >= 2
        assert {activity.district for activity in campaign.activities.all()} <= set(District.values)


def test_the_current_batches_have_a_full_activity_one_with_a_waiting_list_and_places_left(loaded):
    activities = list(current_activities())

    full = [a for a in activities if a.confirmed_count == a.places and a.waiting_count == 0]
    waiting = [a for a in activities if a.confirmed_count == a.places and a.waiting_count > 0]
    with_places = [a for a in activities if a.places_left() > 0]

    assert len(full) == 1 and len(waiting) == 1
    assert len(with_places) == len(activities) - 2 >= 3
    assert all(a.waiting_count == 0 for a in with_places)


def test_past_hours_are_approved_one_corrected_and_last_years_volunteers_commended(loaded):
    today = timezone.localdate()
    past = SignUp.objects.filter(activity__starts_at__year=today.year - 1)

    assert set(past.values_list("hours_status", flat=True)) == {HoursStatus.APPROVED, HoursStatus.ABSENT}
    corrected = past.exclude(hours_reported=None).exclude(hours_reported=F("hours_approved"))
    assert corrected.count() == 1 and corrected.get().hours_review_note
    assert past.filter(hours_status=HoursStatus.APPROVED, hours_reported=None).exists()  # recorded by the coordinator
    # The current batch's visit last week waits for the coordinator.
    assert SignUp.objects.filter(hours_status=HoursStatus.REPORTED, activity__campaign__batch_number=3).count() == 3

    commendations = Commendation.objects.filter(year=today.year - 1)
    assert commendations.count() == 2
    assert all(c.hours >= settings.VOLUNTEER_COMMENDATION_HOURS for c in commendations)
    assert not Commendation.objects.exclude(year=today.year - 1).exists()


def test_the_logins_printed_by_make_run(loaded):
    coordinator = User.objects.get(email=demo.COORDINATOR_EMAIL)
    volunteer = User.objects.get(email=demo.VOLUNTEER_EMAIL)

    assert coordinator.is_staff and coordinator.check_password("portal-demo-2026")
    assert list(coordinator.groups.values_list("name", flat=True)) == [VOLUNTEER_COORDINATORS]
    assert not volunteer.is_staff and volunteer.check_password("portal-demo-2026")
    for user in (coordinator, volunteer):
        assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()

    signups = SignUp.objects.filter(volunteer=volunteer)
    assert signups.filter(status=SignUpStatus.CONFIRMED, activity__starts_at__gt=timezone.now()).exists()
    assert signups.filter(status=SignUpStatus.WAITING).exists()
    assert signups.total_hours() >= Decimal(settings.VOLUNTEER_COMMENDATION_HOURS)
    assert Commendation.objects.filter(volunteer=volunteer).exists()
    assert TeamMembership.objects.filter(volunteer=volunteer, team__name="心理剧社").exists()


def test_the_section_a_drive_and_a_campaign_render(loaded, client):
    drive = RecruitmentPage.objects.get(title=DRIVES[0])
    campaign = CampaignPage.objects.get(theme="护航童年，远离侵害", batch_number=3)

    section = client.get("/volunteer/")
    drive_page = client.get(drive.url)
    campaign_page = client.get(campaign.url)

    assert section.status_code == drive_page.status_code == campaign_page.status_code == 200
    assert DRIVES[0] in html(section) and CAMPAIGNS[-1] in html(section)
    assert drive.purpose in html(drive_page) and "心理剧社定期组织心理剧理论学习" in html(drive_page)
    assert "安全自护课堂进校园" in html(campaign_page) and "西岗区" in html(campaign_page)


def test_dates_follow_the_day_of_loading(loaded):
    today = timezone.localdate()
    screening = RecruitmentPage.objects.get(slug="elderly-depression-screening")
    nearest = current_activities().order_by("starts_at").first()

    assert screening.deadline == today + datetime.timedelta(days=10)
    assert today < timezone.localtime(nearest.starts_at).date() <= today + datetime.timedelta(days=7)
