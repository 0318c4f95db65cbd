"""Model fields every app writes the same way.

Who did something and when — decided, resolved, recorded, closed, published … — is a pair: the
staff account (kept as "someone" if the account is deleted later, no reverse accessor on the user)
and the moment, both empty until it happens:

    decided_by = acted_by(_("处理人"))
    decided_at = acted_at(_("处理时间"))
"""

from django.conf import settings
from django.db import models


def acted_by(verbose_name, *, blank: bool = True, **options) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
        **options,
    )


def acted_at(verbose_name, **options) -> models.DateTimeField:
    return models.DateTimeField(verbose_name, null=True, blank=True, **options)
