"""The 援助项目 menu of the Wagtail admin, for aid coordinators and superusers (nobody else sees it)."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.queues import waiting_first

from .. import access
from ..enums import CaseStatus
from ..models import Case, CaseAccess, Counsellor
from ..permissions import CoordinatorPolicy
from . import views as admin_views
from .filters import CaseAccessFilterSet, CaseFilterSet
from .forms import CounsellorForm

# Every view a ModelViewSet can offer; each aid viewset registers only those it names in `views`.
ALL_VIEWS = ("add", "edit", "delete", "history", "usage", "copy", "inspect")


class AidModelViewSet(ModelViewSet):
    """A viewset of the aid menu: coordinators only, and only the views it names (no deleting, no
    history of confidential records, no copies)."""

    add_to_admin_menu = False
    add_to_reference_index = False
    copy_view_enabled = False
    search_backend_name = None  # the database's substring match: finds 0012 inside WH-2026-0012
    actions: tuple[str, ...] = ("view",)
    views: tuple[str, ...] = ()

    @property
    def permission_policy(self):
        return CoordinatorPolicy(self.model, self.actions)

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        for view in ALL_VIEWS:
            if view not in self.views:
                view_kwargs[f"{view}_url_name"] = None
        return view_kwargs

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class CaseViewSet(AidModelViewSet):
    model = Case
    icon = "folder-open-inverse"
    menu_label = _("援助案例")
    url_prefix = "aid/cases"
    name = "aid_cases"
    views = ("inspect",)
    inspect_view_enabled = True
    list_display = [
        "number",
        Column("badges", label=_("提示"), accessor=admin_views.case_badges),
        Column("programme", label=_("援助项目"), accessor=admin_views.case_programme),
        "status",
        Column("needs", label=_("需求类别"), accessor=admin_views.case_needs),
        "preferred_mode",
        "district",
        Column("registered_at", label=_("登记日期"), accessor=admin_views.case_registered_on, sort_key="registered_at"),
        Column("counsellor", label=_("当前咨询师"), accessor=admin_views.case_counsellor),
    ]
    filterset_class = CaseFilterSet
    search_fields = ["number"]
    ordering = waiting_first("status", [CaseStatus.WAITING], since="registered_at")  # registrations to assign
    index_view_class = admin_views.CaseIndexView
    inspect_view_class = admin_views.CaseInspectView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/proof/", admin_views.proof, name="proof"),
            path("<int:pk>/assign/", admin_views.AssignView.as_view(), name="assign"),
            path("<int:pk>/close/", admin_views.CloseView.as_view(), name="close"),
            path("<int:pk>/conflict/", admin_views.ConflictView.as_view(), name="conflict"),
            path("renew/<int:pk>/", admin_views.RenewView.as_view(), name="renew"),
            path("follow-up/<int:pk>/", admin_views.FollowUpView.as_view(), name="follow_up"),
        ]


class CounsellorViewSet(AidModelViewSet):
    model = Counsellor
    icon = "user"
    menu_label = _("援助咨询师")
    url_prefix = "aid/counsellors"
    name = "aid_counsellors"
    actions = ("view", "add", "change")
    views = ("add", "edit")
    list_display = [
        "user",
        "qualification",
        "district",
        Column("load", label=_("当前负责"), accessor=admin_views.counsellor_load, sort_key="load"),
        Column("programmes", label=_("参与项目"), accessor=admin_views.counsellor_programmes),
        "is_active",
    ]
    list_filter = ["is_active", "programmes", "district"]
    search_fields = ["user__full_name", "user__email"]
    index_view_class = admin_views.CounsellorIndexView
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldRowPanel([FieldPanel("qualification"), FieldPanel("district")]),
            FieldPanel("specialties"),
            FieldPanel("modes"),
            FieldRowPanel([FieldPanel("capacity"), FieldPanel("is_active")]),
            FieldPanel("programmes"),
        ],
        base_form_class=CounsellorForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("new/", self.add_view, name="add"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
        ]


class CaseAccessViewSet(AidModelViewSet):
    """The access log: read only, for everyone (the model and its queryset refuse changes too)."""

    model = CaseAccess
    icon = "view"
    menu_label = _("查阅记录")
    url_prefix = "aid/access"
    name = "aid_access"
    list_display = [
        Column("at", label=_("时间"), accessor=admin_views.access_time, sort_key="at"),
        "case__number",
        Column("user", label=_("查看人"), accessor="reader"),
        Column("role", label=_("身份"), accessor=admin_views.access_role),
        "what",
        "path",
    ]
    filterset_class = CaseAccessFilterSet
    ordering = ["-at", "-pk"]
    index_view_class = admin_views.CaseAccessIndexView
    list_per_page = 50


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_coordinator(request.user)


class CoordinatorViewSet(ViewSet):
    """Pages of the aid menu that are not a model's listing; each view checks the coordinator itself."""

    menu_item_class = CoordinatorMenuItem

    @cached_property
    def menu_url(self):
        return reverse(self.get_url_name("index"))


class FlagViewSet(CoordinatorViewSet):
    icon = "warning"
    menu_label = _("风险预警")
    url_prefix = "aid/flags"
    name = "aid_flags"

    def get_urlpatterns(self):
        return [path("", admin_views.flagged, name="index")]


class ReportViewSet(CoordinatorViewSet):
    icon = "table"
    menu_label = _("统计报表")
    url_prefix = "aid/reports"
    name = "aid_reports"

    def get_urlpatterns(self):
        return [
            path("", admin_views.reports, name="index"),
            path("export/", admin_views.export, name="export"),
        ]


class AidGroup(ModelViewSetGroup):
    menu_label = _("援助项目")
    menu_icon = "help"
    menu_order = 330
    items = (CaseViewSet, FlagViewSet, CounsellorViewSet, CaseAccessViewSet, ReportViewSet)
