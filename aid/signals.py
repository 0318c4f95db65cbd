"""Aid coordinators look after the aid section's pages (the programmes); an account deleted leaves the
cases it registered unlinked (their link is sealed, so no foreign key does it)."""

from django.conf import settings
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from portal.roles import AID_COORDINATORS, grant_section

from .models import AidIndexPage, Case


@receiver(post_save, sender=AidIndexPage)
def let_coordinators_edit_the_section(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        grant_section(instance, AID_COORDINATORS)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def unlink_the_cases_of_a_deleted_account(sender, instance, **kwargs):
    Case.objects.registered_by(instance).update(registrant_token="", registrant_key=None)
