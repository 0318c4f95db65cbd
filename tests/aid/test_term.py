"""The two-year term, on the calendar: the notice a month before the end (once), the end itself
(援助期满: the case closes and the counsellor's access ends), and a renewal that starts it all again."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aid import access
from aid.enums import AssignmentStatus, CaseStatus, CloseReason
from aid.models import Assignment, Case
from tests.aid.factories import PERSONAL, admin_client, assigned_case, make_aid_coordinator, make_programme

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 1)


def at(day: datetime.date):
    """The clock stopped at nine in the morning, Beijing time, on `day`."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 1, 0, tzinfo=datetime.UTC), tick=False)


def daily(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("aid_daily", stdout=out)
    return out.getvalue()


@pytest.fixture
def term(home_page):
    with at(START):
        programme = make_programme(home_page, term_months=24)
        case, counsellor = assigned_case(programme, starts_on=START)
    return {"case": case, "counsellor": counsellor, "assignment": case.active_assignment()}


def test_a_term_starting_on_1_march_2026_ends_on_29_february_2028(term):
    assert term["assignment"].ends_on == datetime.date(2028, 2, 29)


def test_counsellor_and_beneficiary_are_told_once_a_month_before_the_end(term, django_capture_on_commit_callbacks):
    case, counsellor = term["case"], term["counsellor"]
    with at(datetime.date(2028, 1, 29)):
        assert "assignments notified: 0" in daily(django_capture_on_commit_callbacks)
    assert mail.outbox == []

    with at(datetime.date(2028, 1, 30)):
        output = daily(django_capture_on_commit_callbacks)
    assert "assignments notified: 1" in output and "Done: 1 notified, 0 ended, 0 purged." in output
    assert sorted(message.to[0] for message in mail.outbox) == sorted([counsellor.user.email, case.registrant.email])
    for message in mail.outbox:
        assert case.number in message.body and "2028-02-29" in message.body
        assert PERSONAL["full_name"] not in message.body + message.subject

    with at(datetime.date(2028, 1, 31)):
        assert "assignments notified: 0" in daily(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2


def test_the_day_after_the_last_the_case_closes_and_the_counsellor_loses_access(
    term, django_capture_on_commit_callbacks
):
    case, counsellor = term["case"], term["counsellor"]
    with at(datetime.date(2028, 2, 29)):
        daily(django_capture_on_commit_callbacks)
        assert access.read_personal(Case.objects.get(pk=case.pk), counsellor.user).full_name == PERSONAL["full_name"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE

    with at(datetime.date(2028, 3, 1)):
        assert "assignments ended and cases closed: 1" in daily(django_capture_on_commit_callbacks)
        assert "assignments ended and cases closed: 0" in daily(django_capture_on_commit_callbacks)
        page = admin_client(make_aid_coordinator()).get(reverse("aid_cases:inspect", args=[case.pk])).content.decode()

    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.close_reason, case.closed_by) == (CaseStatus.CLOSED, CloseReason.COMPLETED, None)
    assert timezone.localtime(case.closed_at).date() == datetime.date(2028, 3, 1)
    assert Assignment.objects.get(pk=term["assignment"].pk).status == AssignmentStatus.ENDED
    assert "援助期满" in page and "期满自动结案" in page
    with pytest.raises(PermissionDenied):
        access.read_personal(case, counsellor.user)
    with pytest.raises(PermissionDenied):
        access.read_sessions(case, counsellor.user)


def test_a_renewal_moves_the_end_by_another_term_and_the_notice_comes_again(term, django_capture_on_commit_callbacks):
    assignment = term["assignment"]
    with at(datetime.date(2028, 1, 30)):
        daily(django_capture_on_commit_callbacks)
        coordinator = make_aid_coordinator()
        response = admin_client(coordinator).post(
            reverse("aid_cases:renew", args=[assignment.pk]), {"reason": "症状仍明显，本人希望继续。"}, follow=True
        )
    assert "新的结束日期为 2030-02-28" in response.content.decode()
    assignment.refresh_from_db()
    assert (assignment.ends_on, assignment.end_notice_sent_at) == (datetime.date(2030, 2, 28), None)
    mail.outbox.clear()

    with at(datetime.date(2028, 3, 1)):
        assert "assignments ended and cases closed: 0" in daily(django_capture_on_commit_callbacks)
    assert Case.objects.get(pk=term["case"].pk).status == CaseStatus.ACTIVE

    with at(datetime.date(2030, 1, 29)):
        daily(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 2 and all("2030-02-28" in message.body for message in mail.outbox)

    with at(datetime.date(2030, 3, 1)):
        assert "assignments ended and cases closed: 1" in daily(django_capture_on_commit_callbacks)
