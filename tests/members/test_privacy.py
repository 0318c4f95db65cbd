"""账户与隐私: a person's copy of their own data, and closing their account (个人信息保护法 第四十五、四十七条)."""

from __future__ import annotations

import datetime
import io
import json
import os
import zipfile
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aid import services as aid_services
from aid.access import BENEFICIARY
from aid.crypto import plain
from aid.models import Case, CaseAccess
from experts.models import ExpertApplication
from members import privacy, services
from members.models import (
    AccountClosure,
    ClosureStatus,
    DataExport,
    DuesPeriod,
    Member,
    MembershipApplication,
    MembershipType,
    Payment,
    PaymentStatus,
)
from members.receipts import render_receipt
from portal.roles import MEMBERSHIP_OFFICERS, STAFF_GROUPS
from portal.vetting.enums import Status
from tests.aid.factories import make_programme, register_case
from tests.conftest import make_user, sign_in
from tests.experts.factories import make_application
from tests.members.factories import make_invoice, make_member, make_period
from tests.portal.samples import PDF
from tests.volunteers.factories import make_activity, make_campaign, make_drive
from volunteers import services as volunteer_services
from volunteers.models import Commendation, SignUp, VolunteerApplication

PASSWORD = "pw"  # noqa: S105 - make_user's default


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Scans, vouchers and proofs written by a test stay in its own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def give_records(home_page, email: str, *, number: str, name: str, phone: str, mark: str):
    """A member with something in every app: application with a scan, two years of dues paid (one by
    a transfer with a voucher), an expert application, a volunteer application, a sign-up to come, a
    commendation and a closed aid case. `mark` is a word found only in this person's records."""
    member = make_member(email, number=number, full_name=name, phone=phone, employer=f"{mark}医院")
    user = member.user
    user.full_name = name
    user.save(update_fields=["full_name"])
    application = MembershipApplication.objects.create(
        applicant=user,
        full_name=name,
        phone=phone,
        employer=f"{mark}医院",
        certificate_number=f"{mark}-CERT",
        certificate_scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
        membership_type=MembershipType.objects.get(name="个人会员"),
        status=Status.APPROVED,
        charter_agreed=True,
    )
    member.application = application
    member.save(update_fields=["application"])
    officer = make_user(f"cashier-{number}@example.com", groups=(MEMBERSHIP_OFFICERS,))
    year_2025 = DuesPeriod.objects.filter(year=2025).first() or make_period(2025)
    year_2026 = DuesPeriod.objects.filter(year=2026).first() or make_period(2026)
    cash = services.record_cash(make_invoice(member, year_2025), by=officer, idempotency_key=f"cash-{number}")
    transfer = services.record_transfer(
        make_invoice(member, year_2026),
        by=user,
        reference=f"{mark}-REF",
        voucher=SimpleUploadedFile("voucher.pdf", PDF, content_type="application/pdf"),
        idempotency_key=f"transfer-{number}",
    )
    transfer = services.confirm_payment(transfer, by=officer)
    make_application(user, status=Status.DRAFT, full_name=name, bio=f"{mark}的简介")
    drive = make_drive(home_page)
    volunteer_services.apply(drive, user, full_name=name, phone=phone, motivation=f"{mark}的报名理由", answers=[])
    activity = make_activity(make_campaign(home_page))
    volunteer_services.sign_up(activity, user)
    Commendation.objects.create(year=2025, volunteer=user, hours=Decimal("12.5"), citation=f"{mark}表彰")
    programme = make_programme(home_page)
    case = register_case(programme, user, full_name=f"{mark}受助者", phone=phone)
    aid_services.close_case(case, by=make_user(f"aid-{number}@example.com", superuser=True), reason="declined")
    return {"user": user, "member": member, "cash": cash, "transfer": transfer, "case": case, "activity": activity}


@pytest.fixture
def person(home_page):
    return give_records(
        home_page, "wang@example.com", number="DL-2020-0001", name="王晓明", phone="13800001111", mark="甲方"
    )


@pytest.fixture
def other(home_page, person):
    return give_records(
        home_page, "zhao@example.com", number="DL-2020-0002", name="赵其他", phone="13900002222", mark="乙方"
    )


def download(client, fmt: str, prefix: str = ""):
    return client.post(f"{prefix}/membership/privacy/download/{fmt}/")


