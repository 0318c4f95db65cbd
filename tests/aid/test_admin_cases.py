"""The coordinators' list of cases and the case page: numbers only in lists, the confidential data
on the case page with every read logged, and the actions taken from it."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aid import access, services
from aid.enums import CaseStatus, CloseReason
from aid.models import Case, CaseAccess, Conflict, RiskFlag
from tests.aid.factories import (
    CHANGE_REASON,
    PDF,
    PERSONAL,
    RISK_NOTE,
    SESSION_NOTES,
    admin_client,
    case_with_history,
    make_counsellor,
    make_programme,
    register_case,
)

pytestmark = pytest.mark.django_db


def cells_of(html: str, number: str) -> str:
    """The text of the list row holding case `number`."""
    row = next(row for row in re.findall(r"<tr.*?</tr>", html, re.S) if number in row)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))


# The list -----------------------------------------------------------------------------------------


def test_the_list_shows_case_numbers_and_the_clear_facts_never_personal_data(programme, coordinator):
    flagged, counsellor = case_with_history(programme, needs=("trauma", "grief"), district="ganjingzi")
    waiting = register_case(programme, full_name="测试者乙", phone="13900000002")

    response = admin_client(coordinator).get(reverse("aid_cases:index"))
    html = response.content.decode()

    assert response.status_code == 200
    flagged_row = cells_of(html, flagged.number)
    for text in (programme.title, "援助中", "创伤与应激反应、哀伤", "电话", "甘井子区", "张咨询", "高风险", "申请更换"):
        assert text in flagged_row, text
    assert timezone.localtime(flagged.registered_at).strftime("%Y-%m-%d") in flagged_row
    waiting_row = cells_of(html, waiting.number)
    assert "待分配" in waiting_row and "高风险" not in waiting_row and "申请更换" not in waiting_row
    for secret in (
        PERSONAL["full_name"],
        "测试者乙",
        PERSONAL["phone"],
        "13900000002",
        PERSONAL["workplace"],
        "〔保密〕",
    ):
        assert secret not in html
    assert CaseAccess.objects.count() == 0


def test_the_badge_goes_once_the_flag_is_followed_up(programme, coordinator):
    case, _counsellor = case_with_history(programme)
    services.follow_up(RiskFlag.objects.get(case=case), by=coordinator, note="已电话联系，本人安全。")
    html = admin_client(coordinator).get(reverse("aid_cases:index")).content.decode()
    assert "高风险" not in cells_of(html, case.number)


def test_filters_by_programme_status_and_flag_and_search_by_number(home_page, programme, coordinator):
    other_programme = make_programme(home_page, prefix="YQ")
    flagged, _counsellor = case_with_history(programme)
    waiting = register_case(programme)
    elsewhere = register_case(other_programme)
    client = admin_client(coordinator)
    index = reverse("aid_cases:index")

    def numbers(query: dict) -> set[str]:
        html = client.get(index, query).content.decode()
        return {number for number in (flagged.number, waiting.number, elsewhere.number) if number in html}

    assert numbers({}) == {flagged.number, waiting.number, elsewhere.number}
    assert numbers({"programme": other_programme.pk}) == {elsewhere.number}
    assert numbers({"status": "waiting"}) == {waiting.number, elsewhere.number}
    assert numbers({"flagged": "yes"}) == {flagged.number}
    assert numbers({"flagged": "no"}) == {waiting.number, elsewhere.number}
    assert numbers({"change": "yes"}) == {flagged.number}
    assert numbers({"q": waiting.number}) == {waiting.number}
    assert numbers({"q": "yq-2026"}) == {elsewhere.number}
    assert numbers({"q": "测试者甲"}) == set()  # a name finds nothing: only numbers are searchable


def test_the_list_does_not_grow_in_queries_with_the_cases(programme, coordinator, django_assert_max_num_queries):
    client = admin_client(coordinator)
    url = reverse("aid_cases:index")
    case_with_history(programme)
    register_case(programme)
    client.get(url)  # warm the session and site caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        case_with_history(programme)
        register_case(programme)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("高风险") >= 5


# The case page ------------------------------------------------------------------------------------


def test_the_case_page_shows_everything_and_logs_each_read(programme, coordinator):
    case, counsellor = case_with_history(programme)
    url = reverse("aid_cases:inspect", args=[case.pk])

    response = admin_client(coordinator).get(url)
    html = response.content.decode()

    assert response.status_code == 200
    for text in (
        *(PERSONAL[name] for name in ("full_name", "phone", "workplace", "needs_detail", "preferred_times")),
        SESSION_NOTES,
        RISK_NOTE,
        "自杀风险",
        CHANGE_REASON,
        "待处理",
        str(counsellor),
        "进行中",
        reverse("aid_cases:proof", args=[case.pk]),
        reverse("aid_cases:follow_up", args=[RiskFlag.objects.get(case=case).pk]),
    ):
        assert text in html, text
    reads = CaseAccess.objects.filter(case=case, user=coordinator)
    assert sorted(reads.values_list("what", flat=True)) == sorted(
        ["个人信息", "咨询记录", "风险预警", "更换咨询师申请"]
    )
    assert set(reads.values_list("role", "path")) == {(access.COORDINATOR, url)}
    # The page's own audit lists the reads just made.
    audit = html.split('id="aid-accesses"')[1]
    assert audit.count(coordinator.email) == 4 and "援助协调员" in audit


def test_the_proof_downloads_as_an_attachment_under_the_case_number(programme, coordinator):
    case = register_case(programme)
    response = admin_client(coordinator).get(reverse("aid_cases:proof", args=[case.pk]))

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{case.number}-proof.pdf" in response["Content-Disposition"]
    assert "证明" not in response["Content-Disposition"]  # not the name the beneficiary gave the file
    assert "no-store" in response["Cache-Control"]
    assert CaseAccess.objects.filter(case=case, user=coordinator, what="驰援证明").count() == 1


def test_no_proof_no_download(programme, coordinator):
    case = register_case(programme, proof=False)
    assert admin_client(coordinator).get(reverse("aid_cases:proof", args=[case.pk])).status_code == 404
    assert not CaseAccess.objects.exists()


def test_following_up_a_flag_from_the_case_page(programme, coordinator):
    case, _counsellor = case_with_history(programme)
    flag = RiskFlag.objects.get(case=case)
    client = admin_client(coordinator)
    url = reverse("aid_cases:follow_up", args=[flag.pk])

    empty = client.post(url, {f"flag-{flag.pk}-note": "  "})
    assert empty.status_code == 200 and "请填写跟进情况。" in empty.content.decode()
    assert RISK_NOTE in empty.content.decode()  # the flag stays in view while the form is corrected

    done = client.post(url, {f"flag-{flag.pk}-note": "已电话联系本人并转介医院。"}, follow=True)
    flag.refresh_from_db()
    assert flag.followed_up_at is not None and flag.followed_up_by == coordinator
    html = done.content.decode()
    assert "已登记跟进情况" in html and "已电话联系本人并转介医院。" in html
    assert not Case.objects.flagged().filter(pk=case.pk).exists()


def test_closing_a_case_needs_a_reason_and_ends_the_counsellors_access(programme, coordinator):
    case, counsellor = case_with_history(programme)
    client = admin_client(coordinator)
    url = reverse("aid_cases:close", args=[case.pk])

    missing = client.post(url, {})
    assert "请选择结案原因。" in missing.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE

    client.post(url, {"reason": CloseReason.DECLINED})
    case.refresh_from_db()
    assert (case.status, case.close_reason, case.closed_by) == (CaseStatus.CLOSED, CloseReason.DECLINED, coordinator)
    with pytest.raises(PermissionDenied):
        access.read_personal(case, counsellor.user)
    page = client.get(reverse("aid_cases:inspect", args=[case.pk])).content.decode()
    assert "本人不再需要" in page and reverse("aid_cases:close", args=[case.pk]) not in page


def test_declaring_a_conflict_keeps_the_counsellor_off_the_suggestions(programme, coordinator):
    case = register_case(programme)
    known = make_counsellor(programme, full_name="王相识")
    make_counsellor(programme, full_name="赵其他")
    client = admin_client(coordinator)

    client.post(
        reverse("aid_cases:conflict", args=[case.pk]), {"counsellor": known.pk, "note": "同一科室"}, follow=True
    )

    conflict = Conflict.objects.get(case=case)
    assert (conflict.counsellor, conflict.note, conflict.declared_by) == (known, "同一科室", coordinator)
    suggestions = client.get(reverse("aid_cases:assign", args=[case.pk])).content.decode()
    assert "赵其他" in suggestions and "王相识" not in suggestions
    page = client.get(reverse("aid_cases:inspect", args=[case.pk])).content.decode()
    assert "王相识" in page and "同一科室" in page


def test_a_purged_case_page_reads_nothing(programme, coordinator):
    case, _counsellor = case_with_history(programme)
    services.close_case(case, by=coordinator, reason=CloseReason.COMPLETED)
    Case.objects.filter(pk=case.pk).update(closed_at=case.registered_at.replace(year=2000))
    services.purge_expired()

    html = admin_client(coordinator).get(reverse("aid_cases:inspect", args=[case.pk])).content.decode()

    assert "按保存期限清除" in html
    assert PERSONAL["full_name"] not in html and SESSION_NOTES not in html
    assert reverse("aid_cases:proof", args=[case.pk]) not in html
    assert not CaseAccess.objects.filter(case=case).exists()


# The flagged list ---------------------------------------------------------------------------------


def test_the_flagged_list_puts_flags_awaiting_follow_up_first_and_drops_them_once_followed_up(programme, coordinator):
    first, counsellor = case_with_history(programme)
    second, _counsellor = case_with_history(programme)
    services.raise_risk(second, by=coordinator, kinds=["self-harm", "harm-others"], note="又一次预警。")
    client = admin_client(coordinator)
    url = reverse("aid_flags:index")

    html = client.get(url).content.decode()
    pending, done = html.split('id="aid-flags-pending"')[1].split('id="aid-flags-done"')
    assert pending.index(first.number) < pending.index(second.number)  # the longest waiting first
    assert "自伤、伤害他人" in pending and counsellor.user.full_name in pending and "自杀风险" in pending
    assert first.number not in done
    assert RISK_NOTE not in html and not CaseAccess.objects.exists()  # the list shows no notes and reads nothing

    client.post(
        reverse("aid_cases:follow_up", args=[first.risk_flags.get().pk]),
        {f"flag-{first.risk_flags.get().pk}-note": "已联系。"},
    )

    pending, done = client.get(url).content.decode().split('id="aid-flags-pending"')[1].split('id="aid-flags-done"')
    assert first.number not in pending and second.number in pending
    assert first.number in done and coordinator.email in done
