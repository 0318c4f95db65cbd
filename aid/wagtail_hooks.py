"""Registers the aid menu (aid/admin/viewsets.py) and the coordinators' dashboard panel."""

from wagtail import hooks

from . import access
from .admin.viewsets import AidGroup
from .dashboard import AidPanel


@hooks.register("register_admin_viewset")
def register_aid_viewsets():
    return AidGroup()


@hooks.register("construct_homepage_panels")
def add_aid_panel(request, panels):
    if access.is_coordinator(request.user):
        panels.append(AidPanel())
