"""A call's form over time and its harder fields: submissions keep the version they were made with,
a stale form is refused with what was typed kept, files are verified and served to their submitter,
tables have a limit, labels follow the reader's language, and odd input never breaks a page."""

import datetime
import html as markup

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from calls import display
from calls.enums import FieldType
from calls.models import CallField, CallPage, CallSubmission, SubmissionFile
from members.models import OrganisationContact
from portal.vetting.enums import Status
from tests.calls.factories import keys, make_call
from tests.conftest import make_user, sign_in
from tests.members.factories import make_member
from tests.portal.factories import html
from tests.portal.samples import PDF

pytestmark = pytest.mark.django_db

FILE_FIELDS = [
    {"field_type": FieldType.SHORT_TEXT, "label": "推荐对象姓名", "label_en": "Nominee's name"},
    {"field_type": FieldType.FILE, "label": "推荐表扫描件", "label_en": "Signed nomination form"},
]
ANSWERS = {
    "推荐对象姓名": "李华",
    "主要事迹": "十年来坚持开展社区心理服务。",
    "从业年限": "12",
    "入会日期": "2015-06-01",
    "服务领域": "1",
    "服务对象": ["0", "2"],
    "是否为会员单位负责人": "no",
}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def client_for(user, **options) -> Client:
    client = Client(**options)
    sign_in(client, user)
    return client


def form_url(call) -> str:
    return f"/calls/{call.pk}/"


def posted(call, action: str = "submit", **answers) -> dict:
    """The form as a member posts it: every field of the call answered as ANSWERS, then `answers`
    (by label; None leaves a field out), the latest version and the first category."""
    key = keys(call)
    version = call.form_versions.order_by("-number").first()
    data = {"version": version.pk if version else "", action: ""}
    category = call.categories.first()
    if category is not None:
        data["category"] = category.key
    for label, value in {**ANSWERS, **answers}.items():
        if label in key and value is not None:
            data[f"f_{key[label]}"] = value
    return data


def table_rows(call, rows) -> dict:
    name = f"f_{keys(call)['团队成员']}"
    return {f"{name}-{index}-{column}": cell for index, row in enumerate(rows) for column, cell in enumerate(row)}


def edit_field(call, current: str, **changes) -> CallPage:
    """Staff change a field of the form and publish the call again."""
    CallField.objects.filter(page=call, label=current).update(**changes)
    call = CallPage.objects.get(pk=call.pk)
    call.save_revision().publish()
    return CallPage.objects.get(pk=call.pk)


def test_a_change_to_the_form_leaves_a_submission_in_the_labels_it_was_made_with(call, member, member_client):
    member_client.get(form_url(call))
    member_client.post(form_url(call), posted(call))

    call = edit_field(call, "推荐对象姓名", label="被推荐人姓名")
    newcomer = client_for(make_member("zhao@example.com", number="DL-2020-0005").user)
    new_form = html(newcomer.get(form_url(call)))
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save_revision().publish()
    kept = member_client.get(form_url(call))

    assert "被推荐人姓名" in new_form and "推荐对象姓名" not in new_form
    assert list(call.form_versions.values_list("number", flat=True)) == [1, 2]
    submission = CallSubmission.objects.get()
    assert submission.form_version.number == 1
    assert display.answers(submission)[0].label == "推荐对象姓名"
    assert "已提交的材料" in html(kept)
    assert "推荐对象姓名" in html(kept) and "李华" in html(kept) and "被推荐人姓名" not in html(kept)


def test_posting_a_form_that_changed_meanwhile_keeps_what_was_typed_and_saves_nothing(call, member_client):
    member_client.get(form_url(call))
    typed = posted(call)  # with the version shown
    call = edit_field(call, "推荐对象姓名", label="被推荐人姓名")

    response = member_client.post(form_url(call), typed)

    assert response.status_code == 200
    page = html(response)
    assert "表单刚刚有了更新，请核对后再保存。" in page
    assert "被推荐人姓名" in page
    assert 'value="李华"' in page and "十年来坚持开展社区心理服务。" in page
    assert not CallSubmission.objects.exists()


