"""Empty the anonymous page cache whenever something the public sees changes (only the page that
shows it, where that is one page), and share view restrictions between translations."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import copy_for_translation_done, page_published, page_unpublished, post_page_move

from . import restrictions
from .cache import purge as purge_now
from .pagecache import purge_paths


def purge(*, chrome: bool = True):
    """Purge once the change is committed, or a visitor served meanwhile would re-cache the old page.
    `chrome=False` keeps what every page draws around its content (portal/cache.py)."""
    transaction.on_commit(partial(purge_now, chrome=chrome))


def reaches_chrome(*depths: int) -> bool:
    """Whether a page at one of these depths is shown around every page's content: a home page (a
    site's root page or a translation of it) or a page right under one (the menu, the legal pages,
    the join guide). An article deeper down is not."""
    # Wagtail keeps the sites' root paths in the cache: a URL path "/home/" is a page at depth 2.
    deepest_home = max((site.root_path.count("/") for site in Site.get_site_root_paths()), default=2)
    return min(depths) <= deepest_home + 1


def purge_page(url_name: str):
    """Purge the page at `url_name` in every language (with any query string), once committed."""
    paths = []
    for language_code, _name in settings.LANGUAGES:
        with translation.override(language_code):
            paths.append(reverse(url_name))
    transaction.on_commit(lambda: purge_paths(paths))


# Records shown on public pages besides the pages themselves: a change to one empties the page cache,
# as a published page does. Apps add theirs from AppConfig.ready() with show_publicly().
PUBLIC_RECORDS = {
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.pageviewrestriction",
}


def show_publicly(*labels: str) -> None:
    """Declare records ("app.model") that public pages show: saving or deleting one purges the page cache.
    Records that change often and in rushes (sign-ups, cases) belong on briefly cached pages instead."""
    PUBLIC_RECORDS.update(label.lower() for label in labels)


@receiver(page_published)
@receiver(page_unpublished)
def purge_on_page_change(sender, instance, **kwargs):
    purge(chrome=reaches_chrome(instance.depth))


@receiver(post_page_move)
def purge_on_page_move(sender, instance, parent_page_before, parent_page_after, **kwargs):
    purge(chrome=reaches_chrome(parent_page_before.depth + 1, parent_page_after.depth + 1))


# Files that published pages show (attachments, images): a new one is not shown anywhere until a
# page using it is published, but a changed or deleted one is already on public pages.
PUBLIC_FILES = {"portal.customdocument", "portal.customimage"}


@receiver(post_delete)
def purge_on_delete(sender, instance, **kwargs):
    label = sender._meta.label_lower
    if isinstance(instance, Page):
        purge(chrome=reaches_chrome(instance.depth))
    elif label in PUBLIC_RECORDS or label in PUBLIC_FILES:
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


# View restrictions: one set for a page and its translations (portal/restrictions.py) ---------------


@receiver(post_save, sender=PageViewRestriction)
def share_saved_restriction(sender, instance, created=False, raw=False, **kwargs):
    if raw or restrictions.is_sharing():
        return
    if not created:
        restrictions.share_restrictions(instance.page)
    elif instance.restriction_type != PageViewRestriction.GROUPS:
        restrictions.share_new_restriction(instance)
    # A new groups restriction has no groups yet: it is shared when they are added (below).


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def share_restriction_groups(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or restrictions.is_sharing():
        return
    # Taking a group off every restriction at once (reverse clear) leaves translations alike.
    changed = PageViewRestriction.objects.filter(pk__in=pk_set or ()) if reverse else [instance]
    for restriction in changed:
        restrictions.share_restrictions(restriction.page)


@receiver(post_delete, sender=PageViewRestriction)
def share_removed_restriction(sender, instance, origin=None, **kwargs):
    """A restriction removed on its own is removed from the translations; one deleted with its page
    (the page, or a tree above it, deleted) is not: the translations stay restricted."""
    removed_alone = isinstance(origin, PageViewRestriction) or (
        isinstance(origin, QuerySet) and origin.model is PageViewRestriction
    )
    if not removed_alone or restrictions.is_sharing():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        restrictions.share_restrictions(page)


@receiver(copy_for_translation_done)
def share_restrictions_with_new_translation(sender, source_obj, target_obj, **kwargs):
    """Wagtail copies a page's restrictions to its new translation only when the parent has none."""
    if isinstance(source_obj, Page) and isinstance(target_obj, Page):
        restrictions.share_restrictions(source_obj, to=[target_obj])
