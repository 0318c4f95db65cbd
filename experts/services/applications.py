"""Applying to the expert database, the reviewers' queue, and the chair's decision on each application."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _

from members.models import Member
from portal.mail import send_after_commit
from portal.vetting import services as vetting
from portal.vetting.enums import Status

from ..models import ExpertApplication, ExpertReview

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from members.models import User

EMAIL = "experts/email/"


def _tell(application_or_expert, template: str, **context) -> None:
    user = application_or_expert.applicant if isinstance(application_or_expert, ExpertApplication) else None
    user = user or application_or_expert.user
    send_after_commit(EMAIL + template, [user.email], {"subject": application_or_expert, **context})


# Applying ----------------------------------------------------------------------------------------


def member_in_good_standing(user: User | AnonymousUser) -> Member | None:
    """The person's membership if it allows applying (not lapsed, not resigned), else None."""
    if not user.is_authenticated:
        return None
    return Member.objects.in_good_standing().filter(user=user).first()


def current_application(user: User) -> ExpertApplication | None:
    """The application in progress, or the last one decided (withdrawn ones are the applicant's past)."""
    return (
        ExpertApplication.objects.filter(applicant=user)
        .exclude(status=Status.WITHDRAWN)
        .select_related("batch")
        .order_by("-pk")
        .first()
    )


def submit_application(application: ExpertApplication, *, by: User) -> ExpertApplication:
    if member_in_good_standing(by) is None:
        raise PermissionDenied(_("只有会籍正常的会员可以申请入库。"))
    return vetting.move(application, Status.SUBMITTED, by=by)


def withdraw_application(application: ExpertApplication, *, by: User) -> ExpertApplication:
    return vetting.move(application, Status.WITHDRAWN, by=by, note=_("申请人撤回"))


# Reviewing and deciding --------------------------------------------------------------------------


def with_review_counts(applications):
    """Each application with `review_count`: the completed reviews of its current round."""
    return applications.annotate(
        review_count=Count(
            "reviews",
            filter=Q(reviews__round_of=F("submitted_at"), reviews__submitted_at__isnull=False, reviews__conflict=False),
        )
    )


def awaiting_decision():
    """Submitted applications with all the reviews they need: the chair's to decide."""
    return with_review_counts(ExpertApplication.objects.filter(status=Status.SUBMITTED)).filter(
        review_count__gte=ExpertApplication.reviews_required()
    )


def review_queue(user: User):
    """Submitted applications with how many reviews each has and whether `user` has done theirs;
    a reviewer's own application is not theirs to review, and one they stepped aside from says so."""
    mine = ExpertReview.objects.filter(submission=OuterRef("pk"), reviewer=user)
    return (
        with_review_counts(ExpertApplication.objects.filter(status=Status.SUBMITTED).exclude(applicant=user))
        .annotate(
            reviewed_by_me=Exists(
                mine.filter(round_of=OuterRef("submitted_at"), submitted_at__isnull=False, conflict=False)
            ),
            conflict_for_me=Exists(mine.filter(conflict=True)),
        )
        .order_by("submitted_at", "pk")
    )


def _enough_reviews(application: ExpertApplication) -> None:
    needed, done = application.reviews_required(), vetting.completed_reviews(application)
    if done < needed:
        raise ValidationError(
            _("需要至少 %(needed)s 位评审人的独立评审，目前 %(done)s 位。") % {"needed": needed, "done": done}
        )


@transaction.atomic
def propose(application: ExpertApplication, *, by: User, note: str = "") -> ExpertApplication:
    """The chair proposes the application for the next batch."""
    _enough_reviews(application)
    application = vetting.move(application, Status.APPROVED, by=by, note=note)
    _tell(application, "application_proposed")
    return application


@transaction.atomic
def reject(application: ExpertApplication, *, by: User, reason: str) -> ExpertApplication:
    _enough_reviews(application)
    application = vetting.move(application, Status.REJECTED, by=by, note=reason)
    _tell(application, "application_rejected")
    return application


@transaction.atomic
def return_for_changes(application: ExpertApplication, *, by: User, comments: str) -> ExpertApplication:
    application = vetting.move(application, Status.RETURNED, by=by, note=comments)
    _tell(application, "application_returned")
    return application
