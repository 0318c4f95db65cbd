"""An activity as a calendar file: valid iCalendar that phones and mail programs read back."""

import datetime

import pytest
from icalendar import Calendar

from tests.volunteers.factories import login, make_activity, make_campaign, make_volunteer
from volunteers import services

pytestmark = pytest.mark.django_db

LONG_DESCRIPTION = "两人一组入户陪伴，聊天、读报、测评情绪。" * 8


@pytest.fixture
def activity(home_page):
    campaign = make_campaign(home_page, theme="关注老年人抑郁孤独")
    activity = make_activity(campaign, title="社区老人陪伴走访", places=2)
    activity.description = LONG_DESCRIPTION
    activity.save()
    return activity


def _download(client, activity):
    response = client.get(f"/volunteer/activities/{activity.pk}.ics")
    assert response.status_code == 200
    return response


def test_the_file_is_a_calendar_to_download(client, activity):
    response = _download(client, activity)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="activity-{activity.pk}.ics"'


def test_it_reads_back_with_the_activitys_times_place_and_page(client, activity):
    calendar = Calendar.from_ical(_download(client, activity).content)

    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"]).startswith("-//")
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("DTSTART") == activity.starts_at
    assert event.decoded("DTEND") == activity.ends_at
    assert event.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert str(event["SUMMARY"]) == "社区老人陪伴走访"
    assert str(event["LOCATION"]) == "中山区桃源街道社区服务中心（中山区）"
    assert LONG_DESCRIPTION in str(event["DESCRIPTION"])
    assert activity.campaign.title in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"{activity.campaign.full_url}#activity-{activity.pk}"
    assert event.decoded("DTSTAMP").tzinfo is not None


def test_it_is_valid_icalendar(client, activity):
    raw = _download(client, activity).content

    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines)  # the long description was folded
    unfolded = raw.replace(b"\r\n ", b"").decode()
    for required in ("PRODID:", "VERSION:2.0", "BEGIN:VEVENT", "UID:", "DTSTAMP:", "DTSTART:", "END:VEVENT"):
        assert f"\r\n{required}" in unfolded, required
    assert unfolded.count("BEGIN:VEVENT") == 1
    # Times in UTC, which needs no VTIMEZONE.
    assert "DTSTART:" + activity.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ") in unfolded


def test_the_event_keeps_its_uid_when_the_activity_changes(client, activity, django_capture_on_commit_callbacks):
    before = Calendar.from_ical(_download(client, activity).content).walk("VEVENT")[0]
    with django_capture_on_commit_callbacks(execute=True):  # the cached file is dropped once the change is saved
        activity.starts_at += datetime.timedelta(hours=1)
        activity.ends_at += datetime.timedelta(hours=1)
        activity.save()

    after = Calendar.from_ical(_download(client, activity).content).walk("VEVENT")[0]

    assert str(after["UID"]) == str(before["UID"]) == f"volunteer-activity-{activity.pk}@testserver"
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + datetime.timedelta(hours=1)


def test_it_holds_nothing_about_who_signed_up(client, activity):
    volunteer = make_volunteer(email="private@example.com", full_name="隐私姓名")
    services.sign_up(activity, volunteer)
    raw = _download(client, activity).content.replace(b"\r\n ", b"").decode()
    assert "private@example.com" not in raw and "隐私姓名" not in raw
    assert "ATTENDEE" not in raw and "ORGANIZER" not in raw
    assert (
        raw == login(volunteer).get(f"/volunteer/activities/{activity.pk}.ics").content.replace(b"\r\n ", b"").decode()
    )


def test_activities_of_unpublished_campaigns_have_no_file(client, activity):
    activity.campaign.unpublish()
    assert client.get(f"/volunteer/activities/{activity.pk}.ics").status_code == 404
    assert client.get("/volunteer/activities/999999.ics").status_code == 404
