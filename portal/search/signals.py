"""A changed synonym changes search results: the cached results and pages are rebuilt."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.cache import purge

from .models import SearchSynonym


@receiver(post_save, sender=SearchSynonym)
@receiver(post_delete, sender=SearchSynonym)
def purge_on_synonym_change(sender, **kwargs) -> None:
    transaction.on_commit(purge)
