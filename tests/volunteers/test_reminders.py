"""`manage.py volunteer_daily`: the day-before reminders, each sent once however often it runs."""

import datetime
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from tests.volunteers.factories import make_activity, make_campaign, make_signup, make_volunteer
from volunteers.enums import SignUpStatus
from volunteers.management.commands.volunteer_daily import Command

MORNING = datetime.datetime(2026, 5, 13, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def run(*args) -> str:
    out = io.StringIO()
    call_command("volunteer_daily", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def tomorrow(home_page):
    """An activity tomorrow at 09:30 with two people confirmed, one waiting and one who cancelled,
    and an activity the day after with one person confirmed."""
    with time_machine.travel(MORNING, tick=False):
        campaign = make_campaign(home_page)
        activity = make_activity(
            campaign, title="桃源街道独居老人走访", starts_in=datetime.timedelta(days=1, minutes=90)
        )
        make_signup(activity, make_volunteer("a@example.com"))
        make_signup(activity, make_volunteer("b@example.com"))
        make_signup(activity, make_volunteer("waiting@example.com"), status=SignUpStatus.WAITING)
        make_signup(activity, make_volunteer("cancelled@example.com"), status=SignUpStatus.CANCELLED)
        later = make_activity(campaign, title="后天的讲座", starts_in=datetime.timedelta(days=2))
        make_signup(later, make_volunteer("later@example.com"))
        yield activity


@time_machine.travel(MORNING, tick=False)
def test_tomorrows_confirmed_volunteers_are_reminded_once(tomorrow, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = run()
    with django_capture_on_commit_callbacks(execute=True):
        second = run()

    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@example.com", "b@example.com"]
    assert all("明天的志愿活动：桃源街道独居老人走访" in mail.subject for mail in mailoutbox)
    assert "Activities on 2026-05-14: 1." in first
    assert "09:30 桃源街道独居老人走访: 2 to remind" in first
    assert "Done: 2 reminder(s) sent for 2026-05-14." in first
    assert "09:30 桃源街道独居老人走访: 0 to remind" in second
    assert "Done: 0 reminder(s) sent for 2026-05-14." in second


@time_machine.travel(MORNING, tick=False)
def test_a_day_is_given_to_catch_up(tomorrow, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--date", "2026-05-14")

    assert [mail.to for mail in mailoutbox] == [["later@example.com"]]
    assert "后天的讲座: 1 to remind" in output and "Done: 1 reminder(s) sent for 2026-05-15." in output
    with pytest.raises(CommandError):
        run("--date", "14/05/2026")


def test_the_help_shows_the_cron_line():
    text = Command().create_parser("manage.py", "volunteer_daily").format_help()

    assert "manage.py volunteer_daily" in text and "* * *" in text