def signed_in(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


# The export ------------------------------------------------------------------------------------------


def test_json_export_holds_the_persons_records_and_nobody_elses(person, other):
    response = download(signed_in(person["user"]), "json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    data = json.loads(text)
    sections = data["sections"]
    assert data["account"] == "wang@example.com"
    assert sections["account"]["records"][0]["full_name"] == "王晓明"
    assert sections["member"]["records"][0]["phone"] == "13800001111"
    assert sections["membership_applications"]["records"][0]["certificate_number"] == "甲方-CERT"
    payments = {row["receipt_number"]: row for row in sections["payments"]["records"]}
    assert set(payments) == {person["cash"].receipt_number, person["transfer"].receipt_number}
    assert payments[person["cash"].receipt_number]["amount"] == "200.00"
    assert payments[person["transfer"].receipt_number]["reference"] == "甲方-REF"
    assert {row["year"] for row in sections["invoices"]["records"]} == {2025, 2026}
    assert sections["expert_applications"]["records"][0]["bio"] == "甲方的简介"
    assert sections["expert_qualifications"]["records"][0]["name"] == "国家二级心理咨询师"
    assert sections["volunteer_applications"]["records"][0]["motivation"] == "甲方的报名理由"
    assert sections["volunteer_signups"]["records"][0]["status"] == "已报名"
    assert sections["volunteer_commendations"]["records"][0]["hours"] == "12.5"
    assert sections["aid_cases"]["records"][0]["full_name"] == "甲方受助者"
    assert sections["aid_cases"]["records"][0]["number"] == person["case"].number
    assert sections["payments"]["columns"]["receipt_number"] == "收据编号"
    # Nobody else's: the other member's name, phone, marks, receipts and case are nowhere in the file.
    for foreign in (
        "赵其他",
        "13900002222",
        "乙方",
        "zhao@example.com",
        other["cash"].receipt_number,
        other["case"].number,
    ):
        assert foreign not in text


def test_uploaded_files_are_listed_by_name_type_and_date_never_their_bytes(person):
    response = download(signed_in(person["user"]), "json")
    files = json.loads(response.content)["sections"]["files"]["records"]
    fields = {row["field"] for row in files}
    assert {"证书扫描件", "转账凭证", "驰援证明"} <= fields
    proof = next(row for row in files if row["field"] == "驰援证明")
    assert proof["type"] == "加密保存" and proof["name"] == f"{person['case'].number}.bin"
    files.remove(proof)
    assert all(row["type"] == "application/pdf" and row["name"].endswith(".pdf") and row["uploaded"] for row in files)
    assert b"%PDF" not in response.content


def test_the_persons_own_aid_data_is_read_through_the_access_log_as_themself(person):
    case = person["case"]
    before = CaseAccess.objects.filter(case=case).count()
    download(signed_in(person["user"]), "json")
    reads = CaseAccess.objects.filter(case=case).order_by("-pk")
    assert reads.count() == before + 1
    assert reads[0].role == BENEFICIARY
    assert reads[0].user_id is None  # the beneficiary's account stays sealed in the case
    assert reads[0].path == "/membership/privacy/download/json/"


def test_csv_export_is_a_zip_of_one_excel_readable_file_per_kind_of_record(person, other):
    response = download(signed_in(person["user"]), "csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "01-account.csv" in names
    assert any(name.endswith("-payments.csv") for name in names)
    for name in names:
        assert archive.read(name).startswith(b"\xef\xbb\xbf"), name  # UTF-8 with BOM: Excel shows Chinese
    payments = archive.read(next(name for name in names if name.endswith("-payments.csv"))).decode("utf-8-sig")
    heading = payments.splitlines()[0]
    assert "收据编号" in heading and "金额（元）" in heading and "年度" in heading
    assert person["cash"].receipt_number in payments
    assert other["cash"].receipt_number not in payments
    account = archive.read("01-account.csv").decode("utf-8-sig").splitlines()
    assert account[0].startswith("电子邮箱,姓名")
    assert "wang@example.com" in account[1] and "否" in account[1]  # no authenticator app: 两步验证 否


def test_csv_headings_follow_the_readers_language(person):
    response = download(signed_in(person["user"]), "csv", prefix="/en")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    heading = archive.read("01-account.csv").decode("utf-8-sig").splitlines()[0]
    assert heading.startswith("Email")
    assert "电子邮箱" not in heading


def test_downloads_are_logged_and_limited_per_hour(member):
    client = signed_in(member)
    for _index in range(privacy.EXPORTS_PER_HOUR):
        assert download(client, "json").status_code == 200
    refused = download(client, "csv")
    assert refused.status_code == 429
    assert "一小时内最多下载" in refused.content.decode()
    assert DataExport.objects.filter(user=member).count() == privacy.EXPORTS_PER_HOUR
    # An hour on, the allowance is back.
    DataExport.objects.filter(user=member).update(at=timezone.now() - datetime.timedelta(minutes=61))
    assert download(client, "csv").status_code == 200


def test_a_download_is_asked_for_by_a_signed_in_person_with_a_form_and_a_known_format(member):
    anonymous = download(Client(), "json")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client = signed_in(member)
    assert client.get("/membership/privacy/download/json/").status_code == 405
    for odd in ("xml", "JSON", "..", "%00"):
        assert download(client, odd).status_code == 404
    assert not DataExport.objects.exists()


@pytest.mark.parametrize(
    ("prefix", "texts"),
    [
        ("", ("账户与隐私", "下载 JSON 文件", "申请注销账户")),
        ("/zh-hant", ("帳號與隱私", "下載 JSON 檔案", "申請註銷帳號")),
        ("/en", ("Account and privacy", "Download JSON", "Ask to close my account")),
    ],
)
def test_the_privacy_page_in_each_language(member, prefix, texts):
    response = signed_in(member).get(f"{prefix}/membership/privacy/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    for text in texts:
        assert text in content
    assert f'<a href="{prefix}/membership/privacy/" aria-current="page">' in content


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_account_settings_lead_to_the_privacy_page(member, prefix):
    client = signed_in(member)
    home = client.get(f"{prefix}/").content.decode()
    settings_page = client.get(f"{prefix}/accounts/email/").content.decode()

    # One way in from every page (账户设置), then a tab beside e-mail, password and two-factor.
    assert f'href="{prefix}/accounts/email/"' in home
    nav = settings_page[settings_page.index('class="account-nav"') :]
    assert f'href="{prefix}/membership/privacy/"' in nav[: nav.index("</nav>")]


def test_the_privacy_page_is_for_signed_in_people(db):
    response = Client().get("/membership/privacy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Asking for the account to be closed --------------------------------------------------------------------


def close_form(**overrides) -> dict:
    return {"password": PASSWORD, "reason": "不再从事心理咨询工作", "understood": "on", **overrides}


def test_a_closure_request_is_confirmed_with_the_password_and_made_once(member, django_capture_on_commit_callbacks):
    client = signed_in(member)
    page = client.get("/membership/privacy/close/")
    assert page.status_code == 200 and "会计档案" in page.content.decode()
    wrong = client.post("/membership/privacy/close/", close_form(password="nope"))
    assert wrong.status_code == 400
    assert "密码不正确" in wrong.content.decode()
    unticked = client.post("/membership/privacy/close/", close_form(understood=""))
    assert unticked.status_code == 400
    assert not AccountClosure.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/membership/privacy/close/", close_form()).status_code == 302
        again = client.post("/membership/privacy/close/", close_form(), follow=True)  # the double click
    assert "正在处理中" in again.content.decode()
    closure = AccountClosure.objects.get()
    assert closure.status == ClosureStatus.PENDING and closure.reason == "不再从事心理咨询工作"
    assert [message.to for message in mail.outbox] == [["member@example.com"]]
    assert "注销申请" in mail.outbox[0].subject
    assert privacy.request_closure(member) == closure  # the service alike: the one already waiting
    assert AccountClosure.objects.count() == 1
    page = client.get("/membership/privacy/").content.decode()
    assert "正在等待工作人员办理" in page and "撤回注销申请" in page


def test_an_account_without_a_password_confirms_with_its_address(db):
    user = make_user("nopassword@example.com")
    user.set_unusable_password()
    user.save()
    client = signed_in(user)
    assert "password" not in client.get("/membership/privacy/close/").context["form"].fields
    wrong = client.post("/membership/privacy/close/", {"email": "someone@example.com", "understood": "on"})
    assert "与本账户的电子邮箱不一致" in wrong.content.decode()
    client.post("/membership/privacy/close/", {"email": "NoPassword@example.com ", "understood": "on"})
    assert AccountClosure.objects.filter(user=user, status=ClosureStatus.PENDING).exists()


def test_guessing_the_password_on_the_closure_form_stops_after_a_few_tries(member):
    client = signed_in(member)
    for _index in range(5):
        client.post("/membership/privacy/close/", close_form(password="guess"))
    stopped = client.post("/membership/privacy/close/", close_form())
    assert stopped.status_code == 400
    assert "确认失败次数过多" in stopped.content.decode()
    assert not AccountClosure.objects.exists()


def test_the_person_cancels_their_request_before_staff_act(member, officer):
    client = signed_in(member)
    closure = privacy.request_closure(member)
    assert client.get("/membership/privacy/close/cancel/").status_code == 405
    response = client.post("/membership/privacy/close/cancel/", follow=True)
    assert "注销申请已撤回" in response.content.decode()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.CANCELLED and closure.cancelled_at
    with pytest.raises(ValidationError):
        privacy.close_account(closure, by=officer)
    member.refresh_from_db()
    assert member.is_active
    # Nothing left to cancel: said so, no error.
    assert "没有待处理的注销申请" in client.post("/membership/privacy/close/cancel/", follow=True).content.decode()


def test_someone_else_cannot_cancel_a_request(member):
    closure = privacy.request_closure(member)
    stranger = make_user("stranger@example.com")
    with pytest.raises(PermissionDenied):
        privacy.cancel_closure(closure, by=stranger)
    signed_in(stranger).post("/membership/privacy/close/cancel/")
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PENDING


# Closing the account -------------------------------------------------------------------------------------


def private_path(field) -> str:
    return field.storage.path(field.name)


def test_closing_erases_what_it_says_and_keeps_the_books(person, other, officer, django_capture_on_commit_callbacks):
    user, member = person["user"], person["member"]
    application = MembershipApplication.objects.get(applicant=user)
    scan = private_path(application.certificate_scan)
    voucher = private_path(person["transfer"].voucher)
    expert_scan = private_path(ExpertApplication.objects.get(applicant=user).qualifications.get().scan)
    assert all(os.path.exists(path) for path in (scan, voucher, expert_scan))
    closure = privacy.request_closure(user, reason="个人原因")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        privacy.close_account(closure, by=officer)

    user.refresh_from_db()
    member.refresh_from_db()
    # The login and who it was.
    assert user.full_name == "已注销用户"
    assert user.email.startswith(f"closed-{user.pk}-") and user.email.endswith("@closed.invalid")
    assert not user.is_active and not user.has_usable_password()
    assert not EmailAddress.objects.filter(user=user).exists()
    # Membership: anonymised, ended; the number stays (receipts carry it).
    assert (member.full_name, member.phone, member.employer, member.directory_listed) == ("已注销用户", "", "", False)
    assert member.number == "DL-2020-0001" and member.resigned_on == timezone.localdate()
    application.refresh_from_db()
    assert (application.full_name, application.phone, application.certificate_number) == ("已注销用户", "", "")
    assert not application.certificate_scan and not os.path.exists(scan)
    # The books: invoices and payments with amounts, dates, receipt numbers, the transfer reference.
    payments = Payment.objects.filter(invoice__member=member).order_by("pk")
    assert [(p.amount, p.status, p.receipt_number) for p in payments] == [
        (Decimal("200.00"), PaymentStatus.CONFIRMED, person["cash"].receipt_number),
        (Decimal("200.00"), PaymentStatus.CONFIRMED, person["transfer"].receipt_number),
    ]
    assert payments[1].reference == "甲方-REF" and payments[1].confirmed_at
    assert not payments[1].voucher and not os.path.exists(voucher)
    # A receipt already issued, printed again, still names the payer as it did.
    from pypdf import PdfReader

    receipt = PdfReader(io.BytesIO(render_receipt(payments[0]))).pages[0].extract_text()
    assert "王晓明" in receipt and "已注销用户" not in receipt
    closure.refresh_from_db()
    assert closure.receipt_name == "王晓明" and closure.reason == ""
    # Experts, volunteers, aid.
    expert_application = ExpertApplication.objects.get(applicant=user)
    assert expert_application.status == Status.WITHDRAWN
    assert (expert_application.full_name, expert_application.bio, expert_application.phone) == ("已注销用户", "", "")
    assert not expert_application.qualifications.exists() and not os.path.exists(expert_scan)
    volunteer_application = VolunteerApplication.objects.get(applicant=user)
    assert (volunteer_application.full_name, volunteer_application.phone, volunteer_application.motivation) == (
        "已注销用户",
        "",
        "",
    )
    assert volunteer_application.status == Status.WITHDRAWN
    assert SignUp.objects.get(volunteer=user).status == "cancelled"
    assert Commendation.objects.get(volunteer=user).hours == Decimal("12.5")
    case = Case.objects.get(pk=person["case"].pk)
    assert case.is_purged and case.registrant is None and plain(case.full_name) == "" and not case.proof
    # Who did it, when, what it did; the person told at the address they had.
    assert closure.status == ClosureStatus.CLOSED and closure.decided_by == officer and closure.decided_at
    assert any("会计档案" in line for line in closure.summary)
    assert [message.to for message in mail.outbox] == [["wang@example.com"]]
    assert "已注销" in mail.outbox[0].subject
    # Nobody else touched.
    other_member = Member.objects.get(pk=other["member"].pk)
    assert other_member.full_name == "赵其他" and other_member.phone == "13900002222"
    assert other["user"].__class__.objects.get(pk=other["user"].pk).is_active
    assert Payment.objects.get(pk=other["transfer"].pk).voucher
    assert not Case.objects.get(pk=other["case"].pk).is_purged


def test_a_closed_account_cannot_sign_in_and_its_sessions_end(member, officer):
    client = signed_in(member)
    assert client.get("/membership/privacy/").status_code == 200
    privacy.close_account(privacy.request_closure(member), by=officer)
    response = client.get("/membership/privacy/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Client().login(email="member@example.com", password=PASSWORD)
    signing_in = Client().post("/accounts/login/", {"login": "member@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in signing_in.wsgi_request.session
    # The address is free again: the person may make a new account with it later.
    assert not EmailAddress.objects.filter(email__iexact="member@example.com").exists()


def test_an_admitted_expert_leaves_the_directory(home_page, officer, django_capture_on_commit_callbacks):
    from experts.enums import ExpertStatus
    from experts.models import Expert
    from tests.experts.factories import make_expert
    from tests.notices.factories import NoticeIndexPageFactory

    NoticeIndexPageFactory(parent=home_page, title="通知公告", slug="notices")
    expert = make_expert(admitted_on=timezone.localdate() - datetime.timedelta(days=1), full_name="李文静")
    assert Client().get(reverse("experts:directory")).content.decode().count("李文静") >= 1
    with django_capture_on_commit_callbacks(execute=True):
        privacy.close_account(privacy.request_closure(expert.user), by=officer)
    expert.refresh_from_db()
    assert expert.status == ExpertStatus.WITHDRAWN and expert.full_name == "已注销用户" and not expert.photo
    assert not Expert.objects.listed().exists()
    assert "李文静" not in Client().get(reverse("experts:directory")).content.decode()


# What holds a closure up --------------------------------------------------------------------------------


def test_an_unconfirmed_transfer_holds_the_closure_with_the_reason_shown_to_staff(member, officer):
    record = make_member("payer@example.com", number="DL-2021-0009", full_name="钱多多")
    services.record_transfer(
        make_invoice(record, make_period(2026)), by=record.user, reference="BANK-778", voucher=None, idempotency_key="t"
    )
    closure = privacy.request_closure(record.user)
    with pytest.raises(ValidationError) as refused:
        privacy.close_account(closure, by=officer)
    assert "待确认的转账" in refused.value.messages[0] and "BANK-778" in refused.value.messages[0]
    record.refresh_from_db()
    assert record.full_name == "钱多多" and record.user.is_active
    client = signed_in(officer)
    page = client.get(reverse("account_closures:decide", args=[closure.pk])).content.decode()
    assert "暂不能注销" in page and "BANK-778" in page
    inspect = client.get(reverse("account_closures:inspect", args=[closure.pk])).content.decode()
    assert "BANK-778" in inspect
    response = client.post(reverse("account_closures:decide", args=[closure.pk]), {"action": "close"}, follow=True)
    assert "暂不能注销" in response.content.decode()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PENDING


def test_an_open_aid_case_holds_the_closure_without_naming_it(home_page, officer):
    user = make_user("beneficiary@example.com")
    case = register_case(make_programme(home_page), user)
    closure = privacy.request_closure(user)
    reasons = privacy.blockers(user)
    assert len(reasons) == 1 and "援助" in reasons[0] and case.number not in reasons[0]
    with pytest.raises(ValidationError):
        privacy.close_account(closure, by=officer)
    assert Case.objects.get(pk=case.pk).registrant == user


def test_a_staff_account_is_closed_only_once_its_roles_are_removed(officer, editor):
    closure = privacy.request_closure(editor)
    with pytest.raises(ValidationError) as refused:
        privacy.close_account(closure, by=officer)
    assert "工作人员账户" in refused.value.messages[0]


def test_a_refusal_says_why_to_the_person(member, officer, django_capture_on_commit_callbacks):
    closure = privacy.request_closure(member)
    client = signed_in(officer)
    url = reverse("account_closures:decide", args=[closure.pk])
    missing = client.post(url, {"action": "refuse", "note": " "})
    assert missing.status_code == 200 and "请填写不予注销的理由" in missing.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "refuse", "note": "您担任理事，任期内需保留账户。"})
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.REFUSED and closure.decided_by == officer
    assert "您担任理事" in mail.outbox[0].body
    page = signed_in(member).get("/membership/privacy/").content.decode()
    assert "您担任理事，任期内需保留账户。" in page and "申请注销账户" in page


def test_an_officer_closes_an_account_from_the_admin(member, officer, django_capture_on_commit_callbacks):
    closure = privacy.request_closure(member)
    client = signed_in(officer)
    queue = client.get(reverse("account_closures:index")).content.decode()
    assert "member@example.com" in queue and "待处理" in queue
    inspect = client.get(reverse("account_closures:inspect", args=[closure.pk])).content.decode()
    assert "没有未办结的事项" in inspect and reverse("account_closures:decide", args=[closure.pk]) in inspect
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_closures:decide", args=[closure.pk]), {"action": "close"}, follow=True)
    assert "账户已注销" in response.content.decode()
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.CLOSED
    # Acting again on it changes nothing and says so.
    again = client.post(reverse("account_closures:decide", args=[closure.pk]), {"action": "close"}, follow=True)
    assert "已注销" in again.content.decode()


# Who may do what -----------------------------------------------------------------------------------------


def test_only_membership_officers_and_superusers_see_and_act_on_the_queue(member, superuser):
    closure = privacy.request_closure(member)
    urls = [
        reverse("account_closures:index"),
        reverse("account_closures:inspect", args=[closure.pk]),
        reverse("account_closures:decide", args=[closure.pk]),
    ]
    anonymous = Client()
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    others = {name: make_user(f"{name.replace(' ', '-').lower()}@example.com", groups=(name,)) for name in STAFF_GROUPS}
    others.pop(MEMBERSHIP_OFFICERS)
    for who in [make_user("another-member@example.com"), *others.values()]:
        client = signed_in(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code in (302, 403), (who, url)
            if response.status_code == 302:
                assert response["Location"] != url
        refused = client.post(urls[2], {"action": "close"})
        assert refused.status_code in (302, 403)
        for user in (who,):
            with pytest.raises(PermissionDenied):
                privacy.close_account(closure, by=user)
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PENDING
    for allowed in (make_user("officer2@example.com", groups=(MEMBERSHIP_OFFICERS,)), superuser):
        client = signed_in(allowed)
        for url in urls:
            assert client.get(url).status_code == 200, (allowed, url)


def test_odd_input_to_the_admin_is_never_a_server_error(member, officer):
    closure = privacy.request_closure(member)
    client = signed_in(officer)
    assert client.get(reverse("account_closures:decide", args=[999999])).status_code == 404
    assert client.get(reverse("account_closures:inspect", args=[999999])).status_code == 404
    url = reverse("account_closures:decide", args=[closure.pk])
    for data in ({}, {"action": "delete"}, {"action": ["close", "refuse"]}, {"action": "refuse", "note": "x" * 5000}):
        assert client.post(url, data).status_code == 200
    assert client.get(reverse("account_closures:index") + "?status=bogus&p=abc").status_code in (200, 404)
    closure.refresh_from_db()
    assert closure.status == ClosureStatus.PENDING


def test_odd_input_to_the_closure_form_is_never_a_server_error(member):
    client = signed_in(member)
    for data in ({}, {"password": ["a", "b"]}, {"reason": "x" * 5000, "password": PASSWORD, "understood": "on"}):
        assert client.post("/membership/privacy/close/", data).status_code == 400
    assert not AccountClosure.objects.exists()


def test_the_queue_costs_the_same_queries_for_many_requests(officer, django_assert_max_num_queries):
    client = signed_in(officer)
    for index in range(3):
        privacy.request_closure(make_user(f"few{index}@example.com"))
    client.get(reverse("account_closures:index"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("account_closures:index"))
    for index in range(12):
        privacy.request_closure(make_user(f"many{index}@example.com"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("account_closures:index"))
    assert response.content.decode().count("@example.com") >= 15
