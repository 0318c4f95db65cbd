"""Aid coordinators look after the aid section's pages (the programmes)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.roles import AID_COORDINATORS, grant_section

from .models import AidIndexPage


@receiver(post_save, sender=AidIndexPage)
def let_coordinators_edit_the_section(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_section(instance, AID_COORDINATORS)
