"""Registers the 专家库 menu (experts/admin/viewsets.py), the reviewers' dashboard panel and the admin's style sheet."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from portal.dashboard import register_panel

from .admin.viewsets import ExpertGroup
from .dashboard import ExpertPanel


@hooks.register("register_admin_viewset")
def register_expert_viewsets():
    return ExpertGroup()


register_panel(ExpertPanel, shown_to=lambda user: user.has_perm("experts.view_expertapplication"))


@hooks.register("insert_global_admin_css")
def admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
