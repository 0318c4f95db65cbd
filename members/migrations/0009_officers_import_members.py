from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.roles import MEMBERSHIP_OFFICERS


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    officers = Group.objects.get(name=MEMBERSHIP_OFFICERS)
    officers.permissions.add(Permission.objects.get(content_type__app_label="members", codename="import_member"))


class Migration(migrations.Migration):
    dependencies = [("members", "0008_member_import_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
