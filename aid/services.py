"""Aid programme operations: registration, matching and assignment, the term and its end, sessions,
risk escalation, reports without personal data, and the retention purge.

Views, admin views, commands and tests all call these; each that changes several rows runs in one
transaction with the rows it depends on locked."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.services import next_number
from portal.localization.pages import source_page, source_pages
from portal.mail import send_after_commit
from portal.roles import AID_COORDINATORS

from .crypto import seal_bytes
from .enums import NEED_SPECIALTIES, AssignmentStatus, CaseStatus, CloseReason, Risk
from .models import (
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
    user,
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
    number = f"{programme.case_prefix}-{now.year}-{next_number(f'aid-{programme.case_prefix}-{now.year}'):04d}"
    case = Case(
        programme=programme,
        number=number,
        registrant=user,
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
def declare_conflict(case: Case, counsellor: Counsellor, *, by, note: str = "") -> Conflict:
    conflict, _created = Conflict.objects.get_or_create(
        case=case, counsellor=counsellor, defaults={"note": note[:200], "declared_by": by}
    )
    return conflict


@transaction.atomic
def renew(assignment: Assignment, *, by, reason: str) -> Assignment:
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
def request_change(case: Case, *, by, reason: str = "") -> ChangeRequest:
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
def close_case(case: Case, *, by, reason: str) -> Case:
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


def _assignment_of(case: Case, user) -> Assignment:
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
    by,
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
def raise_risk(case: Case, *, by, kinds: list[str], note: str) -> RiskFlag:
    """Mark a case high-risk: coordinators are e-mailed at once (the message holds no personal data)."""
    from . import access

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
def follow_up(flag: RiskFlag, *, by, note: str) -> RiskFlag:
    from . import access

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


# Reports and retention ----------------------------------------------------------------------------


@dataclass
class MonthFigures:
    programme_id: int
    month: datetime.date
    people: int
    sessions: int
    hours: float
    new_cases: int


def monthly_report(programme: AidProgrammePage | None = None) -> list[MonthFigures]:
    """Per programme and month: new cases, people served, sessions and hours. No personal data."""
    sessions = Session.objects.all()
    cases = Case.objects.all()
    if programme is not None:
        sessions = sessions.filter(assignment__case__programme=programme)
        cases = cases.filter(programme=programme)
    from django.db.models.functions import TruncMonth

    registered = {
        (row["programme_id"], _as_date(row["month"])): row["count"]
        for row in cases.annotate(month=TruncMonth("registered_at"))
        .values("programme_id", "month")
        .annotate(count=Count("pk"))
    }
    rows: dict[tuple, MonthFigures] = {}
    for row in sessions.by_month():
        key = (row["assignment__case__programme_id"], _as_date(row["month"]))
        rows[key] = MonthFigures(key[0], key[1], row["people"], row["sessions"], round(row["minutes"] / 60, 1), 0)
    for key, count in registered.items():
        rows.setdefault(key, MonthFigures(key[0], key[1], 0, 0, 0.0, 0)).new_cases = count
    return [rows[key] for key in sorted(rows)]


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def programme_totals(programme: AidProgrammePage) -> dict:
    """The public summary: people registered and served, sessions and hours so far."""
    return programmes_totals([programme])[programme.pk]


def programmes_totals(programmes) -> dict[int, dict]:
    """{page pk: programme_totals} for several programme pages, in any language, in three queries
    whatever their number (the figures are those of each page's programme in the default language)."""
    sources = source_pages(programme for programme in programmes if programme.pk is not None)
    ids = {source.pk for source in sources.values()}
    cases = {
        row["programme_id"]: row
        for row in Case.objects.filter(programme_id__in=ids)
        .values("programme_id")
        .annotate(
            registered=Count("pk"),
            active=Count("pk", filter=Q(status=CaseStatus.ACTIVE)),
            open=Count("pk", filter=~Q(status=CaseStatus.CLOSED)),
        )
        .order_by()
    }
    sessions = {
        row["assignment__case__programme_id"]: row
        for row in Session.objects.filter(assignment__case__programme_id__in=ids)
        .values("assignment__case__programme_id")
        .annotate(count=Count("pk"), minutes=Sum("minutes"), people=Count("assignment__case", distinct=True))
        .order_by()
    }
    totals = {}
    for pk, source in sources.items():
        case_row, session_row = cases.get(source.pk, {}), sessions.get(source.pk, {})
        totals[pk] = {
            "registered": case_row.get("registered", 0),
            "active": case_row.get("active", 0),
            "served": session_row.get("people", 0),
            "sessions": session_row.get("count", 0),
            "hours": round((session_row.get("minutes") or 0) / 60),
            "places_left": max(source.capacity - case_row.get("open", 0), 0),
        }
    return totals


def anonymous_id(case: Case) -> str:
    """A stable identifier of a case in exports that cannot be turned back into its number."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:aid-export:{case.pk}".encode()).hexdigest()[:10]


def anonymised_rows(programme: AidProgrammePage | None = None):
    """One row per session for exports: no name, number, contact, workplace or notes."""
    sessions = Session.objects.select_related("assignment__case__programme").order_by("held_on", "pk")
    if programme is not None:
        sessions = sessions.filter(assignment__case__programme=programme)
    for session in sessions:
        case = session.assignment.case
        yield {
            "case": anonymous_id(case),
            "programme": case.programme.title,
            "month": session.held_on.strftime("%Y-%m"),
            "minutes": session.minutes,
            "mode": session.get_mode_display(),
            "needs": "、".join(str(label) for label in _need_labels(case.needs)),
            "district": case.get_district_display(),
        }


def _need_labels(needs):
    from .enums import Need

    return [Need(need).label for need in needs if need in Need.values]


# The sealed columns of a case that a purge empties.
PURGED_CASE_FIELDS = (
    "full_name",
    "phone",
    "workplace",
    "deployment",
    "needs_detail",
    "preferred_times",
    "proof_name",
)


def _month_of(moment: datetime.datetime | None) -> datetime.datetime | None:
    """The first instant of the moment's month in the site's time zone: what the figures count by."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def purge_expired(today: datetime.date | None = None) -> int:
    """Anonymise the cases closed more than AID_RETENTION_DAYS ago, for good.

    Gone: the link to the registrant's account (sealed id and keyed hash), every sealed value (personal
    data, proof name, session notes, risk notes and follow-ups, change reasons), the proof file, the
    free text staff wrote in the clear (conflict notes, renewal reasons, end notes), and the exact
    moments of the person's registration and consent, of the e-mails they were sent and of their
    requests, which are kept to the month (an e-mail log or the accounts table could be matched on them).

    Kept, for the anonymous figures: programme, needs categories, mode, district, statuses and close
    reason, risk kinds, the months, the sessions' dates and durations, and the counsellors and staff who
    acted. Every report and the anonymous export give the same figures before and after. The case
    number stays: it is a pseudonym that only the person's own e-mails tie to them."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=settings.AID_RETENTION_DAYS), datetime.time.min)
    )
    purged = 0
    due = Case.objects.filter(status=CaseStatus.CLOSED, closed_at__lt=cutoff, purged_at__isnull=True)
    for case_id in due.values_list("pk", flat=True):
        purged += purge_case(case_id)
    return purged


@transaction.atomic
def purge_case(case_id: int) -> int:
    """Anonymise one closed case as purge_expired() does (also when its registrant closes their
    account before the retention period ends). 1 if purged now, 0 if it was already or is still open."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status != CaseStatus.CLOSED or case.purged_at is not None:
        return 0
    if case.proof:
        case.proof.delete(save=False)
    for name in PURGED_CASE_FIELDS:
        setattr(case, name, "")
    case.registrant = None
    case.registered_at = _month_of(case.registered_at)
    case.consent_at = _month_of(case.consent_at)
    case.closed_at = _month_of(case.closed_at)
    case.purged_at = timezone.now()
    case.save()
    Session.objects.filter(assignment__case=case).update(notes="")
    RiskFlag.objects.filter(case=case).update(note="", follow_up="")
    Conflict.objects.filter(case=case).update(note="")
    Renewal.objects.filter(assignment__case=case).update(reason="")
    for assignment in Assignment.objects.filter(case=case):
        Assignment.objects.filter(pk=assignment.pk).update(
            end_note="",
            assigned_at=_month_of(assignment.assigned_at),
            ended_at=_month_of(assignment.ended_at),
            end_notice_sent_at=_month_of(assignment.end_notice_sent_at),
        )
    for change in ChangeRequest.objects.filter(case=case):
        ChangeRequest.objects.filter(pk=change.pk).update(
            reason="", requested_at=_month_of(change.requested_at), resolved_at=_month_of(change.resolved_at)
        )
    return 1
