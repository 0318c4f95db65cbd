"""Serving files kept outside the public media folder, after the caller has checked who asks."""

from django.http import FileResponse


def private_file(field) -> FileResponse:
    """A stored file for one person's eyes: never cached on the way, never sniffed into another type."""
    response = FileResponse(field.open("rb"), as_attachment=False)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
