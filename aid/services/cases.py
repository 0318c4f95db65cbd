"""Operations on cases: registration, matching and assignment, the term and its end, sessions and
risk escalation. Each that changes several rows runs in one transaction with the rows it depends
on locked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.localization.pages import source_page
from portal.mail import send_after_commit
from portal.models import NumberSequence
from portal.roles import AID_COORDINATORS

from ..crypto import seal_bytes
from ..enums import NEED_SPECIALTIES, AssignmentStatus, CaseStatus, CloseReason, Risk
from ..models import (
    AidProgrammePage,
    Assignment,
    Case,
    ChangeRequest,
    Conflict,
    Counsellor,
    Renewal,
    RiskFlag,
    Session,
)

if TYPE_CHECKING:
    from members.models import User

# What the beneficiary agrees to, stored with the case as they read it.
CONSENT_TEXT = gettext_lazy(
    "本人同意大连市心理咨询师协会为提供心理援助而收集和处理本人的敏感个人信息（姓名、联系方式、工作单位、"
    "驰援经历、心理需求及咨询记录）。这些信息加密保存，仅由负责本人的咨询师和援助协调员查看，每次查看均有记录；"
    "援助结束后按规定期限删除，只保留不含个人信息的统计数字。"
)


def coordinator_emails() -> list[str]:
    User = get_user_model()
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(groups__name=AID_COORDINATORS) | Q(is_superuser=True))
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


# Registration -------------------------------------------------------------------------------------


def open_cases(programme: AidProgrammePage):
    """The cases a programme holds a place for, whichever language its page is read in."""
    return Case.objects.filter(programme=source_page(programme)).exclude(status=CaseStatus.CLOSED)


@transaction.atomic
def register(
    programme: AidProgrammePage,
    user: User,
    *,
    personal: dict,
    needs: list[str],
    preferred_mode: str,
    district: str,
    proof=None,
    consent: bool,
    consent_text: str | None = None,
) -> Case:
    """Register `user` with `programme`: a case with its number, personal data sealed. Refused without
    explicit consent, outside the registration period, when the programme is full, or twice."""
    if not consent:
        raise ValidationError(_("请阅读并同意处理敏感个人信息的说明，否则无法登记。"))
    programme = AidProgrammePage.objects.select_for_update().get(pk=source_page(programme).pk)
    if not programme.registration_open():
        raise ValidationError(_("该项目目前不接受登记。"))
    existing = open_cases(programme).registered_by(user).first()
    if existing:
        return existing  # a double click, or a second visit: the same case
    if open_cases(programme).count() >= programme.capacity:
        raise ValidationError(_("该项目名额已满，暂时无法登记。请联系协会了解其他援助渠道。"))
    now = timezone.now()
    series = f"{programme.case_prefix}-{now.year}"
    number = f"{series}-{NumberSequence.objects.take(f'aid-{series}'):04d}"
    case = Case(
        programme=programme,
        number=number,
        needs=list(needs),
        preferred_mode=preferred_mode,
        district=district,
        consent_at=now,
        consent_text=consent_text or str(CONSENT_TEXT),
        **{
            name: personal.get(name, "")
            for name in ("full_name", "phone", "workplace", "deployment", "needs_detail", "preferred_times")
        },
    )
    case.registrant = user  # a property: the account is sealed, not a foreign key
    if proof is not None:
        case.proof_name = proof.name
        case.proof.save(f"{number}.bin", ContentFile(seal_bytes(proof.read())), save=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        return open_cases(programme).registered_by(user).get()
    send_after_commit("aid/email/registered", [user.email], {"case": case, "programme": programme})
    send_after_commit("aid/email/new_case", coordinator_emails(), {"case": case, "programme": programme})
    return case


# Matching -----------------------------------------------------------------------------------------


@dataclass
class Candidate:
    counsellor: Counsellor
    matching_specialties: int
    same_district: bool
    load: int
    offers_mode: bool

    @property
    def free(self) -> int:
        return self.counsellor.capacity - self.load


def suggest_counsellors(case: Case) -> list[Candidate]:
    """Counsellors of the case's programme who can take it, best first: by specialties suiting the
    needs, then the same district, then the lightest load. Full counsellors, those with a declared
    conflict, and the one the case is moving away from are left out."""
    wanted = {slug for need in case.needs for slug in NEED_SPECIALTIES.get(need, ())}
    excluded = set(Conflict.objects.filter(case=case).values_list("counsellor_id", flat=True))
    current = case.assignments.filter(status=AssignmentStatus.ACTIVE).values_list("counsellor_id", flat=True)
    excluded.update(current)
    counsellors = (
        Counsellor.objects.filter(programmes=case.programme, is_active=True, user__is_active=True)
        .exclude(pk__in=excluded)
        .select_related("user")
        .prefetch_related("specialties")
        .annotate(load=Count("assignments", filter=Q(assignments__status=AssignmentStatus.ACTIVE), distinct=True))
    )
    candidates = [
        Candidate(
            counsellor=counsellor,
            matching_specialties=len(wanted & {s.slug for s in counsellor.specialties.all()}),
            same_district=counsellor.district == case.district,
            load=counsellor.load,
            offers_mode=case.preferred_mode in (counsellor.modes or []),
        )
        for counsellor in counsellors
        if counsellor.load < counsellor.capacity
    ]
    candidates.sort(
        key=lambda c: (
            -c.matching_specialties,
            not c.same_district,
            c.load / max(c.counsellor.capacity, 1),
            not c.offers_mode,
            c.counsellor.pk,
        )
    )
    return candidates


def term_end(programme: AidProgrammePage, starts_on: datetime.date) -> datetime.date:
    """The last day of a term starting on `starts_on`: 1 March 2026 + 24 months → 29 February 2028."""
    return starts_on + relativedelta(months=programme.term_months) - datetime.timedelta(days=1)


@transaction.atomic
def assign(
    case: Case, counsellor: Counsellor, *, by, starts_on: datetime.date | None = None, note: str = ""
) -> Assignment:
    """Assign `counsellor` to `case` for the programme's term. An active assignment is replaced (a
    change of counsellor); an open change request is resolved."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    counsellor = Counsellor.objects.select_for_update().select_related("user").get(pk=counsellor.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("案例已结案，不能分配咨询师。"))
    if not counsellor.is_active or not counsellor.programmes.filter(pk=case.programme_id).exists():
        raise ValidationError(_("这位咨询师不在本项目的咨询师名单中。"))
    if Conflict.objects.filter(case=case, counsellor=counsellor).exists():
        raise ValidationError(_("这位咨询师已申明与该案例存在利益冲突。"))
    current = case.assignments.filter(status=AssignmentStatus.ACTIVE).first()
    if current and current.counsellor_id == counsellor.pk:
        raise ValidationError(_("这位咨询师已经负责该案例。"))
    if counsellor.assignments.filter(status=AssignmentStatus.ACTIVE).count() >= counsellor.capacity:
        raise ValidationError(_("这位咨询师负责的案例已满。"))
    today = timezone.localdate()
    starts_on = starts_on or today
    now = timezone.now()
    if current:
        current.status = AssignmentStatus.REPLACED
        current.ended_at = now
        current.end_note = note or _("更换咨询师")
        current.save(update_fields=["status", "ended_at", "end_note"])
        send_after_commit("aid/email/counsellor_released", [current.counsellor.user.email], {"case": case})
    assignment = Assignment.objects.create(
        case=case,
        counsellor=counsellor,
        starts_on=starts_on,
        ends_on=term_end(case.programme, starts_on),
        assigned_by=by,
    )
    ChangeRequest.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=now, resolved_by=by)
    case.status = CaseStatus.ACTIVE
    case.save(update_fields=["status"])
    context = {"case": case, "assignment": assignment, "counsellor": counsellor}
    send_after_commit("aid/email/assigned_counsellor", [counsellor.user.email], context)
    registrant = case.registrant
    if registrant is not None:
        send_after_commit("aid/email/assigned_beneficiary", [registrant.email], context)
    return assignment


