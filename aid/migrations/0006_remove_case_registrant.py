from django.db import migrations, models


class Migration(migrations.Migration):
    """No foreign key from a case to its registrant's account: one open case per person and programme
    is kept on the keyed hash instead."""

    dependencies = [("aid", "0005_seal_registrant_links")]

    operations = [
        migrations.RemoveConstraint(model_name="case", name="one_open_case_per_programme"),
        migrations.RemoveField(model_name="case", name="registrant"),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "closed"), _negated=True),
                fields=("programme", "registrant_key"),
                name="one_open_case_per_programme",
            ),
        ),
    ]