def test_a_required_answer_is_asked_for_on_submit_but_a_draft_may_leave_it_out(call, member_client):
    member_client.get(form_url(call))
    without_name = posted(call, 推荐对象姓名=None)

    refused = member_client.post(form_url(call), {**without_name, "category": ""})
    nothing_saved = not CallSubmission.objects.exists()
    draft = member_client.post(form_url(call), {**posted(call, "save", 推荐对象姓名=None), "category": ""})

    assert refused.status_code == 200
    assert "请填写这一项。" in html(refused) and "请选择申报类别。" in html(refused)
    assert nothing_saved
    assert draft.status_code == 302
    submission = CallSubmission.objects.get()
    assert submission.status == Status.DRAFT and submission.number is None
    assert keys(call)["推荐对象姓名"] not in submission.answers
    assert submission.answers[keys(call)["从业年限"]] == "12"


@pytest.fixture
def file_call(notices):
    return make_call(notices, fields=FILE_FIELDS, categories=(), slug="nomination-forms")


def test_an_uploaded_pdf_is_kept_and_its_submitter_can_open_it(file_call, member_client, member):
    member_client.get(form_url(file_call))
    scan = SimpleUploadedFile("推荐表.pdf", PDF, content_type="application/pdf")

    response = member_client.post(form_url(file_call), posted(file_call, 推荐表扫描件=scan))

    assert response.status_code == 302
    submission = CallSubmission.objects.get(applicant=member.user)
    kept = SubmissionFile.objects.get(submission=submission)
    assert kept.field_key == keys(file_call)["推荐表扫描件"] and kept.size == len(PDF)
    opened = member_client.get(f"/calls/submissions/{submission.pk}/files/{kept.field_key}/")
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    assert b"".join(opened.streaming_content) == PDF
    assert "已上传的文件：" in html(member_client.get(form_url(file_call)))


@pytest.mark.parametrize(
    ("content", "error"),
    [("只是一段文字。".encode(), "请上传 JPG、PNG 图片或 PDF 文件。"), (None, "请上传文件。")],
    ids=["text named x.pdf", "no file"],
)
def test_a_file_that_is_not_a_scan_or_is_missing_is_refused_and_nothing_is_saved(
    file_call, member_client, content, error
):
    member_client.get(form_url(file_call))
    upload = SimpleUploadedFile("x.pdf", content, content_type="application/pdf") if content else None

    response = member_client.post(form_url(file_call), posted(file_call, 推荐表扫描件=upload))

    assert response.status_code == 200
    assert error in html(response)
    assert not CallSubmission.objects.exists() and not SubmissionFile.objects.exists()


def test_empty_table_rows_are_dropped(call, member_client):
    member_client.get(form_url(call))
    rows = [("张三", "督导"), ("", ""), ("李四", ""), ("  ", " ")]

    member_client.post(form_url(call), {**posted(call), **table_rows(call, rows)})

    assert CallSubmission.objects.get().answers[keys(call)["团队成员"]] == [["张三", "督导"], ["李四", ""]]


def test_a_table_of_more_than_fifty_rows_is_refused(call, member_client):
    member_client.get(form_url(call))
    rows = [(f"成员{index}", "咨询师") for index in range(51)]

    response = member_client.post(form_url(call), {**posted(call), **table_rows(call, rows)})

    assert response.status_code == 200
    assert "表格最多 50 行。" in html(response)
    assert not CallSubmission.objects.exists()


def test_traditional_readers_see_the_labels_converted(call, member_client):
    page = html(member_client.get(f"/zh-hant/calls/{call.pk}/"))

    assert "服務對象" in page and "服务对象" not in page
    assert "學校心理" in page


def test_english_readers_see_the_english_labels_and_options(call, member_client):
    response = member_client.get(f"/en/calls/{call.pk}/")
    page = markup.unescape(html(response))

    assert response.status_code == 200
    for english in ("Nominee's name", "Schools", "Young people", "Team", "Outstanding individual"):
        assert english in page
    for chinese in ("推荐对象姓名", "学校心理", "青少年"):
        assert chinese not in page


