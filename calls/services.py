"""Submitting to a call: who may, the form version, drafts, submitting, editing until the deadline,
withdrawing. One submission per person (or per organisation) and call, however many requests
arrive at once: the call's row is locked while a submission is created, and the database refuses
a second open one."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from members.enums import MembershipKind
from members.models import Member, User
from portal.mail import send_after_commit
from portal.models import NumberSequence
from portal.vetting import services as vetting
from portal.vetting.enums import Status
from portal.vetting.services import ReviewNotAllowed, TransitionNotAllowed, move

from . import directory
from .enums import CallKind, CallState, Consent, Eligibility
from .models import (
    OPEN_STATUSES,
    REVIEWED_KINDS,
    CallPage,
    CallReminder,
    CallReview,
    CallSubmission,
    FormVersion,
    SubmissionFile,
    in_language,
)
from .reports import missing


def eligibility_refusal(call: CallPage, user: User, organisation: Member | None = None) -> str | None:
    """Why `user` may not submit to `call` (for `organisation`, where the call takes organisations), or None."""
    if call.takes_organisations:
        if organisation is None:
            if call.eligibility == Eligibility.BRANCHES:
                return _("本次征集只由分支机构填报。")
            return _("本次征集由团体会员和分支机构填报。")
        if not Member.objects.acted_for_by(user).filter(pk=organisation.pk).exists():
            return _("您不是该单位的联系人，不能代表该单位填报。")
        if call.eligibility == Eligibility.BRANCHES and organisation.membership_type.kind != MembershipKind.BRANCH:
            return _("本次征集只由分支机构填报。")
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
    if not call.takes_organisations or not user.is_authenticated:
        return []
    organisations = Member.objects.acted_for_by(user).select_related("membership_type")
    if call.eligibility == Eligibility.BRANCHES:
        organisations = organisations.filter(membership_type__kind=MembershipKind.BRANCH)
    return list(organisations.order_by("number"))


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
    latest = call.latest_form_version()
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
    self_scores: dict | None = None,
    file_changes: dict | None = None,
    nominee_email: str | None = None,
    submit: bool = False,
) -> CallSubmission:
    """Save the person's (or organisation's) submission to `call` as a draft, or submit it.

    Creates it on the first save. Refused after the deadline (except a submission returned for
    changes), to anyone not eligible, and when the form changed since it was shown (`version`).
    On a nomination call, `nominee_email` names the member nominated ("" for oneself): checked
    when it is sent, and asked for their consent.
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
    if call.takes_nominations and nominee_email is not None:
        _name_nominee(call, submission, user, nominee_email, checked=submit)
    submission.form_version, submission.answers, submission.category_key = version, answers, category_key
    submission.self_scores = self_scores or {}
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
        if submission.consent == Consent.PENDING:
            ask_consent(submission)
        send_after_commit(
            "calls/email/submitted",
            submission.recipients,
            {"submission": submission, "closes_at": f"{timezone.localtime(call.closes_at):%Y-%m-%d %H:%M}"},
        )
    return submission


def nominee_refusal(call: CallPage, nominee: User) -> str | None:
    """Why `nominee` cannot be put forward to `call` (their membership is checked, not trusted), or None."""
    member = Member.objects.in_good_standing().filter(user=nominee).first()
    if member is None:
        return _("被推荐人须为会籍正常的会员。")
    if call.nominee_years:
        today = timezone.localdate()
        try:
            since = today.replace(year=today.year - call.nominee_years)
        except ValueError:  # 29 February, in a year that has none
            since = today.replace(year=today.year - call.nominee_years, day=28)
        if member.joined_on > since:
            return _("被推荐人须入会满 %(years)s 年。") % {"years": call.nominee_years}
    return None


def _name_nominee(call: CallPage, submission: CallSubmission, user: User, email: str, *, checked: bool) -> None:
    """Who the submission puts forward: oneself (consent given), or another member, who is asked."""
    nominee = user if not email else User.objects.filter(email__iexact=email.strip()).first()
    if nominee is None:
        raise ValidationError(_("没有使用这个邮箱注册的会员账户，请核对被推荐人的邮箱。"), code="nominee")
    if checked:
        refusal = nominee_refusal(call, nominee)
        if refusal:
            raise ValidationError(refusal, code="nominee")
    if submission.nominee_id != nominee.pk or not submission.consent:
        submission.nominee = nominee
        submission.consent = Consent.GIVEN if nominee.pk == user.pk else Consent.PENDING
        submission.consent_at = timezone.now() if nominee.pk == user.pk else None


