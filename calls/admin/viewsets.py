"""The 征集评选 menu of the Wagtail admin: every call's submissions, for the call officers."""

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from portal.exports import SafeCsvExportMixin
from portal.permissions import SubmittedRecordsPolicy
from portal.vetting.enums import Status

from .. import display
from ..models import CallSubmission


class SubmissionIndexView(SafeCsvExportMixin, IndexView):
    """Every submission past the draft stage, newest call first, in the order they were numbered."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .exclude(status=Status.DRAFT)
            .select_related("call", "applicant__member", "organisation", "form_version")
        )


class SubmissionInspectView(InspectView):
    template_name = "calls/admin/submission_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            CallSubmission.objects.select_related("call", "applicant__member", "organisation", "form_version"),
            pk=self.pk,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = self.object
        context.update(
            submission=submission,
            answers=display.answers(submission),
            transitions=submission.transitions(),
        )
        return context


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
    inspect_view_class = SubmissionInspectView
    form_fields = ["decision_note"]  # never shown: the policy allows no editing

    @property
    def permission_policy(self):
        return SubmittedRecordsPolicy(self.model)
