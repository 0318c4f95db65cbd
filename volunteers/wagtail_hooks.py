"""Registers the 志愿服务 menu (volunteers/admin/viewsets.py) and the coordinators' dashboard panel."""

from wagtail import hooks

from portal.dashboard import register_panel

from .admin.viewsets import VolunteerGroup
from .dashboard import VolunteerPanel
from .permissions import MANAGE_SIGNUPS


@hooks.register("register_admin_viewset")
def register_volunteer_viewsets():
    return VolunteerGroup()


register_panel(VolunteerPanel, shown_to=lambda user: user.has_perm(MANAGE_SIGNUPS))
