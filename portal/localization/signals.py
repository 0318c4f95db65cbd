"""A 简体 page published keeps its machine-made 繁體 translation in step."""

from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published

from .services import sync_traditional


@receiver(page_published, dispatch_uid="portal.localization.sync_traditional")
def _sync_traditional(sender, instance, revision=None, **kwargs):
    """Once the publish is committed, so the translation reads what was published; a failure is logged
    and never undoes the editor's publish."""
    user = getattr(revision, "user", None)
    transaction.on_commit(lambda: sync_traditional(instance, user), robust=True)
