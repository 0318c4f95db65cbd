"""Registers the aid menu (aid/admin/viewsets.py) and the coordinators' dashboard panel."""

from wagtail import hooks

from portal.dashboard import register_panel

from . import access
from .admin.viewsets import AidGroup
from .dashboard import AidPanel


@hooks.register("register_admin_viewset")
def register_aid_viewsets():
    return AidGroup()


register_panel(AidPanel, shown_to=access.is_coordinator)
