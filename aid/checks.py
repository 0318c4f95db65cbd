"""A deployment with a mistyped encryption key would fail at the first registration: say so at startup."""

from django.core.checks import register

from portal.crypto import check_keys


@register()
def check_encryption_keys(app_configs, **kwargs):
    return check_keys("AID_ENCRYPTION_KEYS", "aid.E001")
