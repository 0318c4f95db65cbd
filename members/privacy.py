"""A person's own data (个人信息保护法): the copy they download, and the closing of their account.

The export gathers what every app registered with `portal.privacy` (this app's part is below) into a
JSON file and a ZIP of CSV files. Downloads are logged (`DataExport`) and limited per hour.

Closing an account is asked for by the person (`request_closure`) and carried out by a membership
officer (`close_account`), refused while something is still open (`blockers`). What the closure keeps
and why:

- Accounting (会计法, 会计档案管理办法: vouchers and books kept for 30 years): every invoice and
  payment stays with its amount, dates, method, status, receipt number and the transfer reference
  that matches the bank statement; the member number stays because receipts carry it. A receipt
  already issued is an accounting voucher as printed: the payer's name printed on it is kept, in the
  closure record only (`AccountClosure.receipt_name`), and a copy of such a receipt printed later still
  shows it. Nothing else keeps the name: the member record, applications and account read 已注销用户.
- The vouchers the member uploaded are their own screenshots, not the association's voucher (the
  bank statement is): deleted with every other upload.
- Aid cases are anonymised by the aid app's own purge, which keeps only the anonymous figures.
- Review decisions and their audit trail stay, attached to a record that no longer names anyone.
"""

from __future__ import annotations

import datetime
import io
import json
import secrets
import zipfile

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import privacy
from portal.exports import csv_bytes
from portal.mail import send_after_commit
from portal.vetting.enums import Status
from portal.vetting.services import move

from .models import (
    AccountClosure,
    ClosureStatus,
    DataExport,
    DuesReminder,
    Invoice,
    Member,
    MembershipApplication,
    Payment,
    PaymentMethod,
    PaymentStatus,
)

CLOSED_NAME = "已注销用户"
CLOSED_EMAIL_DOMAIN = "closed.invalid"  # a reserved name (RFC 2606): no mail is ever delivered there
EXPORTS_PER_HOUR = 5
CLOSE_PERMISSION = "members.close_account"
EMAIL = "members/account/email/"


def placeholder_email(user) -> str:
    """A unique address that can never receive mail or be signed up with again."""
    return f"closed-{user.pk}-{secrets.token_hex(4)}@{CLOSED_EMAIL_DOMAIN}"


def is_closed(user) -> bool:
    return user.email.endswith("@" + CLOSED_EMAIL_DOMAIN)


# The export ------------------------------------------------------------------------------------------


def exports_left(user, now: datetime.datetime | None = None) -> int:
    """How many more copies the person may download in the coming hour."""
    now = now or timezone.now()
    recent = DataExport.objects.filter(user=user, at__gt=now - datetime.timedelta(hours=1)).count()
    return max(EXPORTS_PER_HOUR - recent, 0)


def _document(user, request) -> dict:
    sections = privacy.sections_for(user, request)
    return {
        "generated_at": privacy.plain(timezone.now()),
        "account": user.email,
        "sections": {
            section.key: {
                "title": str(section.title),
                "columns": {name: str(heading) for name, heading in section.columns},
                "records": [privacy.plain(row) for row in section.rows],
            }
            for section in sections
        },
    }


def export_json(user, request=None) -> bytes:
    """Everything the portal holds about `user`, as one JSON document (UTF-8)."""
    return json.dumps(_document(user, request), ensure_ascii=False, indent=2).encode()


def export_zip(user, request=None) -> bytes:
    """The same, as a ZIP of one CSV per kind of record, with headings in the reader's language and a
    byte-order mark so that Excel shows Chinese."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, section in enumerate(privacy.sections_for(user, request), start=1):
            headings = [str(heading) for _name, heading in section.columns]
            rows = [[privacy.cell(row.get(name)) for name, _heading in section.columns] for row in section.rows]
            archive.writestr(f"{index:02d}-{section.key}.csv", csv_bytes(headings, rows))
    return buffer.getvalue()


@transaction.atomic
def record_export(user, fmt: str) -> DataExport | None:
    """Log a download, or None when the hour's allowance is used up (the person's row is locked, so two
    downloads at once are counted one after the other)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if exports_left(user) <= 0:
        return None
    return DataExport.objects.create(user=user, format=fmt)


# Closure requests ------------------------------------------------------------------------------------


