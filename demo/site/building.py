"""Reading demo/data and building pages from it: the helpers every part of the demo site uses.

Each helper looks for what it would create first, so running the loader again changes nothing.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.html import escape
from wagtail.models import Locale, Page

from demo import files
from notices.models import ArticlePage
from portal.models import CustomDocument

DATA = Path(__file__).parent.parent / "data"


def load(name: str):
    with (DATA / name).open(encoding="utf-8") as handle:
        return json.load(handle)


def as_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def with_item_ids(value):
    """Block data with every list item in Wagtail's current form, id included: the 繁體 translation finds each
    item by its id, and items stored without one get a new id on every load and are left unconverted."""
    if isinstance(value, dict):
        return {key: with_item_ids(item) for key, item in value.items()}
    if isinstance(value, list):
        return [{"type": "item", "value": with_item_ids(item), "id": str(uuid.uuid4())} for item in value]
    return value


def join_guide_body(blocks: list[dict]) -> str:
    return json.dumps([{"type": b["type"], "value": with_item_ids(b["value"])} for b in blocks], ensure_ascii=False)


def stream(blocks: Iterable) -> str:
    """StreamField JSON from plain paragraphs or {"type": "heading"|"paragraph", "text": ...} blocks."""
    data = []
    for block in blocks:
        if isinstance(block, str):
            block = {"type": "paragraph", "text": block}
        if block["type"] == "heading":
            data.append({"type": "heading", "value": {"text": block["text"], "level": "h2"}})
        else:
            data.append({"type": "paragraph", "value": f"<p>{escape(block['text'])}</p>"})
    return json.dumps(data, ensure_ascii=False)


def dues_item(data, year: int):
    """The dues notice of dues.json for `year`: {year} in its texts replaced."""
    if isinstance(data, str):
        return data.replace("{year}", str(year))
    if isinstance(data, list):
        return [dues_item(value, year) for value in data]
    if isinstance(data, dict):
        return {key: dues_item(value, year) for key, value in data.items()}
    return data


class PageBuilder:
    """What the parts of the demo loader share: the editor who publishes, the three locales and the count
    of what was created."""

    def __init__(self, user, progress: Callable[[str], None] = print):
        self.user = user
        self.progress = progress
        self.zh_hans = Locale.objects.get(language_code="zh-hans")
        self.zh_hant = Locale.objects.get(language_code="zh-hant")
        self.en = Locale.objects.get(language_code="en")
        self.created = 0

    def child(self, parent: Page, slug: str):
        # Not parent.get_children(): treebeard answers that from the in-memory numchild, which is
        # stale for a parent whose children were added through another instance.
        return Page.objects.child_of(parent).filter(slug=slug).specific().first()

    def publish(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        page.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return page

    def add_page(self, parent: Page, page: Page, after_create=None) -> Page:
        existing = self.child(parent, page.slug)
        if existing is not None:
            return existing
        if after_create is None:
            return self.publish(parent, page)
        parent.add_child(instance=page)
        after_create(page)
        page.save_revision(user=self.user, log_action=False).publish(user=self.user, log_action=False)
        self.created += 1
        return page

    def document(self, title: str, filename: str, paragraphs: list[str]) -> CustomDocument:
        existing = CustomDocument.objects.filter(title=title).first()
        if existing:
            return existing
        pdf = files.pdf_document(title, paragraphs, author="大连市心理咨询师协会")
        document = CustomDocument(title=title, file=ContentFile(pdf, name=filename))
        document.save()
        return document

    def translation_of(self, page: Page, locale: Locale):
        return Page.objects.filter(translation_key=page.translation_key, locale=locale).specific().first()

    def article_fields(self, item: dict) -> dict:
        return {
            "title": item["title"],
            "slug": item["slug"],
            "date": as_date(item["date"]),
            "author": item.get("author", ""),
            "source": item.get("source", ""),
            "summary": item.get("summary", ""),
            "body": stream(item["body"]),
        }

    def add_article(self, parent: Page, page: ArticlePage, tags: list[str], after_create=None) -> ArticlePage:
        def prepare(created):
            created.tags.add(*tags)
            if after_create:
                after_create(created)

        return self.add_page(parent, page, after_create=prepare)
