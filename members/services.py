"""Membership operations: each is one transaction, called by views, admin actions, commands and tests."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.vetting.enums import Status
from portal.vetting.services import move

from .models import Member, MemberNumberSequence, MembershipApplication

NUMBER_PREFIX = "DL"


def allocate_member_number(year: int) -> str:
    """The next member number of `year` (DL-2026-0001 …), never given out twice, even if an
    approval is later undone: the sequence row is locked and only ever counts up."""
    sequence, _ = MemberNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{NUMBER_PREFIX}-{year}-{sequence.last:04d}"


def _tell_applicant(application: MembershipApplication, template: str, **context) -> None:
    """E-mail the applicant once the decision is committed (in the site's language)."""

    def send():
        with translation.override(settings.LANGUAGE_CODE):
            context.update(application=application, site_url=settings.WAGTAILADMIN_BASE_URL)
            subject = render_to_string(f"members/email/{template}_subject.txt", context).strip()
            body = render_to_string(f"members/email/{template}.txt", context)
        send_mail(subject, body, None, [application.applicant.email])

    transaction.on_commit(send)


@transaction.atomic
def submit_application(application: MembershipApplication, *, by) -> MembershipApplication:
    return move(application, Status.SUBMITTED, by=by)


@transaction.atomic
def withdraw_application(application: MembershipApplication, *, by) -> MembershipApplication:
    return move(application, Status.WITHDRAWN, by=by)


@transaction.atomic
def approve_application(application: MembershipApplication, *, by, joined_on: datetime.date | None = None) -> Member:
    """Admit the applicant: a member number, a start date, an e-mail."""
    move(application, Status.APPROVED, by=by)
    joined_on = joined_on or timezone.localdate()
    member = Member.objects.create(
        user=application.applicant,
        number=allocate_member_number(joined_on.year),
        membership_type=application.membership_type,
        full_name=application.full_name,
        phone=application.phone,
        employer=application.employer,
        district=application.district,
        joined_on=joined_on,
        application=application,
    )
    _tell_applicant(application, "application_approved", member=member)
    return member


@transaction.atomic
def reject_application(application: MembershipApplication, *, by, reason: str) -> MembershipApplication:
    application = move(application, Status.REJECTED, by=by, note=reason)
    _tell_applicant(application, "application_rejected", reason=application.decision_note)
    return application


@transaction.atomic
def return_application(application: MembershipApplication, *, by, comments: str) -> MembershipApplication:
    application = move(application, Status.RETURNED, by=by, note=comments)
    _tell_applicant(application, "application_returned", comments=application.decision_note)
    return application
