"""入会申请: drafts, submission, the officer's decision (number, e-mail, reasons), the audit trail,
uploads checked by content, and who may see what."""

import io
import threading

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from PIL import Image

from members import services
from members.models import Member, MembershipApplication, MembershipType
from portal.roles import EDITORS, MEMBERSHIP_OFFICERS
from portal.vetting.enums import Status
from portal.vetting.services import TransitionNotAllowed
from tests.conftest import make_user, sign_in
from tests.portal.samples import PDF

pytestmark = pytest.mark.django_db

APPLY = "/membership/apply/"


def pdf(name="certificate.pdf", size=None) -> SimpleUploadedFile:
    content = PDF
    if size:
        content += b"0" * (size - len(content))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="certificate.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def complete(**changes) -> dict:
    data = {
        "full_name": "王晓明",
        "phone": "13904110000",
        "employer": "大连市第七人民医院",
        "district": "shahekou",
        "qualification": "counsellor-2",
        "certificate_number": "1511000000351234",
        "certificate_scan": pdf(),
        "years_of_practice": "6",
        "membership_type": str(MembershipType.objects.get(name="个人会员").pk),
        "charter_agreed": "on",
        "submit": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def applicant(db):
    return make_user("applicant@example.com")


@pytest.fixture
def applicant_client(applicant) -> Client:
    client = Client()
    sign_in(client, applicant)
    return client


@pytest.fixture
def submitted(applicant_client, applicant) -> MembershipApplication:
    response = applicant_client.post(APPLY, complete())
    assert response.status_code == 302
    return MembershipApplication.objects.get(applicant=applicant)


# The applicant -----------------------------------------------------------------------------------


def test_visitors_are_asked_to_sign_in_first(client):
    response = client.get(APPLY)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={APPLY}"


def test_a_draft_is_saved_incomplete_and_shown_again(applicant_client, applicant):
    saved = applicant_client.post(APPLY, {"full_name": "王晓明", "employer": "大连市第七人民医院", "save": "1"})
    again = applicant_client.get(APPLY).content.decode()

    assert saved.status_code == 302
    application = MembershipApplication.objects.get(applicant=applicant)
    assert application.status == Status.DRAFT
    assert 'value="王晓明"' in again and 'value="大连市第七人民医院"' in again
    assert "草稿" in again


def test_an_incomplete_submission_says_what_is_missing_and_keeps_what_was_typed(applicant_client, applicant):
    response = applicant_client.post(
        APPLY, complete(phone="12345", certificate_number="", charter_agreed=None, certificate_scan=None)
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写 11 位手机号码。" in page
    assert "提交申请前须阅读并同意协会章程。" in page
    assert page.count("请填写此项。") == 2  # the certificate number and the scan
    assert 'value="王晓明"' in page and 'value="12345"' in page
    assert not MembershipApplication.objects.filter(applicant=applicant).exists()


def test_a_complete_submission_is_recorded_and_can_no_longer_be_edited(applicant_client, submitted, applicant):
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None
    assert [(t.from_status, t.to_status, t.by) for t in submitted.transitions()] == [
        (Status.DRAFT, Status.SUBMITTED, applicant)
    ]

    status_page = applicant_client.get(APPLY).content.decode()
    retry = applicant_client.post(APPLY, complete(full_name="李四"))

    assert "待审核" in status_page and "<form" not in status_page.split("<main")[1]
    assert retry.status_code == 200
    submitted.refresh_from_db()
    assert submitted.full_name == "王晓明"
    assert MembershipApplication.objects.filter(applicant=applicant).count() == 1


def test_a_png_scan_is_accepted(applicant_client, applicant):
    assert applicant_client.post(APPLY, complete(certificate_scan=png())).status_code == 302
    assert MembershipApplication.objects.get(applicant=applicant).status == Status.SUBMITTED


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"),
        SimpleUploadedFile("certificate.png", b"<html><script>alert(1)</script></html>", content_type="image/png"),
        SimpleUploadedFile("certificate.jpg", b"GIF89a\x01\x00\x01\x00", content_type="image/jpeg"),
    ],
    ids=["exe-as-pdf", "html-as-png", "gif-as-jpg"],
)
def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(applicant_client, applicant, upload):
    response = applicant_client.post(APPLY, complete(certificate_scan=upload))

    assert response.status_code == 200
    assert "请上传 JPG、PNG 图片或 PDF 文件。" in response.content.decode()
    assert not MembershipApplication.objects.filter(applicant=applicant).exists()


