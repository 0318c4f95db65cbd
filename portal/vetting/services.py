"""The pipeline's operations: moving a submission, reviews, notice periods and objections.

Each takes a row lock, so two people acting at once end with one outcome, not two."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workdays
from .enums import NoticeStatus, ObjectionOutcome, Status
from .models import Objection, PublicNotice, Submission, Transition

if TYPE_CHECKING:
    # The configured AUTH_USER_MODEL, as django-stubs resolves it: the kernel names no domain app.
    from django.contrib.auth.models import _User as User

# Each operation returns the domain's own model (an expert application, a batch…), not the base.
SubmissionT = TypeVar("SubmissionT", bound=Submission)
NoticeT = TypeVar("NoticeT", bound=PublicNotice)
ObjectionT = TypeVar("ObjectionT", bound=Objection)


class TransitionNotAllowed(ValidationError):
    pass


# Moves that decide on a submission: never made by the person who submitted it.
DECISIONS = (Status.APPROVED, Status.REJECTED, Status.RETURNED)


@transaction.atomic
def move(submission: SubmissionT, to: str, *, by: User | None, note: str = "") -> SubmissionT:
    """Move `submission` to `to`, or refuse: the row is locked, so two officers deciding at once,
    or an applicant withdrawing while an officer approves, end with one move, not two."""
    model = type(submission)
    current = model._default_manager.select_for_update().get(pk=submission.pk)
    if not current.can_move_to(to):
        raise TransitionNotAllowed(
            _("“%(from)s”的申请不能改为“%(to)s”。") % {"from": current.get_status_display(), "to": Status(to).label}
        )
    if to in DECISIONS and by is not None and getattr(current, "applicant_id", None) == by.pk:
        raise TransitionNotAllowed(_("不能评审自己的申请。"))
    note = note.strip()
    if to in model.NEEDS_NOTE and not note:
        raise ValidationError(_("请填写理由，申请人会看到它。"))
    now = timezone.now()
    Transition.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id=current.pk,
        from_status=current.status,
        to_status=to,
        by=by,
        note=note,
    )
    current.status = to
    if to == Status.SUBMITTED:
        current.submitted_at = now
    elif to in (Status.APPROVED, Status.REJECTED, Status.RETURNED):
        current.decided_at, current.decided_by, current.decision_note = now, by, note
    current.save()
    # The caller's object reflects the move too.
    for field in ("status", "submitted_at", "decided_at", "decided_by_id", "decision_note", "updated_at"):
        setattr(submission, field, getattr(current, field))
    return current


# Reviews ------------------------------------------------------------------------------------------


class ReviewNotAllowed(ValidationError):
    pass


def current_reviews(submission: Submission):
    """The reviews of the submission as it stands: those made since it was last submitted."""
    return submission.reviews.filter(round_of=submission.submitted_at)


def review_refusal(submission: Submission, user: User) -> str | None:
    """Why `user` may not review `submission`, or None if they may."""
    if submission.status != Status.SUBMITTED:
        return _("只能评审待审核的申请。")
    if getattr(submission, "applicant_id", None) == user.pk:
        return _("不能评审自己的申请。")
    if submission.reviews.filter(reviewer=user, conflict=True).exists():  # a conflict outlasts a round
        return _("您已申明与该申请存在利益冲突，不能评审。")
    if current_reviews(submission).filter(reviewer=user, submitted_at__isnull=False).exists():
        return _("您已提交评审意见，提交后不能修改。")
    return None


def _lock_for_review(submission: SubmissionT, reviewer: User) -> SubmissionT:
    current = type(submission)._default_manager.select_for_update().get(pk=submission.pk)
    refusal = review_refusal(current, reviewer)
    if refusal:
        raise ReviewNotAllowed(refusal)
    return current


@transaction.atomic
def submit_review(submission: Submission, reviewer: User, *, scores: dict[str, int], comment: str) -> Any:
    """Record a reviewer's scores and comment, once per round: a submitted review is final, so
    nobody can adjust theirs after reading the others'."""
    current = _lock_for_review(submission, reviewer)
    criteria = {key: (low, high) for key, _label, low, high in current.review_criteria()}
    if set(scores) != set(criteria) or any(
        not isinstance(value, int) or not criteria[key][0] <= value <= criteria[key][1] for key, value in scores.items()
    ):
        raise ValidationError(_("请为每一项评分，分值不能超出该项的范围。"))
    if not comment.strip():
        raise ValidationError(_("请填写评审意见。"))
    review, _created = current.reviews.update_or_create(
        reviewer=reviewer,
        round_of=current.submitted_at,
        defaults={"scores": scores, "comment": comment.strip(), "conflict": False, "submitted_at": timezone.now()},
    )
    return review


@transaction.atomic
def declare_conflict(submission: Submission, reviewer: User, *, note: str = "") -> Any:
    """A reviewer steps aside from a submission they have a conflict of interest with."""
    current = _lock_for_review(submission, reviewer)
    review, _created = current.reviews.update_or_create(
        reviewer=reviewer,
        round_of=current.submitted_at,
        defaults={"conflict": True, "conflict_note": note.strip()[:200], "scores": {}, "submitted_at": timezone.now()},
    )
    return review


