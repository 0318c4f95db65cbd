"""The call officers' group: they see every call's submissions and the organisations' contacts."""

from django.db import migrations

from portal.roles import CALL_OFFICERS, grant_group

PERMISSIONS = [
    ("calls", "callsubmission", ["view"]),
    ("members", "organisationcontact", ["view"]),
]


def setup(apps, schema_editor):
    grant_group(apps, CALL_OFFICERS, PERMISSIONS)


class Migration(migrations.Migration):
    # After the shared models' content types are relabelled (portal 0002): creating the group's
    # permissions makes the content types of every model the migration state knows.
    dependencies = [
        ("calls", "0001_initial"),
        ("portal", "0002_tables_and_content_types_of_portal"),
        ("members", "0019_organisation_contacts"),
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
