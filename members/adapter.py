"""The portal's allauth account adapter (ACCOUNT_ADAPTER)."""

from __future__ import annotations

import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse


class AccountAdapter(DefaultAccountAdapter):
    def respond_email_verification_sent(self, request: HttpRequest, user) -> HttpResponse:
        """A sign-up with an address that has an account creates none (ACCOUNT_PREVENT_ENUMERATION) and
        so would skip hashing the password, by far its slowest step: the answer would come sooner for a
        taken address. Hash it all the same, as Django's ModelBackend does at sign-in for an unknown one.
        Both ways send one e-mail: the confirmation, or the note to the owner that the account exists."""
        if user is None:  # allauth's sign-up for a taken address: the only way here without an account
            make_password(request.POST.get("password1", ""))
        return super().respond_email_verification_sent(request, user)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Someone who has just signed in with their password is not asked for it again before setting
        up an authenticator app (staff are sent there straight after signing in); later, allauth asks."""
        request = context.request
        if app == "allauth.mfa" and request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            last = records[-1] if records else {}
            if (
                last.get("method") == "password"
                and time.time() - last.get("at", 0) < app_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
