"""Assigning a counsellor from the ranked suggestions, renewing an assignment with a reason, and
keeping the pool of counsellors."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aid import services
from aid.enums import AssignmentStatus, CaseStatus
from aid.models import Assignment, ChangeRequest, Counsellor, Renewal
from tests.aid.factories import (
    admin_client,
    assigned_case,
    case_with_history,
    make_counsellor,
    register_case,
)
from tests.conftest import make_user
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db


def suggestion_rows(html: str) -> list[str]:
    """The text of each suggested counsellor's row, in order."""
    rows = re.findall(r'<tr class="aid-candidate">.*?</tr>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_suggestions_are_ranked_with_why_and_leave_out_conflicts_and_full_counsellors(programme, coordinator):
    case = register_case(programme, needs=("trauma",), district="zhongshan")
    best = make_counsellor(programme, full_name="甲最合适", specialties=("trauma", "crisis"), district="zhongshan")
    far = make_counsellor(programme, full_name="乙较远", specialties=("trauma",), district="jinzhou", modes=("video",))
    make_counsellor(programme, full_name="丙不对口", specialties=("family",), district="zhongshan")
    full = make_counsellor(programme, full_name="丁已满", specialties=("trauma",), capacity=1)
    assigned_case(programme, full)
    conflicted = make_counsellor(programme, full_name="戊有冲突", specialties=("trauma",))
    services.declare_conflict(case, conflicted, by=coordinator)

    html = admin_client(coordinator).get(reverse("aid_cases:assign", args=[case.pk])).content.decode()
    rows = suggestion_rows(html)

    assert [row.split()[0] for row in rows] == ["甲最合适", "乙较远", "丙不对口"]
    assert "擅长领域匹配 2 项" in rows[0] and "同区" in rows[0] and "当前负责 0/3" in rows[0]
    assert "可提供希望的方式" in rows[0]
    assert "擅长领域匹配 1 项" in rows[1] and "同区" not in rows[1] and "不提供希望的方式" in rows[1]
    assert "擅长领域匹配" not in rows[2]
    assert "丁已满" not in html and "戊有冲突" not in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html  # the start date defaults to today
    assert {best.pk, far.pk} <= {int(pk) for pk in re.findall(r'name="counsellor" value="(\d+)"', html)}


def test_assigning_starts_the_term_and_tells_the_coordinator_when_it_ends(programme, coordinator):
    case = register_case(programme)
    counsellor = make_counsellor(programme, full_name="甲咨询")

    response = admin_client(coordinator).post(
        reverse("aid_cases:assign", args=[case.pk]),
        {"counsellor": counsellor.pk, "starts_on": "2026-03-01"},
        follow=True,
    )

    assignment = Assignment.objects.get(case=case)
    assert (assignment.counsellor, assignment.starts_on, assignment.ends_on) == (
        counsellor,
        datetime.date(2026, 3, 1),
        datetime.date(2028, 2, 29),
    )
    assert assignment.assigned_by == coordinator
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert "已分配咨询师 甲咨询，援助期 2026-03-01 至 2028-02-29。" in response.content.decode()


def test_a_new_counsellor_replaces_the_current_one_and_answers_the_change_request(programme, coordinator):
    case, first = case_with_history(programme)
    second = make_counsellor(programme, full_name="乙接替")

    admin_client(coordinator).post(
        reverse("aid_cases:assign", args=[case.pk]), {"counsellor": second.pk, "starts_on": "2026-05-01"}
    )

    assert Assignment.objects.get(case=case, counsellor=first).status == AssignmentStatus.REPLACED
    assert case.active_assignment().counsellor == second
    assert ChangeRequest.objects.get(case=case).resolved_by == coordinator


def test_the_form_says_what_is_missing_and_keeps_what_was_chosen(programme, coordinator):
    case = register_case(programme)
    counsellor = make_counsellor(programme)
    client = admin_client(coordinator)
    url = reverse("aid_cases:assign", args=[case.pk])

    nothing = client.post(url, {"starts_on": "2026-03-01"}).content.decode()
    assert "请选择一位咨询师。" in nothing and 'value="2026-03-01"' in nothing

    no_date = client.post(url, {"counsellor": counsellor.pk, "starts_on": ""}).content.decode()
    assert "请填写开始日期。" in no_date
    assert f'value="{counsellor.pk}" checked' in no_date

    bad_date = client.post(url, {"counsellor": counsellor.pk, "starts_on": "明天"}).content.decode()
    assert "请按 年-月-日 填写日期。" in bad_date and 'value="明天"' in bad_date
    assert not Assignment.objects.exists()


def test_a_counsellor_who_left_the_suggestions_meanwhile_is_refused(programme, coordinator):
    case = register_case(programme)
    counsellor = make_counsellor(programme, capacity=1)
    client = admin_client(coordinator)
    url = reverse("aid_cases:assign", args=[case.pk])
    client.get(url)
    assigned_case(programme, counsellor)  # someone else took the last place

    html = client.post(url, {"counsellor": counsellor.pk, "starts_on": "2026-03-01"}).content.decode()

    assert "这位咨询师已不在建议名单中" in html
    assert not Assignment.objects.filter(case=case).exists()


def test_a_refusal_of_the_service_is_shown_on_the_form(programme, coordinator, monkeypatch):
    case = register_case(programme)
    counsellor = make_counsellor(programme)

    def refuse(*args, **kwargs):
        raise ValidationError("这位咨询师负责的案例已满。")

    monkeypatch.setattr(services, "assign", refuse)
    html = (
        admin_client(coordinator)
        .post(reverse("aid_cases:assign", args=[case.pk]), {"counsellor": counsellor.pk, "starts_on": "2026-03-01"})
        .content.decode()
    )
    assert "这位咨询师负责的案例已满。" in html and "help-critical" in html


def test_a_closed_case_cannot_be_assigned(programme, coordinator):
    case = register_case(programme)
    services.close_case(case, by=coordinator, reason="ineligible")
    counsellor = make_counsellor(programme)
    response = admin_client(coordinator).post(
        reverse("aid_cases:assign", args=[case.pk]),
        {"counsellor": counsellor.pk, "starts_on": "2026-03-01"},
        follow=True,
    )
    assert "案例已结案，不能分配咨询师。" in response.content.decode()
    assert not Assignment.objects.filter(case=case).exists()


# Renewing -----------------------------------------------------------------------------------------


def test_renewing_needs_a_reason_and_shows_the_new_end_date(programme, coordinator):
    case, counsellor = assigned_case(programme, starts_on=datetime.date(2026, 3, 1))
    assignment = case.active_assignment()
    client = admin_client(coordinator)
    url = reverse("aid_cases:renew", args=[assignment.pk])

    page = client.get(url).content.decode()
    assert "原定 2028-02-29 结束" in page and "将于 2030-02-28 结束" in page

    missing = client.post(url, {"reason": ""}).content.decode()
    assert "请填写续期理由。" in missing
    assert not Renewal.objects.exists()

    done = client.post(url, {"reason": "仍有明显的创伤后应激症状，需继续咨询。"}, follow=True).content.decode()

    assignment.refresh_from_db()
    assert assignment.ends_on == datetime.date(2030, 2, 28)
    assert "已续期，新的结束日期为 2030-02-28。" in done
    assert "2028-02-29 → 2030-02-28" in done and "仍有明显的创伤后应激症状，需继续咨询。" in done
    assert Renewal.objects.get().renewed_by == coordinator


def test_only_an_active_assignment_can_be_renewed(programme, coordinator):
    case, _counsellor = assigned_case(programme)
    assignment = case.active_assignment()
    services.close_case(case, by=coordinator, reason="declined")
    assert admin_client(coordinator).get(reverse("aid_cases:renew", args=[assignment.pk])).status_code == 404


# The pool of counsellors --------------------------------------------------------------------------


def test_adding_a_counsellor_from_a_members_account(programme, coordinator):
    member = make_member("wangli@example.com", number="DL-2020-0042", full_name="王丽").user
    make_user("outsider@example.com")
    client = admin_client(coordinator)
    add = reverse("aid_counsellors:add")

    form = client.get(add).content.decode()
    members_group = form.split('label="会员"')[1].split("</optgroup>")[0]
    assert "DL-2020-0042" in members_group and "outsider@example.com" not in members_group
    assert "outsider@example.com" in form.split('label="其他账户"')[1]
    assert "王丽（wangli@example.com，会员编号 DL-2020-0042）" in members_group

    missing = client.post(add, {"user": member.pk, "capacity": "0"}).content.decode()
    for message in (
        "请选择资质。",
        "请选择所在区市县。",
        "请至少选择一种方式。",
        "请至少选择一个援助项目。",
        "至少为 1。",
    ):
        assert message in missing, message
    assert not Counsellor.objects.exists()

    client.post(
        add,
        {
            "user": member.pk,
            "qualification": "counsellor-2",
            "district": "shahekou",
            "modes": ["phone", "in-person"],
            "capacity": "4",
            "programmes": [programme.pk],
            "specialties": [],
            "is_active": "on",
        },
    )
    counsellor = Counsellor.objects.get(user=member)
    assert (counsellor.district, counsellor.modes, counsellor.capacity) == ("shahekou", ["phone", "in-person"], 4)
    assert list(counsellor.programmes.all()) == [programme]
    accounts = re.search(r'<select name="user".*?</select>', client.get(add).content.decode(), re.S).group()
    assert "DL-2020-0042" not in accounts  # one counsellor record per account


def test_the_pool_shows_each_counsellors_load_and_editing_keeps_the_account(programme, coordinator):
    counsellor = make_counsellor(programme, full_name="甲咨询", capacity=3)
    assigned_case(programme, counsellor)
    assigned_case(programme, counsellor)
    client = admin_client(coordinator)

    listing = client.get(reverse("aid_counsellors:index")).content.decode()
    row = next(row for row in re.findall(r"<tr.*?</tr>", listing, re.S) if "甲咨询" in row)
    assert "2/3" in row

    edit = reverse("aid_counsellors:edit", args=[counsellor.pk])
    other = make_user("someone@example.com")
    client.post(
        edit,
        {
            "user": other.pk,
            "qualification": "counsellor-3",
            "district": "zhongshan",
            "modes": ["video"],
            "capacity": "5",
            "programmes": [programme.pk],
            "is_active": "",
        },
    )
    counsellor.refresh_from_db()
    assert (counsellor.user.full_name, counsellor.capacity, counsellor.modes, counsellor.is_active) == (
        "甲咨询",
        5,
        ["video"],
        False,
    )
