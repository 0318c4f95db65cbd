"""Membership officers' views in the Wagtail admin: applications and decisions, dues and payments."""

import csv
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.mixins import Echo
from wagtail.admin.widgets.button import HeaderButton

from portal.admin_actions import ActionView
from portal.exports import SafeCsvExportMixin
from portal.vetting.enums import Status

from .. import imports, services
from ..forms import DecisionForm, PaymentDecisionForm
from ..models import DuesPeriod, Invoice, MembershipApplication, Payment, PaymentMethod, PaymentStatus
from ..permissions import DECIDE_PERMISSION
from .forms import CashPaymentForm, ConfirmTransfersForm, MemberImportForm


class StreamingExportIndexView(SafeCsvExportMixin, IndexView):
    """An index whose CSV export streams rows from a database cursor: memory stays flat however many rows.
    What people typed is written so that a spreadsheet cannot run it as a formula."""

    def get(self, request, *args, **kwargs):
        if self.is_export:  # straight to the rows: no listing table built for every row first
            return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))
        return super().get(request, *args, **kwargs)

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset.iterator(chunk_size=2000):
            yield self.write_csv_row(writer, self.to_row_dict(item))


class ApplicationIndexView(StreamingExportIndexView):
    """The officers' queue: submitted and decided applications (drafts are the applicant's own)."""

    def get_base_queryset(self):
        return super().get_base_queryset().exclude(status=Status.DRAFT).select_related("membership_type", "applicant")


