"""Who may open each confidential URL of the aid section. Everyone but the assigned counsellor, the aid
coordinators (and superusers) and, for their own area, the beneficiary is refused — whatever their
other roles — and a refusal leaves no trace in the access log; every allowed read leaves one row per
read with the reader's role and the page's path."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from aid import access, services
from aid.models import CaseAccess, ChangeRequest, RiskFlag, Session
from portal.roles import (
    EDITORS,
    EXPERT_CHAIRS,
    EXPERT_REVIEWERS,
    MEMBERSHIP_OFFICERS,
    MODERATORS,
    VOLUNTEER_COORDINATORS,
)
from tests.aid.factories import PERSONAL, assigned_case, make_aid_coordinator, make_counsellor, make_programme
from tests.conftest import make_user
from tests.experts.factories import login

pytestmark = pytest.mark.django_db

STAFF_GROUPS = (EDITORS, MODERATORS, MEMBERSHIP_OFFICERS, VOLUNTEER_COORDINATORS, EXPERT_REVIEWERS, EXPERT_CHAIRS)


@pytest.fixture
def world(home_page):
    """One case with its beneficiary, its counsellor, the counsellor it had before, and everyone else."""
    programme = make_programme(home_page)
    beneficiary = make_user("nurse@example.com")
    former = make_counsellor(programme, "former@example.com", full_name="前任咨询")
    case, _ = assigned_case(programme, former, user=beneficiary)
    counsellor = make_counsellor(programme, "counsellor@example.com")
    coordinator = make_aid_coordinator("coordinator@example.com")
    services.assign(case, counsellor, by=coordinator)
    services.log_session(
        case,
        by=counsellor.user,
        held_on=case.assignments.get(status="active").starts_on,
        minutes=50,
        mode="phone",
        notes="记录内容",
    )
    services.raise_risk(case, by=counsellor.user, kinds=["self-harm"], note="预警内容")
    denied = {
        "another member": make_user("member@example.com"),
        "another counsellor": make_counsellor(programme, "other@example.com").user,
        "the replaced counsellor": former.user,
        **{
            group: make_user(f"{group.replace(' ', '-').lower()}@example.com", groups=(group,))
            for group in STAFF_GROUPS
        },
    }
    mail.outbox.clear()
    return {
        "case": case,
        "beneficiary": beneficiary,
        "counsellor": counsellor.user,
        "coordinator": coordinator,
        "superuser": make_user("root@example.com", superuser=True),
        "denied": denied,
    }


def confidential_requests(case) -> list[tuple[str, str, dict | None]]:
    """(method, path, data) of every URL that shows or changes a case's confidential data."""
    return [
        ("get", reverse("aid:case", args=[case.number]), None),
        (
            "post",
            reverse("aid:log_session", args=[case.number]),
            {"held_on": "2020-01-01", "minutes": "50", "mode": "phone", "notes": "x", "idempotency_key": "k"},
        ),
        (
            "post",
            reverse("aid:raise_risk", args=[case.number]),
            {"kinds": ["suicide"], "note": "x", "idempotency_key": "k"},
        ),
        ("post", reverse("aid:request_change", args=[case.number]), {}),
    ]


def nothing_happened(before: dict) -> bool:
    return (
        CaseAccess.objects.count() == 0
        and Session.objects.count() == before["sessions"]
        and RiskFlag.objects.count() == before["flags"]
        and not ChangeRequest.objects.exists()
        and not mail.outbox
    )


def counts() -> dict:
    return {"sessions": Session.objects.count(), "flags": RiskFlag.objects.count()}


def test_anonymous_visitors_are_sent_to_sign_in(world, django_capture_on_commit_callbacks):
    client = Client()
    before = counts()
    everything = [
        *confidential_requests(world["case"]),
        ("get", reverse("aid:my_cases"), None),
        ("get", reverse("aid:caseload"), None),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for method, path, data in everything:
            response = getattr(client, method)(path, data or {})
            assert response.status_code == 302, path
            assert response["Location"] == f"{reverse('account_login')}?next={path}", path
    assert nothing_happened(before)


def test_everyone_else_is_refused_and_leaves_no_trace(world, django_capture_on_commit_callbacks):
    case = world["case"]
    before = counts()
    with django_capture_on_commit_callbacks(execute=True):
        for who, user in world["denied"].items():
            browser = login(user)
            for method, path, data in confidential_requests(case):
                response = getattr(browser, method)(path, data or {})
                assert response.status_code in (403, 404), (who, path, response.status_code)
                assert PERSONAL["full_name"] not in response.content.decode(), (who, path)
            # Their own areas open, and show nothing of this case.
            own_area = browser.get(reverse("aid:my_cases"))
            assert own_area.status_code == 200, who
            assert case.number not in own_area.content.decode(), who
            caseload = browser.get(reverse("aid:caseload"))
            assert caseload.status_code in (200, 403), who
            assert case.number not in caseload.content.decode(), who
    assert nothing_happened(before)


def test_the_beneficiary_cannot_open_the_counsellors_case_page(world, django_capture_on_commit_callbacks):
    case = world["case"]
    before = counts()
    browser = login(world["beneficiary"])
    with django_capture_on_commit_callbacks(execute=True):
        for method, path, data in confidential_requests(case)[:3]:
            response = getattr(browser, method)(path, data or {})
            assert response.status_code in (403, 404), path
    assert nothing_happened(before)


@pytest.mark.parametrize(
    ("reader", "role"),
    [("counsellor", access.COUNSELLOR), ("coordinator", access.COORDINATOR), ("superuser", access.COORDINATOR)],
)
def test_each_allowed_read_is_logged_with_the_role_and_path(world, reader, role):
    case, user = world["case"], world[reader]
    path = reverse("aid:case", args=[case.number])
    browser = login(user)

    for _ in range(2):
        response = browser.get(path)
        assert response.status_code == 200
        assert PERSONAL["full_name"] in response.content.decode()
        assert "no-store" in response["Cache-Control"]

    reads = CaseAccess.objects.filter(case=case)
    assert reads.count() == 6  # personal data, sessions, risk flags: twice
    assert set(reads.values_list("user", "role", "path")) == {(user.pk, role, path)}


def test_the_beneficiarys_own_reads_are_logged_as_such(world):
    path = reverse("aid:my_cases")
    browser = login(world["beneficiary"])

    browser.get(path)
    browser.get(path)

    reads = CaseAccess.objects.filter(case=world["case"])
    assert reads.count() == 2
    assert set(reads.values_list("user", "role", "what", "path")) == {
        (None, access.BENEFICIARY, "个人信息", path)  # 本人, without the account the case is sealed from
    }


def test_a_refused_read_after_a_replacement_is_refused_for_good(world):
    """The counsellor before the change kept their account and their other roles, but not the case."""
    former = world["denied"]["the replaced counsellor"]
    response = login(former).get(reverse("aid:case", args=[world["case"].number]))
    assert response.status_code == 404
    assert not access.is_assigned_counsellor(former, world["case"])
    with pytest.raises(PermissionDenied):
        access.read_personal(world["case"], former)
    assert not CaseAccess.objects.exists()
