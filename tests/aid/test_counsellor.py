"""The counsellor's caseload (/aid/cases/) and case page: cases by number, the person's details, sessions
and risk flags read through aid.access, logging a session once however often it is sent, and risk
reports e-mailed at once to the aid coordinators only."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aid import access, services
from aid.models import CaseAccess, RiskFlag, Session
from tests.aid.factories import (
    PERSONAL,
    assigned_case,
    make_aid_coordinator,
    make_counsellor,
    make_programme,
    register_case,
)
from tests.conftest import make_user, run_at_once
from tests.experts.factories import login

pytestmark = pytest.mark.django_db

CASELOAD = reverse("aid:caseload")
TODAY = timezone.localdate


def case_url(case) -> str:
    return reverse("aid:case", args=[case.number])


def session_url(case) -> str:
    return reverse("aid:log_session", args=[case.number])


def risk_url(case) -> str:
    return reverse("aid:raise_risk", args=[case.number])


@pytest.fixture
def counsellor(programme):
    return make_counsellor(programme, capacity=20)


def session_form(**overrides) -> dict:
    data = {
        "held_on": TODAY().isoformat(),
        "minutes": "50",
        "mode": "video",
        "notes": "第一次通话，谈到夜班和隔离时的孤独感。",
        "idempotency_key": "a" * 32,
    }
    data.update(overrides)
    return data


def test_the_caseload_lists_active_cases_by_number_without_names(programme, counsellor):
    start = TODAY() - datetime.timedelta(days=30)
    mine, _ = assigned_case(programme, counsellor, starts_on=start, needs=("grief",), district="jinzhou")
    services.log_session(mine, by=counsellor.user, held_on=TODAY(), minutes=50, mode="phone", notes="记录")
    services.log_session(mine, by=counsellor.user, held_on=TODAY(), minutes=40, mode="phone")
    services.raise_risk(mine, by=counsellor.user, kinds=["suicide"], note="说明")
    others, _ = assigned_case(programme, make_counsellor(programme))
    waiting = register_case(programme)

    response = login(counsellor.user).get(CASELOAD)

    assert response.status_code == 200
    assert "aid/caseload.html" in [template.name for template in response.templates]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert mine.number in page and case_url(mine) in page
    assert "哀伤" in page and "电话" in page and "金州区" in page
    assert f"援助期至 {services.term_end(programme, start):%Y-%m-%d}" in page
    assert "已咨询 2 次" in page and "风险预警" in page
    assert others.number not in page and waiting.number not in page
    for value in PERSONAL.values():
        assert value not in page
    assert not CaseAccess.objects.exists()


def test_the_caseload_does_not_grow_in_queries_with_cases(programme, counsellor, django_assert_max_num_queries):
    browser = login(counsellor.user)
    case, _ = assigned_case(programme, counsellor)
    services.log_session(case, by=counsellor.user, held_on=TODAY(), minutes=50, mode="phone")
    with CaptureQueriesContext(connection) as one_case:
        browser.get(CASELOAD)
    for _ in range(5):
        case, _ = assigned_case(programme, counsellor)
        services.log_session(case, by=counsellor.user, held_on=TODAY(), minutes=50, mode="phone")
        services.raise_risk(case, by=counsellor.user, kinds=["self-harm"], note="说明")

    with django_assert_max_num_queries(len(one_case)):
        page = browser.get(CASELOAD).content.decode()

    assert page.count("已咨询 1 次") == 6


def test_the_case_page_shows_the_person_sessions_and_flags_and_logs_each_read(programme, counsellor):
    case, _ = assigned_case(programme, counsellor, starts_on=TODAY() - datetime.timedelta(days=7))
    services.log_session(case, by=counsellor.user, held_on=TODAY(), minutes=50, mode="video", notes="谈到了夜班。")
    services.raise_risk(case, by=counsellor.user, kinds=["self-harm", "suicide"], note="提到过轻生的念头。")

    response = login(counsellor.user).get(case_url(case))

    assert response.status_code == 200
    assert "aid/case.html" in [template.name for template in response.templates]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    for value in PERSONAL.values():
        assert value in page
    assert "谈到了夜班。" in page and "提到过轻生的念头。" in page and "自伤、自杀风险" in page
    assert "〔保密〕" not in page
    title = page[page.index("<title>") : page.index("</title>")]
    assert case.number in title and PERSONAL["full_name"] not in title
    reads = CaseAccess.objects.filter(case=case, user=counsellor.user)
    assert sorted(reads.values_list("what", flat=True)) == ["个人信息", "咨询记录", "风险预警"]
    assert set(reads.values_list("role", "path")) == {(access.COUNSELLOR, case_url(case))}


def test_a_counsellor_logs_a_session_once_however_often_it_is_sent(programme, counsellor):
    case, _ = assigned_case(programme, counsellor, starts_on=TODAY() - datetime.timedelta(days=7))
    browser = login(counsellor.user)
    form_page = browser.get(case_url(case)).content.decode()
    assert 'name="idempotency_key"' in form_page and 'type="hidden"' in form_page

    first = browser.post(session_url(case), session_form())
    second = browser.post(session_url(case), session_form())

    assert first.status_code == second.status_code == 302 and first["Location"] == case_url(case)
    session = Session.objects.get()
    assert (session.held_on, session.minutes, session.mode) == (TODAY(), 50, "video")
    assert session.recorded_by == counsellor.user and session.assignment.case == case
    assert access.read_sessions(case, counsellor.user)[0][1] == "第一次通话，谈到夜班和隔离时的孤独感。"
    browser.post(session_url(case), session_form(idempotency_key="b" * 32, minutes="30"))
    assert Session.objects.count() == 2
    page = browser.get(case_url(case)).content.decode()
    assert "咨询记录已保存。" in page and "50 分钟" in page and "30 分钟" in page


def test_a_key_used_on_another_case_records_a_new_session(programme, counsellor):
    first, _ = assigned_case(programme, counsellor)
    second, _ = assigned_case(programme, counsellor)
    browser = login(counsellor.user)

    browser.post(session_url(first), session_form())
    browser.post(session_url(second), session_form())

    assert sorted(Session.objects.values_list("assignment__case", flat=True)) == sorted([first.pk, second.pk])


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"held_on": "2999-01-01"}, "咨询日期不能晚于今天。"),
        ({"minutes": "0"}, "时长应在 1 至 600 分钟之间。"),
        ({"minutes": "601"}, "时长应在 1 至 600 分钟之间。"),
        ({"mode": ""}, "请填写此项。"),
        ({"held_on": "2001-01-01"}, "咨询日期早于本次分配的开始日期。"),
    ],
)
def test_a_session_with_bad_input_is_refused_with_the_message_shown(programme, counsellor, overrides, error):
    case, _ = assigned_case(programme, counsellor)

    response = login(counsellor.user).post(session_url(case), session_form(**overrides))

    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    assert "第一次通话，谈到夜班和隔离时的孤独感。" in page  # what was typed is kept
    assert not Session.objects.exists()


def test_a_risk_report_emails_the_coordinators_at_once_with_no_personal_data(
    programme, counsellor, django_capture_on_commit_callbacks
):
    coordinator = make_aid_coordinator("coordinator@example.com")
    root = make_user("root@example.com", superuser=True)
    beneficiary = make_user("nurse@example.com")
    case, _ = assigned_case(programme, counsellor, user=beneficiary)
    mail.outbox.clear()
    browser = login(counsellor.user)
    form = {
        "kinds": ["suicide", "harm-others"],
        "note": "说到不想活了，也说到恨某位同事。",
        "idempotency_key": "k" * 32,
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = browser.post(risk_url(case), form)
        second = browser.post(risk_url(case), form)

    assert first.status_code == second.status_code == 302
    flag = RiskFlag.objects.get()
    assert (flag.case, flag.kinds, flag.raised_by) == (case, ["suicide", "harm-others"], counsellor.user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(services.coordinator_emails())
    assert coordinator.email in message.to and root.email in message.to
    assert beneficiary.email not in message.to and counsellor.user.email not in message.to
    assert case.number in message.subject and "自杀风险、伤害他人" in message.body
    for secret in (*PERSONAL.values(), "不想活了", "同事"):
        assert secret not in message.subject + message.body
    page = browser.get(case_url(case)).content.decode()
    assert "风险预警已报告，援助协调员已收到邮件通知。" in page and "等待援助协调员跟进" in page


def test_a_risk_report_needs_a_kind_and_a_note(programme, counsellor):
    case, _ = assigned_case(programme, counsellor)

    response = login(counsellor.user).post(risk_url(case), {"kinds": [], "note": "", "idempotency_key": "r" * 32})

    page = response.content.decode()
    assert "请选择风险类型。" in page and "请简要说明情况。" in page
    assert not RiskFlag.objects.exists()


def test_a_coordinator_reads_the_case_as_coordinator_but_does_not_log_sessions(programme, counsellor):
    case, _ = assigned_case(programme, counsellor)
    coordinator = make_aid_coordinator("coordinator@example.com")
    browser = login(coordinator)

    page = browser.get(case_url(case)).content.decode()
    refused = browser.post(session_url(case), session_form())

    assert PERSONAL["full_name"] in page and "援助协调员" in page
    assert 'action="' + session_url(case) + '"' not in page
    assert refused.status_code == 403
    assert not Session.objects.exists()
    assert set(CaseAccess.objects.values_list("user", "role")) == {(coordinator.pk, access.COORDINATOR)}


def test_someone_who_is_neither_counsellor_nor_coordinator_has_no_caseload(programme):
    response = login(make_user("member@example.com")).get(CASELOAD)
    assert response.status_code == 403
    assert "这一页只供援助咨询师使用。" in response.content.decode()


def test_a_counsellor_without_cases_is_told_so(programme, counsellor):
    page = login(counsellor.user).get(CASELOAD).content.decode()
    assert "您目前没有负责的案例" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises every write")
def test_a_session_form_sent_twice_at_once_records_one(home_page):
    programme = make_programme(home_page)
    counsellor = make_counsellor(programme)
    case, _ = assigned_case(programme, counsellor)
    browser = login(counsellor.user)

    outcomes = run_at_once(2, lambda index: browser.post(session_url(case), session_form()))

    assert [outcome.status_code for outcome in outcomes] == [302, 302], outcomes
    assert Session.objects.count() == 1


def test_the_assignment_email_links_to_the_case_page_and_names_no_one(
    programme, counsellor, django_capture_on_commit_callbacks
):
    case = register_case(programme)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.assign(case, counsellor, by=make_aid_coordinator())

    message = next(message for message in mail.outbox if message.to == [counsellor.user.email])
    assert f"http://testserver{case_url(case)}" in message.body
    for value in PERSONAL.values():
        assert value not in message.subject + message.body
