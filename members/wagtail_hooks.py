"""Registers the membership menu (members/admin/viewsets.py) and the officers' dashboard panel."""

from wagtail import hooks

from .admin.viewsets import MembershipGroup
from .dashboard import MembershipPanel


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipGroup()


@hooks.register("construct_homepage_panels")
def add_membership_panel(request, panels):
    if request.user.has_perm("members.view_membershipapplication"):
        panels.append(MembershipPanel())
