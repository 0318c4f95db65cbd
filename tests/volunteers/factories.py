"""Volunteer section pages, drives, campaigns and activities, built through the real page tree."""

from __future__ import annotations

import datetime

from django.utils import timezone

from portal.roles import VOLUNTEER_COORDINATORS
from tests.conftest import make_user, sign_in
from volunteers.enums import Qualification
from volunteers.models import Activity, CampaignPage, RecruitmentPage, RecruitmentQuestion, Team, VolunteerIndexPage

_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def make_coordinator(email: str = "coordinator@example.com"):
    return make_user(email, groups=(VOLUNTEER_COORDINATORS,))


def volunteer_index(home_page) -> VolunteerIndexPage:
    existing = VolunteerIndexPage.objects.filter(locale=home_page.locale).first()
    if existing:
        return existing
    page = VolunteerIndexPage(title="志愿服务", slug="volunteer", intro="加入协会的志愿者队伍。")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_team(name: str = "心理剧社") -> Team:
    return Team.objects.get_or_create(name=name)[0]


def make_drive(
    home_page,
    *,
    title: str | None = None,
    team: Team | None = None,
    places: int = 10,
    deadline: datetime.date | None = None,
    questions=(("是否有舞台表演经验？", "yes-no"),),
) -> RecruitmentPage:
    n = _next()
    page = RecruitmentPage(
        title=title or f"关于招募《心理剧社》社员的通知 {n}",
        slug=f"drive-{n}",
        team=team or make_team(),
        purpose="以心理剧的形式开展心理健康宣传。",
        requirements="本会会员，热爱心理剧，每月能参加一次排练。",
        places=places,
        deadline=deadline or timezone.localdate() + datetime.timedelta(days=14),
    )
    for order, (label, kind) in enumerate(questions):
        page.questions.add(RecruitmentQuestion(label=label, kind=kind, sort_order=order, required=True))
    volunteer_index(home_page).add_child(instance=page)
    page.save_revision().publish()
    return page


def make_campaign(
    home_page, *, theme: str = "关注老年人抑郁孤独", batch: int = 1, team: Team | None = None
) -> CampaignPage:
    n = _next()
    today = timezone.localdate()
    page = CampaignPage(
        title=f"爱心大使｜第{batch}批{theme}公益行动 {n}",
        slug=f"campaign-{n}",
        theme=theme,
        batch_number=batch,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=60),
        summary="走进社区，陪伴独居老人。",
        team=team,
    )
    volunteer_index(home_page).add_child(instance=page)
    page.save_revision().publish()
    return page


def make_activity(
    campaign: CampaignPage,
    *,
    places: int = 3,
    starts_in: datetime.timedelta = datetime.timedelta(days=7),
    hours: int = 3,
    qualification: str = Qualification.OPEN,
    title: str | None = None,
) -> Activity:
    starts_at = timezone.now().replace(microsecond=0) + starts_in
    return Activity.objects.create(
        campaign=campaign,
        title=title or f"社区老人陪伴走访 {_next()}",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        place="中山区桃源街道社区服务中心",
        district="zhongshan",
        places=places,
        qualification=qualification,
        description="两人一组入户陪伴，聊天、读报、测评情绪。",
    )


def make_volunteer(email: str | None = None, full_name: str = "王志愿"):
    user = make_user(email or f"volunteer{_next()}@example.com")
    user.full_name = full_name
    user.save(update_fields=["full_name"])
    return user


# The public section and the volunteer's own area ---------------------------------------------------


def make_member_volunteer(email: str | None = None, full_name: str = "李会员", phone: str = "13900001111"):
    """A member in good standing (no invoices yet, so nothing is overdue), with their membership record."""
    from tests.members.factories import make_member

    n = _next()
    member = make_member(
        email or f"member-volunteer{n}@example.com", number=f"DL-2021-{n:04d}", full_name=full_name, phone=phone
    )
    member.user.full_name = full_name
    member.user.save(update_fields=["full_name"])
    return member.user


def make_question(drive: RecruitmentPage, label: str, kind: str = "text", *, required: bool = True, choices: str = ""):
    return RecruitmentQuestion.objects.create(
        page=drive, label=label, kind=kind, required=required, choices=choices, sort_order=drive.questions.count()
    )


# Applications, rosters and the coordinators' admin ---------------------------------------------------


def make_application(drive: RecruitmentPage, user=None, *, full_name: str = "李想", answers=None):
    """An application sent through services.apply, as the public form sends it."""
    from volunteers import services

    return services.apply(
        drive,
        user or make_volunteer(full_name=full_name),
        full_name=full_name,
        phone="13912345678",
        motivation="大学时参加过心理剧社，想继续用戏剧帮助更多人。",
        answers=answers if answers is not None else [{"question": "是否有舞台表演经验？", "answer": "有，三年"}],
    )


def make_signup(activity: Activity, volunteer=None, *, status: str = "confirmed", **fields):
    """A sign-up written straight to the roster (no e-mail), e.g. for an activity already held."""
    from volunteers.models import SignUp

    now = timezone.now()
    return SignUp.objects.create(
        activity=activity,
        volunteer=volunteer or make_volunteer(),
        status=status,
        confirmed_at=now if status == "confirmed" else None,
        cancelled_at=now if status == "cancelled" else None,
        **fields,
    )


def login(user):
    """A browser session signed in as `user`."""
    from django.test import Client

    client = Client()
    sign_in(client, user)
    return client


def everyone() -> dict:
    """One person per role: a plain member, each staff group, a volunteer coordinator, a superuser."""
    from portal.roles import AID_COORDINATORS, EDITORS, EXPERT_REVIEWERS, MEMBERSHIP_OFFICERS, MODERATORS

    return {
        "member": make_user("plain@example.com"),
        "editor": make_user("ed@example.com", groups=(EDITORS,)),
        "moderator": make_user("mod@example.com", groups=(MODERATORS,)),
        "membership officer": make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,)),
        "expert reviewer": make_user("reviewer@example.com", groups=(EXPERT_REVIEWERS,)),
        "aid coordinator": make_user("aid@example.com", groups=(AID_COORDINATORS,)),
        "coordinator": make_coordinator(),
        "superuser": make_user("root@example.com", superuser=True),
    }
