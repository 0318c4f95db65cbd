"""Serving files kept outside the public media folder, after the caller has checked who asks."""

from django.http import FileResponse


def keep_private(response):
    """For one person's eyes: never cached on the way, never sniffed into another type."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def private_file(field) -> FileResponse:
    """A stored file, served as it is."""
    return keep_private(FileResponse(field.open("rb"), as_attachment=False))
