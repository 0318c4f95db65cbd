"""The staff groups of the portal, named in one place (created by home/migrations)."""

EDITORS = "Editors"
MODERATORS = "Moderators"

MODERATION_WORKFLOW = "审核发布"
MODERATION_TASK = "审核员审核"
MEMBERSHIP_OFFICERS = "Membership officers"
EXPERT_REVIEWERS = "Expert reviewers"
EXPERT_CHAIRS = "Expert review chairs"
VOLUNTEER_COORDINATORS = "Volunteer coordinators"
AID_COORDINATORS = "Aid coordinators"


def grant_group(apps, name: str, permissions: list[tuple[str, str, list[str]]]) -> None:
    """Create (or complete) the group `name` with admin access and `permissions`, given as
    (app label, model, [actions]): for data migrations, with the migration's `apps`."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, model, actions in permissions:
        for action in actions:
            permission = Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            group.permissions.add(permission)
