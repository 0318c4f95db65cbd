"""The member area: applying for membership, and the certificate scans behind a permission check."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal import listing
from portal.districts import District
from portal.files import keep_private, private_file
from portal.ratelimit import over_hourly_limit
from portal.vetting.enums import Status

from . import providers, services
from .forms import ContactForm, MembershipApplicationForm, ProfileForm, TransferForm
from .models import Invoice, Member, MembershipApplication, OrganisationContact, Payment, PaymentStatus
from .receipts import payment_for_code, render_receipt


def _to_site_login(request, default: str):
    """The site's login (its rate limits, two-factor), then back to `next` if it is ours."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or default
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = default
    if request.user.is_authenticated:
        return redirect(next_url)
    return redirect_to_login(next_url, "account_login")


def admin_login(request):
    """Wagtail's admin login page, answered by the site's login (then back to where the admin was going)."""
    return _to_site_login(request, reverse("wagtailadmin_home"))


def page_login(request):
    """Wagtail's sign-in for restricted pages (a plain password form of its own), answered by the site's login."""
    return _to_site_login(request, "/")


def _current_application(user) -> MembershipApplication | None:
    """The person's application in progress, or their last decided one."""
    return (
        MembershipApplication.objects.filter(applicant=user)
        .exclude(status=Status.WITHDRAWN)
        .select_related("membership_type")
        .order_by("-pk")
        .first()
    )


@login_required
def apply(request):
    """入会申请: fill in, save a draft and come back, submit; edit again only when returned."""
    application = _current_application(request.user)
    member = getattr(request.user, "member", None)
    if member is not None or (application and application.status in (Status.SUBMITTED, Status.APPROVED)):
        return render(request, "members/application_status.html", {"application": application, "member": member})
    if application is None or application.status == Status.REJECTED:
        previous = application
        application = MembershipApplication(applicant=request.user)
    else:
        previous = None

    submitting = request.method == "POST" and "submit" in request.POST
    form = MembershipApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=application,
        submitting=submitting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if application.pk:
                    locked = MembershipApplication.objects.select_for_update().get(pk=application.pk)
                    if not locked.is_editable:  # submitted meanwhile, from another tab or a double click
                        return redirect("membership_apply")
                application = form.save()
                if submitting:
                    services.submit_application(application, by=request.user)
        except IntegrityError:  # another request opened the application first
            return redirect("membership_apply")
        if submitting:
            messages.success(request, _("申请已提交，审核结果会通过邮件通知您。"))
        else:
            messages.success(request, _("草稿已保存，您可以随时回来继续填写。"))
        return redirect("membership_apply")
    if request.method == "POST":
        messages.error(request, _("申请未能保存，请按提示修改。"))
    return render(
        request,
        "members/apply.html",
        {"form": form, "application": application, "previous": previous},
    )


@login_required
def certificate_scan(request, pk: int):
    """The scan of an application: for its applicant and for membership officers, a 404 for anyone else."""
    application = MembershipApplication.objects.filter(pk=pk).first()
    allowed = application is not None and (
        application.applicant_id == request.user.pk or request.user.has_perm("members.view_membershipapplication")
    )
    if not allowed or not application.certificate_scan:
        raise Http404
    return private_file(application.certificate_scan, name=f"certificate-{application.pk}")


@login_required
def membership_home(request):
    """会员中心: standing, membership card, invoices (arrears included) and payments, and paying."""
    member = getattr(request.user, "member", None)
    if member is None:
        return redirect("membership_apply")
    return _member_centre(request, member)


def _member_centre(request, member, failed_transfer=None, invoice_pk=None):
    """The member centre page; after a transfer form that did not validate, that form with its errors."""
    services.invoice_owed(member)  # every year they owe has an invoice they can pay
    invoices = list(services.owed_invoices(member))
    arrears = [invoice for invoice in reversed(invoices) if invoice.owed and not invoice.is_paid]  # oldest first
    if failed_transfer is not None:
        forms = {invoice_pk: failed_transfer}
    else:
        forms = {
            invoice.pk: TransferForm(initial={"idempotency_key": uuid.uuid4().hex}, prefix=f"invoice-{invoice.pk}")
            for invoice in arrears
            if not invoice.pending_transfer
        }
    context = {
        "member": member,
        "standing": member.standing(),
        "invoices": invoices,
        "arrears": arrears,
        "transfer_forms": forms,
        "bank": services.bank_account(),
        "secretariat": services.secretariat(),
        "online_payments": settings.PAYMENT_SANDBOX_ENABLED,
    }
    return render(request, "members/home.html", context, status=400 if failed_transfer is not None else 200)


