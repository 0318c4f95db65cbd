"""Volunteer coordinators look after the volunteer section's pages (drives and campaign batches)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.roles import VOLUNTEER_COORDINATORS, grant_section

from .models import VolunteerIndexPage


@receiver(post_save, sender=VolunteerIndexPage)
def let_coordinators_edit_the_section(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_section(instance, VOLUNTEER_COORDINATORS)