@transaction.atomic
def declare_conflict(case: Case, counsellor: Counsellor, *, by: User, note: str = "") -> Conflict:
    conflict, _created = Conflict.objects.get_or_create(
        case=case, counsellor=counsellor, defaults={"note": note[:200], "declared_by": by}
    )
    return conflict


@transaction.atomic
def renew(assignment: Assignment, *, by: User, reason: str) -> Assignment:
    """Extend an active assignment for another term, with the reason on record."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写续期理由。"))
    assignment = Assignment.objects.select_for_update().select_related("case__programme").get(pk=assignment.pk)
    if assignment.status != AssignmentStatus.ACTIVE:
        raise ValidationError(_("只能为进行中的分配续期。"))
    new_end = term_end(assignment.case.programme, assignment.ends_on + datetime.timedelta(days=1))
    Renewal.objects.create(
        assignment=assignment, previous_ends_on=assignment.ends_on, ends_on=new_end, reason=reason, renewed_by=by
    )
    assignment.ends_on = new_end
    assignment.end_notice_sent_at = None
    assignment.save(update_fields=["ends_on", "end_notice_sent_at"])
    return assignment


@transaction.atomic
def request_change(case: Case, *, by: User, reason: str = "") -> ChangeRequest:
    """The beneficiary asks for another counsellor. Coordinators are told; one open request at a time."""
    if not case.is_registered_by(by):
        raise ValidationError(_("只有登记人本人可以申请更换咨询师。"))
    assignment = case.assignments.filter(status=AssignmentStatus.ACTIVE).first()
    if assignment is None:
        raise ValidationError(_("目前没有负责的咨询师。"))
    existing = ChangeRequest.objects.filter(assignment=assignment, resolved_at__isnull=True).first()
    if existing:
        return existing
    change = ChangeRequest.objects.create(case=case, assignment=assignment, reason=reason.strip())
    send_after_commit("aid/email/change_requested", coordinator_emails(), {"case": case})
    return change


# The term's end -----------------------------------------------------------------------------------


def send_end_notices(today: datetime.date | None = None) -> int:
    """Tell counsellor and beneficiary, once, that an assignment ends within AID_END_NOTICE_DAYS."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.AID_END_NOTICE_DAYS)
    sent = 0
    due = Assignment.objects.active().filter(ends_on__lte=horizon, end_notice_sent_at__isnull=True)
    for assignment_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update(of=("self",))
                .select_related("case", "counsellor__user")
                .filter(pk=assignment_id, end_notice_sent_at__isnull=True)
                .first()
            )
            if assignment is None:
                continue
            assignment.end_notice_sent_at = timezone.now()
            assignment.save(update_fields=["end_notice_sent_at"])
            recipients = [assignment.counsellor.user.email]
            registrant = assignment.case.registrant
            if registrant is not None:
                recipients.append(registrant.email)
            for address in recipients:
                send_after_commit("aid/email/term_ending", [address], {"assignment": assignment})
            sent += 1
    return sent