@login_required
def pay_by_transfer(request, pk: int):
    """Record a bank transfer against one of the member's own invoices (404 for anyone else's)."""
    invoice = get_object_or_404(Invoice, pk=pk, member__user=request.user)
    if request.method != "POST":
        return redirect("membership_home")
    form = TransferForm(request.POST, request.FILES, prefix=f"invoice-{invoice.pk}")
    if invoice.is_paid:
        messages.info(request, _("这张账单已经付清。"))
        return redirect("membership_home")
    if form.is_valid():
        services.record_transfer(
            invoice,
            by=request.user,
            reference=form.cleaned_data["reference"],
            voucher=form.cleaned_data["voucher"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
        messages.success(request, _("转账信息已提交，工作人员核对到账后会确认。"))
        return redirect("membership_home")
    messages.error(request, _("转账信息未能提交，请按提示修改。"))
    return _member_centre(request, invoice.member, failed_transfer=form, invoice_pk=invoice.pk)


def _own_or_officer_payment(request, pk: int) -> Payment:
    payment = Payment.objects.select_related("invoice__member__user", "invoice__period").filter(pk=pk).first()
    if payment is None:
        raise Http404
    if payment.invoice.member.user_id != request.user.pk and not request.user.has_perm("members.view_payment"):
        raise Http404
    return payment


@login_required
def receipt(request, pk: int):
    """The PDF receipt of a confirmed payment: for the member who paid and for staff, a 404 for anyone else."""
    payment = _own_or_officer_payment(request, pk)
    if payment.status != PaymentStatus.CONFIRMED:
        raise Http404
    response = HttpResponse(render_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{payment.receipt_number}.pdf"'
    return keep_private(response)


@login_required
def voucher(request, pk: int):
    payment = _own_or_officer_payment(request, pk)
    if not payment.voucher:
        raise Http404
    return private_file(payment.voucher, name=f"voucher-{payment.pk}")


@login_required
def pay_online(request, pk: int):
    """Start the online payment of one of the member's own invoices, on the provider's pay page."""
    invoice = get_object_or_404(Invoice, pk=pk, member__user=request.user)
    if request.method != "POST" or not settings.PAYMENT_SANDBOX_ENABLED:
        return redirect("membership_home")
    try:
        payment = providers.start_online_payment(invoice, by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("membership_home")
    return redirect(providers.PROVIDERS["sandbox"].pay_url(payment))


@login_required
def sandbox_pay(request, key: str):
    """The sandbox provider's pay page: the member pays (or cancels); the sandbox then sends its
    signed notification, which is what confirms the payment."""
    if not settings.PAYMENT_SANDBOX_ENABLED:
        raise Http404
    payment = get_object_or_404(
        Payment.objects.select_related("invoice__period", "invoice__member"),
        idempotency_key=key,
        invoice__member__user=request.user,
    )
    provider = providers.PROVIDERS["sandbox"]
    if request.method == "POST" and payment.status == PaymentStatus.PENDING:
        notification = provider.notification_for(payment, paid="pay" in request.POST)
        try:
            payment = providers.handle_notification(provider, notification)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("membership_home")
        if payment.status == PaymentStatus.CONFIRMED:
            messages.success(request, _("支付成功，收据编号 %(number)s。") % {"number": payment.receipt_number})
        elif payment.status == PaymentStatus.PENDING:  # the invoice was paid meanwhile: kept for a refund
            messages.warning(request, payment.note)
        else:
            messages.info(request, _("支付已取消。"))
        return redirect("membership_home")
    return render(request, "members/sandbox_pay.html", {"payment": payment})


@csrf_exempt
@require_POST
def payment_notification(request, provider: str):
    """Where a provider's servers send their signed notifications (trusted by signature, not by session)."""
    try:
        providers.handle_notification(providers.provider_named(provider), request.POST.dict())
    except ValidationError:
        return HttpResponse("fail", status=400, content_type="text/plain")
    return HttpResponse("success", content_type="text/plain")


@login_required
def profile(request):
    """The member's own contact details and directory choices (there is no one else's to reach)."""
    member = getattr(request.user, "member", None)
    if member is None:
        return redirect("membership_apply")
    form = ProfileForm(request.POST or None, instance=member)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("资料已保存。"))
            return redirect("membership_profile")
        messages.error(request, _("资料未能保存，请按提示修改。"))
    return render(request, "members/profile.html", {"form": form, "member": member})


@login_required
def contacts(request):
    """单位联系人: an institutional member or branch names the people who may act for it (submit its
    reports and applications to calls). Only the organisation's own account keeps the list."""
    member = getattr(request.user, "member", None)
    if member is None or not member.membership_type.is_organisation:
        raise Http404
    form = ContactForm(request.POST if request.method == "POST" and "remove" not in request.POST else None)
    if request.method == "POST":
        if "remove" in request.POST:
            chosen = request.POST["remove"]
            if chosen.isascii() and chosen.isdigit() and len(chosen) < 19:  # anything else names no contact
                OrganisationContact.objects.filter(organisation=member, pk=int(chosen)).delete()
            messages.success(request, _("联系人已移除。"))
            return redirect("membership_contacts")
        if form.is_valid():
            try:
                services.add_contact(member, email=form.cleaned_data["email"], role=form.cleaned_data["role"])
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, _("联系人已添加，对方现在可以代表本单位填报。"))
                return redirect("membership_contacts")
        messages.error(request, _("联系人未能添加，请按提示修改。"))
    listed = member.contacts.select_related("user", "user__member").order_by("added_at", "pk")
    return render(request, "members/contacts.html", {"member": member, "contacts": listed, "form": form})


def directory(request):
    """会员名录: members who chose to be listed, with only the fields each chose to show."""
    today = timezone.localdate()
    members = (
        Member.objects.filter(directory_listed=True)
        .filter(Q(resigned_on__isnull=True) | Q(resigned_on__gt=today))
        .select_related("user", "membership_type")
        .order_by("number")
    )
    district = listing.filter_value(request.GET, "district")
    if district:
        members = members.filter(district=district)
    page_obj = listing.paginate(request, list(members.values_list("pk", flat=True)))
    page_obj.object_list = listing.in_order(members, page_obj.object_list)
    return render(
        request,
        "members/directory.html",
        {"page_obj": page_obj, "districts": District.choices, "selected_district": district},
    )


RECEIPT_CHECKS_PER_HOUR = 30  # per address: enough for anyone checking receipts by hand


def _receipt_checks_exceeded(request) -> bool:
    """Receipt checks from one address this hour."""
    return over_hourly_limit(request, "members:receipt-checks", RECEIPT_CHECKS_PER_HOUR)


def verify_receipt(request, code: str) -> HttpResponse:
    """收据核验: whoever holds a receipt (an employer, an auditor) checks it is genuine. Shows only the
    receipt number, date, amount and whether it stands; never who paid."""
    if _receipt_checks_exceeded(request):
        response = render(request, "members/receipt_verify.html", {"limited": True}, status=429)
    else:
        payment = payment_for_code(code[:80])
        state = None
        if payment is not None and payment.receipt_number:
            if payment.status == PaymentStatus.CONFIRMED:
                state = "sandbox" if providers.received_no_money(payment) else "valid"
            elif payment.status in (PaymentStatus.VOIDED, PaymentStatus.REFUNDED):
                state = payment.status
        if state is None:
            payment = None
        confirmed = timezone.localtime(payment.confirmed_at).date() if payment and payment.confirmed_at else None
        response = render(
            request,
            "members/receipt_verify.html",
            {"payment": payment, "state": state, "confirmed": confirmed},
            status=200 if payment else 404,
        )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response
