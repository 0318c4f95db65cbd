"""Many people signing up or cancelling at the same moment, on PostgreSQL (row locks, real concurrency)."""

import pytest
from django.core import mail
from django.db import connection

from tests.conftest import run_at_once
from tests.volunteers.factories import make_activity, make_campaign, make_volunteer
from volunteers import services
from volunteers.enums import SignUpStatus
from volunteers.models import Activity, SignUp

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def activity(home_page):
    return make_activity(make_campaign(home_page), places=5)


def _statuses(activity) -> dict[str, int]:
    rows = SignUp.objects.filter(activity=activity).values_list("status", flat=True)
    return {status: list(rows).count(status) for status in SignUpStatus.values}


def test_twenty_people_signing_up_at_once_for_five_places(activity):
    volunteers = [make_volunteer(f"v{n}@example.com") for n in range(20)]

    outcomes = run_at_once(20, lambda index: services.sign_up(Activity.objects.get(pk=activity.pk), volunteers[index]))

    assert all(isinstance(outcome, SignUp) for outcome in outcomes), outcomes
    assert _statuses(activity) == {"confirmed": 5, "waiting": 15, "cancelled": 0}
    waiting = SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING)
    assert sorted(services.waiting_position(signup) for signup in waiting) == list(range(1, 16))
    # Everyone was told where they stand: five places, fifteen on the waiting list.
    assert len(mail.outbox) == 20


def test_one_person_clicking_twice_at_once_gets_one_place(activity):
    volunteer = make_volunteer()

    outcomes = run_at_once(2, lambda index: services.sign_up(Activity.objects.get(pk=activity.pk), volunteer))

    assert all(isinstance(outcome, SignUp) for outcome in outcomes), outcomes
    assert outcomes[0].pk == outcomes[1].pk
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_cancelling_at_once_promotes_exactly_as_many_as_left(activity):
    volunteers = [make_volunteer(f"v{n}@example.com") for n in range(9)]
    for volunteer in volunteers:  # one by one: five places, then four waiting in this order
        services.sign_up(activity, volunteer)
    leaving = list(SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED)[:3])
    first_waiting = list(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING)
        .order_by("created_at", "pk")
        .values_list("volunteer_id", flat=True)
    )
    mail.outbox.clear()

    outcomes = run_at_once(3, lambda index: services.cancel(leaving[index], by=leaving[index].volunteer))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    assert _statuses(activity) == {"confirmed": 5, "waiting": 1, "cancelled": 3}
    promoted = set(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).values_list("volunteer_id", flat=True)
    )
    assert set(first_waiting[:3]) <= promoted
    assert SignUp.objects.get(activity=activity, status=SignUpStatus.WAITING).volunteer_id == first_waiting[3]
    assert len(mail.outbox) == 3  # each person promoted is told once


def test_signing_up_while_others_cancel_never_overfills(activity):
    early = [make_volunteer(f"early{n}@example.com") for n in range(5)]
    for volunteer in early:
        services.sign_up(activity, volunteer)
    late = [make_volunteer(f"late{n}@example.com") for n in range(4)]
    confirmed = list(SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED))

    def act(index):
        if index < 2:
            return services.cancel(confirmed[index], by=confirmed[index].volunteer)
        return services.sign_up(Activity.objects.get(pk=activity.pk), late[index - 2])

    outcomes = run_at_once(6, act)

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)], outcomes
    statuses = _statuses(activity)
    assert statuses["confirmed"] == 5 and statuses["cancelled"] == 2 and statuses["waiting"] == 2
