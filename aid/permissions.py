"""Who may work with aid cases in the admin: aid coordinators and superusers, nobody else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from wagtail.permission_policies import ModelPermissionPolicy

from . import access


def require_coordinator(request) -> None:
    """Refuse everyone but aid coordinators and superusers, before anything of a case is read."""
    if not access.is_coordinator(request.user):
        raise PermissionDenied


class CoordinatorPolicy(ModelPermissionPolicy):
    """The model's permissions, held only by aid coordinators and superusers, and only for `actions`:
    what the aid menu offers no screen for (deleting a case, editing the access log) is refused to all."""

    def __init__(self, model, actions: tuple[str, ...]):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        return action in self.actions and access.is_coordinator(user) and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action in self.actions])
