"""The 专家库 menu of the Wagtail admin, for expert reviewers and chairs (nobody else sees it)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.queues import waiting_first
from portal.vetting.enums import ObjectionOutcome, Status
from portal.vetting.models import CalendarAdjustment

from ..models import (
    BatchObjection,
    Expert,
    ExpertApplication,
    ExpertBatch,
    ExpertReminder,
    Language,
    ProfileChange,
    ServiceType,
    Specialty,
)
from . import batches
from . import views as admin_views


class ExpertApplicationViewSet(ModelViewSet):
    model = ExpertApplication
    icon = "form"
    menu_label = _("入库申请")
    url_prefix = "experts/applications"
    name = "expert_applications"
    add_to_admin_menu = False
    list_display = [
        "full_name",
        "employer",
        "status",
        Column("review_count", label=_("已完成评审")),
        "batch",
        "submitted_at",
    ]
    list_filter = ["status", "specialties", "district", "batch", "submitted_at"]
    search_fields = ["full_name", "employer", "title", "phone", "applicant__email"]
    search_backend_name = None  # the database's substring match: finds 七院 inside 大连市第七人民医院
    list_export = [
        "full_name",
        "phone",
        "title",
        "employer",
        "district",
        "years_of_practice",
        "status",
        "batch",
        "submitted_at",
    ]
    export_filename = "expert-applications"
    ordering = waiting_first("status", [Status.SUBMITTED], since="submitted_at")
    index_view_class = admin_views.ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ApplicationInspectView
    inspect_view_fields = []
    form_fields = ["decision_note"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("queue/", admin_views.review_queue, name="queue"),
            path("review/<int:pk>/", admin_views.ReviewView.as_view(), name="review"),
            path("decide/<int:pk>/", admin_views.DecideView.as_view(), name="decide"),
        ]


class ExpertBatchViewSet(ModelViewSet):
    model = ExpertBatch
    icon = "list-ol"
    menu_label = _("入库批次")
    url_prefix = "experts/batches"
    name = "expert_batches"
    add_to_admin_menu = False
    list_display = ["__str__", "status", Column("size", label=_("人数")), "notice_starts", "notice_ends", "closed_at"]
    list_filter = ["status"]
    index_view_class = batches.BatchIndexView
    inspect_view_enabled = True
    inspect_view_class = batches.BatchInspectView
    form_fields = ["working_days"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("open/", batches.OpenBatchView.as_view(), name="open"),
            path("add/<int:pk>/", batches.AddToBatchView.as_view(), name="add"),
            path("remove/<int:pk>/<int:application_pk>/", batches.RemoveFromBatchView.as_view(), name="remove"),
            path("publish/<int:pk>/", batches.PublishBatchView.as_view(), name="publish"),
            path("close/<int:pk>/", batches.CloseBatchView.as_view(), name="close"),
            path("export/<int:pk>/<str:kind>/", batches.export_batch, name="export"),
        ]


class BatchObjectionViewSet(ModelViewSet):
    model = BatchObjection
    icon = "warning"
    menu_label = _("公示异议")
    url_prefix = "experts/objections"
    name = "expert_objections"
    add_to_admin_menu = False
    list_display = ["batch", "application", "name", "outcome", "submitted_at"]
    list_filter = ["outcome", "batch"]
    search_fields = ["name", "contact", "grounds", "application__full_name"]
    search_backend_name = None
    ordering = waiting_first("outcome", [ObjectionOutcome.PENDING], since="submitted_at")
    inspect_view_enabled = True
    inspect_view_class = batches.ObjectionInspectView
    inspect_view_fields = [
        "batch",
        "application",
        "name",
        "contact",
        "grounds",
        "submitted_at",
        "outcome",
        "resolution",
        "resolved_by",
        "resolved_at",
    ]
    form_fields = ["resolution"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resolve/<int:pk>/", batches.ResolveObjectionView.as_view(), name="resolve"),
        ]


class ExpertViewSet(ModelViewSet):
    model = Expert
    icon = "user"
    menu_label = _("入库专家")
    url_prefix = "experts/experts"
    name = "expert_records"
    add_to_admin_menu = False
    list_display = ["full_name", "employer", "batch", "status", "admitted_on", "expires_on"]
    list_filter = ["status", "batch", "specialties", "district", "expires_on"]
    search_fields = ["full_name", "employer", "user__email"]
    search_backend_name = None
    list_export = ["full_name", "title", "employer", "district", "batch", "status", "admitted_on", "expires_on"]
    export_filename = "experts"
    index_view_class = admin_views.ExpertIndexView
    inspect_view_enabled = True
    edit_view_class = admin_views.ExpertEditView
    form_fields = ["status", "expires_on"]


class ProfileChangeViewSet(ModelViewSet):
    model = ProfileChange
    icon = "edit"
    menu_label = _("资料修改")
    url_prefix = "experts/changes"
    name = "expert_changes"
    add_to_admin_menu = False
    list_display = ["expert", "status", "submitted_at", "decided_by"]
    list_filter = ["status"]
    ordering = waiting_first("status", [Status.SUBMITTED], since="submitted_at")
    inspect_view_enabled = True
    inspect_view_class = admin_views.ChangeInspectView
    form_fields = ["decision_note"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", admin_views.DecideChangeView.as_view(), name="decide"),
        ]


class TermViewSet(ModelViewSet):
    add_to_admin_menu = False
    list_display = ["name", "name_zh_hant", "name_en", "slug", "is_active"]
    form_fields = ["name", "name_zh_hant", "name_en", "slug", "sort_order", "is_active"]
    icon = "tag"


class SpecialtyViewSet(TermViewSet):
    model = Specialty
    menu_label = _("专长领域")
    url_prefix = "experts/specialties"
    name = "expert_specialties"


class ServiceTypeViewSet(TermViewSet):
    model = ServiceType
    menu_label = _("服务类型")
    url_prefix = "experts/services"
    name = "expert_services"


class LanguageViewSet(TermViewSet):
    model = Language
    menu_label = _("服务语言")
    url_prefix = "experts/languages"
    name = "expert_languages"


class ReminderViewSet(ModelViewSet):
    """Who was reminded to re-certify, and when (sent by the scheduled command)."""

    model = ExpertReminder
    icon = "mail"
    menu_label = _("复审提醒")
    url_prefix = "experts/reminders"
    name = "expert_reminders"
    add_to_admin_menu = False
    list_display = ["expert", "expires_on", "days_before", "email", "sent_at"]
    form_fields = ["email"]


class CalendarAdjustmentViewSet(ModelViewSet):
    model = CalendarAdjustment
    icon = "date"
    menu_label = _("节假日调整")
    url_prefix = "experts/calendar"
    name = "calendar_adjustments"
    add_to_admin_menu = False
    list_display = ["date", "is_working_day", "note"]
    form_fields = ["date", "is_working_day", "note"]


class ExpertGroup(ModelViewSetGroup):
    menu_label = _("专家库")
    menu_icon = "user"
    menu_order = 310
    items = (
        ExpertApplicationViewSet,
        ExpertBatchViewSet,
        BatchObjectionViewSet,
        ExpertViewSet,
        ProfileChangeViewSet,
        SpecialtyViewSet,
        ServiceTypeViewSet,
        LanguageViewSet,
        ReminderViewSet,
        CalendarAdjustmentViewSet,
    )