def end_expired(today: datetime.date | None = None) -> int:
    """End assignments whose last day has passed, and close their cases (援助期满)."""
    today = today or timezone.localdate()
    ended = 0
    for assignment_id in Assignment.objects.active().filter(ends_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update().filter(pk=assignment_id, status=AssignmentStatus.ACTIVE).first()
            )
            if assignment is None:
                continue
            assignment.status = AssignmentStatus.ENDED
            assignment.ended_at = timezone.now()
            assignment.end_note = _("援助期满")
            assignment.save(update_fields=["status", "ended_at", "end_note"])
            close_case(assignment.case, by=None, reason=CloseReason.COMPLETED)
            ended += 1
    return ended


@transaction.atomic
def close_case(case: Case, *, by: User | None, reason: str) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        return case
    now = timezone.now()
    case.assignments.filter(status=AssignmentStatus.ACTIVE).update(
        status=AssignmentStatus.CLOSED, ended_at=now, end_note=str(CloseReason(reason).label)
    )
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    case.close_reason = reason
    case.closed_by = by
    case.save(update_fields=["status", "closed_at", "close_reason", "closed_by"])
    return case


# Sessions and risk --------------------------------------------------------------------------------


def _assignment_of(case: Case, user: User) -> Assignment:
    assignment = (
        case.assignments.filter(status=AssignmentStatus.ACTIVE, counsellor__user=user)
        .select_related("counsellor")
        .first()
    )
    if assignment is None:
        raise ValidationError(_("只有负责该案例的咨询师可以记录。"))
    return assignment


