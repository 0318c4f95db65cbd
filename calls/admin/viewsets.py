"""The 征集评选 menu of the Wagtail admin: every call's submissions, for the call officers."""

from django.db.models import F
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from portal.exports import SafeCsvExportMixin
from portal.permissions import SubmittedRecordsPolicy
from portal.vetting.enums import Status

from ..models import CallSubmission, Institution
from . import announcements, views


class SubmissionIndexView(SafeCsvExportMixin, IndexView):
    """Every submission past the draft stage, newest call first, in the order they were numbered."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .exclude(status=Status.DRAFT)
            .select_related("call", "applicant__member", "organisation", "form_version")
        )

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(views.DECIDE):
            url = reverse("call_submissions:overview")
            buttons.append(HeaderButton(_("征集一览"), url=url, icon_name="list-ul"))
        if self.request.user.has_perm(views.REVIEW):
            url = reverse("call_submissions:queue")
            buttons.append(HeaderButton(_("我的评审任务"), url=url, icon_name="tasks"))
        return buttons


class CallSubmissionViewSet(ModelViewSet):
    model = CallSubmission
    icon = "form"
    menu_label = _("征集填报")
    menu_order = 260
    url_prefix = "calls/submissions"
    name = "call_submissions"
    add_to_admin_menu = True
    list_display = [
        "call",
        Column("reference", label=_("编号")),
        Column("submitter_name", label=_("填报人")),
        Column("category_name", label=_("申报类别")),
        "status",
        "submitted_at",
    ]
    list_filter = ["call", "status", "submitted_at"]
    search_fields = ["applicant__email", "applicant__member__full_name", "organisation__full_name"]
    search_backend_name = None
    list_export = ["reference", "call", "submitter_name", "category_name", "status", "submitted_at"]
    export_filename = "call-submissions"
    ordering = [F("call__closes_at").desc(nulls_last=True), "call", "number", "pk"]
    index_view_class = SubmissionIndexView
    inspect_view_enabled = True
    inspect_view_class = views.SubmissionInspectView
    form_fields = ["decision_note"]  # never shown: the policy allows no editing

    @property
    def permission_policy(self):
        return SubmittedRecordsPolicy(self.model)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("review/<int:pk>/", views.ReviewView.as_view(), name="review"),
            path("decide/<int:pk>/", views.DecideView.as_view(), name="decide"),
            path("ranking/<int:pk>/", views.ranking, name="ranking"),
            path("queue/", views.queue, name="queue"),
            path("calls/", views.overview, name="overview"),
            path("calls/<int:pk>/progress/", views.progress, name="progress"),
            path("calls/<int:pk>/remind/", views.RemindView.as_view(), name="remind"),
            path("calls/<int:pk>/results/", views.results, name="results"),
            path("calls/<int:pk>/answers.csv", views.export_csv, name="export_csv"),
            path("calls/<int:pk>/files.zip", views.export_zip, name="export_zip"),
            path("calls/<int:pk>/announcement/", announcements.announcement, name="announcement"),
            path("calls/<int:pk>/announce/", announcements.AnnounceView.as_view(), name="announce"),
            path("calls/<int:pk>/close/", announcements.CloseView.as_view(), name="close"),
            path("objections/<int:pk>/resolve/", announcements.ResolveObjectionView.as_view(), name="resolve"),
            path("certificates/<int:pk>/revoke/", announcements.RevokeCertificateView.as_view(), name="revoke"),
            path("certificates/<int:pk>/pdf/", announcements.certificate_pdf, name="certificate"),
        ]


class InstitutionIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("calls.view_institution"):
            url = reverse("institutions_admin:book")
            buttons.append(HeaderButton(_("导出名录（PDF）"), url=url, icon_name="download"))
        return buttons


class InstitutionViewSet(ModelViewSet):
    """机构名录: the institutions of accepted directory entries. Their details are the entries as
    sent; officers only hide one from the public directory or show it again."""

    model = Institution
    icon = "site"
    menu_label = _("机构名录")
    menu_order = 261
    url_prefix = "calls/institutions"
    name = "institutions_admin"
    add_to_admin_menu = True
    list_display = ["name", "district", BooleanColumn("published", label=_("在名录中公开")), "updated_at"]
    list_filter = ["district", "published"]
    search_fields = ["name"]
    search_backend_name = None
    index_view_class = InstitutionIndexView
    form_fields = ["published"]
    inspect_view_enabled = True

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("book.pdf", views.directory_book, name="book")]
