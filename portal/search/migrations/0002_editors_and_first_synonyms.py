"""Editors and moderators keep the synonym list; it starts with words readers of the association use."""

from django.db import migrations

from portal.roles import EDITORS, MODERATORS, grant_group

PERMISSIONS = [("portal_search", "searchsynonym", ["view", "add", "change", "delete"])]

FIRST_SYNONYMS = [
    "会费 年费 会员费",
    "交纳 缴纳",
    "公众号 公众帐号 公众账号",
    "志愿者 义工",
    "家暴 家庭暴力",
]


def setup(apps, schema_editor):
    for group in (EDITORS, MODERATORS):
        grant_group(apps, group, PERMISSIONS)
    SearchSynonym = apps.get_model("portal_search", "SearchSynonym")
    for words in FIRST_SYNONYMS:
        SearchSynonym.objects.get_or_create(words=words)


class Migration(migrations.Migration):
    dependencies = [
        ("portal_search", "0001_search_synonyms"),
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
