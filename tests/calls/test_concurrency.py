"""Many submissions to one call at the same moment, on PostgreSQL (row locks, real concurrency):
one submission per person and per organisation, numbered without gaps or doubles."""

import pytest
from django.db import connection

from calls.enums import Eligibility
from calls.models import CallSubmission
from members.models import OrganisationContact
from tests.calls.factories import make_call
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
