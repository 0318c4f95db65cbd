"""Many submissions to one call at the same moment, on PostgreSQL (row locks, real concurrency):
one submission per person and per organisation, numbered without gaps or doubles; one 公示, one
results notice and one certificate each however many officers press the button at once."""

import pytest
import time_machine
from django.db import connection

from calls import announcements
from calls.enums import Eligibility
from calls.models import CallAnnouncement, CallCertificate, CallObjection, CallPage, CallSubmission
from members.models import OrganisationContact
from notices.models import NoticePage
from portal.roles import CALL_OFFICERS
from portal.vetting.enums import Status
from portal.vetting.services import TransitionNotAllowed
from tests.calls.factories import make_call
from tests.calls.test_announcement import AFTER, ANNOUNCED, awards_call, decide
from tests.calls.test_one_submission import NAME, submit
from tests.conftest import make_user, run_at_once
from tests.members.factories import make_member

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.mark.parametrize("clicks", [2, 5])
def test_one_person_submitting_several_times_at_once_makes_one_numbered_submission(notices, clicks):
    member = make_member("wang@example.com", number="DL-2020-0001")
    call = make_call(notices, fields=NAME, categories=())

    outcomes = run_at_once(clicks, lambda index: submit(call, member.user))

    assert all(isinstance(outcome, CallSubmission) for outcome in outcomes), outcomes
    submission = CallSubmission.objects.get(call=call)
    assert submission.number == 1
    assert submission.transitions().count() == 1


def test_two_contacts_of_one_organisation_starting_at_once_share_one_submission(notices):
    call = make_call(notices, fields=NAME, categories=(), eligibility=Eligibility.ORGANISATIONS)
    centre = make_member("centre@example.com", number="DL-2020-0200", type_name="团体会员", full_name="心悦咨询中心")
    contacts = [make_user(f"contact{n}@example.com") for n in range(2)]
    for person in contacts:
        OrganisationContact.objects.create(organisation=centre, user=person)

    outcomes = run_at_once(2, lambda index: submit(call, contacts[index], centre, name=f"联系人{index}"))

    assert all(isinstance(outcome, CallSubmission) for outcome in outcomes), outcomes
    assert CallSubmission.objects.filter(call=call).count() == 1


def test_twenty_members_submitting_at_once_are_numbered_one_to_twenty(notices):
    call = make_call(notices, fields=NAME, categories=())
    members = [make_member(f"m{n}@example.com", number=f"DL-2020-{n:04d}") for n in range(20)]

    outcomes = run_at_once(20, lambda index: submit(call, members[index].user))

    assert all(isinstance(outcome, CallSubmission) for outcome in outcomes), outcomes
    assert sorted(CallSubmission.objects.filter(call=call).values_list("number", flat=True)) == list(range(1, 21))


# The 公示 and the results ------------------------------------------------------------------------------


def test_two_officers_announcing_at_once_publish_one_notice(notices):
    chair = make_user("chair@example.com", groups=(CALL_OFFICERS,))
    call, entries = awards_call(notices)
    decide(entries, chair, selected=(0, 1))

    with time_machine.travel(ANNOUNCED, tick=False):
        outcomes = run_at_once(2, lambda index: announcements.announce(CallPage.objects.get(pk=call.pk), by=chair))

    assert sum(isinstance(outcome, CallAnnouncement) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, TransitionNotAllowed) for outcome in outcomes) == 1, outcomes
    assert NoticePage.objects.filter(slug=f"call-{call.pk}-notice").count() == 1
    for entry in entries[:2]:
        assert [move.to_status for move in entry.transitions()][-1:] == [Status.NOTICE]
        assert entry.transitions().filter(to_status=Status.NOTICE).count() == 1


def test_closing_twice_at_once_confirms_each_entry_and_issues_each_certificate_once(notices):
    chair = make_user("chair@example.com", groups=(CALL_OFFICERS,))
    call, entries = awards_call(notices)
    decide(entries, chair, selected=(0, 1, 2))
    with time_machine.travel(ANNOUNCED, tick=False):
        announcement = announcements.announce(call, by=chair)

    with time_machine.travel(AFTER, tick=False):
        outcomes = run_at_once(
            2, lambda index: announcements.close(CallAnnouncement.objects.get(pk=announcement.pk), by=chair)
        )

    assert sum(isinstance(outcome, CallAnnouncement) for outcome in outcomes) == 1, outcomes
    assert CallCertificate.objects.count() == 3
    assert NoticePage.objects.filter(slug=f"call-{call.pk}-results").count() == 1
    assert all(entry.transitions().filter(to_status=Status.ACCEPTED).count() == 1 for entry in entries)


def test_an_objection_sent_twice_at_once_is_recorded_once(notices):
    chair = make_user("chair@example.com", groups=(CALL_OFFICERS,))
    call, entries = awards_call(notices, count=1)
    decide(entries, chair, selected=(0,))
    with time_machine.travel(ANNOUNCED, tick=False):
        announcement = announcements.announce(call, by=chair)
        outcomes = run_at_once(
            5,
            lambda index: announcements.raise_objection(
                announcement, name="张三", contact="x", grounds="理由理由理由理由理由", idempotency_key="one-form"
            ),
        )

    assert all(isinstance(outcome, CallObjection) for outcome in outcomes), outcomes
    assert CallObjection.objects.count() == 1
