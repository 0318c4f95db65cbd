"""The image and document models and the contact settings now live in the kernel (`portal`, whose
migrations keep their tables and rows); here they leave `home`'s records without touching the
database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0007_counselling_centre_and_contact_pages"),
        ("notices", "0004_images_and_documents_in_portal"),
        ("portal", "0001_shared_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="partner",
                    name="logo",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="portal.customimage",
                        verbose_name="标志",
                    ),
                ),
                migrations.DeleteModel(name="ContactSettings"),
                migrations.DeleteModel(name="Rendition"),
                migrations.DeleteModel(name="CustomImage"),
                migrations.DeleteModel(name="CustomDocument"),
            ],
        ),
    ]
