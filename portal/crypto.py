"""Keyrings for secrets kept in the database: Fernet keys read from a setting, newest first.

The first key encrypts and every key decrypts, so a key is rotated by putting a new one first.
Development and tests derive a key from SECRET_KEY when the setting is empty; production settings
refuse to start without real keys, and `check_keys` fails `manage.py check` on a mistyped one.
"""

from __future__ import annotations

import base64
import functools
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.checks import Error


@functools.cache
def _keyring(keys: tuple[str, ...], secret: str, purpose: str) -> MultiFernet:
    if not keys:
        derived = hashlib.sha256(f"{purpose}:{secret}".encode()).digest()
        keys = (base64.urlsafe_b64encode(derived).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def keyring(setting: str, purpose: str) -> MultiFernet:
    """The keys named by `setting`; `purpose` keeps development keys of different uses apart."""
    return _keyring(tuple(getattr(settings, setting)), settings.SECRET_KEY, purpose)


def check_keys(setting: str, check_id: str) -> list[Error]:
    """A system-check error for every key in `setting` that is not a Fernet key."""
    errors = []
    for position, key in enumerate(getattr(settings, setting), 1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError):
            errors.append(
                Error(
                    f"{setting}: key {position} is not a Fernet key (32 url-safe base64-encoded bytes).",
                    hint='Generate one with: python -c "from cryptography.fernet import Fernet; '
                    'print(Fernet.generate_key().decode())"',
                    id=check_id,
                )
            )
    return errors