def pending_closure(user) -> AccountClosure | None:
    return AccountClosure.objects.filter(user=user, status=ClosureStatus.PENDING).first()


def request_closure(user, *, reason: str = "") -> AccountClosure:
    """申请注销: one request waiting per person; asking again returns the one already waiting."""
    existing = pending_closure(user)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            closure = AccountClosure.objects.create(user=user, reason=reason.strip())
    except IntegrityError:  # sent twice at once: the other request made it
        return pending_closure(user)
    send_after_commit(EMAIL + "received", [user.email], {"closure": closure, "user": user})
    return closure


@transaction.atomic
def cancel_closure(closure: AccountClosure, *, by) -> AccountClosure:
    """The person withdraws their request before staff act on it."""
    closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
    if closure.user_id != by.pk:
        raise PermissionDenied
    if closure.status != ClosureStatus.PENDING:
        raise ValidationError(_("这个申请已经处理，不能撤回。"))
    closure.status = ClosureStatus.CANCELLED
    closure.cancelled_at = timezone.now()
    closure.save(update_fields=["status", "cancelled_at"])
    return closure


def _check_officer(by) -> None:
    if not (by.is_active and by.has_perm(CLOSE_PERMISSION)):
        raise PermissionDenied


def _lock_pending(closure: AccountClosure) -> AccountClosure:
    closure = AccountClosure.objects.select_for_update().select_related("user").get(pk=closure.pk)
    if closure.status != ClosureStatus.PENDING:
        raise ValidationError(_("这个申请已经是“%(status)s”，不能再处理。") % {"status": closure.get_status_display()})
    return closure


@transaction.atomic
def refuse_closure(closure: AccountClosure, *, by, note: str) -> AccountClosure:
    """不予注销, with the reason the person reads (e.g. a legal obligation to keep the account)."""
    _check_officer(by)
    closure = _lock_pending(closure)
    if not note.strip():
        raise ValidationError(_("请填写不予注销的理由，申请人会看到它。"))
    closure.status, closure.decided_by, closure.decided_at = ClosureStatus.REFUSED, by, timezone.now()
    closure.decision_note = note.strip()
    closure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    send_after_commit(EMAIL + "refused", [closure.user.email], {"closure": closure, "user": closure.user})
    return closure


def blockers(user) -> list[str]:
    """Why the account cannot be closed today, in every app (empty: it can)."""
    return privacy.holds_for(user)


@transaction.atomic
def close_account(closure: AccountClosure, *, by) -> AccountClosure:
    """Close the account of a pending request: every app erases or anonymises its part (see this
    module's docstring for what accounting keeps), then the login goes and an e-mail confirms it to
    the address the account had. Refused, with the reasons, while something is still open."""
    _check_officer(by)
    closure = _lock_pending(closure)
    user = get_user_model().objects.select_for_update().get(pk=closure.user_id)
    reasons = blockers(user)
    if reasons:
        raise ValidationError(reasons)
    address, name = user.email, user.get_full_name()
    closure.receipt_name = _printed_payer_name(user)
    with translation.override(settings.LANGUAGE_CODE):  # the record reads the same whoever acted
        summary = privacy.erase_for(user, by=by)
        summary.extend(str(line) for line in _erase_account(user))
    closure.status, closure.decided_by, closure.decided_at = ClosureStatus.CLOSED, by, timezone.now()
    closure.summary = summary
    closure.reason = ""  # what the person wrote is theirs, and goes with the rest
    closure.save()
    send_after_commit(EMAIL + "closed", [address], {"closure": closure, "name": name})
    return closure


def _printed_payer_name(user) -> str:
    member = Member.objects.filter(user=user).first()
    if member is None:
        return ""
    issued = Payment.objects.filter(invoice__member=member, receipt_number__isnull=False).exists()
    return member.full_name if issued else ""


def retained_receipt_name(member: Member) -> str:
    """The payer's name as printed on the receipts of a closed account ("" for an open one)."""
    return (
        AccountClosure.objects.filter(user_id=member.user_id, status=ClosureStatus.CLOSED)
        .exclude(receipt_name="")
        .values_list("receipt_name", flat=True)
        .first()
        or ""
    )


