"""Notices the portal writes itself when a decision is announced: an expert batch's 公示 and its
final list, a call's 公示 of selected entries and its results. Each is an ordinary NoticePage in the
default language's notice centre, published under the name of the person whose action announced
it, and found again by its slug, so announcing twice publishes one notice."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.models import Locale

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL, as django-stubs resolves it: the notices name no members app.
    from django.contrib.auth.models import _User as User

    from .models import NoticeCategory, NoticePage


def notice_index():
    """The default language's notice centre, where announcements are published."""
    from .models import NoticeIndexPage

    index_page = NoticeIndexPage.objects.filter(locale=Locale.get_default()).order_by("path").first()
    if index_page is None:
        raise ValidationError(_("网站还没有通知公告栏目，无法发布通告。"))
    return index_page


def category(slug: str) -> NoticeCategory | None:
    from .models import NoticeCategory

    return NoticeCategory.objects.filter(slug=slug, locale=Locale.get_default()).first()


def paragraphs(*texts: str) -> list[dict]:
    """Body blocks, one paragraph of plain text each."""
    return [{"type": "paragraph", "value": f"<p>{escape(text)}</p>"} for text in texts]


def table(rows: list[list[str]]) -> dict:
    """A body block: a table whose first row is its header."""
    return {"type": "table", "value": {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False}}


def publish(
    *,
    slug: str,
    title: str,
    summary: str,
    body: list[dict],
    on: datetime.date,
    by: User,
    category: NoticeCategory | None = None,
) -> NoticePage:
    """Publish a notice in the notice centre (or return the one already there under `slug`)."""
    from .models import NoticePage

    parent = notice_index()
    existing = NoticePage.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    page = NoticePage(
        title=title,
        slug=slug,
        date=on,
        author=_("协会秘书处"),
        source=_("大连市心理咨询师协会"),
        summary=summary,
        body=json.dumps(body, ensure_ascii=False),
        category=category,
    )
    parent.add_child(instance=page)
    # The announcement is part of the action that made it, which its author is allowed to take; it
    # is logged under their name like any other publication.
    page.save_revision(user=by, log_action=True).publish(user=by, skip_permission_checks=True)
    return page
