"""Filling in a call's form: drafts, submitting, what is kept, changes until the deadline, withdrawing."""

import datetime

import pytest
from django.utils import timezone

from calls.models import CallSubmission
from portal.vetting.enums import Status
from tests.calls.factories import keys
from tests.portal.factories import html

pytestmark = pytest.mark.django_db


def complete(call, **changes) -> dict:
    """What a member posts to submit the call's form with every required field filled in."""
    key = keys(call)
    data = {
        "version": call.form_versions.get().pk if call.form_versions.exists() else "",
        "category": call.categories.get().key,
        f"f_{key['推荐对象姓名']}": "李华",
        f"f_{key['主要事迹']}": "十年来坚持开展社区心理服务。",
        f"f_{key['从业年限']}": "12",
        f"f_{key['入会日期']}": "2015-06-01",
        f"f_{key['服务领域']}": "1",
        f"f_{key['服务对象']}": ["0", "2"],
        f"f_{key['是否为会员单位负责人']}": "no",
        f"f_{key['团队成员']}-0-0": "张三",
        f"f_{key['团队成员']}-0-1": "督导",
        f"f_{key['团队成员']}-1-0": "",
        f"f_{key['团队成员']}-1-1": "",
        "submit": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def form_url(call) -> str:
    return f"/calls/{call.pk}/"


def test_the_form_shows_every_field_the_staff_defined(member_client, call):
    page = html(member_client.get(form_url(call)))

    for label in ("推荐对象姓名", "主要事迹", "从业年限", "入会日期", "服务领域", "学校心理", "服务对象", "青少年"):
        assert label in page
    assert "是否为会员单位负责人" in page and "推荐表扫描件" in page
    assert '<th scope="col">姓名</th>' in page and "添加一行" in page
    assert "填写全名" in page  # the help text, which a screen reader announces with the field:
    name_field = f"id_f_{keys(call)['推荐对象姓名']}"
    assert f'aria-describedby="{name_field}_helptext"' in page and f'id="{name_field}_helptext"' in page
    assert "先进个人" in page  # the category


def test_a_submitted_form_is_kept_numbered_and_shown_back(member_client, call, member):
    member_client.get(form_url(call))  # the form is shown: its version exists

    response = member_client.post(form_url(call), complete(call))

    assert response.status_code == 302
    submission = CallSubmission.objects.get()
    assert submission.status == Status.SUBMITTED
    assert submission.applicant == member.user
    assert submission.reference == f"{call.pk}-0001"
    key = keys(call)
    assert submission.answers == {
        key["推荐对象姓名"]: "李华",
        key["主要事迹"]: "十年来坚持开展社区心理服务。",
        key["从业年限"]: "12",
        key["入会日期"]: "2015-06-01",
        key["服务领域"]: 1,
        key["服务对象"]: [0, 2],
        key["是否为会员单位负责人"]: False,
        key["团队成员"]: [["张三", "督导"]],
    }


def test_submitting_without_a_required_answer_says_which_and_keeps_what_was_typed(member_client, call):
    member_client.get(form_url(call))
    key = keys(call)

    response = member_client.post(form_url(call), complete(call, **{f"f_{key['推荐对象姓名']}": ""}))

    assert response.status_code == 200
    page = html(response)
    assert "请填写这一项。" in page
    assert "十年来坚持开展社区心理服务。" in page
    assert 'value="张三"' in page
    assert not CallSubmission.objects.exists()


def test_a_draft_may_be_partial_and_is_submitted_later(member_client, call):
    member_client.get(form_url(call))
    key = keys(call)
    draft = {"version": call.form_versions.get().pk, f"f_{key['推荐对象姓名']}": "李华", "save": ""}

    member_client.post(form_url(call), draft)

    submission = CallSubmission.objects.get()
    assert submission.status == Status.DRAFT and submission.number is None
    assert 'value="李华"' in html(member_client.get(form_url(call)))
    member_client.post(form_url(call), complete(call))
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert CallSubmission.objects.count() == 1


def test_a_double_click_on_submit_makes_one_submission(member_client, call):
    member_client.get(form_url(call))

    member_client.post(form_url(call), complete(call))
    member_client.post(form_url(call), complete(call))

    assert CallSubmission.objects.count() == 1
    assert CallSubmission.objects.get().transitions().count() == 1


def test_a_submission_can_be_changed_until_the_deadline_and_not_after(member_client, call):
    member_client.get(form_url(call))
    member_client.post(form_url(call), complete(call))
    key = keys(call)

    member_client.post(form_url(call), complete(call, **{f"f_{key['推荐对象姓名']}": "李小华"}))
    assert CallSubmission.objects.get().answers[key["推荐对象姓名"]] == "李小华"

    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save_revision().publish()
    page = member_client.get(form_url(call))
    late = member_client.post(form_url(call), complete(call, **{f"f_{key['推荐对象姓名']}": "王五"}))

    assert "已提交的材料" in html(page) and "李小华" in html(page)
    assert '<form method="post" enctype' not in html(page)
    assert "已提交的材料" in html(late)  # what was sent, read only
    assert CallSubmission.objects.get().answers[key["推荐对象姓名"]] == "李小华"


def test_withdrawing_before_the_deadline_lets_the_member_start_again(member_client, call):
    member_client.get(form_url(call))
    member_client.post(form_url(call), complete(call))
    submission = CallSubmission.objects.get()

    member_client.post(f"/calls/submissions/{submission.pk}/withdraw/")
    member_client.post(form_url(call), complete(call))

    assert list(CallSubmission.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.WITHDRAWN,
        Status.SUBMITTED,
    ]


def test_the_submitter_is_told_by_e_mail_that_the_submission_arrived(
    member_client, call, mailoutbox, django_capture_on_commit_callbacks
):
    member_client.get(form_url(call))

    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(form_url(call), complete(call))
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(form_url(call), complete(call))  # a change, not a second submission

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["wang@example.com"]
    assert f"编号 {call.pk}-0001" in message.subject
    assert "关于开展2021年度先进个人评选表彰活动的通知" in message.body
    assert f"/calls/{call.pk}/" in message.body


def test_the_member_reads_their_submissions_in_english_as_their_own(member_client, call):
    member_client.get(form_url(call))
    member_client.post(form_url(call), complete(call))

    page = html(member_client.get("/en/calls/mine/"))

    assert "Yourself" in page and "Beneficiary" not in page
    assert f"Number {call.pk}-0001" in page and "Awaiting review" in page
