"""The expert reviewers' and chairs' groups, and the vocabulary an association starts with (editable)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from portal.roles import EXPERT_CHAIRS, EXPERT_REVIEWERS

REVIEWER_PERMISSIONS = [
    ("experts", "expertapplication", ["view", "review"]),
    ("experts", "expertreview", ["view"]),
    ("experts", "expertbatch", ["view"]),
    ("experts", "batchobjection", ["view", "change"]),
    ("experts", "profilechange", ["view", "decide"]),
    ("experts", "expert", ["view"]),
    ("experts", "specialty", ["view"]),
    ("experts", "servicetype", ["view"]),
    ("experts", "language", ["view"]),
]
CHAIR_PERMISSIONS = [
    *REVIEWER_PERMISSIONS,
    ("experts", "expertapplication", ["decide"]),
    ("experts", "expertbatch", ["add", "change", "publish"]),
    ("experts", "expert", ["change"]),
    ("experts", "specialty", ["add", "change"]),
    ("experts", "servicetype", ["add", "change"]),
    ("experts", "language", ["add", "change"]),
    ("vetting", "calendaradjustment", ["view", "add", "change", "delete"]),
]
SPECIALTIES = [
    ("youth", "青少年心理", "Children and adolescents"),
    ("family", "婚姻家庭", "Marriage and family"),
    ("crisis", "危机干预", "Crisis intervention"),
    ("elderly", "老年心理", "Older adults"),
    ("grief", "哀伤辅导", "Grief counselling"),
    ("workplace", "职场心理", "Workplace mental health"),
    ("assessment", "心理测评", "Psychological assessment"),
    ("community", "社区心理服务", "Community psychological services"),
    ("education", "家庭教育", "Parenting and family education"),
    ("trauma", "创伤与应激", "Trauma and stress"),
]
SERVICES = [
    ("lectures", "讲座授课", "Lectures and training"),
    ("crisis", "危机干预", "Crisis intervention"),
    ("supervision", "督导", "Supervision"),
    ("media", "媒体访谈", "Media interviews"),
    ("community", "社区服务", "Community service"),
    ("counselling", "个体咨询", "Individual counselling"),
]
LANGUAGES = [
    ("mandarin", "普通话", "Mandarin"),
    ("english", "英语", "English"),
    ("japanese", "日语", "Japanese"),
    ("korean", "韩语", "Korean"),
    ("sign", "手语", "Sign language"),
]


def grant(Group, Permission, name, permissions):
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, model, actions in permissions:
        for action in actions:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            )


def setup(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    grant(Group, Permission, EXPERT_REVIEWERS, REVIEWER_PERMISSIONS)
    grant(Group, Permission, EXPERT_CHAIRS, CHAIR_PERMISSIONS)
    from portal.localization.conversion import to_traditional

    for model_name, terms in (("Specialty", SPECIALTIES), ("ServiceType", SERVICES), ("Language", LANGUAGES)):
        model = apps.get_model("experts", model_name)
        for order, (slug, name, english) in enumerate(terms, 1):
            model.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "name_zh_hant": to_traditional(name), "name_en": english, "sort_order": order},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("experts", "0001_initial"),
        ("vetting", "0002_reviews_notices_calendar"),
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
