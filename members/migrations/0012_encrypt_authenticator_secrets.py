"""Authenticator secrets stored before they were encrypted (portal.twofactor.MFAAdapter) are sealed now."""

from django.db import migrations

from portal.crypto import keyring


def _sealed(value: str) -> bool:
    try:
        keyring("MFA_ENCRYPTION_KEYS", "mfa").decrypt(value.encode())
    except Exception:  # noqa: BLE001 - anything that is not one of our tokens is a plain secret
        return False
    return True


def seal_secrets(apps, schema_editor):
    Authenticator = apps.get_model("mfa", "Authenticator")
    fernet = keyring("MFA_ENCRYPTION_KEYS", "mfa")
    for authenticator in Authenticator.objects.filter(type__in=("totp", "recovery_codes")):
        data = dict(authenticator.data)
        for name in ("secret", "seed"):
            if isinstance(data.get(name), str) and not _sealed(data[name]):
                data[name] = fernet.encrypt(data[name].encode()).decode()
        if isinstance(data.get("migrated_codes"), list):
            data["migrated_codes"] = [
                code if _sealed(code) else fernet.encrypt(code.encode()).decode() for code in data["migrated_codes"]
            ]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_shortlisted_status"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_secrets, migrations.RunPython.noop)]
