"""Serving stored files after the caller has checked who asks: as data, never as pages.

The type sent is read from the file's first bytes (PDF, PNG or JPEG), never guessed from its name:
files kept before uploads were verified still carry the names their uploaders gave them. Only those
three types are shown in the browser; anything else is downloaded as application/octet-stream under
a neutral name. Every response forbids sniffing and sandboxes whatever the browser makes of it.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
UNKNOWN = "application/octet-stream"
SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", UNKNOWN: "bin"}
# No script, no plugin, no form, no same origin; inline styles for the browser's own image and PDF viewers.
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def detected_type(head: bytes) -> str | None:
    """PDF, PNG or JPEG by the file's signature (its first bytes), or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def as_data(response):
    """Whatever the response holds is never sniffed into another type, nor run as a page."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response


def keep_private(response):
    """For one person's eyes: never cached on the way, never sniffed, never run as a page."""
    response["Cache-Control"] = "private, no-store"
    return as_data(response)


def _disposition(content_type: str | None, name: str, *, download: bool) -> tuple[str, str]:
    """(Content-Type, Content-Disposition) for a file of `content_type` (None: unknown) named `name`."""
    kind = content_type or UNKNOWN
    filename = f"{name}.{EXTENSIONS[kind]}"
    header = content_disposition_header(download or kind == UNKNOWN, filename)
    return kind, header or "inline"  # None only for a file without a name, and ours always has one


def stored_file(field, *, name: str = "file", download: bool = False) -> FileResponse:
    """A stored file with its type read from its bytes; `name` (without extension) is what a
    browser saves it as."""
    handle = field.open("rb")
    head = handle.read(16)
    handle.seek(0)
    content_type, disposition = _disposition(detected_type(head), name, download=download)
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    return as_data(response)


def private_file(field, *, name: str = "file", download: bool = False) -> FileResponse:
    """A stored file for the person the caller let through: see stored_file()."""
    return keep_private(stored_file(field, name=name, download=download))


def private_bytes(data: bytes, *, name: str = "file", download: bool = False) -> HttpResponse:
    """Bytes held in memory (a file decrypted for its reader), served as private_file() serves a file."""
    content_type, disposition = _disposition(detected_type(data[:16]), name, download=download)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = disposition
    return keep_private(response)
