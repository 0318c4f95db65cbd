"""Registers the membership menu (members/admin/viewsets.py) and the officers' dashboard panel."""

from wagtail import hooks

from portal.dashboard import register_panel

from .admin.viewsets import MembershipGroup
from .dashboard import MembershipPanel


@hooks.register("register_admin_viewset")
def register_membership_viewsets():
    return MembershipGroup()


register_panel(MembershipPanel, shown_to=lambda user: user.has_perm("members.view_membershipapplication"))
