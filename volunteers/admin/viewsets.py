"""The 志愿服务 menu of the Wagtail admin, for volunteer coordinators (nobody else sees it)."""

from django import forms
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from portal.permissions import SubmittedRecordsPolicy
from portal.queues import waiting_first
from portal.vetting.enums import Status

from ..models import Activity, Team, VolunteerApplication
from ..permissions import MANAGE_SIGNUPS, VIEW_COMMENDATIONS
from . import views as admin_views
from .filters import ActivityFilterSet, ApplicationFilterSet
from .forms import ActivityForm


class VolunteerApplicationViewSet(ModelViewSet):
    model = VolunteerApplication
    icon = "form"
    menu_label = _("报名审核")
    url_prefix = "volunteers/applications"
    name = "volunteer_applications"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["full_name", "drive", "status", "phone", "submitted_at"]
    filterset_class = ApplicationFilterSet
    search_fields = ["full_name", "phone", "applicant__email"]
    search_backend_name = None  # the database's substring match: finds 小明 inside 王小明
    list_export = ["full_name", "phone", "drive", "status", "submitted_at", "decided_at"]
    export_filename = "volunteer-applications"
    ordering = waiting_first("status", [Status.SUBMITTED, Status.SHORTLISTED], since="submitted_at")
    index_view_class = admin_views.ApplicationIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ApplicationInspectView
    form_fields = ["decision_note"]  # never shown: the policy allows no editing

    @property
    def permission_policy(self):
        return SubmittedRecordsPolicy(self.model)


class TeamViewSet(ModelViewSet):
    model = Team
    icon = "group"
    menu_label = _("志愿者团队")
    url_prefix = "volunteers/teams"
    name = "volunteer_teams"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = [
        "name",
        TitleColumn("member_count", label=_("成员"), url_name="volunteer_teams:inspect", sort_key="member_count"),
        "created_at",
    ]
    search_fields = ["name"]
    search_backend_name = None
    index_view_class = admin_views.TeamIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.TeamInspectView
    form_fields = ["name", "description"]


class ActivityViewSet(ModelViewSet):
    model = Activity
    icon = "calendar"
    menu_label = _("志愿活动")
    url_prefix = "volunteers/activities"
    name = "volunteer_activities"
    add_to_admin_menu = False
    list_display = [
        "title",
        "campaign",
        "starts_at",
        "district",
        TitleColumn(
            "signups",
            label=_("已报名/名额"),
            accessor=admin_views.signup_summary,
            url_name="volunteer_activities:inspect",
        ),
    ]
    filterset_class = ActivityFilterSet
    search_fields = ["title", "place"]
    search_backend_name = None
    ordering = ["-starts_at", "-pk"]
    index_view_class = admin_views.ActivityIndexView
    edit_view_class = admin_views.ActivityEditView
    delete_view_class = admin_views.ActivityDeleteView
    inspect_view_enabled = True
    inspect_view_class = admin_views.RosterView
    edit_handler = ObjectList(
        [
            FieldPanel("campaign", widget=forms.Select),
            FieldPanel("title"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldRowPanel([FieldPanel("place"), FieldPanel("district")]),
            FieldRowPanel([FieldPanel("places"), FieldPanel("qualification")]),
            FieldPanel("description"),
        ],
        base_form_class=ActivityForm,
    )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("export/<int:pk>/", admin_views.export_roster, name="export")]


class CoordinatorPage(ViewSet):
    """A page of the menu that is not a model's listing, shown to those holding `permission`."""

    permission = ""

    @cached_property
    def menu_item_class(self):
        permission = self.permission

        def is_shown(_item, request):
            return request.user.has_perm(permission)

        return type(f"{type(self).__name__}MenuItem", (MenuItem,), {"is_shown": is_shown})


class HoursViewSet(CoordinatorPage):
    icon = "time"
    menu_label = _("服务时长")
    url_prefix = "volunteers/hours"
    name = "volunteer_hours"
    permission = MANAGE_SIGNUPS

    def get_urlpatterns(self):
        return [
            path("", admin_views.hours_queue, name="index"),
            path("correct/<int:pk>/", admin_views.CorrectHoursView.as_view(), name="correct"),
        ]


class CommendationsViewSet(CoordinatorPage):
    icon = "success"
    menu_label = _("年度表彰")
    url_prefix = "volunteers/commendations"
    name = "volunteer_commendations"
    permission = VIEW_COMMENDATIONS

    def get_urlpatterns(self):
        return [
            path("", admin_views.commendations, name="index"),
            path("export/", admin_views.export_commendations, name="export"),
            path("withdraw/<int:pk>/", admin_views.WithdrawCommendationView.as_view(), name="withdraw"),
        ]


class VolunteerGroup(ModelViewSetGroup):
    menu_label = _("志愿服务")
    menu_icon = "calendar-check"
    menu_order = 320
    items = (VolunteerApplicationViewSet, TeamViewSet, ActivityViewSet, HoursViewSet, CommendationsViewSet)
