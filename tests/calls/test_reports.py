"""A call as its staff follow it: who has submitted and who has not, reminders (never twice a
day), the answers counted with a bar per option, every answer as CSV and every file as a ZIP."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from calls import services
from calls.enums import CallKind, Eligibility
from calls.models import CallPage, CallReminder
from portal.roles import CALL_OFFICERS, CALL_REVIEWERS, EDITORS
from tests.calls.factories import make_call
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member
from tests.portal.factories import html
from tests.portal.samples import pdf_bytes

pytestmark = pytest.mark.django_db

REPORT = [
    {"field_type": "long_text", "label": "年度工作总结", "label_en": "Annual report"},
    {"field_type": "file", "label": "总结全文", "label_en": "Full text", "required": False},
]
SURVEY = [
    {
        "field_type": "choice",
        "label": "是否已复工",
        "label_en": "Back at work",
        "choices": "已全面复工\n部分复工\n尚未复工",
    },
    {
        "field_type": "multiple_choice",
        "label": "主要困难",
        "label_en": "Difficulties",
        "choices": "来访减少\n场地租金\n人员不足",
    },
    {"field_type": "yes_no", "label": "是否开展线上咨询", "label_en": "Counselling online"},
    {"field_type": "number", "label": "咨询师人数", "label_en": "Counsellors"},
    {"field_type": "short_text", "label": "备注", "label_en": "Notes", "required": False},
]


def officer() -> Client:
    client = Client()
    sign_in(client, make_user("officer@example.com", groups=(CALL_OFFICERS,)))
    return client


def branch(number: int, kind="分支机构"):
    return make_member(
        f"org{number}@example.com", number=f"DL-2020-{number:04d}", type_name=kind, full_name=f"单位{number}"
    )


def send(call, member, answers_by_label: dict, *, submit=True, files=None):
    with transaction.atomic():
        version = services.current_version(CallPage.objects.select_for_update().get(pk=call.pk))
    keys = {field["label"]: field["key"] for field in version.fields}
    return services.save_submission(
        CallPage.objects.get(pk=call.pk),
        member.user,
        organisation=member if call.takes_organisations else None,
        version=version,
        answers={keys[label]: value for label, value in answers_by_label.items()},
        file_changes={keys[label]: upload for label, upload in (files or {}).items()},
        submit=submit,
    )


@pytest.fixture
def reports_call(notices):
    return make_call(notices, fields=REPORT, categories=(), kind=CallKind.REPORT, eligibility=Eligibility.BRANCHES)


def test_staff_see_which_branches_have_not_reported_yet(reports_call):
    branches = [branch(n) for n in range(1, 4)]
    branch(9, kind="团体会员")  # not a branch: not expected
    send(reports_call, branches[0], {"年度工作总结": "全年开展活动十二次。"})
    send(reports_call, branches[1], {"年度工作总结": "草稿"}, submit=False)

    page = html(officer().get(f"/admin/calls/submissions/calls/{reports_call.pk}/progress/"))

    assert "已提交 1 份，草稿 1 份。" in page
    assert "应填报 3 个，尚未提交 2 个。" in page
    assert "单位2" in page and "单位3" in page
    assert "单位1" not in page and "单位9" not in page


def test_reminders_reach_the_missing_once_a_day(reports_call, mailoutbox, django_capture_on_commit_callbacks):
    reported, late, later = branch(1), branch(2), branch(3)
    late.contacts.create(user=make_user("secretary@example.com"))
    send(reports_call, reported, {"年度工作总结": "已提交。"})
    client = officer()
    url = f"/admin/calls/submissions/calls/{reports_call.pk}/remind/"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, follow=True)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)

    assert "已向 2 个会员或单位发送提醒。" in html(first)
    assert "今天已经提醒过所有未填报的会员或单位，没有再发送。" in html(again)
    assert len(mailoutbox) == 4  # two the first day, none the same day again, two the next day
    assert sorted(mailoutbox[0].to + mailoutbox[1].to) == [
        "org2@example.com",
        "org3@example.com",
        "secretary@example.com",
    ]
    assert "年度工作总结" not in mailoutbox[0].subject and reports_call.title in mailoutbox[0].subject
    assert CallReminder.objects.filter(member=later).count() == 2
    assert not CallReminder.objects.filter(member=reported).exists()


def test_survey_answers_are_counted_with_a_bar_per_option(notices):
    call = make_call(notices, fields=SURVEY, categories=(), kind=CallKind.SURVEY, eligibility=Eligibility.ORGANISATIONS)
    answers = [
        (
            {
                "是否已复工": 0,
                "主要困难": [0, 1],
                "是否开展线上咨询": True,
                "咨询师人数": "6",
                "备注": "希望减免场地租金。",
            }
        ),
        ({"是否已复工": 1, "主要困难": [0], "是否开展线上咨询": True, "咨询师人数": "3"}),
        ({"是否已复工": 1, "主要困难": [2], "是否开展线上咨询": False, "咨询师人数": "12"}),
    ]
    for number, given in enumerate(answers, start=1):
        send(call, branch(number), given)
    send(call, branch(8), {"是否已复工": 2}, submit=False)  # a draft does not count
    client = officer()

    page = html(client.get(f"/admin/calls/submissions/calls/{call.pk}/results/"))

    assert "部分复工" in page and "2（67%）" in page and "1（33%）" in page and "0（0%）" in page
    assert "--share: 100%" in page and "--share: 50%" in page
    assert "平均 7，最低 3，最高 12" in page
    assert "希望减免场地租金。" in page  # written answers are quoted
    with CaptureQueriesContext(connection) as few:
        client.get(f"/admin/calls/submissions/calls/{call.pk}/results/")
    for number in range(10, 16):
        send(call, branch(number), {"是否已复工": 0})
    with CaptureQueriesContext(connection) as many:
        client.get(f"/admin/calls/submissions/calls/{call.pk}/results/")
    assert len(many) == len(few)


def test_every_answer_as_csv_with_formulas_defused(notices):
    call = make_call(notices, fields=SURVEY, categories=(), kind=CallKind.SURVEY, eligibility=Eligibility.ORGANISATIONS)
    send(
        call,
        branch(1),
        {"是否已复工": 1, "主要困难": [0, 2], "是否开展线上咨询": False, "咨询师人数": "4", "备注": '=HYPERLINK("x")'},
    )

    response = officer().get(f"/admin/calls/submissions/calls/{call.pk}/answers.csv")

    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        text.splitlines()[0]
        == "编号,填报人,申报类别,状态,提交时间,是否已复工,主要困难,是否开展线上咨询,咨询师人数,备注"
    )
    assert f"{call.pk}-0001,单位1" in text and "部分复工,来访减少、人员不足,否,4" in text
    assert "'=HYPERLINK" in text


def test_every_attached_file_in_one_streamed_zip(reports_call):
    first, second = branch(1), branch(2)
    send(
        reports_call, first, {"年度工作总结": "一"}, files={"总结全文": SimpleUploadedFile("a.pdf", pdf_bytes("first"))}
    )
    send(
        reports_call,
        second,
        {"年度工作总结": "二"},
        files={"总结全文": SimpleUploadedFile("b.pdf", pdf_bytes("second"))},
    )

    response = officer().get(f"/admin/calls/submissions/calls/{reports_call.pk}/files.zip")

    assert response.streaming and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [
        f"{reports_call.pk}-0001 单位1/总结全文.pdf",
        f"{reports_call.pk}-0002 单位2/总结全文.pdf",
    ]
    assert archive.read(archive.namelist()[1]) == pdf_bytes("second")


@pytest.mark.parametrize("role", ["member", CALL_REVIEWERS, EDITORS])
def test_only_call_officers_follow_a_call_as_a_whole(reports_call, role):
    client = Client()
    sign_in(client, make_user("someone@example.com", groups=() if role == "member" else (role,)))
    pk = reports_call.pk

    for url in (
        "/admin/calls/submissions/calls/",
        f"/admin/calls/submissions/calls/{pk}/progress/",
        f"/admin/calls/submissions/calls/{pk}/results/",
        f"/admin/calls/submissions/calls/{pk}/answers.csv",
        f"/admin/calls/submissions/calls/{pk}/files.zip",
        f"/admin/calls/submissions/calls/{pk}/remind/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert not response.get("Content-Type", "").startswith(("text/csv", "application/zip")), url