def _erase_account(user) -> list:
    """The login itself: name, address, password, confirmed addresses, authenticators; sessions end
    because the password they were signed with is gone."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = placeholder_email(user)
    user.full_name = CLOSED_NAME
    user.first_name = user.last_name = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    return [gettext_lazy("账户：姓名、电子邮箱、密码和两步验证已清除，账户已停用。")]


# This app's part ---------------------------------------------------------------------------------------

APPLICATION_FIELDS = (
    "status",
    "full_name",
    "phone",
    "employer",
    "district",
    "qualification",
    "qualification_other",
    "certificate_number",
    "certificate_scan",
    "years_of_practice",
    "membership_type",
    "organisation_name",
    "organisation_details",
    "charter_agreed",
    "created_at",
    "submitted_at",
    "decided_at",
    "decision_note",
)
MEMBER_FIELDS = (
    "number",
    "membership_type",
    "full_name",
    "phone",
    "employer",
    "district",
    "joined_on",
    "resigned_on",
    "dues_reminders",
    "directory_listed",
    "directory_show_employer",
    "directory_show_district",
    "directory_show_phone",
    "directory_show_email",
)
INVOICE_FIELDS = ("period", "amount", "grace_ends", "issued_at")
PAYMENT_FIELDS = (
    "method",
    "status",
    "amount",
    "reference",
    "receipt_number",
    "created_at",
    "confirmed_at",
    "note",
    "voucher",
)


ACCOUNT_FIELDS = ("email", "full_name", "date_joined", "last_login", "terms_agreed_at", "terms_agreed")


def export(user, request) -> list[privacy.Section]:
    """The account, membership applications, membership, dues, reminders, requests and downloads."""
    User = get_user_model()
    emails = list(EmailAddress.objects.filter(user=user).order_by("-primary", "email"))
    account = privacy.Section(
        "account",
        gettext_lazy("账户"),
        [
            *privacy.columns_of(User, ACCOUNT_FIELDS),
            ("addresses", gettext_lazy("已验证的电子邮箱")),
            ("two_factor", gettext_lazy("两步验证")),
        ],
        privacy.rows_of(
            [user],
            ACCOUNT_FIELDS,
            addresses=lambda _user: [address.email for address in emails if address.verified],
            two_factor=lambda _user: Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
        ),
    )
    applications = list(MembershipApplication.objects.filter(applicant=user).select_related("membership_type"))
    members = list(Member.objects.filter(user=user).select_related("membership_type"))
    invoices = list(Invoice.objects.filter(member__user=user).select_related("period").order_by("period__year"))
    payments = list(
        Payment.objects.filter(invoice__member__user=user).select_related("invoice__period").order_by("created_at")
    )
    reminders = DuesReminder.objects.filter(invoice__member__user=user).select_related("invoice__period")
    closures = AccountClosure.objects.filter(user=user).order_by("requested_at")
    downloads = DataExport.objects.filter(user=user).order_by("at")
    year = ("year", gettext_lazy("年度"))
    return [
        account,
        privacy.Section(
            "membership_applications",
            MembershipApplication._meta.verbose_name_plural,
            privacy.columns_of(MembershipApplication, APPLICATION_FIELDS),
            privacy.rows_of(applications, APPLICATION_FIELDS),
        ),
        privacy.Section(
            "member",
            gettext_lazy("会员资料"),
            privacy.columns_of(Member, MEMBER_FIELDS),
            privacy.rows_of(members, MEMBER_FIELDS),
        ),
        privacy.Section(
            "invoices",
            Invoice._meta.verbose_name_plural,
            [year, *privacy.columns_of(Invoice, INVOICE_FIELDS)],
            privacy.rows_of(invoices, INVOICE_FIELDS, year=lambda invoice: invoice.period.year),
        ),
        privacy.Section(
            "payments",
            Payment._meta.verbose_name_plural,
            [year, *privacy.columns_of(Payment, PAYMENT_FIELDS)],
            privacy.rows_of(payments, PAYMENT_FIELDS, year=lambda payment: payment.invoice.period.year),
        ),
        privacy.Section(
            "dues_reminders",
            DuesReminder._meta.verbose_name_plural,
            [year, *privacy.columns_of(DuesReminder, ("offset", "email", "sent_at"))],
            privacy.rows_of(
                reminders, ("offset", "email", "sent_at"), year=lambda reminder: reminder.invoice.period.year
            ),
        ),
        privacy.Section(
            "closure_requests",
            AccountClosure._meta.verbose_name_plural,
            privacy.columns_of(AccountClosure, ("status", "reason", "requested_at", "decided_at", "decision_note")),
            privacy.rows_of(closures, ("status", "reason", "requested_at", "decided_at", "decision_note")),
        ),
        privacy.Section(
            "data_exports",
            DataExport._meta.verbose_name_plural,
            privacy.columns_of(DataExport, ("format", "at")),
            privacy.rows_of(downloads, ("format", "at")),
        ),
        privacy.files_section(
            [
                *(
                    privacy.file_row(
                        MembershipApplication._meta.verbose_name,
                        MembershipApplication._meta.get_field("certificate_scan").verbose_name,
                        application.certificate_scan,
                        application.submitted_at or application.created_at,
                    )
                    for application in applications
                ),
                *(
                    privacy.file_row(
                        f"{Payment._meta.verbose_name} {payment.invoice.period.title}",
                        Payment._meta.get_field("voucher").verbose_name,
                        payment.voucher,
                        payment.created_at,
                    )
                    for payment in payments
                ),
            ]
        ),
    ]


def holds(user) -> list[str]:
    """Payments still in progress, and staff roles, are settled before the account goes."""
    reasons = []
    if user.is_superuser or user.is_staff or user.groups.exists():
        reasons.append(_("这是工作人员账户（有管理后台权限或属于工作人员组），请先由管理员移除其权限。"))
    pending = Payment.objects.filter(invoice__member__user=user, status=PaymentStatus.PENDING).select_related(
        "invoice__period"
    )
    for payment in pending:
        if payment.method == PaymentMethod.TRANSFER:
            reasons.append(
                _("%(period)s有一笔待确认的转账（流水号 %(reference)s），请先在缴费记录中确认或驳回。")
                % {"period": payment.invoice.period.title, "reference": payment.reference or "—"}
            )
        else:
            reasons.append(
                _("%(period)s有一笔尚未完成的%(method)s，请等待支付结果或先作废。")
                % {"period": payment.invoice.period.title, "method": payment.get_method_display()}
            )
    return reasons


def erase(user, by) -> list:
    """Applications and the member record lose everything personal; dues and payments stay for the books."""
    lines = []
    applications = MembershipApplication.objects.filter(applicant=user)
    for application in applications.filter(status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED]):
        move(application, Status.WITHDRAWN, by=by, note=str(gettext_lazy("账户注销")))
    for application in applications:
        privacy.delete_after_commit(application.certificate_scan)
        application.full_name = CLOSED_NAME
        application.phone = application.employer = application.district = ""
        application.qualification_other = application.certificate_number = ""
        application.organisation_name = application.organisation_details = ""
        application.save()
    if applications:
        lines.append(gettext_lazy("入会申请：个人信息和证书扫描件已清除，审核记录保留。"))
    member = Member.objects.filter(user=user).first()
    if member is not None:
        member.full_name = CLOSED_NAME
        member.phone = member.employer = member.district = ""
        member.dues_reminders = member.directory_listed = False
        member.directory_show_employer = member.directory_show_district = False
        member.directory_show_phone = member.directory_show_email = False
        member.resigned_on = member.resigned_on or timezone.localdate()
        member.save()
        for payment in Payment.objects.filter(invoice__member=member).exclude(voucher=""):
            privacy.delete_after_commit(payment.voucher)
            payment.save(update_fields=["voucher"])
        DuesReminder.objects.filter(invoice__member=member).update(email=f"closed-{user.pk}@{CLOSED_EMAIL_DOMAIN}")
        lines.append(
            gettext_lazy(
                "会员资料：姓名、联系方式和名录设置已清除，会籍终止；会员编号、会费账单和缴费记录"
                "（金额、日期、收据编号、转账流水号）按会计档案要求保留，转账凭证图片已删除。"
            )
        )
    return lines


def register() -> None:
    """Called from MembersConfig.ready()."""
    privacy.register("members", order=10, export=export, holds=holds, erase=erase)


def is_officer(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(CLOSE_PERMISSION)
