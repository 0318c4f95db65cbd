"""E-mail the portal sends: rendered in the site's language when the decision is made, handed to the
task queue once the transaction that made it has committed (a rolled-back decision sends nothing),
and delivered by the queue's worker, so a slow mail server never slows a request.

With the immediate backend (`make run`, tests) the queue delivers at once; in production the
database backend keeps the messages until `manage.py db_worker` sends them (docs/operations.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def deliver(subject: str, body: str, recipients: list[str], html: str = "", from_email: str = "") -> int:
    """Send one message (plain text, with an HTML part if given); the number of messages sent."""
    message = EmailMultiAlternatives(subject, body, from_email or None, recipients)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def send_queued(message: EmailMessage) -> None:
    """Queue a built message (allauth's account e-mails). The database backend writes the task in the
    current transaction, so the worker sees it only once that commits; the immediate backend sends it
    at once, as the account flows expect."""
    html = next((content for content, mimetype in getattr(message, "alternatives", ()) if mimetype == "text/html"), "")
    deliver.enqueue(str(message.subject), str(message.body), list(message.to), html, message.from_email or "")


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
        deliver.enqueue(subject, body, recipients)

    transaction.on_commit(send)
