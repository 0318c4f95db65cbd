"""The public member directory shows the members listed in it (and their e-mail address if they
chose): a change to anyone else shows nowhere, and a change to them empties only that page."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from portal.signals import purge_page

from .models import Member, User

DIRECTORY = "member_directory"
# Saved on every sign-in or password change: not shown in the directory.
ACCOUNT_BOOKKEEPING = {"last_login", "password"}


@receiver(pre_save, sender=Member)
def note_whether_member_was_listed(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk and not instance.directory_listed:
        instance._was_listed = sender._default_manager.filter(pk=instance.pk, directory_listed=True).exists()


@receiver(post_save, sender=Member)
def purge_directory_on_member_change(sender, instance, raw=False, **kwargs):
    if not raw and (instance.directory_listed or getattr(instance, "_was_listed", False)):
        purge_page(DIRECTORY)


@receiver(post_save, sender=User)
def purge_directory_on_account_change(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields and set(update_fields) <= ACCOUNT_BOOKKEEPING):
        return
    member = getattr(instance, "member", None)
    if member is not None and member.directory_listed and member.directory_show_email:
        purge_page(DIRECTORY)


@receiver(post_delete, sender=Member)
def purge_directory_on_member_removal(sender, instance, **kwargs):
    if instance.directory_listed:
        purge_page(DIRECTORY)
