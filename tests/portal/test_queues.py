"""Every queue staff work through in the admin opens with what waits for them, the longest waiting
first; decided items follow, newest first."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from aid.enums import CaseStatus
from aid.models import Case
from experts.models import ExpertApplication
from members import services as member_services
from members.models import MembershipApplication, Payment
from portal.roles import MEMBERSHIP_OFFICERS
from portal.vetting.enums import Status
from tests.aid.factories import make_programme, register_case
from tests.conftest import make_user, sign_in
from tests.experts.factories import make_application as make_expert_application
from tests.members.factories import make_invoice, make_member, make_period
from tests.volunteers.factories import make_application as make_volunteer_application
from tests.volunteers.factories import make_drive
from volunteers.models import VolunteerApplication

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def _set(objects, field: str, rows: list[tuple[str, int]]) -> list[int]:
    """Give each object a status and an age in days; returns their keys in the order given."""
    for obj, (status, days) in zip(objects, rows, strict=True):
        type(obj).objects.filter(pk=obj.pk).update(status=status, **{field: _ago(days)})
    return [obj.pk for obj in objects]


# The order every queue should show, from rows made in this order:
#   decided 1 day ago, waiting 2 days, decided 30 days ago, waiting 20 days.
EXPECTED = [3, 1, 0, 2]  # waiting 20 days, waiting 2 days, decided 1 day ago, decided 30 days ago


def _index_order(client, url: str, labels: list[str]) -> list[int]:
    html = client.get(url).content.decode()
    positions = [html.index(label) for label in labels]
    return sorted(range(len(labels)), key=positions.__getitem__)


def test_membership_applications_waiting_for_a_decision_come_first(client, superuser):
    names = ["甲已批", "乙待审", "丙已拒", "丁待审"]
    applications = [
        MembershipApplication.objects.create(applicant=make_user(f"m{index}@example.com"), full_name=name)
        for index, name in enumerate(names)
    ]
    _set(
        applications,
        "submitted_at",
        [(Status.APPROVED, 1), (Status.SUBMITTED, 2), (Status.REJECTED, 30), (Status.SUBMITTED, 20)],
    )
    sign_in(client, superuser)

    assert _index_order(client, reverse("membership_applications:index"), names) == EXPECTED


def test_transfers_to_confirm_come_first(client):
    officer = make_user("officer@example.com", groups=(MEMBERSHIP_OFFICERS,))
    names = ["赵一", "钱二", "孙三", "李四"]
    payments = []
    period = make_period(2026)
    for index, name in enumerate(names):
        member = make_member(f"p{index}@example.com", number=f"DL-2020-000{index}", full_name=name)
        invoice = make_invoice(member, period)
        pending = member_services.record_transfer(
            invoice, by=member.user, reference=f"ref-{index}", voucher=None, idempotency_key=uuid.uuid4().hex
        )
        payments.append(pending)
    for payment, (status, days) in zip(
        payments, [("confirmed", 1), ("pending", 2), ("rejected", 30), ("pending", 20)], strict=True
    ):
        Payment.objects.filter(pk=payment.pk).update(status=status, created_at=_ago(days))
    sign_in(client, officer)

    labels = [f"ref-{index}" for index in range(4)]
    assert _index_order(client, reverse("payments:index"), labels) == EXPECTED


def test_a_column_header_still_sorts_by_its_column(client, superuser):
    names = ["甲", "乙"]
    applications = [
        MembershipApplication.objects.create(applicant=make_user(f"s{index}@example.com"), full_name=name)
        for index, name in enumerate(names)
    ]
    _set(applications, "submitted_at", [(Status.APPROVED, 1), (Status.SUBMITTED, 5)])
    sign_in(client, superuser)

    url = reverse("membership_applications:index") + "?ordering=-submitted_at"
    assert _index_order(client, url, names) == [0, 1]


def _viewset(name: str):
    from wagtail.admin.viewsets import viewsets

    return next(viewset for viewset in viewsets.viewsets if getattr(viewset, "name", "") == name)


def _ordered(viewset_name: str, queryset) -> list[int]:
    return list(queryset.order_by(*_viewset(viewset_name).ordering).values_list("pk", flat=True))


def test_expert_applications_waiting_for_review_come_first():
    applications = [make_expert_application(full_name=f"专家{index}") for index in range(4)]
    keys = _set(
        applications,
        "submitted_at",
        [(Status.APPROVED, 1), (Status.SUBMITTED, 2), (Status.REJECTED, 30), (Status.SUBMITTED, 20)],
    )

    order = _ordered("expert_applications", ExpertApplication.objects.filter(pk__in=keys))
    assert order == [keys[index] for index in EXPECTED]


def test_volunteer_applications_waiting_or_shortlisted_come_first(home_page):
    drive = make_drive(home_page)
    applications = [make_volunteer_application(drive, full_name=f"志愿{index}") for index in range(4)]
    keys = _set(
        applications,
        "submitted_at",
        [(Status.APPROVED, 1), (Status.SHORTLISTED, 2), (Status.REJECTED, 30), (Status.SUBMITTED, 20)],
    )

    order = _ordered("volunteer_applications", VolunteerApplication.objects.filter(pk__in=keys))
    assert order == [keys[index] for index in EXPECTED]


def test_aid_registrations_waiting_for_a_counsellor_come_first(home_page):
    programme = make_programme(home_page)
    cases = [register_case(programme) for _ in range(4)]
    keys = _set(
        cases,
        "registered_at",
        [(CaseStatus.ACTIVE, 1), (CaseStatus.WAITING, 2), (CaseStatus.CLOSED, 30), (CaseStatus.WAITING, 20)],
    )

    assert _ordered("aid_cases", Case.objects.filter(pk__in=keys)) == [keys[index] for index in EXPECTED]