def test_a_scan_over_5_mb_is_refused(applicant_client):
    response = applicant_client.post(APPLY, complete(certificate_scan=pdf(size=5 * 1024 * 1024 + 1)))

    assert "文件不能超过 5 MB。" in response.content.decode()


def test_an_institutional_member_gives_the_organisations_details(applicant_client, applicant):
    institutional = str(MembershipType.objects.get(name="团体会员").pk)

    refused = applicant_client.post(APPLY, complete(membership_type=institutional))
    accepted = applicant_client.post(
        APPLY,
        complete(
            membership_type=institutional,
            organisation_name="大连市心理援助中心",
            organisation_details="民办非企业单位，专职咨询师12人。",
        ),
    )

    assert "团体会员和分支机构须填写单位信息。" in refused.content.decode()
    assert accepted.status_code == 302
    assert MembershipApplication.objects.get(applicant=applicant).organisation_name == "大连市心理援助中心"


# The officer's decision --------------------------------------------------------------------------


@pytest.fixture
def decide(django_capture_on_commit_callbacks):
    """An officer's decision posted in the admin, with what runs once it is committed (the e-mail)."""

    def post(client, application, decision, note="", joined_on=""):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("membership_applications:decide", args=[application.pk]),
                {"decision": decision, "note": note, "joined_on": joined_on},
            )

    return post


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_approval_admits_the_applicant_with_a_number_and_tells_them(
    officer_client, submitted, officer, applicant, decide
):
    response = decide(officer_client, submitted, "approve")

    assert response.status_code == 302
    member = Member.objects.get(user=applicant)
    assert member.number == "DL-2026-0001"
    assert member.joined_on.isoformat() == "2026-03-02"
    assert member.full_name == "王晓明" and member.membership_type.name == "个人会员"
    submitted.refresh_from_db()
    assert (submitted.status, submitted.decided_by) == (Status.APPROVED, officer)
    assert submitted.transitions().get(to_status=Status.APPROVED).by == officer
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["applicant@example.com"]
    assert "DL-2026-0001" in mail.outbox[0].body and "已通过" in mail.outbox[0].subject


def test_approving_twice_admits_once(officer_client, submitted, officer, decide):
    decide(officer_client, submitted, "approve")
    second = decide(officer_client, submitted, "approve")

    assert second.status_code == 302
    assert Member.objects.count() == 1
    with pytest.raises(TransitionNotAllowed):
        services.approve_application(submitted, by=officer)


def test_an_officer_opening_a_decided_application_is_sent_back_with_its_outcome(officer_client, submitted, decide):
    decide(officer_client, submitted, "approve")

    response = officer_client.get(reverse("membership_applications:decide", args=[submitted.pk]), follow=True)

    assert response.redirect_chain[0][0] == reverse("membership_applications:inspect", args=[submitted.pk])
    assert "这份申请已处理：已通过。" in response.content.decode()
    assert Member.objects.count() == 1


def test_member_numbers_count_up_and_are_never_reused(officer, db):
    numbers = []
    for index in range(3):
        user = make_user(f"person{index}@example.com")
        application = MembershipApplication.objects.create(
            applicant=user, full_name=f"会员{index}", membership_type=MembershipType.objects.first()
        )
        services.submit_application(application, by=user)
        member = services.approve_application(application, by=officer)
        numbers.append(member.number)
        if index == 1:
            member.delete()  # a member record removed by mistake: its number stays used

    assert numbers[0].endswith("-0001") and numbers[1].endswith("-0002") and numbers[2].endswith("-0003")


def test_rejection_needs_a_reason_which_the_applicant_reads(officer_client, applicant_client, submitted, decide):
    refused = decide(officer_client, submitted, "reject")
    decided = decide(officer_client, submitted, "reject", note="证书编号无法在人社部网站查到。")

    assert "请填写理由，申请人会看到它。" in refused.content.decode()
    assert decided.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.REJECTED
    assert "证书编号无法在人社部网站查到。" in mail.outbox[0].body
    page = applicant_client.get(APPLY).content.decode()
    assert "证书编号无法在人社部网站查到。" in page
    assert "您可以重新提交申请。" in page  # and a new, empty form


