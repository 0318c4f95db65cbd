"""Permission policies the apps' admin views share, and who holds a permission."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy


class SubmittedRecordsPolicy(ModelPermissionPolicy):
    """Records that come from the people who submit them (applications, submissions to calls):
    staff read them and act through the review, and never add, edit or delete one in the admin
    (what was sent stays as sent)."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)


def emails_of_holders(app_label: str, codename: str) -> list[str]:
    """The addresses of the active accounts holding a permission, through a group or their own:
    the staff to tell of something waiting for them (an objection to a 公示)."""
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    users = get_user_model().objects.filter(
        Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True
    )
    return sorted(set(users.values_list("email", flat=True)))
