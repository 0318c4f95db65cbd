"""Registers the 征集填报 menu (calls/admin/viewsets.py)."""

from wagtail import hooks

from .admin.viewsets import CallSubmissionViewSet


@hooks.register("register_admin_viewset")
def register_call_viewsets():
    return CallSubmissionViewSet()
