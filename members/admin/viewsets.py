"""The membership menu of the Wagtail admin, for membership officers (editors see none of it)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.queues import waiting_first
from portal.vetting.enums import Status

from ..models import (
    AccountClosure,
    DataExport,
    DuesPeriod,
    DuesReminder,
    Invoice,
    Member,
    MembershipApplication,
    MembershipType,
    Payment,
    PaymentStatus,
)
from ..models.dues import DuesExemption
from . import accounts
from .forms import DuesExemptionForm
from .views import (
    ApplicationIndexView,
    ApplicationInspectView,
    ConfirmTransfersView,
    DecidePaymentView,
    DecideView,
    DuesExemptionIndexView,
    InvoiceIndexView,
    InvoiceInspectView,
    IssueInvoicesView,
    MemberIndexView,
    PaymentIndexView,
    PaymentInspectView,
    PeriodInspectView,
    RecordCashView,
    import_members_view,
)


class MembershipApplicationViewSet(ModelViewSet):
    model = MembershipApplication
    icon = "form"
    menu_label = _("入会申请")
    url_prefix = "membership/applications"
    name = "membership_applications"
    add_to_admin_menu = False
    list_display = ["full_name", "membership_type", "district", "employer", "status", "submitted_at"]
    list_filter = ["status", "membership_type", "district", "submitted_at"]
    search_fields = ["full_name", "employer", "phone", "certificate_number", "applicant__email"]
    list_export = [
        "full_name",
        "phone",
        "employer",
        "district",
        "qualification",
        "membership_type",
        "status",
        "submitted_at",
    ]
    export_filename = "membership-applications"
    search_backend_name = None  # the database's substring match: finds 心理 inside 大连市心理咨询中心
    ordering = waiting_first("status", [Status.SUBMITTED], since="submitted_at")
    index_view_class = ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    inspect_view_fields = [
        "applicant",
        "status",
        "full_name",
        "phone",
        "employer",
        "district",
        "qualification",
        "qualification_other",
        "certificate_number",
        "years_of_practice",
        "membership_type",
        "organisation_name",
        "organisation_details",
        "charter_agreed",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_note",
    ]
    form_fields = ["decision_note"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("decide/<int:pk>/", DecideView.as_view(), name="decide")]


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "group"
    menu_label = _("会员")
    url_prefix = "membership/members"
    name = "members"
    add_to_admin_menu = False
    list_display = ["number", "full_name", "membership_type", "district", "joined_on", "standing_label"]
    list_filter = ["membership_type", "district", "joined_on"]
    search_fields = ["number", "full_name", "employer", "phone", "user__email"]
    search_backend_name = None
    index_view_class = MemberIndexView

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", import_members_view, name="import")]

    list_export = [
        "number",
        "full_name",
        "membership_type",
        "phone",
        "employer",
        "district",
        "joined_on",
        "resigned_on",
    ]
    export_filename = "members"
    inspect_view_enabled = True
    form_fields = ["full_name", "phone", "employer", "district", "membership_type"]


class MembershipTypeViewSet(ModelViewSet):
    model = MembershipType
    icon = "tag"
    menu_label = _("会员类型")
    url_prefix = "membership/types"
    name = "membership_types"
    add_to_admin_menu = False
    list_display = ["name", "name_en", "kind", "annual_fee", "is_active"]
    form_fields = ["name", "name_en", "kind", "annual_fee", "is_active", "sort_order"]


class DuesPeriodViewSet(ModelViewSet):
    model = DuesPeriod
    icon = "date"
    menu_label = _("会费年度")
    url_prefix = "membership/dues"
    name = "dues_periods"
    add_to_admin_menu = False
    list_display = ["title", "year", "due_date", "grace_days"]
    inspect_view_enabled = True
    inspect_view_class = PeriodInspectView
    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("due_date"), FieldPanel("grace_days")]),
        InlinePanel("rates", label=_("会费标准"), min_num=1),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("issue/<int:pk>/", IssueInvoicesView.as_view(), name="issue")]


class InvoiceViewSet(ModelViewSet):
    model = Invoice
    icon = "doc-full"
    menu_label = _("会费账单")
    url_prefix = "membership/invoices"
    name = "invoices"
    add_to_admin_menu = False
    list_display = ["member", "period", "amount", "grace_ends"]
    list_filter = ["period"]
    # Wagtail follows related fields with dots (a "__" path fails) and cannot name them by itself.
    list_export = ["member.number", "member.full_name", "period.year", "amount", "grace_ends"]
    export_headings = {"member.number": _("会员编号"), "member.full_name": _("姓名"), "period.year": _("年度")}
    export_filename = "dues-invoices"
    search_fields = ["member__number", "member__full_name"]
    search_backend_name = None
    index_view_class = InvoiceIndexView
    inspect_view_enabled = True
    inspect_view_class = InvoiceInspectView
    form_fields = ["amount"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("cash/<int:pk>/", RecordCashView.as_view(), name="cash")]


class PaymentViewSet(ModelViewSet):
    model = Payment
    icon = "tick"
    menu_label = _("缴费记录")
    url_prefix = "membership/payments"
    name = "payments"
    add_to_admin_menu = False
    list_display = ["invoice", "method", "amount", "status", "reference", "created_at"]
    list_filter = ["status", "method", "created_at"]
    list_export = [
        "invoice.member.number",
        "invoice.member.full_name",
        "invoice.period.year",
        "method",
        "amount",
        "status",
        "reference",
        "receipt_number",
        "created_at",
        "confirmed_at",
    ]
    export_headings = {
        "invoice.member.number": _("会员编号"),
        "invoice.member.full_name": _("姓名"),
        "invoice.period.year": _("年度"),
    }
    export_filename = "payments"
    search_fields = ["reference", "receipt_number", "invoice__member__number", "invoice__member__full_name"]
    search_backend_name = None
    ordering = waiting_first("status", [PaymentStatus.PENDING], since="created_at")  # transfers to confirm
    index_view_class = PaymentIndexView
    inspect_view_enabled = True
    inspect_view_class = PaymentInspectView
    form_fields = ["note"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", DecidePaymentView.as_view(), name="decide"),
            path("confirm-transfers/", ConfirmTransfersView.as_view(), name="confirm_transfers"),
        ]


class DuesExemptionViewSet(ModelViewSet):
    """Members excused from a year's dues, with the reason and who decided: they owe nothing for it."""

    model = DuesExemption
    icon = "pick"
    menu_label = _("会费免交记录")
    url_prefix = "membership/exemptions"
    name = "dues_exemptions"
    add_to_admin_menu = False
    list_display = ["member", "period", "reason", "granted_by", "granted_at"]
    list_filter = ["period"]
    search_fields = ["member__number", "member__full_name", "reason"]
    search_backend_name = None
    index_view_class = DuesExemptionIndexView
    edit_handler = ObjectList(
        [FieldPanel("member"), FieldPanel("period"), FieldPanel("reason")], base_form_class=DuesExemptionForm
    )


