"""Excerpts of result text with the query's words marked."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .segment import highlight_forms

EXCERPT_LENGTH = 120


def _pattern(terms: list[str]) -> re.Pattern | None:
    forms = highlight_forms(terms)
    if not forms:
        return None
    return re.compile("|".join(re.escape(form) for form in forms), re.IGNORECASE)


def excerpt(text: str, terms: list[str], length: int = EXCERPT_LENGTH) -> str:
    """A window of `text` around the first match, so the reader sees why the page was found."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - length // 4) if match else 0
    end = min(len(text), start + length)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight(text: str, terms: list[str]) -> SafeString:
    """HTML-escaped `text` with every spelling of the query's words inside <mark>."""
    pattern = _pattern(terms)
    if not pattern or not text:
        return escape(text or "")
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above.
