"""Headers every response carries: a Content-Security-Policy, a Permissions-Policy, and no caching on
the way of anything shown to one signed-in person.

The public site runs no inline script or style (and no script of its own at all), so its policy
allows scripts and styles from the site only. The Wagtail admin still relies on inline scripts and
styles in places, so it gets a policy of its own that allows those and nothing else beyond the
site's origin. A response that sets its own policy (private files are sandboxed) keeps it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _admin_origin() -> str:
    """Wagtail's userbar loads its script and style from WAGTAILADMIN_BASE_URL, which may name the
    site by another host than the visitor used."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def _directives(*, admin: bool) -> dict[str, str]:
    origin = _admin_origin()
    inline = " 'unsafe-inline'" if admin else ""
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' {origin}{inline}",
        "style-src": f"'self' {origin}{inline}",
        "img-src": "'self' data: blob: https:" if admin else "'self' data: https:",
        "font-src": "'self' data:",
        "media-src": "'self' https:",
        # Videos embedded in pages (wagtail.embeds) come from their providers.
        "frame-src": "'self' https:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'self'",
    }
    if not admin:
        # Style attributes only (embedded videos keep their proportions with one); they run nothing.
        directives["style-src-attr"] = "'unsafe-inline'"
    return directives


def site_policy() -> str:
    return _policy(_directives(admin=False))


def admin_policy() -> str:
    return _policy(_directives(admin=True))


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)

ADMIN_PREFIX = "/admin/"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.site_policy = site_policy()
        self.admin_policy = admin_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            admin = request.path_info.startswith(ADMIN_PREFIX)
            response["Content-Security-Policy"] = self.admin_policy if admin else self.site_policy
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # What a signed-in person sees is theirs: no proxy or browser cache keeps it.
            response["Cache-Control"] = "private, no-store"
        return response
