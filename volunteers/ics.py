"""An activity as an iCalendar file (RFC 5545), so volunteers can put it in their phone's calendar.

Only what the campaign page shows the public goes in: no names, no sign-ups."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .enums import Qualification
from .models import Activity

PRODID = "-//Dalian Psychological Counsellors Association//Volunteer activities//ZH"


def uid(activity: Activity) -> str:
    """The same for every download of the activity, so a calendar updates the event instead of adding it again."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    return f"volunteer-activity-{activity.pk}@{host}"


def location(activity: Activity) -> str:
    return f"{activity.place}（{activity.get_district_display()}）"


def utc(moment: datetime.datetime) -> datetime.datetime:
    """Times are written in UTC (…Z), which every calendar reads without a VTIMEZONE."""
    return moment.astimezone(datetime.UTC)


def activity_calendar(activity: Activity, *, campaign_title: str, url: str) -> bytes:
    """A calendar published with one event: the activity, its times in UTC, where, and a link to its campaign."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")

    lines = [campaign_title]
    if activity.description:
        lines += ["", activity.description]
    if activity.qualification != Qualification.OPEN:
        lines += ["", _("报名条件：%(qualification)s") % {"qualification": activity.get_qualification_display()}]
    lines += ["", _("报名和取消：%(url)s") % {"url": url}]

    event = Event()
    event.add("uid", uid(activity))
    # The last change of the activity: the file is the same until the activity changes.
    event.add("dtstamp", utc(activity.updated_at))
    event.add("last-modified", utc(activity.updated_at))
    event.add("dtstart", utc(activity.starts_at))
    event.add("dtend", utc(activity.ends_at))
    event.add("summary", activity.title)
    event.add("location", location(activity))
    event.add("description", "\n".join(lines))
    event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