def ask_consent(submission: CallSubmission) -> None:
    """E-mail the member nominated the way to read the nomination and agree or decline."""
    if submission.nominee is None:
        return
    send_after_commit(
        "calls/email/consent",
        [submission.nominee.email],
        {"submission": submission, "path": reverse("calls:consent", args=[submission.pk])},
    )


@transaction.atomic
def record_consent(submission: CallSubmission, *, by: User, agree: bool) -> CallSubmission:
    """The nominee agrees to be put forward, or declines; only they can, and only once."""
    current = CallSubmission.objects.select_for_update().get(pk=submission.pk)
    if current.nominee_id != by.pk:
        raise PermissionDenied(_("只有被推荐人本人可以确认。"))
    if current.consent != Consent.PENDING:
        raise PermissionDenied(_("您已经确认过了。"))
    current.consent, current.consent_at = (Consent.GIVEN if agree else Consent.DECLINED), timezone.now()
    current.save(update_fields=["consent", "consent_at"])
    send_after_commit("calls/email/consent_recorded", current.recipients, {"submission": current, "agree": agree})
    return current


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


# Review and decision ------------------------------------------------------------------------------

# Selected and on their way to the results: what counts against a category's places.
SELECTED_STATUSES = [Status.APPROVED, Status.NOTICE, Status.ACCEPTED]


def review_refusal(submission: CallSubmission, user: User) -> str | None:
    """Why `user` may not review `submission` now, or None: reviews start when the call has closed,
    and nobody reviews their own submission or their organisation's."""
    call = submission.call
    if not call.is_reviewed:
        return _("这类征集不需要评审。")
    if call.state() != CallState.CLOSED:
        return _("征集截止后才开始评审。")
    if may_act_on(submission, user):
        return _("不能评审自己或本单位的材料。")
    return vetting.review_refusal(submission, user)


def review(submission: CallSubmission, reviewer: User, *, scores: dict[str, int], comment: str) -> CallReview:
    refusal = review_refusal(submission, reviewer)
    if refusal:
        raise ReviewNotAllowed(refusal)
    return vetting.submit_review(submission, reviewer, scores=scores, comment=comment)


def declare_conflict(submission: CallSubmission, reviewer: User, *, note: str = "") -> CallReview:
    refusal = review_refusal(submission, reviewer)
    if refusal:
        raise ReviewNotAllowed(refusal)
    return vetting.declare_conflict(submission, reviewer, note=note)


def review_queue(user: User):
    """The submitted entries of closed, reviewed calls this reviewer has not yet scored or stepped aside from."""
    done = CallReview.objects.filter(
        submission=OuterRef("pk"), reviewer=user, submitted_at__isnull=False, round_of=OuterRef("submitted_at")
    )
    conflict = CallReview.objects.filter(submission=OuterRef("pk"), reviewer=user, conflict=True)
    return (
        CallSubmission.objects.filter(
            status=Status.SUBMITTED, call__kind__in=REVIEWED_KINDS, call__closes_at__lte=timezone.now()
        )
        .exclude(pk__in=CallSubmission.objects.of(user).values("pk"))
        .exclude(Exists(done))
        .exclude(Exists(conflict))
        .select_related("call", "applicant__member", "organisation", "form_version")
        .order_by(F("call__closes_at").asc(), "call", "number")
    )


SELECT, NOT_SELECTED, RETURN = "select", "not_selected", "return"