class MemberIndexView(StreamingExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("membership_type", "user").with_standing()


class ApplicationInspectView(InspectView):
    template_name = "members/admin/application_inspect.html"

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.status == Status.SUBMITTED and self.request.user.has_perm(DECIDE_PERMISSION):
            url = reverse("membership_applications:decide", args=[self.object.pk])
            buttons.append(HeaderButton(_("审核"), url=url, icon_name="tasks", classname="button-primary"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["application"] = self.object
        context["transitions"] = self.object.transitions()
        return context


class DecideView(ActionView):
    """Approve, return for changes or reject a submitted application, with the reason the applicant sees."""

    permission = DECIDE_PERMISSION
    queryset = MembershipApplication.objects.select_related("applicant", "membership_type")
    form_class = DecisionForm
    template_name = "members/admin/decide.html"
    title = gettext_lazy("审核入会申请")
    submit_label = gettext_lazy("提交审核结果")
    back_label = gettext_lazy("返回申请")
    icon = "tasks"

    def refusal(self):
        # A second click, or another officer who decided first: the decision stands.
        if self.object.status != Status.SUBMITTED:
            return _("这份申请已处理：%(status)s。") % {"status": self.object.get_status_display()}
        return None

    def act(self, form):
        application, decision, note = self.object, form.cleaned_data["decision"], form.cleaned_data["note"]
        if decision == DecisionForm.APPROVE:
            member = services.approve_application(
                application, by=self.request.user, joined_on=form.cleaned_data["joined_on"]
            )
            return _("已通过，会员编号 %(number)s。") % {"number": member.number}
        if decision == DecisionForm.RETURN:
            services.return_application(application, by=self.request.user, comments=note)
            return _("已退回申请人修改。")
        services.reject_application(application, by=self.request.user, reason=note)
        return _("已标记为不通过，并通知申请人。")

    def get_back_url(self):
        return reverse("membership_applications:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=self.object.full_name, application=self.object, **context)


class PeriodInspectView(InspectView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("members.add_duesperiod"):
            url = reverse("dues_periods:issue", args=[self.object.pk])
            buttons.append(HeaderButton(_("开具账单"), url=url, icon_name="doc-full", classname="button-primary"))
        return buttons


class IssueInvoicesView(ActionView):
    """Issue the year's invoices to every member who owes it (again: nothing new)."""

    permission = "members.add_duesperiod"
    queryset = DuesPeriod.objects.all()
    title = gettext_lazy("开具账单")
    submit_label = gettext_lazy("确认")
    icon = "tasks"

    def get_intro(self):
        return _("为所有应交%(title)s、尚无账单的会员（含会籍已失效的会员）开具账单？") % {"title": self.object.title}

    def act(self, form):
        created = services.issue_invoices(self.object)
        return _("已开具 %(count)s 张账单。") % {"count": created}

    def get_back_url(self):
        return reverse("dues_periods:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=self.object.title, **context)


class PaymentInspectView(InspectView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("members.confirm_payment") and self.object.status in (
            PaymentStatus.PENDING,
            PaymentStatus.CONFIRMED,
        ):
            url = reverse("payments:decide", args=[self.object.pk])
            buttons.append(HeaderButton(_("处理"), url=url, icon_name="tasks", classname="button-primary"))
        return buttons


class DecidePaymentView(ActionView):
    """Confirm a transfer, reject it, or void or refund a confirmed payment, with the reason."""

    permission = "members.confirm_payment"
    queryset = Payment.objects.select_related("invoice__member", "invoice__period")
    form_class = PaymentDecisionForm
    template_name = "members/admin/decide.html"
    title = gettext_lazy("处理缴费")
    submit_label = gettext_lazy("提交审核结果")
    back_label = gettext_lazy("返回缴费记录")
    icon = "tasks"
    errors_go_back = True  # e.g. the invoice was paid online meanwhile: the payment page says what happened

    def act(self, form):
        action = form.cleaned_data["action"]
        if action == PaymentDecisionForm.CONFIRM:
            payment = services.confirm_payment(self.object, by=self.request.user)
            return _("已确认到账，收据编号 %(number)s。") % {"number": payment.receipt_number}
        services.close_payment(self.object, action, by=self.request.user, reason=form.cleaned_data["reason"])
        return _("已处理。")

    def get_back_url(self):
        return reverse("payments:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=str(self.object), payment=self.object, **context)


class RecordCashView(ActionView):
    """An officer records dues paid in cash or on site against an invoice; the form carries an
    idempotency key, so a second click records nothing more."""

    permission = "members.confirm_payment"
    queryset = Invoice.objects.select_related("member", "period")
    form_class = CashPaymentForm
    title = gettext_lazy("登记现金缴费")
    submit_label = gettext_lazy("确认")
    icon = "tasks"
    errors_go_back = True  # e.g. the invoice was paid meanwhile: the invoice page says so

    def get_form_kwargs(self):
        return {"initial": {"idempotency_key": uuid.uuid4().hex}}

    def get_intro(self):
        invoice = self.object
        return _("确认已收到%(name)s交纳的%(amount)s元？") % {
            "name": invoice.member.full_name,
            "amount": invoice.amount,
        }

    def act(self, form):
        payment = services.record_cash(
            self.object,
            by=self.request.user,
            idempotency_key=form.cleaned_data["idempotency_key"] or uuid.uuid4().hex,
            reference=form.cleaned_data["reference"],
        )
        return _("已登记，收据编号 %(number)s。") % {"number": payment.receipt_number}

    def get_back_url(self):
        return reverse("invoices:inspect", args=[self.object.pk])

    def get_context_data(self, **context):
        return super().get_context_data(subtitle=str(self.object), **context)


class InvoiceInspectView(InspectView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("members.confirm_payment") and not self.object.is_paid:
            url = reverse("invoices:cash", args=[self.object.pk])
            buttons.append(HeaderButton(_("登记现金缴费"), url=url, icon_name="plus", classname="button-primary"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["payments"] = self.object.payments.select_related("recorded_by", "decided_by")
        return context


def import_members_view(request):
    """Officers import existing members from a CSV file: check it first, then import all or nothing."""
    if not request.user.has_perm("members.import_member"):
        raise PermissionDenied
    form = MemberImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.import_members(
            form.cleaned_data["file"], by=request.user, dry_run=form.cleaned_data["dry_run"]
        )
        if result.errors:
            messages.error(request, _("有 %(count)s 行存在问题，未导入任何会员。") % {"count": len(result.errors)})
        elif form.cleaned_data["dry_run"]:
            messages.success(request, _("检查通过：%(count)s 行均可导入。") % {"count": len(result.rows)})
        else:
            messages.success(request, _("已导入 %(count)s 名会员。") % {"count": result.created})
            return redirect("members:index")
    return TemplateResponse(
        request,
        "members/admin/import.html",
        {"form": form, "result": result, "columns": imports.COLUMNS.values(), "page_title": _("导入会员")},
    )


class ConfirmTransfersView(ActionView):
    """Bulk action: confirm the bank transfers an officer has checked against the bank statement."""

    permission = "members.confirm_payment"
    form_class = ConfirmTransfersForm
    template_name = "members/admin/confirm_transfers.html"
    title = gettext_lazy("确认转账")
    submit_label = gettext_lazy("确认所选转账到账")
    icon = "tick"

    def act(self, form):
        confirmed, self.skipped = 0, 0
        for payment in form.cleaned_data["payment"].order_by("created_at"):
            try:
                services.confirm_payment(payment, by=self.request.user)
                confirmed += 1
            except ValidationError:
                self.skipped += 1  # handled meanwhile by someone else
        return _("已确认 %(count)s 笔转账。") % {"count": confirmed} if confirmed else ""

    def after(self):
        if self.skipped:
            messages.warning(self.request, _("%(count)s 笔已被处理过，未重复确认。") % {"count": self.skipped})

    def get_back_url(self):
        return reverse("payments:index")

    def get_success_url(self):
        return reverse("payments:confirm_transfers")  # the transfers still to check

    def get_context_data(self, **context):
        pending = (
            Payment.objects.filter(status=PaymentStatus.PENDING, method=PaymentMethod.TRANSFER)
            .select_related("invoice__member", "invoice__period")
            .order_by("created_at")
        )
        return super().get_context_data(payments=pending, **context)


class InvoiceIndexView(StreamingExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "period")


class PaymentIndexView(StreamingExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("invoice__member", "invoice__period")


class DuesExemptionIndexView(StreamingExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("member", "period", "granted_by")
