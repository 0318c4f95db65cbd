"""Encryption at rest of beneficiaries' personal data and session notes.

Values are sealed with Fernet (AES-128-CBC with HMAC-SHA256) under the keys in AID_ENCRYPTION_KEYS:
the first encrypts, all decrypt, so a key can be rotated by putting a new one first and running
`manage.py aid_rotate_key`. A sealed model field gives back a `Sealed` value that prints as a
placeholder: the plaintext is reached only through `aid.access`, which checks who is asking and
records the read. A template, an admin list or a log line can therefore never show it by accident.

A case's link to its registrant's account is sealed too (`SealedAccountField`), with a keyed hash of
the account id beside it (`account_key`) so that a person's own cases can be found without a column
that an SQL join could follow from a case to the accounts table.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _keyring(keys: tuple[str, ...], secret: str) -> tuple[str, ...]:
    if keys:
        return keys
    # Development and tests only (production settings refuse to start without keys).
    derived = hashlib.sha256(f"aid-encryption:{secret}".encode()).digest()
    return (base64.urlsafe_b64encode(derived).decode(),)


@functools.cache
def _fernet_for(keys: tuple[str, ...], secret: str) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in _keyring(keys, secret)])


@functools.cache
def _link_keys_for(keys: tuple[str, ...], secret: str) -> tuple[bytes, ...]:
    # A key of its own for the hashes, derived from each encryption key: never the Fernet key itself.
    return tuple(
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"aid-account-link").derive(
            base64.urlsafe_b64decode(key.encode())
        )
        for key in _keyring(keys, secret)
    )


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.AID_ENCRYPTION_KEYS), settings.SECRET_KEY)


def account_keys(account_id: int) -> list[str]:
    """The keyed hashes (HMAC-SHA256) of an account id under every key, the current one first: a lookup
    matches a link made before a rotation, and without the keys no hash leads back to an account."""
    keys = _link_keys_for(tuple(settings.AID_ENCRYPTION_KEYS), settings.SECRET_KEY)
    return [hmac.new(key, str(account_id).encode(), hashlib.sha256).hexdigest() for key in keys]


def account_key(account_id: int) -> str:
    """The keyed hash of an account id that a new link stores."""
    return account_keys(account_id)[0]


def seal(text: str) -> str:
    return fernet().encrypt(text.encode()).decode() if text else ""


def unseal(token: str) -> str:
    return fernet().decrypt(token.encode()).decode() if token else ""


def seal_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def unseal_bytes(data: bytes) -> bytes:
    return fernet().decrypt(data)


def rotate(token: str) -> str:
    """The same value sealed under the current first key."""
    return fernet().rotate(token.encode()).decode() if token else ""


__all__ = [
    "InvalidToken",
    "Sealed",
    "SealedAccountField",
    "SealedField",
    "account_key",
    "account_keys",
    "plain",
    "rotate",
    "seal",
    "seal_bytes",
    "unseal",
    "unseal_bytes",
]


class Sealed:
    """An encrypted value as loaded from the database. It prints as a placeholder; `_reveal()` (out
    of templates' reach, which refuse names starting with an underscore) decrypts it."""

    __slots__ = ("token",)

    def __init__(self, token: str):
        self.token = token

    def __str__(self) -> str:
        return str(_("〔保密〕")) if self.token else ""

    def __repr__(self) -> str:
        return "<Sealed>"

    def __bool__(self) -> bool:
        return bool(self.token)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sealed) and other.token == self.token

    def __hash__(self) -> int:
        return hash(self.token)

    def _reveal(self) -> str:
        return unseal(self.token)


class SealedField(models.TextField):
    """A text column holding only ciphertext. Assign plain text; read back a `Sealed`."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None or isinstance(value, Sealed):
            return None if value is None else value.token
        return seal(str(value))

    def value_to_string(self, obj):
        # Serialisation (dumpdata, fixtures) carries the ciphertext, never the plaintext.
        value = self.value_from_object(obj)
        return value.token if isinstance(value, Sealed) else seal(str(value or ""))

    def formfield(self, **kwargs):
        # Sealed fields are filled through the aid forms, which handle plain text themselves.
        return None


class SealedAccountField(SealedField):
    """The sealed id of an account, kept next to its keyed hash. `aid_rotate_key` re-seals the two
    together (the hash must be made anew under the new key), apart from the other sealed values."""


def plain(value) -> str:
    """The plaintext of a sealed field's value, whether loaded (`Sealed`) or just assigned (text)."""
    if value is None:
        return ""
    return value._reveal() if isinstance(value, Sealed) else str(value)
