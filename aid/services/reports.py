"""Reports without personal data, and the retention purge that leaves only anonymous facts."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from portal.localization.pages import source_pages

from ..enums import CaseStatus
from ..models import (
    AidProgrammePage,
    Assignment,
    Case,
    ChangeRequest,
    Conflict,
    Renewal,
    RiskFlag,
    Session,
)

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
    from ..enums import Need

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
