from django.conf import settings
from django.db import migrations

from aid import crypto

BENEFICIARY = "beneficiary"


def seal_links(apps, schema_editor):
    """Each case's registrant sealed with its keyed hash; the beneficiaries' own reads unlinked from
    their accounts in the access log."""
    Case = apps.get_model("aid", "Case")
    CaseAccess = apps.get_model("aid", "CaseAccess")
    for case in Case.objects.filter(registrant__isnull=False).only("pk", "registrant_id").iterator():
        Case.objects.filter(pk=case.pk).update(
            registrant_token=crypto.Sealed(crypto.seal(str(case.registrant_id))),
            registrant_key=crypto.account_key(case.registrant_id),
        )
    CaseAccess.objects.filter(role=BENEFICIARY).update(user=None)


def unseal_links(apps, schema_editor):
    """Back to the foreign key (the access log keeps its reads without an account)."""
    Case = apps.get_model("aid", "Case")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    for case in Case.objects.exclude(registrant_token="").only("pk", "registrant_token").iterator():
        account_id = int(crypto.plain(case.registrant_token))
        if User.objects.filter(pk=account_id).exists():
            Case.objects.filter(pk=case.pk).update(registrant_id=account_id)


class Migration(migrations.Migration):
    dependencies = [("aid", "0004_case_sealed_registrant")]

    operations = [migrations.RunPython(seal_links, unseal_links)]