class DuesReminderViewSet(ModelViewSet):
    """Who was reminded of which dues, and when (read-only: reminders are sent by the scheduled command)."""

    model = DuesReminder
    icon = "mail"
    menu_label = _("会费提醒")
    url_prefix = "membership/reminders"
    name = "dues_reminders"
    add_to_admin_menu = False
    list_display = ["invoice", "offset", "email", "sent_at"]
    list_filter = ["invoice__period", "offset", "sent_at"]
    search_fields = ["email", "invoice__member__number", "invoice__member__full_name"]
    search_backend_name = None
    form_fields = ["email"]


class ClosureViewSet(ModelViewSet):
    model = AccountClosure
    icon = "user"
    menu_label = _("注销申请")
    url_prefix = "membership/closures"
    name = "account_closures"
    add_to_admin_menu = False
    list_display = [
        "user",
        Column("email", label=_("电子邮箱"), accessor="user.email"),
        "status",
        "requested_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "requested_at"]
    search_fields = ["user__email", "user__full_name"]
    search_backend_name = None
    ordering = ["-requested_at", "-pk"]
    index_view_class = accounts.ClosureIndexView
    inspect_view_enabled = True
    inspect_view_class = accounts.ClosureInspectView
    inspect_view_fields = [
        "user",
        "email",
        "status",
        "reason",
        "requested_at",
        "cancelled_at",
        "decided_by",
        "decided_at",
    ]
    form_fields = ["decision_note"]  # nobody edits a request: officers act through 办理

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("decide/<int:pk>/", accounts.decide, name="decide")]


class DataExportViewSet(ModelViewSet):
    """Who downloaded a copy of their data, when, in which format (written by the download itself)."""

    model = DataExport
    icon = "download"
    menu_label = _("个人数据下载记录")
    url_prefix = "membership/data-exports"
    name = "data_exports"
    add_to_admin_menu = False
    list_display = ["user", "format", "at"]
    list_filter = ["format", "at"]
    search_fields = ["user__email", "user__full_name"]
    search_backend_name = None
    index_view_class = accounts.DataExportIndexView
    form_fields = ["format"]


class MembershipGroup(ModelViewSetGroup):
    menu_label = _("会员管理")
    menu_icon = "group"
    menu_order = 300
    items = (
        MembershipApplicationViewSet,
        MemberViewSet,
        DuesPeriodViewSet,
        InvoiceViewSet,
        PaymentViewSet,
        DuesExemptionViewSet,
        DuesReminderViewSet,
        MembershipTypeViewSet,
        ClosureViewSet,
        DataExportViewSet,
    )
