"""A view restriction on a page holds for every translation of it (portal/restrictions.py keeps them
equal from now on): give each translation the restrictions that any page of its family has."""

from django.db import migrations


def _signature(restriction) -> tuple:
    return restriction.restriction_type, restriction.password, frozenset(g.pk for g in restriction.groups.all())


def share_with_translations(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")
    families: dict = {}
    for restriction in PageViewRestriction.objects.select_related("page").prefetch_related("groups"):
        families.setdefault(restriction.page.translation_key, set()).add(_signature(restriction))
    for translation_key, signatures in families.items():
        for page in Page.objects.filter(translation_key=translation_key):
            have = {_signature(r) for r in PageViewRestriction.objects.filter(page=page).prefetch_related("groups")}
            for restriction_type, password, groups in signatures - have:
                copy = PageViewRestriction.objects.create(
                    page=page, restriction_type=restriction_type, password=password
                )
                copy.groups.set(groups)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_locales_site_groups_workflow"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(share_with_translations, migrations.RunPython.noop)]
