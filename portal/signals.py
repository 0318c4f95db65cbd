"""Empty the anonymous page cache whenever something the public sees changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import purge as purge_now


def purge():
    """Purge once the change is committed, or a visitor served meanwhile would re-cache the old page."""
    transaction.on_commit(purge_now)


# Records shown on public pages besides the pages themselves.
PUBLIC_RECORDS = {
    "home.partner",
    "home.contactsettings",
    "notices.noticecategory",
    "notices.audience",
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.pageviewrestriction",
    "members.member",  # the public member directory
    "experts.expert",  # the expert directory
    "experts.expertbatch",
    "experts.specialty",
    "experts.servicetype",
    "experts.language",
    "volunteers.team",  # drives name their team
    "volunteers.activity",  # campaign pages list activities
    # Sign-ups, cases and sessions change the figures on campaign and programme pages (places left,
    # people served), often and in rushes: those pages are cached briefly instead (cache_briefly),
    # rather than emptying the whole page cache on each.
}


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def purge_on_page_change(sender, **kwargs):
    purge()


# Files that published pages show (attachments, images): a new one is not shown anywhere until a
# page using it is published, but a changed or deleted one is already on public pages.
PUBLIC_FILES = {"home.customdocument", "home.customimage"}


@receiver(post_delete)
def purge_on_delete(sender, instance, **kwargs):
    label = sender._meta.label_lower
    if isinstance(instance, Page) or label in PUBLIC_RECORDS or label in PUBLIC_FILES:
        purge()


# Saved by Wagtail itself when it measures a file: nothing shown changes.
FILE_METADATA = {"file_size", "file_hash"}


@receiver(post_save)
def purge_on_public_record_change(sender, instance, created=False, update_fields=None, **kwargs):
    label = sender._meta.label_lower
    if label in PUBLIC_RECORDS:
        purge()
    elif label in PUBLIC_FILES and not created and not (update_fields and set(update_fields) <= FILE_METADATA):
        purge()
