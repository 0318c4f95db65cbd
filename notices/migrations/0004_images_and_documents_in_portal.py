"""The image and document models now live in the kernel (`portal`); the foreign keys point to the
same tables as before, so nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0003_notice_pin_end_date"),
        ("portal", "0001_shared_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="articleattachment",
                    name="document",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="portal.customdocument",
                        verbose_name="文件",
                    ),
                ),
                migrations.AlterField(
                    model_name="articlepage",
                    name="listing_image",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="portal.customimage",
                        verbose_name="列表图片",
                    ),
                ),
            ],
        ),
    ]
