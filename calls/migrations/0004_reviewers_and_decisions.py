"""Call reviewers score submissions to reviewed calls; call officers also decide (as the chair)."""

from django.db import migrations

from portal.roles import CALL_OFFICERS, CALL_REVIEWERS, grant_group


def setup(apps, schema_editor):
    grant_group(apps, CALL_REVIEWERS, [("calls", "callsubmission", ["view", "review"])])
    grant_group(apps, CALL_OFFICERS, [("calls", "callsubmission", ["decide"])])


class Migration(migrations.Migration):
    dependencies = [("calls", "0003_reviews"), ("calls", "0002_call_officers")]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
