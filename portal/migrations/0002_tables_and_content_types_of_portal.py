"""The moved models' tables take the kernel's names, and their content types move with them (same
ids), so image tags, the reference index, the search index, permissions and the history that point
to an image, a document or the contact settings still find them."""

from django.db import migrations

MOVED = {
    "home": ("customimage", "rendition", "customdocument", "contactsettings"),
    "members": ("numbersequence",),
}


def relabel(apps, *, to_portal: bool):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, names in MOVED.items():
        old, new = (app_label, "portal") if to_portal else ("portal", app_label)
        for name in names:
            if not ContentType.objects.filter(app_label=new, model=name).exists():
                ContentType.objects.filter(app_label=old, model=name).update(app_label=new)


def forwards(apps, schema_editor):
    relabel(apps, to_portal=True)


def backwards(apps, schema_editor):
    relabel(apps, to_portal=False)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0008_shared_models_in_portal"),
        ("members", "0018_number_sequences_in_portal"),
        ("notices", "0004_images_and_documents_in_portal"),
        ("portal", "0001_shared_models"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterModelTable(name="customimage", table=None),
        migrations.AlterModelTable(name="rendition", table=None),
        migrations.AlterModelTable(name="customdocument", table=None),
        migrations.AlterModelTable(name="contactsettings", table=None),
        migrations.AlterModelTable(name="numbersequence", table=None),
    ]
