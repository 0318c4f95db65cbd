"""After the decisions of a reviewed call: the selected entries announced in a 公示 notice for a
number of working days, objections raised during it, then the results notice (表彰决定, 考评结果,
推荐名单) and, for awards, a 荣誉证书 for each entry confirmed.

The notices are the association's Chinese documents, written in the default language whatever the
language of the person acting; only the fields staff marked 公示时公开 appear in them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notices import publishing
from portal.mail import send_after_commit
from portal.permissions import emails_of_holders
from portal.typography import chinese_date
from portal.vetting import services as vetting
from portal.vetting.enums import NoticeStatus, ObjectionOutcome, Status
from portal.vetting.services import TransitionNotAllowed

from . import display
from .enums import CallKind, CallState, FieldType
from .models import REVIEWED_KINDS, CallAnnouncement, CallCertificate, CallObjection, CallPage, CallSubmission
from .services import SELECTED_STATUSES

if TYPE_CHECKING:
    from members.models import User

# The call officers' permission: they are told of objections.
DECIDE_CODENAME = "decide_callsubmission"
# Calls whose confirmed entries receive a 荣誉证书: awards, and the honours of an evaluation
# (优秀分支机构). A project recommended to a funder gets none.
CERTIFIED_KINDS = (CallKind.NOMINATION, CallKind.EVALUATION)
# Fields that cannot be shown in a table of a notice (a file, a table of their own).
UNLISTED_TYPES = (FieldType.FILE, FieldType.TABLE)


# What is announced ---------------------------------------------------------------------------------


def entries(call: CallPage, statuses=None):
    """The call's selected entries with what the notices show, in a fixed number of queries,
    category by category (in the form's order) and by number within each."""
    submissions = list(
        call.submissions.filter(status__in=statuses or SELECTED_STATUSES).select_related(
            "nominee__member", "applicant__member", "organisation", "form_version"
        )
    )
    order = {key: index for index, key in enumerate(call.categories.values_list("key", flat=True))}
    return sorted(submissions, key=lambda entry: (order.get(entry.category_key, len(order)), entry.number or 0))


def public_table(call: CallPage, submissions: list[CallSubmission]) -> list[list[str]]:
    """The rows of a notice's list: number, name, category (where the call has categories) and each
    field marked 公示时公开, in the labels of the call's newest form."""
    version = call.latest_form_version()
    public = [
        field
        for field in (version.fields if version else [])
        if field.get("public") and field["type"] not in UNLISTED_TYPES
    ]
    has_categories = bool(version and version.categories)
    graded = bool(call.grade_list)
    header = [_("序号"), _("名称")] + ([_("类别")] if has_categories else []) + ([_("考评等次")] if graded else [])
    rows = [header + [field["label"] for field in public]]
    for number, submission in enumerate(submissions, 1):
        answered = {answer.key: answer.text for answer in display.answers(submission, files={})}
        row = [str(number), submission.public_name] + ([submission.category_name] if has_categories else [])
        row += [submission.grade or "—"] if graded else []
        rows.append(row + [answered.get(field["key"], "") or "—" for field in public])
    return rows


def subject(call: CallPage) -> str:
    """What the notices are about: the year and the categories (2021年度先进集体和先进个人), else the call."""
    categories = list(call.categories.values_list("name", flat=True))
    named = call.period + "和".join(categories)
    return named or f"“{call.title}”"


def notice_title(call: CallPage) -> str:
    if call.kind == CallKind.EVALUATION:
        return _("关于%(subject)s考评结果的公示") % {"subject": subject(call)}
    if call.kind == CallKind.PROJECT:
        return _("关于%(subject)s拟推荐项目的公示") % {"subject": subject(call)}
    return _("关于%(subject)s评选结果的公示") % {"subject": subject(call)}


def result_title(call: CallPage) -> str:
    if call.kind == CallKind.EVALUATION:
        return _("关于%(subject)s考评结果的通报") % {"subject": subject(call)}
    if call.kind == CallKind.PROJECT:
        return _("关于%(subject)s推荐项目名单的公告") % {"subject": subject(call)}
    return _("关于表彰%(subject)s的决定") % {"subject": subject(call)}


# The 公示 -------------------------------------------------------------------------------------------


def announcing_refusal(call: CallPage, now: datetime.datetime | None = None) -> str | None:
    """Why the call's selected entries cannot be announced now (the admin says so), or None."""
    if call.kind not in REVIEWED_KINDS:
        return _("这类征集不评选，不需要公示。")
    if call.state(now) != CallState.CLOSED:
        return _("征集截止后才能公示评选结果。")
    announcement = CallAnnouncement.objects.filter(call=call).first()
    if announcement is not None and announcement.status != NoticeStatus.OPEN:
        return _("本征集的评选结果已经公示。")
    undecided = call.submissions.filter(status=Status.SUBMITTED).count()
    if undecided:
        return _("还有 %(count)s 份填报未作决定，请先逐一决定。") % {"count": undecided}
    returned = call.submissions.filter(status=Status.RETURNED).count()
    if returned:
        return _("还有 %(count)s 份填报退回修改后尚未重新提交，请等待提交并作出决定。") % {"count": returned}
    if not call.submissions.filter(status=Status.APPROVED).exists():
        return _("还没有入选的填报。")
    return None


@transaction.atomic
def announce(
    call: CallPage, *, by: User, working_days: int = 5, today: datetime.date | None = None
) -> CallAnnouncement:
    """Publish the 公示: the selected entries are in their notice period from today (or the next
    working day), the notice appears in the notice centre with the public fields and the objection
    form, and each entry's submitter is told. Sent twice, it announces once."""
    today = today or timezone.localdate()
    call = CallPage.objects.select_for_update().get(pk=call.pk)
    refusal = announcing_refusal(call)
    if refusal:
        raise TransitionNotAllowed(refusal)
    announcement, _created = CallAnnouncement.objects.get_or_create(call=call, defaults={"working_days": working_days})
    announcement = vetting.open_notice_period(announcement, by=by, today=today)
    for submission in call.submissions.filter(status=Status.APPROVED):
        vetting.move(submission, Status.NOTICE, by=by, note=_("评选结果公示"))
    with translation.override(settings.LANGUAGE_CODE):
        listed = entries(call, [Status.NOTICE])
        period = _("公示期为 %(days)s 个工作日：%(start)s 至 %(end)s。") % {
            "days": announcement.working_days,
            "start": chinese_date(announcement.notice_starts),
            "end": chinese_date(announcement.notice_ends),
        }
        page = publishing.publish(
            slug=f"call-{call.pk}-notice",
            title=notice_title(call),
            summary=_("“%(title)s”评审结果公示。") % {"title": call.title} + period,
            body=[
                *publishing.paragraphs(
                    _("根据“%(title)s”的安排，经申报、评审和研究决定，现将结果予以公示，共 %(count)s 项。")
                    % {"title": call.title, "count": len(listed)}
                ),
                publishing.table(public_table(call, listed)),
                *publishing.paragraphs(
                    period,
                    _(
                        "公示期间，如有异议，请通过本页的“提出异议”表单反映，并提供必要的事实依据。"
                        "异议人信息仅用于核实，不会公开。公示期满无异议的，按程序公布结果。"
                    ),
                ),
            ],
            on=today,
            by=by,
            category=call.category,
        )
    CallAnnouncement.objects.filter(pk=announcement.pk).update(notice_page=page)
    announcement.notice_page = page
    for submission in listed:
        send_after_commit(
            "calls/email/in_notice", _told(submission), {"submission": submission, "notice": announcement}
        )
    return announcement


def _told(submission: CallSubmission) -> list[str]:
    """Who hears of an entry's 公示 and result: its submitters, and the member nominated."""
    addresses = submission.recipients
    nominee = submission.nominee
    if nominee is not None and nominee.email not in addresses:
        addresses.append(nominee.email)
    return addresses


# Objections ---------------------------------------------------------------------------------------


def raise_objection(
    announcement: CallAnnouncement,
    *,
    name: str,
    contact: str,
    grounds: str,
    submission_id: int | None = None,
    today: datetime.date | None = None,
    idempotency_key: str | None = None,
) -> CallObjection:
    """Anyone may object during the notice period; nothing of it is ever shown publicly. The call
    officers are told."""
    today = today or timezone.localdate()
    submission = None
    if submission_id:
        submission = announcement.call.submissions.filter(pk=submission_id, status=Status.NOTICE).first()
        if submission is None:
            raise ValidationError(_("所选对象不在本次公示名单中。"))
    objection, new = vetting.record_objection(
        announcement,
        today=today,
        idempotency_key=idempotency_key,
        submission=submission,
        name=name,
        contact=contact,
        grounds=grounds,
    )
    if new:
        context = {"objection": objection, "announcement": announcement}
        send_after_commit("calls/email/objection_received", emails_of_holders("calls", DECIDE_CODENAME), context)
    return objection


def resolve_objection(
    objection: CallObjection, *, outcome: str, note: str, by: User, submission_id: int | None = None
) -> CallObjection:
    """A call officer records the outcome; an upheld objection must name the entry it concerns."""
    with transaction.atomic():
        if outcome == ObjectionOutcome.UPHELD and not (objection.submission_id or submission_id):
            raise ValidationError(_("异议成立时，请选择所涉对象。"))
        if submission_id and not objection.submission_id:
            if not objection.announcement.call.submissions.filter(pk=submission_id, status=Status.NOTICE).exists():
                raise ValidationError(_("所选对象不在本次公示名单中。"))
            CallObjection.objects.filter(pk=objection.pk).update(submission_id=submission_id)
        return vetting.resolve_objection(objection, outcome=outcome, note=note, by=by)


# The results ---------------------------------------------------------------------------------------


def honour(submission: CallSubmission) -> str:
    """The title a certificate confers: the year, an evaluation's grade and the category
    (2021年度先进个人, 2019年度优秀分支机构)."""
    with translation.override(settings.LANGUAGE_CODE):
        category = submission.category_name
    return (submission.call.period + submission.grade + category) or str(submission.call.title)


def certified(call: CallPage, submission: CallSubmission) -> bool:
    """Whether a confirmed entry receives a 荣誉证书: an award's, and an evaluation's of the best grade
    (of any, where the call names no grades)."""
    if call.kind not in CERTIFIED_KINDS:
        return False
    grades = call.grade_list
    return not grades or submission.grade == grades[0]


@transaction.atomic
def close(announcement: CallAnnouncement, *, by: User, today: datetime.date | None = None) -> CallAnnouncement:
    """After the notice period, with every objection resolved: confirm every entry without an upheld
    objection, withdraw the others with the reason on record, issue the certificates (awards and
    evaluations) and publish the results notice."""
    today = today or timezone.localdate()
    announcement = vetting.close_notice_period(announcement, by=by, today=today)
    call = announcement.call
    upheld = dict(
        announcement.objections.filter(outcome=ObjectionOutcome.UPHELD, submission__isnull=False).values_list(
            "submission_id", "resolution"
        )
    )
    for submission in entries(call, [Status.NOTICE]):
        if submission.pk in upheld:
            reason = upheld[submission.pk]
            vetting.move(submission, Status.WITHDRAWN, by=by, note=_("公示期异议成立：%(reason)s") % {"reason": reason})
            send_after_commit("calls/email/withdrawn", _told(submission), {"submission": submission, "reason": reason})
            continue
        vetting.move(submission, Status.ACCEPTED, by=by, note=_("公示期满"))
        certificate = None
        if certified(call, submission):
            certificate, _created = CallCertificate.objects.get_or_create(
                submission=submission,
                defaults={"holder": submission.public_name, "honour": honour(submission), "issued_on": today},
            )
        send_after_commit(
            "calls/email/confirmed", _told(submission), {"submission": submission, "certificate": certificate}
        )
    with translation.override(settings.LANGUAGE_CODE):
        confirmed = entries(call, [Status.ACCEPTED])
        if call.kind == CallKind.NOMINATION:
            opening = _(
                "“%(title)s”评选结果已于 %(start)s 至 %(end)s 公示期满。经研究，决定对以下集体和个人"
                "（共 %(count)s 项）予以表彰，颁发荣誉证书。希望受表彰的集体和个人珍惜荣誉，再接再厉。"
            )
        elif call.kind == CallKind.EVALUATION:
            opening = _(
                "“%(title)s”考评结果已于 %(start)s 至 %(end)s 公示期满，现将考评结果通报如下，共 %(count)s 项。"
            )
        else:
            opening = _("“%(title)s”拟推荐项目已于 %(start)s 至 %(end)s 公示期满，现公布推荐名单，共 %(count)s 项。")
        page = publishing.publish(
            slug=f"call-{call.pk}-results",
            title=result_title(call),
            summary=_("“%(title)s”结果公布，共 %(count)s 项。") % {"title": call.title, "count": len(confirmed)},
            body=[
                *publishing.paragraphs(
                    opening
                    % {
                        "title": call.title,
                        "start": chinese_date(announcement.notice_starts),
                        "end": chinese_date(announcement.notice_ends),
                        "count": len(confirmed),
                    }
                ),
                publishing.table(public_table(call, confirmed)),
                *(
                    publishing.paragraphs(_("荣誉证书可在本网站“证书查询”栏目凭证书上的查验码核验。"))
                    if call.kind in CERTIFIED_KINDS
                    else []
                ),
            ],
            on=today,
            by=by,
            category=call.category,
        )
    CallAnnouncement.objects.filter(pk=announcement.pk).update(result_page=page)
    announcement.result_page = page
    return announcement


@transaction.atomic
def revoke_certificate(certificate: CallCertificate, *, by: User, reason: str) -> CallCertificate:
    """Withdraw an honour: the certificate shows 已撤销 on the verification page at once."""
    current = CallCertificate.objects.select_for_update().get(pk=certificate.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("该证书已撤销。"))
    if not reason.strip():
        raise ValidationError(_("请填写撤销原因。"))
    current.revoked_at, current.revoked_by, current.revoked_reason = timezone.now(), by, reason.strip()[:200]
    current.save()
    return current
