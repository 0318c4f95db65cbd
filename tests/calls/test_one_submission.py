"""One submission per person, and per organisation, and call, even past the service: the database
refuses a second open one (tests/calls/test_concurrency.py sends them at once on PostgreSQL)."""

import pytest
from django.db import IntegrityError, transaction

from calls import services
from calls.enums import Eligibility
from calls.models import CallPage, CallSubmission
from portal.vetting.enums import Status
from tests.calls.factories import make_call
from tests.conftest import make_user
from tests.members.factories import make_member

NAME = [{"field_type": "short_text", "label": "姓名", "label_en": "Name"}]


def version_of(call):
    with transaction.atomic():
        return services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))


def submit(call, user, organisation=None, name="李华"):
    version = version_of(call)
    key = version.fields[0]["key"]
    return services.save_submission(
        CallPage.objects.get(pk=call.pk),
        user,
        organisation=organisation,
        version=version,
        answers={key: name},
        submit=True,
    )


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_submission_of_a_person(notices, member):
    call = make_call(notices, fields=NAME, categories=())
    first = submit(call, member.user)

    with pytest.raises(IntegrityError), transaction.atomic():
        CallSubmission.objects.create(call=call, applicant=member.user, form_version=first.form_version)
    # Once withdrawn, the person may submit again.
    services.withdraw(first, by=member.user)
    assert submit(call, member.user).status == Status.SUBMITTED


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_submission_of_an_organisation(notices):
    call = make_call(notices, fields=NAME, categories=(), eligibility=Eligibility.ORGANISATIONS)
    branch = make_member("branch@example.com", number="DL-2020-0100", type_name="分支机构", full_name="青少年心理分会")
    first = submit(call, branch.user, branch)
    contact = make_user("contact@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        CallSubmission.objects.create(
            call=call, applicant=contact, organisation=branch, form_version=first.form_version
        )
