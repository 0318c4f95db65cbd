"""A deployment with a mistyped encryption key would fail at the first registration: say so at startup."""

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, register


@register()
def check_encryption_keys(app_configs, **kwargs):
    errors = []
    for position, key in enumerate(settings.AID_ENCRYPTION_KEYS, 1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"AID_ENCRYPTION_KEYS: key {position} is not a Fernet key (32 url-safe base64-encoded bytes).",
                    hint='Generate one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"',
                    id="aid.E001",
                )
            )
    return errors
