"""One set of view restrictions for a page and all its translations.

A restriction (sign-in, password or groups) set on a page holds for every translation of it (the
pages with its translation_key) and so for everything below them. Each translation carries its
own copy, kept equal whenever a restriction is made, changed, given groups or removed on any of
them, and when a translation is made (portal/signals.py). Serving (the portal's router and
Wagtail's own view), public(), the listings, search, the sitemap and the admin all read
PageViewRestriction, so they need nothing else; wagtail-localize copies restrictions the same way
when it makes or updates a translation.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from wagtail.models import Page, PageViewRestriction

Signature = tuple[str, str, frozenset[int]]

# Set while restrictions are copied, so the copies' own signals do not start another round.
_sharing: ContextVar[bool] = ContextVar("portal_sharing_restrictions", default=False)


def is_sharing() -> bool:
    return _sharing.get()


@contextmanager
def _copying():
    token = _sharing.set(True)
    try:
        yield
    finally:
        _sharing.reset(token)


def _signature(restriction: PageViewRestriction) -> Signature:
    return restriction.restriction_type, restriction.password, frozenset(g.pk for g in restriction.groups.all())


def _restrictions_on(page_id: int) -> list[PageViewRestriction]:
    return list(PageViewRestriction.objects.filter(page_id=page_id).prefetch_related("groups").order_by("pk"))


def translations_of(page: Page):
    """The other pages of its translation family (aliases included: one may become a translation)."""
    return Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)


def share_restrictions(page: Page, to: Iterable[Page] | None = None) -> None:
    """Give each translation of `page` (or each page of `to`) exactly the view restrictions `page` has."""
    wanted = {_signature(r) for r in _restrictions_on(page.pk)}
    targets = translations_of(page) if to is None else to
    with _copying():
        for target in targets:
            _match(target, wanted)


def share_new_restriction(restriction: PageViewRestriction) -> None:
    """Add a restriction just made on a page to each translation that lacks it.

    Only added, never mirrored: Wagtail copies a page's restrictions to a new translation one at a
    time, and the translation must not pass on the part it has so far as the whole.
    """
    signature = _signature(restriction)
    with _copying():
        for target in translations_of(restriction.page):
            _match(target, {signature}, keep_others=True)


def _match(target: Page, wanted: set[Signature], keep_others: bool = False) -> None:
    missing, spare = set(wanted), []
    for restriction in _restrictions_on(target.pk):
        signature = _signature(restriction)
        if signature in missing:
            missing.remove(signature)
        elif not keep_others:
            spare.append(restriction)  # not wanted, or a duplicate
    # A restriction that changed is edited in place, as Wagtail edits the original.
    for restriction_type, password, groups in missing:
        restriction = spare.pop(0) if spare else PageViewRestriction(page_id=target.pk)
        restriction.restriction_type, restriction.password = restriction_type, password
        restriction.save()
        restriction.groups.set(groups)
    for restriction in spare:
        restriction.delete()
