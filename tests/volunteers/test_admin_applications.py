"""报名审核 and 志愿者团队: coordinators screen drive applications, and keep the teams' member lists."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.vetting.enums import Status
from tests.conftest import make_user
from tests.volunteers.factories import (
    login,
    make_application,
    make_drive,
    make_team,
    make_volunteer,
)
from volunteers.models import TeamMembership, VolunteerApplication


@pytest.fixture
def drive(home_page):
    return make_drive(home_page, title="关于招募《心理剧社》社员的通知", team=make_team("心理剧社"))


def screen(client, application, **data):
    return client.post(reverse("volunteer_applications:inspect", args=[application.pk]), data, follow=True)


def test_the_list_filters_by_drive_and_status_and_finds_a_name(coordinator, drive, home_page):
    other = make_drive(home_page, title="关于招募反家暴志愿者的通知", team=make_team("反家暴志愿者联盟"))
    make_application(drive, full_name="王小明")
    make_application(other, full_name="刘芳")
    shortlisted = make_application(drive, full_name="陈静")
    shortlisted.status = Status.SHORTLISTED
    shortlisted.save()
    client = login(coordinator)
    index = reverse("volunteer_applications:index")

    everything = client.get(index).content.decode()
    by_drive = client.get(index, {"drive": other.pk}).content.decode()
    by_status = client.get(index, {"status": "shortlisted"}).content.decode()
    by_name = client.get(index, {"q": "小明"}).content.decode()

    assert all(name in everything for name in ("王小明", "刘芳", "陈静"))
    assert "刘芳" in by_drive and "王小明" not in by_drive and "陈静" not in by_drive
    assert "陈静" in by_status and "王小明" not in by_status
    assert "王小明" in by_name and "刘芳" not in by_name
    assert "关于招募反家暴志愿者的通知" in everything


def test_the_list_query_count_does_not_grow_with_the_applications(
    coordinator, drive, home_page, django_assert_max_num_queries
):
    client = login(coordinator)
    url = reverse("volunteer_applications:index")
    make_application(drive, full_name="申请人甲")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(12):
        make_application(make_drive(home_page), full_name=f"申请人{index}")

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()

    assert page.count("申请人") >= 13


def test_the_screening_page_shows_the_application_and_its_trail(coordinator, drive):
    application = make_application(
        drive,
        full_name="王小明",
        answers=[{"question": "是否有舞台表演经验？", "answer": "有，大学话剧社三年"}],
    )

    page = login(coordinator).get(reverse("volunteer_applications:inspect", args=[application.pk])).content.decode()

    for text in (
        "王小明",
        "13912345678",
        "大学时参加过心理剧社",
        "是否有舞台表演经验？",
        "有，大学话剧社三年",
        "关于招募《心理剧社》社员的通知",
        "审核记录",
        "草稿 → 待审核",
        "初选通过",
        "不录用",
    ):
        assert text in page, text


def test_shortlist_with_a_note_then_accept_into_the_team(
    coordinator, drive, django_capture_on_commit_callbacks, mailoutbox
):
    application = make_application(drive, full_name="王小明")
    client = login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        page = screen(client, application, decision="shortlist", note="请于周六上午来协会面谈").content.decode()
    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    assert "已初选通过" in page and "请于周六上午来协会面谈" in page
    assert [mail.to for mail in mailoutbox] == [[application.applicant.email]]
    assert "通过初选" in mailoutbox[0].subject and "请于周六上午来协会面谈" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        page = screen(client, application, decision="accept", note="").content.decode()
    application.refresh_from_db()
    assert application.status == Status.APPROVED
    assert "已录用，王小明 已加入心理剧社" in page
    assert "欢迎加入" in mailoutbox[-1].subject
    membership = TeamMembership.objects.get(team=drive.team, volunteer=application.applicant)
    assert membership.application == application

    team = login(coordinator).get(reverse("volunteer_teams:inspect", args=[drive.team.pk])).content.decode()
    assert "王小明" in team and "关于招募《心理剧社》社员的通知" in team
    assert membership.joined_on.strftime("%Y-%m-%d") in team


def test_rejecting_needs_a_reason_shown_next_to_the_field(
    coordinator, drive, django_capture_on_commit_callbacks, mailoutbox
):
    application = make_application(drive, full_name="王小明")
    client = login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        missing = screen(client, application, decision="reject", note="  ").content.decode()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert "请填写不录用的理由，申请人会看到它。" in missing
    assert re.search(r'value="reject"[^>]*checked', missing)
    assert mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        screen(client, application, decision="reject", note="本期名额已满，欢迎参加下一期招募。")
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.decision_note == "本期名额已满，欢迎参加下一期招募。"
    assert [mail.to for mail in mailoutbox] == [[application.applicant.email]]
    assert "本期名额已满" in mailoutbox[0].body
    assert not TeamMembership.objects.exists()


def test_a_decided_application_offers_no_more_decisions(coordinator, drive):
    application = make_application(drive)
    screen(login(coordinator), application, decision="reject", note="不符合报名条件。")

    page = login(coordinator).get(reverse("volunteer_applications:inspect", args=[application.pk])).content.decode()
    again = screen(login(coordinator), application, decision="accept", note="").content.decode()

    assert "提交审核结果" not in page and "不符合报名条件。" in page
    assert "这份申请已经处理完毕。" in again
    application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_nobody_adds_edits_or_deletes_an_application(coordinator, drive):
    application = make_application(drive, answers=[{"question": "是否有舞台表演经验？", "answer": "有"}])
    superuser = make_user("root@example.com", superuser=True)
    for user in (coordinator, superuser):
        client = login(user)
        assert client.get(reverse("volunteer_applications:add")).status_code in (302, 403)
        edit = reverse("volunteer_applications:edit", args=[application.pk])
        assert client.get(edit).status_code in (302, 403)
        client.post(edit, {"decision_note": "改过的"})
        assert client.post(reverse("volunteer_applications:delete", args=[application.pk])).status_code in (302, 403)
        listing = client.get(reverse("volunteer_applications:index")).content.decode()
        assert reverse("volunteer_applications:add") not in listing
    application.refresh_from_db()
    assert application.decision_note == "" and application.answers == [
        {"question": "是否有舞台表演经验？", "answer": "有"}
    ]
    assert VolunteerApplication.objects.count() == 1


def test_coordinators_add_an_existing_user_to_a_team_and_remove_a_member(coordinator):
    team = make_team("反家暴志愿者联盟")
    volunteer = make_volunteer("liu@example.com", full_name="刘芳")
    client = login(coordinator)
    url = reverse("volunteer_teams:inspect", args=[team.pk])

    unknown = client.post(url, {"email": "nobody@example.com"}).content.decode()
    assert "没有使用这个电子邮箱的账户。" in unknown and 'value="nobody@example.com"' in unknown

    added = client.post(url, {"email": "LIU@example.com"}, follow=True).content.decode()
    membership = TeamMembership.objects.get(team=team, volunteer=volunteer)
    assert "刘芳 已加入反家暴志愿者联盟" in added and "协调员添加" in added

    twice = client.post(url, {"email": "liu@example.com"}).content.decode()
    assert "刘芳 已经是本团队成员。" in twice

    removed = client.post(url, {"remove": membership.pk}, follow=True).content.decode()
    assert not TeamMembership.objects.exists()
    assert "已将刘芳移出反家暴志愿者联盟" in removed and "团队还没有成员。" in removed


def test_coordinators_create_and_rename_a_team(coordinator):
    client = login(coordinator)
    client.post(reverse("volunteer_teams:add"), {"name": "心理剧社", "description": "以心理剧开展宣传。"})
    team = make_team("心理剧社")
    assert team.description == "以心理剧开展宣传。"
    client.post(reverse("volunteer_teams:edit", args=[team.pk]), {"name": "大连心理剧社", "description": ""})
    team.refresh_from_db()
    assert team.name == "大连心理剧社"
    listing = client.get(reverse("volunteer_teams:index")).content.decode()
    assert "大连心理剧社" in listing


def test_what_applicants_typed_cannot_run_as_a_formula_in_the_export(coordinator, drive):
    make_application(drive, full_name='=HYPERLINK("http://x")')

    response = login(coordinator).get(reverse("volunteer_applications:index"), {"export": "csv"})

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(body)))
    assert row["姓名"] == '\'=HYPERLINK("http://x")' and row["手机号码"] == "13912345678"