@transaction.atomic
def log_session(
    case: Case,
    *,
    by: User,
    held_on: datetime.date,
    minutes: int,
    mode: str,
    notes: str = "",
    idempotency_key: str | None = None,
) -> Session:
    """The assigned counsellor records a session; notes are sealed. A form sent twice records once."""
    assignment = _assignment_of(case, by)
    if idempotency_key:
        existing = Session.objects.filter(idempotency_key=idempotency_key, assignment=assignment).first()
        if existing:
            return existing
    if held_on > timezone.localdate():
        raise ValidationError(_("咨询日期不能晚于今天。"))
    if held_on < assignment.starts_on:
        raise ValidationError(_("咨询日期早于本次分配的开始日期。"))
    if not 0 < minutes <= 600:
        raise ValidationError(_("时长应在 1 至 600 分钟之间。"))
    try:
        with transaction.atomic():
            return Session.objects.create(
                assignment=assignment,
                held_on=held_on,
                minutes=minutes,
                mode=mode,
                notes=notes.strip(),
                recorded_by=by,
                idempotency_key=idempotency_key or None,
            )
    except IntegrityError:
        # The same form sent at the same moment: the first one recorded it. A key of another case's
        # session is refused rather than returning that session.
        existing = Session.objects.filter(idempotency_key=idempotency_key, assignment=assignment).first()
        if existing is None:
            raise ValidationError(_("表单已失效，请刷新页面后重新填写。")) from None
        return existing


@transaction.atomic
def raise_risk(case: Case, *, by: User, kinds: list[str], note: str) -> RiskFlag:
    """Mark a case high-risk: coordinators are e-mailed at once (the message holds no personal data)."""
    from .. import access

    if not (access.is_coordinator(by) or access.is_assigned_counsellor(by, case)):
        raise ValidationError(_("只有负责该案例的咨询师或援助协调员可以报告风险。"))
    kinds = [kind for kind in kinds if kind in Risk.values]
    if not kinds:
        raise ValidationError(_("请选择风险类型。"))
    if not note.strip():
        raise ValidationError(_("请简要说明情况。"))
    flag = RiskFlag.objects.create(case=case, kinds=kinds, note=note.strip(), raised_by=by)
    send_after_commit("aid/email/risk", coordinator_emails(), {"case": case, "flag": flag, "kinds": flag.kind_labels()})
    return flag


@transaction.atomic
def follow_up(flag: RiskFlag, *, by: User, note: str) -> RiskFlag:
    from .. import access

    flag = RiskFlag.objects.select_for_update().select_related("case").get(pk=flag.pk)
    if not access.is_coordinator(by):
        raise ValidationError(_("只有援助协调员可以登记跟进情况。"))
    if flag.followed_up_at:
        raise ValidationError(_("这条预警已经登记过跟进情况。"))
    if not note.strip():
        raise ValidationError(_("请填写跟进情况。"))
    flag.follow_up = note.strip()
    flag.followed_up_by = by
    flag.followed_up_at = timezone.now()
    flag.save(update_fields=["follow_up", "followed_up_by", "followed_up_at"])
    return flag
