"""What the home app does beyond showing pages: consultation requests to the counselling centre."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from wagtail.models import Site

from portal.mail import send_after_commit
from portal.models import ContactSettings

from .models import ConsultationRequest, CounsellingCentrePage

REQUESTS_PER_HOUR = 5  # from one address; CONSULTATION_REQUESTS_PER_HOUR in the settings overrides it


def over_limit(client: str) -> bool:
    """Whether this address has sent its share of consultation requests for the hour (counted in the shared cache)."""
    key = f"home:consultations:{client}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600)
        count = 1
    return count > getattr(settings, "CONSULTATION_REQUESTS_PER_HOUR", REQUESTS_PER_HOUR)


def request_consultation(
    centre: CounsellingCentrePage,
    *,
    token: str,
    name: str,
    contact: str,
    preferred_time: str,
    message: str,
    language: str,
    site: Site | None = None,
) -> tuple[ConsultationRequest, bool]:
    """Keep the request and tell the secretariat once it is saved; the same form sent twice keeps one request."""
    existing = ConsultationRequest.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            consultation = ConsultationRequest.objects.create(
                centre=centre,
                token=token,
                name=name,
                contact=contact,
                preferred_time=preferred_time,
                message=message,
                language=language,
            )
            site = site or centre.get_site() or Site.objects.get(is_default_site=True)
            secretariat = ContactSettings.for_site(site).email
            send_after_commit("home/email/consultation", [secretariat], {"consultation": consultation})
    except IntegrityError:  # the same form, sent at the same moment by a second click
        return ConsultationRequest.objects.get(token=token), False
    return consultation, True