def test_returned_application_is_edited_and_submitted_again(officer_client, applicant_client, submitted, decide):
    decide(officer_client, submitted, "return", note="请补充上传证书背面。")
    page = applicant_client.get(APPLY).content.decode()
    resubmitted = applicant_client.post(APPLY, complete(certificate_scan=png()))

    assert "请补充上传证书背面。" in page and 'value="王晓明"' in page
    assert "请补充上传证书背面。" in mail.outbox[0].body
    assert resubmitted.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert [t.to_status for t in submitted.transitions()] == [Status.SUBMITTED, Status.RETURNED, Status.SUBMITTED]


def test_officers_queue_lists_submitted_applications_not_drafts(officer_client, submitted):
    draft_owner = make_user("drafter@example.com")
    MembershipApplication.objects.create(applicant=draft_owner, full_name="赵草稿")

    listing = officer_client.get(reverse("membership_applications:index")).content.decode()
    found = officer_client.get(reverse("membership_applications:index"), {"q": "第七人民"}).content.decode()
    missed = officer_client.get(reverse("membership_applications:index"), {"q": "中山医院"}).content.decode()

    assert "王晓明" in listing and "赵草稿" not in listing
    assert "王晓明" in found and "王晓明" not in missed


# Who may see what --------------------------------------------------------------------------------


ROLES = ["anonymous", "applicant", "other_member", "editor", "officer", "superuser"]


def client_for(role: str) -> Client:
    client = Client()
    users = {
        "applicant": lambda: MembershipApplication.objects.get().applicant,
        "other_member": lambda: make_user("other@example.com"),
        "editor": lambda: make_user("editor@example.com", groups=(EDITORS,)),
        "officer": lambda: make_user("officer2@example.com", groups=(MEMBERSHIP_OFFICERS,)),
        "superuser": lambda: make_user("root@example.com", superuser=True),
    }
    if role in users:
        sign_in(client, users[role]())
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_certificate_scan_is_shown_only_to_its_applicant_and_officers(submitted, role):
    response = client_for(role).get(reverse("membership_certificate_scan", args=[submitted.pk]))

    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("applicant", "officer", "superuser"):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_officers_and_superusers_work_the_queue(submitted, role):
    client = client_for(role)
    urls = [
        reverse("membership_applications:index"),
        reverse("membership_applications:inspect", args=[submitted.pk]),
        reverse("membership_applications:decide", args=[submitted.pk]),
    ]

    statuses = [client.get(url).status_code for url in urls]

    if role in ("officer", "superuser"):
        assert statuses == [200, 200, 200]
    else:
        assert all(status in (302, 403) for status in statuses), statuses
    if role not in ("officer", "superuser"):
        decided = client.post(urls[2], {"decision": "approve"})
        assert decided.status_code in (302, 403)
        assert not Member.objects.exists()


def test_officers_have_no_superuser_rights(officer):
    assert not officer.is_superuser
    assert officer.has_perm("members.decide_membershipapplication")
    assert not officer.has_perm("wagtailcore.add_page") and not officer.has_perm("members.change_membershipapplication")


def test_the_admin_menu_shows_membership_to_officers_only(officer_client):
    editor = Client()
    sign_in(editor, make_user("editor@example.com", groups=(EDITORS,)))

    queue = reverse("membership_applications:index")
    assert queue in officer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert queue not in editor.get(reverse("wagtailadmin_home")).content.decode()


# Concurrency --------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_two_officers_approving_at_once_admit_one_member():
    applicant = make_user("applicant@example.com")
    application = MembershipApplication.objects.create(
        applicant=applicant, full_name="王晓明", membership_type=MembershipType.objects.first()
    )
    services.submit_application(application, by=applicant)
    officers = [make_user(f"officer{n}@example.com", groups=(MEMBERSHIP_OFFICERS,)) for n in range(4)]
    start = threading.Barrier(len(officers))
    outcomes: list[str] = []

    def approve(officer):
        try:
            start.wait()
            services.approve_application(MembershipApplication.objects.get(pk=application.pk), by=officer)
            outcomes.append("approved")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["approved", "refused", "refused", "refused"]
    assert Member.objects.count() == 1
    assert len(mail.outbox) == 1