ODD_POSTS = [
    pytest.param({"version": "abc"}, id="version=abc"),
    pytest.param({"version": "99999999999999999999"}, id="version too large"),
    pytest.param({"version": "-1"}, id="negative version"),
    pytest.param({"category": "<script>alert(1)</script>"}, id="category garbage"),
    pytest.param({"服务领域": "99"}, id="choice out of range"),
    pytest.param({"服务对象": ["abc", "-1"]}, id="multiple choice garbage"),
    pytest.param({"从业年限": "十二"}, id="number in words"),
    pytest.param({"从业年限": "1e400"}, id="number too large"),
    pytest.param({"入会日期": "2020-13-45"}, id="impossible date"),
    pytest.param({"是否为会员单位负责人": "maybe"}, id="yes-no garbage"),
    pytest.param({"推荐表扫描件": "not a file"}, id="text for a file"),
]


@pytest.mark.parametrize("changes", ODD_POSTS)
def test_odd_input_to_the_form_never_breaks_it(call, member, changes):
    client = client_for(member.user, raise_request_exception=False)
    client.get(form_url(call))
    key = keys(call)
    data = posted(call)
    for name, value in changes.items():
        data[f"f_{key[name]}" if name in key else name] = value

    response = client.post(form_url(call), data)

    assert response.status_code in (200, 302, 403, 404)


@pytest.mark.parametrize(
    "version",
    [
        "²",
        "１２",
    ],
)
def test_a_version_in_other_digits_never_breaks_the_form(call, member, version):
    client = client_for(member.user, raise_request_exception=False)
    client.get(form_url(call))

    response = client.post(form_url(call), {**posted(call), "version": version})

    assert response.status_code in (200, 302)


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", f"/calls/{HUGE}/"),
        ("get", f"/calls/{{call}}/for/{HUGE}/"),
        ("get", f"/calls/submissions/{HUGE}/files/x/"),
        ("get", "/calls/submissions/1/files/x/"),
        ("post", f"/calls/submissions/{HUGE}/withdraw/"),
    ],
)
def test_odd_addresses_answer_not_found(call, member, method, url):
    client = client_for(member.user, raise_request_exception=False)

    assert getattr(client, method)(url.format(call=call.pk)).status_code == 404


@pytest.mark.parametrize("remove", ["abc", "", "-1", HUGE, "²"])
def test_odd_input_to_the_contacts_page_never_breaks_it(remove):
    organisation = make_member("centre@example.com", number="DL-T-0001", type_name="团体会员", full_name="阳光中心")
    OrganisationContact.objects.create(organisation=organisation, user=make_user("li@example.com"))
    client = client_for(organisation.user, raise_request_exception=False)

    response = client.post("/membership/contacts/", {"remove": remove})

    assert response.status_code in (200, 302)
    assert OrganisationContact.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "error_on", "error"),
    [
        (CallField(field_type=FieldType.CHOICE, label="性别", choices="男"), "choices", "单选和多选至少需要两个选项"),
        (
            CallField(
                field_type=FieldType.MULTIPLE_CHOICE, label="服务对象", choices="青少年\n老年人", choices_en="Youth"
            ),
            "choices_en",
            "英文须与中文逐行对应：中文 2 行，英文 1 行。",
        ),
        (CallField(field_type=FieldType.TABLE, label="团队成员", columns=""), "columns", "表格至少需要一列"),
    ],
    ids=["one option", "english options of another count", "table without columns"],
)
def test_a_field_staff_set_up_wrongly_is_refused_with_the_reason(field, error_on, error):
    with pytest.raises(ValidationError) as refused:
        field.clean()

    assert error in " ".join(refused.value.message_dict[error_on])


def test_a_field_set_up_rightly_passes():
    field = CallField(
        field_type=FieldType.CHOICE, label="服务领域", choices="学校\n社区", choices_en="Schools\nCommunity"
    )

    field.clean()  # no error
