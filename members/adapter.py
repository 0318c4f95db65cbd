"""The portal's allauth account adapter (ACCOUNT_ADAPTER)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail.models import Site

from portal.localization.conversion import to_traditional
from portal.mail import send_queued
from portal.models import ContactSettings


def site_base_url() -> str:
    """The address the site is configured to serve at (WAGTAILADMIN_BASE_URL), never the request's
    Host header, which whoever sends the request chooses."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def on_site(url: str) -> str:
    """`url` (absolute or a path) moved onto the site's configured address."""
    parts = urlsplit(url)
    base = urlsplit(site_base_url())
    return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path, parts.query, parts.fragment))


def association(language: str | None = None) -> dict[str, str]:
    """The association's name and phone from the site settings, in the reader's language."""
    site = Site.objects.filter(is_default_site=True).first()
    contact = ContactSettings.for_site(site) if site else ContactSettings()
    name = contact.organisation_name
    language = language or get_language() or settings.LANGUAGE_CODE
    if language.startswith("en"):
        name = contact.organisation_name_en or name
    elif language == "zh-hant":
        name = to_traditional(name)
    return {"name": name, "phone": contact.phone, "email": contact.email}


class AccountAdapter(DefaultAccountAdapter):
    def format_email_subject(self, subject: str) -> str:
        """Account e-mails come from the association, named as in its settings, not from a host name."""
        name = association()["name"]
        if (get_language() or "").startswith("en"):
            return f"[{name}] {subject}"
        return f"【{name}】{subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every link in an account e-mail points at the site's configured address: a reset link built
        from a forged Host header would hand the reset key to whoever forged it."""
        context = {
            key: on_site(value) if key.endswith("_url") and isinstance(value, str) and value else value
            for key, value in context.items()
        }
        names = association()
        user = context.get("user")
        context.setdefault("organisation", names["name"])
        context.setdefault("organisation_phone", names["phone"])
        context.setdefault("site_url", site_base_url())
        context.setdefault("user_name", getattr(user, "full_name", "") if user else "")
        # allauth's own send_mail adds the host the request came in on (current_site), which these
        # e-mails never name, and fails when sent after the request (a notice sent on commit).
        message = self.render_mail(template_prefix, email, {"request": self.request, "email": email, **context})
        send_queued(message)

    def send_notification_mail(self, template_prefix: str, user, context: dict | None = None, email=None) -> None:
        """The notice names the person it is about."""
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def respond_email_verification_sent(self, request: HttpRequest, user) -> HttpResponse:
        """A sign-up with an address that has an account creates none (ACCOUNT_PREVENT_ENUMERATION) and
        so would skip hashing the password, by far its slowest step: the answer would come sooner for a
        taken address. Hash it all the same, as Django's ModelBackend does at sign-in for an unknown one.
        Both ways send one e-mail: the confirmation, or the note to the owner that the account exists."""
        if user is None:  # allauth's sign-up for a taken address: the only way here without an account
            make_password(request.POST.get("password1", ""))
        return super().respond_email_verification_sent(request, user)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Someone who has just signed in with their password, or just entered their authenticator's
        code, is not asked for their password again to set up the app or to see the recovery codes it
        came with (staff are sent there straight after signing in); later, allauth asks."""
        request = context.request
        if app == "allauth.mfa" and request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            last = records[-1] if records else {}
            if (
                last.get("method") in ("password", "mfa")
                and time.time() - last.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
