"""The aid coordinators' group: cases (with their confidential data, every read logged),
counsellors, assignments, risk flags and the access log (read only)."""

from django.db import migrations

from portal.roles import AID_COORDINATORS, grant_group

PERMISSIONS = [
    ("aid", "case", ["view", "change", "read"]),
    ("aid", "counsellor", ["view", "add", "change"]),
    ("aid", "assignment", ["view", "add", "change"]),
    ("aid", "conflict", ["view", "add", "delete"]),
    ("aid", "riskflag", ["view", "change"]),
    ("aid", "changerequest", ["view", "change"]),
    ("aid", "caseaccess", ["view"]),
]


def setup(apps, schema_editor):
    grant_group(apps, AID_COORDINATORS, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0001_initial"),
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
