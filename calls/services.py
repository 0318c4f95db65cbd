"""Submitting to a call: who may, the form version, drafts, submitting, editing until the deadline,
withdrawing. One submission per person (or per organisation) and call, however many requests
arrive at once: the call's row is locked while a submission is created, and the database refuses
a second open one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from members.models import Member
from portal.models import NumberSequence
from portal.vetting.enums import Status
from portal.vetting.services import move

from .enums import CallState, Eligibility
from .models import OPEN_STATUSES, CallPage, CallSubmission, FormVersion, SubmissionFile

if TYPE_CHECKING:
    from members.models import User


def eligibility_refusal(call: CallPage, user: User, organisation: Member | None = None) -> str | None:
    """Why `user` may not submit to `call` (for `organisation`, where the call takes organisations), or None."""
    if call.eligibility == Eligibility.ORGANISATIONS:
        if organisation is None:
            return _("本次征集由团体会员和分支机构填报。")
        if not Member.objects.acted_for_by(user).filter(pk=organisation.pk).exists():
            return _("您不是该单位的联系人，不能代表该单位填报。")
        if not Member.objects.in_good_standing().filter(pk=organisation.pk).exists():
            return _("该单位的会籍不在正常状态，暂不能填报。")
        return None
    if organisation is not None:
        return _("本次征集由个人填报。")
    if call.eligibility == Eligibility.MEMBERS and not Member.objects.in_good_standing().filter(user=user).exists():
        return _("本次征集只接受会籍正常的会员填报。")
    if call.eligibility == Eligibility.EXPERTS and not Expert.objects.listed().filter(user=user).exists():
        return _("本次征集只接受入库专家填报。")
    return None


def state_refusal(call: CallPage) -> str | None:
    state = call.state()
    if state == CallState.UPCOMING:
        return _("征集尚未开始，%(time)s 起可以填报。") % {
            "time": f"{timezone.localtime(call.opens_at):%Y-%m-%d %H:%M}"
        }
    if state == CallState.CLOSED:
        return _("征集已截止，不再接受填报和修改。")
    return None


def organisations_for(call: CallPage, user: User) -> list[Member]:
    """The organisations `user` may submit for to `call` (none unless the call takes organisations)."""
    if call.eligibility != Eligibility.ORGANISATIONS or not user.is_authenticated:
        return []
    return list(Member.objects.acted_for_by(user).order_by("number"))


def submission_for(call: CallPage, user: User, organisation: Member | None = None) -> CallSubmission | None:
    """The one open submission of this person (or organisation) to `call`, else their last withdrawn one."""
    submissions = CallSubmission.objects.filter(call=call).select_related("form_version")
    if organisation is not None:
        submissions = submissions.filter(organisation=organisation)
    else:
        submissions = submissions.filter(organisation__isnull=True, applicant=user)
    return submissions.filter(status__in=OPEN_STATUSES).first()


def may_act_on(submission: CallSubmission, user: User) -> bool:
    """The submitter, or for an organisation's submission the organisation and any of its contacts."""
    return CallSubmission.objects.of(user).filter(pk=submission.pk).exists()


def may_change(submission: CallSubmission, call: CallPage) -> bool:
    """A draft, or a submission not yet decided, until the deadline; one returned for changes, at any time."""
    if submission.status == Status.RETURNED:
        return True
    return submission.status in (Status.DRAFT, Status.SUBMITTED) and call.state() == CallState.OPEN


def current_version(call: CallPage) -> FormVersion:
    """The version of the form as it stands, made when the form changed since the last one.
    The caller holds the call's row lock, so two requests never make the same version."""
    definition = call.definition()
    latest = call.form_versions.order_by("-number").first()
    if latest is not None and latest.definition == definition:
        return latest
    return FormVersion.objects.create(call=call, number=(latest.number + 1 if latest else 1), definition=definition)


def _locked_call(call: CallPage) -> CallPage:
    return CallPage.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def save_submission(
    call: CallPage,
    user: User,
    *,
    organisation: Member | None = None,
    version: FormVersion,
    answers: dict,
    category_key: str = "",
    file_changes: dict | None = None,
    submit: bool = False,
) -> CallSubmission:
    """Save the person's (or organisation's) submission to `call` as a draft, or submit it.

    Creates it on the first save. Refused after the deadline (except a submission returned for
    changes), to anyone not eligible, and when the form changed since it was shown (`version`).
    """
    call = _locked_call(call)
    submission = submission_for(call, user, organisation)
    if submission is None:
        refusal = state_refusal(call) or eligibility_refusal(call, user, organisation)
        if refusal:
            raise PermissionDenied(refusal)
    else:
        submission = CallSubmission.objects.select_for_update().get(pk=submission.pk)
        if not may_change(submission, call):
            raise PermissionDenied(state_refusal(call) or _("这份材料已在处理中，不能再修改。"))
    if submit and submission is not None:  # still eligible when it is sent (a membership may have lapsed)
        refusal = eligibility_refusal(call, user, organisation)
        if refusal:
            raise PermissionDenied(refusal)
    if version.pk != current_version(call).pk:
        raise ValidationError(_("表单刚刚有了更新，请核对后再保存。"), code="form_changed")
    if submission is None:
        submission = CallSubmission(call=call, applicant=user, organisation=organisation)
    submission.form_version, submission.answers, submission.category_key = version, answers, category_key
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as error:  # another request created the one submission first
        raise PermissionDenied(_("已经有一份填报，请刷新页面后继续。")) from error
    for key, upload in (file_changes or {}).items():
        _replace_file(submission, key, upload)
    if submit and submission.status in (Status.DRAFT, Status.RETURNED):
        if submission.number is None:
            submission.number = NumberSequence.objects.take(f"call-{call.pk}")
            submission.save(update_fields=["number"])
        move(submission, Status.SUBMITTED, by=user)
    return submission


def _replace_file(submission: CallSubmission, key: str, upload) -> None:
    kept = submission.files.filter(field_key=key).first()
    if kept is not None:
        kept.file.delete(save=False)
        kept.delete()
    if upload:
        SubmissionFile.objects.create(submission=submission, field_key=key, file=upload, size=upload.size)


@transaction.atomic
def withdraw(submission: CallSubmission, *, by: User) -> CallSubmission:
    """The submitter takes their submission back: before the deadline, or when it was returned."""
    current = CallSubmission.objects.select_for_update().get(pk=submission.pk)
    if not may_change(current, current.call):
        raise PermissionDenied(state_refusal(current.call) or _("这份材料已在处理中，不能撤回。"))
    return move(current, Status.WITHDRAWN, by=by)
