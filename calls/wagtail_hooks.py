"""Registers the 征集填报 and 机构名录 menus (calls/admin/viewsets.py)."""

from wagtail import hooks

from .admin.viewsets import CallSubmissionViewSet, InstitutionViewSet


@hooks.register("register_admin_viewset")
def register_call_viewsets():
    return CallSubmissionViewSet()


@hooks.register("register_admin_viewset")
def register_institution_viewset():
    return InstitutionViewSet()
