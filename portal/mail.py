"""E-mail the portal sends about a decision: rendered in the site's language, sent once the
transaction that made the decision has committed (a rolled-back decision sends nothing)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_after_commit(template: str, recipients: list[str], context: dict) -> None:
    """Send `<template>_subject.txt` / `<template>.txt` to `recipients` after commit."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            full = {"site_url": settings.WAGTAILADMIN_BASE_URL, **context}
            subject = render_to_string(f"{template}_subject.txt", full).strip()
            body = render_to_string(f"{template}.txt", full)
        send_mail(subject, body, None, recipients)

    transaction.on_commit(send)
