"""What each expert-database screen asks of the person using it: Django permissions, held through
the staff groups (portal/roles.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

REVIEW = "experts.review_expertapplication"
DECIDE = "experts.decide_expertapplication"
PUBLISH = "experts.publish_expertbatch"
RESOLVE = "experts.change_batchobjection"
DECIDE_CHANGE = "experts.decide_profilechange"


def require_permission(request, permission: str) -> None:
    """Refuse the request (403) unless its user holds `permission`."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
