"""The portal's allauth account adapter (ACCOUNT_ADAPTER)."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
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