@transaction.atomic
def decide(
    submission: CallSubmission, *, decision: str, by: User, note: str = "", meeting_on=None, grade: str = ""
) -> CallSubmission:
    """The chair's (or the council's) decision: selected, not selected with the reason, or returned
    for changes; an evaluation's selected entries are graded where the call names grades.
    Selecting beyond a category's places (of an evaluation, its best grade's) is refused; the
    call's row is locked, so two decisions at once cannot both take the last place."""
    call = _locked_call(submission.call)
    current = CallSubmission.objects.select_for_update().select_related("form_version").get(pk=submission.pk)
    grades = call.grade_list
    if grade and grade not in grades:
        raise ValidationError(_("请选择考评等次。"))
    if decision == SELECT:
        if current.nominee_id and current.consent != Consent.GIVEN:
            raise TransitionNotAllowed(_("被推荐人尚未同意，不能入选。"))
        if grades and not grade:
            raise ValidationError(_("请选择考评等次。"))
        category = current.category
        if category and category.get("quota") and (not grades or grade == grades[0]):
            taken = CallSubmission.objects.filter(
                call=call, category_key=current.category_key, status__in=SELECTED_STATUSES
            )
            if grades:
                taken = taken.filter(grade=grades[0])
            if taken.count() >= category["quota"]:
                raise TransitionNotAllowed(
                    _("“%(category)s”的名额为 %(quota)s 个，已全部选定。")
                    % {"category": in_language(category["name"], category["name_en"]), "quota": category["quota"]}
                )
        to = Status.APPROVED
    elif decision == NOT_SELECTED:
        to = Status.REJECTED
    elif decision == RETURN:
        to = Status.RETURNED
    else:
        raise ValidationError(_("请选择决定。"))
    current = move(current, to, by=by, note=note)
    current.council_meeting_on = meeting_on
    current.grade = grade if to == Status.APPROVED else ""
    current.save(update_fields=["council_meeting_on", "grade"])
    if to == Status.APPROVED and call.kind == CallKind.DIRECTORY:
        directory.publish(current)  # an accepted directory entry is listed in 机构名录 at once
    send_after_commit(
        "calls/email/decided", current.recipients, {"submission": current, "decision": decision, "note": note.strip()}
    )
    return current


def ranking(call: CallPage, category_key: str = "") -> list[dict]:
    """The call's submissions past the draft stage (of one category, if named), best average total
    first, with each one's completed reviews, average per criterion and self-assessment: in three
    queries, whatever their number."""
    submissions = call.submissions.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    if category_key:
        submissions = submissions.filter(category_key=category_key)
    submissions = list(submissions.select_related("applicant__member", "organisation", "form_version"))
    reviews: dict[int, list[CallReview]] = {}
    for review in CallReview.objects.filter(submission__in=submissions, submitted_at__isnull=False, conflict=False):
        reviews.setdefault(review.submission_id, []).append(review)
    rows = []
    for submission in submissions:
        current = [review for review in reviews.get(submission.pk, []) if review.round_of == submission.submitted_at]
        summary = vetting.score_summary(submission, current)
        rows.append({"submission": submission, "summary": summary})
    rows.sort(key=lambda row: (row["summary"]["average_total"] is None, -(row["summary"]["average_total"] or 0)))
    return rows


# Reminders to those who have not submitted -----------------------------------------------------------


@transaction.atomic
def remind_missing(call: CallPage, *, by: User) -> int:
    """E-mail every expected submitter who has sent nothing yet (an organisation's account and its
    contacts), at most once a day each however often this is asked; returns how many were reminded."""
    today = timezone.localdate()
    absent = missing(_locked_call(call))
    if absent is None:
        return 0
    already = CallReminder.objects.filter(call=call, sent_on=today).values("member_id")
    due = list(absent.exclude(pk__in=already).select_related("user").prefetch_related("contacts__user"))
    CallReminder.objects.bulk_create(
        [CallReminder(call=call, member=member, sent_on=today, sent_by=by) for member in due]
    )
    closes_at = f"{timezone.localtime(call.closes_at):%Y-%m-%d %H:%M}"
    for member in due:
        addresses = [member.user.email, *(contact.user.email for contact in member.contacts.all())]
        path = (
            reverse("calls:form_for", args=[call.pk, member.pk])
            if call.takes_organisations
            else reverse("calls:form", args=[call.pk])
        )
        send_after_commit(
            "calls/email/reminder",
            list(dict.fromkeys(addresses)),
            {"call": call, "member": member, "closes_at": closes_at, "path": path},
        )
    return len(due)
