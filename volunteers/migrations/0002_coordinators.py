"""The volunteer coordinators' group: drives' applications, teams, activities, sign-ups and hours,
commendations."""

from django.db import migrations

from portal.roles import VOLUNTEER_COORDINATORS, grant_group

PERMISSIONS = [
    ("volunteers", "volunteerapplication", ["view", "change"]),
    ("volunteers", "team", ["view", "add", "change"]),
    ("volunteers", "teammembership", ["view", "add", "change", "delete"]),
    ("volunteers", "activity", ["view", "add", "change", "delete"]),
    ("volunteers", "signup", ["view", "change"]),
    ("volunteers", "commendation", ["view", "add", "change", "delete"]),
]


def setup(apps, schema_editor):
    grant_group(apps, VOLUNTEER_COORDINATORS, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
