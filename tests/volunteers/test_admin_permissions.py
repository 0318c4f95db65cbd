"""Who reaches the 志愿服务 admin: volunteer coordinators and superusers, and nobody else."""

import datetime
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.vetting.enums import Status
from tests.volunteers.factories import (
    everyone,
    login,
    make_activity,
    make_application,
    make_campaign,
    make_drive,
    make_signup,
    make_volunteer,
)
from volunteers.enums import HoursStatus, SignUpStatus
from volunteers.models import Activity, Commendation, SignUp, Team, TeamMembership

ALLOWED = {"coordinator", "superuser"}


def menu_labels(html: str) -> set[str]:
    """Every label in the admin's sidebar menu (rendered as JSON for the sidebar script)."""
    props = json.loads(re.search(r'id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html).group(1))
    labels = set()

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("label"), str):
                labels.add(value["label"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(props)
    return labels


@pytest.fixture
def people(db):
    return everyone()


@pytest.fixture
def records(home_page):
    drive = make_drive(home_page)
    application = make_application(drive)
    activity = make_activity(make_campaign(home_page), starts_in=-datetime.timedelta(days=1))
    signup = make_signup(
        activity,
        make_volunteer(full_name="赵填报"),
        hours_status=HoursStatus.REPORTED,
        hours_reported="3.0",
        hours_reported_at=activity.starts_at,
    )
    return {"drive": drive, "application": application, "activity": activity, "signup": signup, "team": drive.team}


def test_only_coordinators_and_superusers_see_the_menu_and_the_panel(people):
    for role, user in people.items():
        if role == "member":
            continue
        home = login(user).get(reverse("wagtailadmin_home")).content.decode()
        labels = menu_labels(home)
        shown = {"志愿服务", "报名审核", "志愿者团队", "志愿活动", "服务时长", "年度表彰"} <= labels
        assert shown == (role in ALLOWED), role
        assert ('id="volunteers-dashboard' in home) == (role in ALLOWED), role


def test_every_page_of_the_menu_is_refused_to_other_staff_and_members(people, records):
    activity, team = records["activity"], records["team"]
    empty_activity = make_activity(activity.campaign)
    urls = [
        reverse("volunteer_applications:index"),
        reverse("volunteer_applications:inspect", args=[records["application"].pk]),
        reverse("volunteer_teams:index"),
        reverse("volunteer_teams:add"),
        reverse("volunteer_teams:edit", args=[team.pk]),
        reverse("volunteer_teams:inspect", args=[team.pk]),
        reverse("volunteer_activities:index"),
        reverse("volunteer_activities:add"),
        reverse("volunteer_activities:edit", args=[activity.pk]),
        reverse("volunteer_activities:inspect", args=[activity.pk]),
        reverse("volunteer_activities:export", args=[activity.pk]),
        reverse("volunteer_activities:delete", args=[empty_activity.pk]),
        reverse("volunteer_hours:index"),
        reverse("volunteer_hours:correct", args=[records["signup"].pk]),
        reverse("volunteer_commendations:index"),
        reverse("volunteer_commendations:export"),
    ]
    for role, user in people.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            if role in ALLOWED:
                assert response.status_code == 200, (role, url)
            else:
                assert response.status_code in (302, 403), (role, url, response.status_code)
                if response.status_code == 302:
                    assert response["Location"] != url
    for url in urls:
        assert Client().get(url).status_code == 302


def test_other_staff_cannot_act_through_the_menu(people, records):
    application, activity, signup = records["application"], records["activity"], records["signup"]
    confirmed = make_signup(activity, make_volunteer(full_name="孙出勤"))
    future = make_activity(activity.campaign, places=1)
    booked = make_signup(future, make_volunteer(full_name="周报名"))
    earlier = Commendation.objects.create(year=2025, volunteer=signup.volunteer, hours=30)
    for role, user in people.items():
        if role in ALLOWED:
            continue
        client = login(user)
        client.post(
            reverse("volunteer_applications:inspect", args=[application.pk]), {"decision": "accept", "note": ""}
        )
        client.post(reverse("volunteer_teams:inspect", args=[records["team"].pk]), {"email": user.email})
        client.post(
            reverse("volunteer_activities:inspect", args=[activity.pk]),
            {"signup": confirmed.pk, "action": "attend", "hours": "3"},
        )
        client.post(
            reverse("volunteer_activities:inspect", args=[future.pk]), {"signup": booked.pk, "action": "cancel"}
        )
        client.post(reverse("volunteer_activities:delete", args=[future.pk]))
        client.post(reverse("volunteer_hours:index"), {"approve": signup.pk})
        client.post(reverse("volunteer_hours:correct", args=[signup.pk]), {"hours": "2", "note": "按签到表"})
        client.post(
            reverse("volunteer_commendations:index") + f"?year={activity.starts_at.year}",
            {"volunteers": [signup.volunteer_id], "title": "优秀志愿者"},
        )
        client.post(reverse("volunteer_commendations:withdraw", args=[earlier.pk]))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not TeamMembership.objects.exists()
    assert SignUp.objects.get(pk=confirmed.pk).hours_status == HoursStatus.NONE
    assert SignUp.objects.get(pk=booked.pk).status == SignUpStatus.CONFIRMED
    assert Activity.objects.filter(pk=future.pk).exists()
    assert SignUp.objects.get(pk=signup.pk).hours_status == HoursStatus.REPORTED
    assert list(Commendation.objects.all()) == [earlier]


def test_a_team_is_not_created_by_other_staff(people):
    for role, user in people.items():
        if role not in ALLOWED:
            login(user).post(reverse("volunteer_teams:add"), {"name": f"{role}的团队", "description": ""})
    assert not Team.objects.exists()
    login(people["coordinator"]).post(reverse("volunteer_teams:add"), {"name": "反家暴志愿者联盟", "description": ""})
    assert list(Team.objects.values_list("name", flat=True)) == ["反家暴志愿者联盟"]
