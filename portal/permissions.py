"""Permission policies the apps' admin views share."""

from wagtail.permission_policies import ModelPermissionPolicy


class SubmittedRecordsPolicy(ModelPermissionPolicy):
    """Records that come from the people who submit them (applications, submissions to calls):
    staff read them and act through the review, and never add, edit or delete one in the admin
    (what was sent stays as sent)."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)
