import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import aid.crypto


class Migration(migrations.Migration):
    """The columns of the sealed account link, next to the foreign key they replace (0005 fills them,
    0006 removes the key); the access log may record a read without an account (the beneficiary's own)."""

    dependencies = [
        ("aid", "0003_case_closed_by"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="registrant_token",
            field=aid.crypto.SealedAccountField(blank=True, default="", verbose_name="登记账户"),
        ),
        migrations.AddField(
            model_name="case",
            name="registrant_key",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=64, null=True, verbose_name="登记账户散列"
            ),
        ),
        migrations.AlterField(
            model_name="caseaccess",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="查看人",
            ),
        ),
    ]
