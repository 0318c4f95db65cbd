"""The beneficiary's own area (/aid/my/): their cases only, their counsellor and term, their own details
(each read logged as 本人), and asking for another counsellor."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from aid import access, services
from aid.models import CaseAccess, ChangeRequest
from tests.aid.factories import (
    PERSONAL,
    assigned_case,
    make_aid_coordinator,
    make_counsellor,
    register_case,
)
from tests.conftest import make_user
from tests.experts.factories import login

pytestmark = pytest.mark.django_db

MY = reverse("aid:my_cases")


def change_url(case) -> str:
    return reverse("aid:request_change", args=[case.number])


def test_a_beneficiary_sees_their_case_counsellor_term_and_own_details(programme):
    person = make_user("nurse@example.com")
    case, counsellor = assigned_case(programme, user=person, starts_on=datetime.date(2026, 3, 1))
    stranger_case = register_case(programme, full_name="另一位求助者", phone="13900000009")

    response = login(person).get(MY)

    assert response.status_code == 200
    assert "aid/my_cases.html" in [template.name for template in response.templates]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert case.number in page and programme.title in page and "援助中" in page
    assert counsellor.user.full_name in page
    assert "2026-03-01 至 2028-02-29" in page  # 24 months, to the day before, in a leap year
    for value in PERSONAL.values():
        assert value in page
    assert "〔保密〕" not in page
    assert stranger_case.number not in page and "另一位求助者" not in page and "13900000009" not in page
    read = CaseAccess.objects.get()
    # Logged as 本人 without the account: the log must not join the case to the person's account.
    assert (read.case, read.user, read.role, read.path) == (case, None, access.BENEFICIARY, MY)
    assert access.ROLE_LABELS[read.role] == "本人"


def test_a_waiting_case_says_a_counsellor_is_being_arranged(programme):
    person = make_user("nurse@example.com")
    case = register_case(programme, person)

    page = login(person).get(MY).content.decode()

    assert case.number in page and "待分配" in page and "协调员正在为您安排" in page
    assert "申请更换咨询师" not in page


def test_someone_without_a_registration_sees_none_and_nothing_is_logged(programme):
    register_case(programme)

    page = login(make_user("someone@example.com")).get(MY).content.decode()

    assert "您的账户还没有登记任何援助项目" in page
    assert not CaseAccess.objects.exists()


def test_asking_for_another_counsellor(programme, django_capture_on_commit_callbacks):
    person = make_user("nurse@example.com")
    coordinator = make_aid_coordinator()
    case, counsellor = assigned_case(programme, user=person)
    browser = login(person)
    assert "申请更换咨询师" in browser.get(MY).content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(change_url(case), {f"change-{case.pk}-reason": "时间总是对不上。"}, follow=True)
        browser.post(change_url(case), {f"change-{case.pk}-reason": "时间总是对不上。"})

    change = ChangeRequest.objects.get()
    assert change.case == case and change.resolved_at is None
    assert access.read_change_requests(case, coordinator)[0][1] == "时间总是对不上。"
    page = response.content.decode()
    assert "已申请更换咨询师，等待协调员处理。" in page
    assert f'action="{change_url(case)}"' not in page
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted(services.coordinator_emails())
    assert coordinator.email in mail.outbox[0].to and counsellor.user.email not in mail.outbox[0].to
    assert case.number in mail.outbox[0].subject
    assert "时间总是对不上" not in mail.outbox[0].body and PERSONAL["full_name"] not in mail.outbox[0].body

    services.assign(case, make_counsellor(programme, full_name="王咨询"), by=coordinator)
    after = browser.get(MY).content.decode()
    assert "等待协调员处理" not in after and "王咨询" in after and counsellor.user.full_name not in after


def test_the_reason_is_optional_and_a_too_long_one_is_shown_next_to_the_field(programme):
    person = make_user("nurse@example.com")
    case, _counsellor = assigned_case(programme, user=person)
    browser = login(person)

    refused = browser.post(change_url(case), {f"change-{case.pk}-reason": "长" * 1001})

    assert refused.status_code == 200
    assert "请不要超过 1000 字。" in refused.content.decode()
    assert not ChangeRequest.objects.exists()
    browser.post(change_url(case), {})
    assert ChangeRequest.objects.get().case == case


def test_no_change_can_be_asked_before_a_counsellor_is_assigned(programme):
    person = make_user("nurse@example.com")
    case = register_case(programme, person)

    page = login(person).post(change_url(case), {}, follow=True).content.decode()

    assert "目前没有负责的咨询师。" in page
    assert not ChangeRequest.objects.exists()


def test_no_one_else_can_ask_for_a_change(programme):
    case, _counsellor = assigned_case(programme)

    response = login(make_user("someone@example.com")).post(change_url(case), {})

    assert response.status_code == 404
    assert not ChangeRequest.objects.exists()


def test_a_closed_case_stays_in_the_persons_area_until_the_purge_unlinks_it(programme, settings):
    person = make_user("nurse@example.com")
    case, _counsellor = assigned_case(programme, user=person)
    services.close_case(case, by=None, reason="declined")

    closed = login(person).get(MY).content.decode()
    assert case.number in closed and "已结案" in closed and "本人不再需要" in closed

    services.purge_expired(timezone.localdate() + datetime.timedelta(days=settings.AID_RETENTION_DAYS + 1))
    reads = CaseAccess.objects.count()

    # The purge severs the link to the account: what is left of the case is nobody's.
    page = login(person).get(MY).content.decode()
    assert case.number not in page and "您的账户还没有登记任何援助项目" in page
    assert PERSONAL["full_name"] not in page
    assert CaseAccess.objects.count() == reads
