"""Registers the 志愿服务 menu (volunteers/admin/viewsets.py) and the coordinators' dashboard panel."""

from wagtail import hooks

from .admin.viewsets import VolunteerGroup
from .dashboard import VolunteerPanel
from .permissions import MANAGE_SIGNUPS


@hooks.register("register_admin_viewset")
def register_volunteer_viewsets():
    return VolunteerGroup()


@hooks.register("construct_homepage_panels")
def add_volunteer_panel(request, panels):
    if request.user.has_perm(MANAGE_SIGNUPS):
        panels.append(VolunteerPanel())
