"""What each volunteer screen asks of the person using it: Django permissions, held through the
staff groups (portal/roles.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

SCREEN = "volunteers.change_volunteerapplication"


ADD_MEMBER = "volunteers.add_teammembership"


REMOVE_MEMBER = "volunteers.delete_teammembership"


VIEW_SIGNUPS = "volunteers.view_signup"


MANAGE_SIGNUPS = "volunteers.change_signup"


VIEW_COMMENDATIONS = "volunteers.view_commendation"


COMMEND = "volunteers.add_commendation"


WITHDRAW_COMMENDATION = "volunteers.delete_commendation"


def require_permission(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied
