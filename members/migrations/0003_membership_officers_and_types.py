"""The Membership officers group and the membership types an association starts with (editable)."""

from decimal import Decimal

from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.roles import MEMBERSHIP_OFFICERS

OFFICER_PERMISSIONS = [
    ("members", "membershipapplication", ["view", "decide"]),
    ("members", "member", ["view", "change"]),
    ("members", "membershiptype", ["view", "add", "change"]),
    ("members", "duesperiod", ["view", "add", "change"]),
    ("members", "invoice", ["view"]),
    ("members", "payment", ["view", "add", "confirm"]),
]
TYPES = [
    ("个人会员", "individual", Decimal("200.00"), 1),
    ("团体会员", "institutional", Decimal("2000.00"), 2),
    ("分支机构", "branch", Decimal("1000.00"), 3),
]


def setup(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    officers, _ = Group.objects.get_or_create(name=MEMBERSHIP_OFFICERS)
    officers.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, model, actions in OFFICER_PERMISSIONS:
        for action in actions:
            officers.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )
    MembershipType = apps.get_model("members", "MembershipType")
    for name, kind, fee, order in TYPES:
        MembershipType.objects.get_or_create(name=name, defaults={"kind": kind, "annual_fee": fee, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_membership_and_dues"),
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
