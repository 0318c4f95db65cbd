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
CALL_OFFICERS = "Call officers"
CALL_REVIEWERS = "Call reviewers"
STAFF_GROUPS = (
    EDITORS,
    MODERATORS,
    MEMBERSHIP_OFFICERS,
    EXPERT_REVIEWERS,
    EXPERT_CHAIRS,
    VOLUNTEER_COORDINATORS,
    AID_COORDINATORS,
    CALL_OFFICERS,
    CALL_REVIEWERS,
)


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


def grant_section(page, group_name: str, codenames=("add_page", "change_page")) -> None:
    """Let `group_name` create and edit pages under `page` (a section its members look after);
    publishing still goes through the moderation workflow."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.filter(name=group_name).first()
    if group is None:
        return
    for codename in codenames:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
