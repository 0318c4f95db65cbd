"""Numbered series now live in the kernel (`portal`, whose migrations keep the table and its rows);
here the model leaves `members`' records without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0017_account_closure_wording"),
        ("portal", "0001_shared_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="NumberSequence")]),
    ]
