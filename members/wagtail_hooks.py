"""The membership menu of the Wagtail admin, for membership officers (editors see none of it)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .admin_views import ApplicationIndexView, ApplicationInspectView, MemberIndexView, decide
from .models import Member, MembershipApplication, MembershipType


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
    search_backend_name = None  # the database's substring match: finds 心理 inside 大连市心理咨询中心
    ordering = ["-submitted_at", "-pk"]
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
        return [*super().get_urlpatterns(), path("decide/<int:pk>/", decide, name="decide")]


class MemberViewSet(ModelViewSet):
    model = Member
    icon = "group"
    menu_label = _("会员")
    url_prefix = "membership/members"
    name = "members"
    add_to_admin_menu = False
    list_display = ["number", "full_name", "membership_type", "district", "joined_on"]
    list_filter = ["membership_type", "district", "joined_on"]
    search_fields = ["number", "full_name", "employer", "phone", "user__email"]
    search_backend_name = None
    index_view_class = MemberIndexView
    inspect_view_enabled = True
    form_fields = ["full_name", "phone", "employer", "district", "membership_type"]


class MembershipTypeViewSet(ModelViewSet):
    model = MembershipType
    icon = "tag"
    menu_label = _("会员类型")
    url_prefix = "membership/types"
    name = "membership_types"
    add_to_admin_menu = False
    list_display = ["name", "kind", "annual_fee", "is_active"]
    form_fields = ["name", "kind", "annual_fee", "is_active", "sort_order"]


class MembershipGroup(ModelViewSetGroup):
    menu_label = _("会员管理")
    menu_icon = "group"
    menu_order = 300
    items = (MembershipApplicationViewSet, MemberViewSet, MembershipTypeViewSet)


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipGroup()
