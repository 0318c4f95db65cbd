"""Moving a submission: one function, one row lock, one audit record per move."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .enums import Status
from .models import Submission, Transition


class TransitionNotAllowed(ValidationError):
    pass


@transaction.atomic
def move(submission: Submission, to: str, *, by, note: str = "") -> Submission:
    """Move `submission` to `to`, or refuse: the row is locked, so two officers deciding at once,
    or an applicant withdrawing while an officer approves, end with one move, not two."""
    model = type(submission)
    current = model.objects.select_for_update().get(pk=submission.pk)
    if not current.can_move_to(to):
        raise TransitionNotAllowed(
            _("“%(from)s”的申请不能改为“%(to)s”。") % {"from": current.get_status_display(), "to": Status(to).label}
        )
    note = note.strip()
    if to in model.NEEDS_NOTE and not note:
        raise ValidationError(_("请填写理由,申请人会看到它。"))
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
