"""The demo site, read whole: every 繁體 page is in 繁體, and every English listing shows as many items as
the Chinese one (in English where translated, otherwise in Chinese marked as such).

Loading the demo takes a few minutes, so both readings share one load.
"""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from portal.localization.conversion import to_traditional

TRADITIONAL_PREFIX = "/zh-hant/"
# Links not worth following: sign-in round trips, feeds, files, calendar entries, the admin.
SKIPPED = re.compile(r"/accounts/|/admin/|/feed/|/documents/|\.ics$|/share/|/_util/")
ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
LISTINGS = ("/notices/", "/news/", "/policies/", "/science/", "/volunteer/", "/aid/")


class Reader(HTMLParser):
    """The text a reader gets (text, attributes read out, the description), each with its language,
    and the links of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.hidden = 0

    def language(self) -> str:
        return next((lang for _tag, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "meta":
            if attrs.get("name") == "description" or (attrs.get("property") or "").startswith("og:"):
                self.texts.append((self.language(), attrs.get("content") or ""))
            return
        lang = attrs.get("lang")
        for name in ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((lang or self.language(), attrs[name]))
        if tag in ("script", "style"):
            self.hidden += 1
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append((self.language(), data.strip()))


def read(response) -> Reader:
    reader = Reader()
    reader.feed(response.content.decode())
    return reader


def still_simplified(reader: Reader) -> list[str]:
    """Text in 繁體 (the page's language) that OpenCC would still convert."""
    return [text for lang, text in reader.texts if lang.lower() == "zh-hant" and to_traditional(text) != text]


def traditional_pages(client: Client) -> tuple[dict[str, list[str]], list[str], int]:
    """{path: text still in 简体} of every 繁體 page reached from the sitemap and by links, the paths of
    pages the sitemap lists that have no 繁體 page, and how many 繁體 pages were read."""
    sitemap = client.get("/sitemap-pages.xml").content.decode()
    queue, missing = [TRADITIONAL_PREFIX], []
    for url in re.findall(r"<loc>([^<]+)</loc>", sitemap):
        path = urlsplit(url).path
        if path.startswith(TRADITIONAL_PREFIX):
            queue.append(path)
        elif not path.startswith("/en/"):
            queue.append("/zh-hant" + path)
    sitemap_paths = set(queue)
    seen, found, read_pages = set(), {}, 0
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code == 404 and path in sitemap_paths:
            missing.append(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        reader = read(response)
        read_pages += 1
        assert re.search(r'<html lang="zh-hant"', response.content.decode(), re.I), path
        if leftovers := still_simplified(reader):
            found[path] = leftovers
        for link in reader.links:
            link = link.split("#")[0]
            parts = urlsplit(link)
            if parts.netloc or not parts.path.startswith(TRADITIONAL_PREFIX) or SKIPPED.search(parts.path):
                continue
            if parts.query and (len(parts.query.split("&")) > 1 or "next=" in parts.query):
                continue
            queue.append(link)
    return found, missing, read_pages


def listed(client: Client, path: str) -> tuple[int, bool]:
    """How many items the listing at `path` shows over all its pages, and whether it says it has none."""
    count, empty, number = 0, False, 1
    while True:
        response = client.get(path, {"page": number} if number > 1 else {})
        if response.status_code != 200:
            break
        page = response.content.decode()
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        count += main.count('class="card__title"')
        empty = empty or 'class="empty"' in main
        if f"page={number + 1}" not in main:
            break
        number += 1
    return count, empty


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_reads_in_traditional_and_in_english():
    call_command("load_demo_content", "--force", stdout=io.StringIO())
    client = Client()

    leftovers, missing, read_pages = traditional_pages(client)
    english = {path: listed(client, "/en" + path) for path in LISTINGS}
    chinese = {path: listed(client, path) for path in LISTINGS}

    assert read_pages > 100  # every page of the demo: sections, articles, drives, campaigns, experts …
    assert not missing, f"pages with no 繁體 translation: {missing}"
    assert not leftovers, "简体 text on 繁體 pages:\n" + "\n".join(
        f"{path}: {' | '.join(texts[:5])}" for path, texts in sorted(leftovers.items())
    )
    for path in LISTINGS:
        assert chinese[path][0] > 0, path
        assert english[path] == chinese[path], (path, "English", english[path], "Chinese", chinese[path])