def completed_reviews(submission: Submission) -> int:
    return current_reviews(submission).filter(submitted_at__isnull=False, conflict=False).count()


def reviews_visible_to(submission: Submission, user: User, *, chair: bool = False) -> list:
    """The current round's reviews `user` may read: a chair reads all; a reviewer reads the others'
    only once their own is submitted, so nobody is swayed before scoring. A reviewer who stepped
    aside for a conflict of interest reads none but their own."""
    reviews = list(current_reviews(submission).select_related("reviewer").order_by("submitted_at", "pk"))
    own = next((review for review in reviews if review.reviewer_id == user.pk), None)
    if chair or (own is not None and own.submitted_at and not own.conflict):
        return reviews
    return [own] if own else []


def score_summary(submission: Submission, reviews) -> dict:
    """Average score per criterion and overall, over submitted reviews (conflicts left out)."""
    scored = [review for review in reviews if review.is_submitted]
    averages = {}
    for key, label, _low, _high in submission.review_criteria():
        values = [review.scores.get(key) for review in scored if review.scores.get(key) is not None]
        averages[key] = {"label": label, "average": round(sum(values) / len(values), 1) if values else None}
    totals = [review.total for review in scored]
    return {
        "count": len(scored),
        "criteria": averages,
        "average_total": round(sum(totals) / len(totals), 1) if totals else None,
    }


# Public notice rounds ------------------------------------------------------------------------------


def publishing_refusal(notice: PublicNotice) -> str | None:
    """Why `notice` cannot be published now (the admin shows it before offering the button), or None."""
    if notice.status != NoticeStatus.OPEN:
        return _("公示已经发布，不能再次发布。")
    return None


def closing_refusal(notice: PublicNotice, today: datetime.date) -> str | None:
    """Why `notice` cannot be closed `today`, or None."""
    if notice.status != NoticeStatus.NOTICE:
        return _("只能结束正在进行的公示。")
    if not notice.notice_period_over(today):
        return _("公示期至 %(date)s 结束，之后才能结束公示。") % {"date": f"{notice.notice_ends:%Y-%m-%d}"}
    if notice.objections.filter(outcome=ObjectionOutcome.PENDING).exists():
        return _("还有未处理的异议，请先逐条处理。")
    return None


@transaction.atomic
def open_notice_period(notice: NoticeT, *, by: User, today: datetime.date) -> NoticeT:
    """Publish a round: its notice period starts today (or the next working day) and runs for its
    number of working days."""
    current = type(notice)._default_manager.select_for_update().get(pk=notice.pk)
    refusal = publishing_refusal(current)
    if refusal:
        raise TransitionNotAllowed(refusal)
    current.notice_starts, current.notice_ends = workdays.notice_period(today, current.working_days)
    current.status, current.published_at, current.published_by = NoticeStatus.NOTICE, timezone.now(), by
    current.save()
    return current


@transaction.atomic
def close_notice_period(notice: NoticeT, *, by: User, today: datetime.date) -> NoticeT:
    """End a round once its period is over and every objection has been resolved."""
    current = type(notice)._default_manager.select_for_update().get(pk=notice.pk)
    refusal = closing_refusal(current, today)
    if refusal:
        raise TransitionNotAllowed(refusal)
    current.status, current.closed_at, current.closed_by = NoticeStatus.CLOSED, timezone.now(), by
    current.save()
    return current


def record_objection(
    notice: PublicNotice, *, today: datetime.date, idempotency_key: str | None = None, **fields
) -> tuple[Any, bool]:
    """Record an objection to `notice` during its notice period (`fields`: who, how to reach them, the
    grounds, and what it concerns); returns it and whether it is new. The same form sent twice
    (`idempotency_key`) records it once, and only the first is new (the reviewers are told once)."""
    if not notice.accepts_objections(today):
        raise ValidationError(_("不在公示期内，不再受理异议。"))
    model = notice.objections.model
    if idempotency_key:
        existing = model._default_manager.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            return notice.objections.create(idempotency_key=idempotency_key or None, **fields), True
    except IntegrityError:  # the same form, sent at the same moment by a double click
        return model._default_manager.get(idempotency_key=idempotency_key), False


@transaction.atomic
def resolve_objection(objection: ObjectionT, *, outcome: str, note: str, by: User) -> ObjectionT:
    """Record whether an objection is upheld, and why: once, by a reviewer."""
    current = type(objection)._default_manager.select_for_update().get(pk=objection.pk)
    if current.outcome != ObjectionOutcome.PENDING:
        raise TransitionNotAllowed(_("该异议已处理。"))
    if outcome not in (ObjectionOutcome.UPHELD, ObjectionOutcome.DISMISSED):
        raise ValidationError(_("请选择处理结果。"))
    if not note.strip():
        raise ValidationError(_("请填写处理意见。"))
    current.outcome, current.resolution = outcome, note.strip()
    current.resolved_by, current.resolved_at = by, timezone.now()
    current.save()
    return current
