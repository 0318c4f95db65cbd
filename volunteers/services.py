"""Volunteer operations: applying to drives and screening, signing up for activities with a waiting
list, hours, and the year's commendations. Views, the admin, commands and tests all call these."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from experts.models import Expert
from members.models import Member
from portal.localization.pages import source_page
from portal.mail import send_after_commit
from portal.vetting.enums import Status
from portal.vetting.services import move

from .enums import HoursStatus, Qualification, SignUpStatus
from .models import (
    Activity,
    Commendation,
    RecruitmentPage,
    SignUp,
    TeamMembership,
    VolunteerApplication,
)

if TYPE_CHECKING:
    from members.models import User

# Drives ---------------------------------------------------------------------------------------------


@transaction.atomic
def apply(
    drive: RecruitmentPage, user: User, *, full_name: str, phone: str, motivation: str, answers: list[dict]
) -> VolunteerApplication:
    """Send `user`'s application to `drive`: once per person and drive. A withdrawn application is
    sent again with the new answers; a double click returns the one already sent."""
    drive = source_page(drive)
    if not drive.is_open():
        raise ValidationError(_("报名已截止。"))
    fields = {
        "full_name": full_name.strip(),
        "phone": phone.strip(),
        "motivation": motivation.strip(),
        "answers": answers,
    }
    try:
        with transaction.atomic():
            application = VolunteerApplication.objects.create(drive=drive, applicant=user, **fields)
    except IntegrityError:
        application = VolunteerApplication.objects.select_for_update().get(drive=drive, applicant=user)
        if application.status != Status.WITHDRAWN:
            return application
        for name, value in fields.items():
            setattr(application, name, value)
        application.save()
    move(application, Status.SUBMITTED, by=user)
    _tell(application, "received")
    return application


def _tell(application: VolunteerApplication, template: str) -> None:
    send_after_commit(
        f"volunteers/email/{template}",
        [application.applicant.email],
        {"application": application, "drive": application.drive},
    )


@transaction.atomic
def shortlist(application: VolunteerApplication, *, by: User, note: str = "") -> VolunteerApplication:
    move(application, Status.SHORTLISTED, by=by, note=note)
    _tell(application, "shortlisted")
    return application


@transaction.atomic
def accept(application: VolunteerApplication, *, by: User, note: str = "") -> VolunteerApplication:
    """Accept the applicant, who joins the drive's team."""
    move(application, Status.APPROVED, by=by, note=note)
    TeamMembership.objects.get_or_create(
        team_id=application.drive.team_id,
        volunteer_id=application.applicant_id,
        defaults={"application": application, "joined_on": timezone.localdate()},
    )
    _tell(application, "accepted")
    return application


@transaction.atomic
def reject(application: VolunteerApplication, *, by: User, note: str) -> VolunteerApplication:
    move(application, Status.REJECTED, by=by, note=note)
    _tell(application, "rejected")
    return application


@transaction.atomic
def withdraw(application: VolunteerApplication, *, by: User) -> VolunteerApplication:
    if application.applicant_id != by.pk:
        raise ValidationError(_("只能撤回自己的报名。"))
    return move(application, Status.WITHDRAWN, by=by)


# Activities -----------------------------------------------------------------------------------------


def qualification_refusal(activity: Activity, user: User) -> str | None:
    """Why `user` may not sign up for `activity`, or None if they may."""
    if activity.qualification == Qualification.MEMBER:
        if not Member.objects.in_good_standing().filter(user=user).exists():
            return _("本活动仅限会籍有效的本会会员报名。")
    elif activity.qualification == Qualification.EXPERT:
        if not Expert.objects.listed().filter(member__user=user).exists():
            return _("本活动仅限专家库在库专家报名。")
    elif activity.qualification == Qualification.TEAM:
        team_id = activity.campaign.team_id
        if team_id is None or not TeamMembership.objects.filter(team_id=team_id, volunteer=user).exists():
            return _("本活动仅限承担本次行动的志愿者团队成员报名。")
    return None


@transaction.atomic
def sign_up(activity: Activity, user: User) -> SignUp:
    """Take a place on `activity`, or a place on its waiting list when it is full.

    The activity row is locked while places are counted, so however many people sign up at the same
    moment, no more than `places` are confirmed. Signing up twice returns the same sign-up."""
    activity = Activity.objects.select_for_update().select_related("campaign").get(pk=activity.pk)
    existing = SignUp.objects.active().filter(activity=activity, volunteer=user).first()
    if existing:
        return existing
    if activity.has_started():
        raise ValidationError(_("活动已经开始，不能再报名。"))
    refusal = qualification_refusal(activity, user)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    confirmed = SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).count()
    status = SignUpStatus.CONFIRMED if confirmed < activity.places else SignUpStatus.WAITING
    signup = SignUp.objects.create(
        activity=activity,
        volunteer=user,
        status=status,
        created_at=now,
        confirmed_at=now if status == SignUpStatus.CONFIRMED else None,
    )
    send_after_commit(f"volunteers/email/signup_{status}", [user.email], {"signup": signup, "activity": activity})
    return signup


def waiting_position(signup: SignUp) -> int:
    """1 for the first on the waiting list."""
    return SignUp.objects.filter(pk=signup.pk).with_waiting_position().values_list("position", flat=True).get() or 0


@transaction.atomic
def cancel(signup: SignUp, *, by: User) -> SignUp | None:
    """Give up a place (or a waiting-list entry). The first person waiting moves up and is e-mailed.
    Returns the sign-up promoted, if any."""
    activity = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.volunteer_id != by.pk and not by.has_perm("volunteers.change_signup"):
        raise ValidationError(_("只能取消自己的报名。"))
    if signup.status == SignUpStatus.CANCELLED:
        return None
    if activity.has_started():
        raise ValidationError(_("活动已经开始，不能取消报名。"))
    was_confirmed = signup.status == SignUpStatus.CONFIRMED
    signup.status = SignUpStatus.CANCELLED
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["status", "cancelled_at"])
    if not was_confirmed:
        return None
    return _promote(activity)


def _promote(activity: Activity) -> SignUp | None:
    """Fill free places from the waiting list, first come first served (the activity is locked)."""
    confirmed = SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).count()
    promoted = None
    for waiting in SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).order_by("created_at", "pk")[
        : max(activity.places - confirmed, 0)
    ]:
        waiting.status = SignUpStatus.CONFIRMED
        waiting.confirmed_at = timezone.now()
        waiting.save(update_fields=["status", "confirmed_at"])
        send_after_commit(
            "volunteers/email/promoted", [waiting.volunteer.email], {"signup": waiting, "activity": activity}
        )
        promoted = promoted or waiting
    return promoted


@transaction.atomic
def change_places(activity: Activity, places: int) -> Activity:
    """Set the number of places; added places go to the waiting list at once. Fewer places than
    people confirmed are refused (cancel some first)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    confirmed = SignUp.objects.filter(activity=activity, status=SignUpStatus.CONFIRMED).count()
    if places < confirmed:
        raise ValidationError(_("已有 %(count)s 人报名，名额不能少于这个数。") % {"count": confirmed})
    activity.places = places
    activity.save(update_fields=["places", "updated_at"])
    _promote(activity)
    return activity


def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail everyone confirmed for an activity tomorrow, once."""
    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    sent = 0
    due = SignUp.objects.filter(
        status=SignUpStatus.CONFIRMED, reminded_at__isnull=True, activity__starts_at__date=tomorrow
    )
    for signup_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            signup = (
                SignUp.objects.select_for_update()
                .select_related("activity", "volunteer")
                .filter(pk=signup_id, reminded_at__isnull=True, status=SignUpStatus.CONFIRMED)
                .first()
            )
            if signup is None:
                continue
            signup.reminded_at = timezone.now()
            signup.save(update_fields=["reminded_at"])
            send_after_commit(
                "volunteers/email/reminder", [signup.volunteer.email], {"signup": signup, "activity": signup.activity}
            )
            sent += 1
    return sent


# Hours ----------------------------------------------------------------------------------------------


def parse_hours(value) -> Decimal:
    """Hours as typed (2.5), to a tenth; anything that is not a finite number of hours is refused."""
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("请填写服务时长（小时），如 2.5。")) from error
    if not hours.is_finite():  # NaN passes quantize() and cannot be compared
        raise ValidationError(_("请填写服务时长（小时），如 2.5。"))
    if not Decimal("0.5") <= hours <= Decimal("24"):
        raise ValidationError(_("服务时长应在 0.5 至 24 小时之间。"))
    return hours


@transaction.atomic
def report_hours(signup: SignUp, *, by: User, hours, note: str = "") -> SignUp:
    """The volunteer reports the hours served, after the activity has started."""
    signup = SignUp.objects.select_for_update().select_related("activity").get(pk=signup.pk)
    if signup.volunteer_id != by.pk:
        raise ValidationError(_("只能填报自己的服务时长。"))
    if signup.status != SignUpStatus.CONFIRMED:
        raise ValidationError(_("只有已确认参加的活动可以填报时长。"))
    if not signup.activity.has_started():
        raise ValidationError(_("活动开始后才能填报时长。"))
    if signup.hours_status == HoursStatus.APPROVED:
        raise ValidationError(_("服务时长已经确认，如有出入请联系协调员。"))
    signup.hours_reported = parse_hours(hours)
    signup.hours_note = note.strip()[:300]
    signup.hours_reported_at = timezone.now()
    signup.hours_status = HoursStatus.REPORTED
    signup.save()
    return signup


@transaction.atomic
def approve_hours(signup: SignUp, *, by: User, hours=None, note: str = "") -> SignUp:
    """A coordinator confirms the hours, as reported or corrected (a correction says why)."""
    signup = SignUp.objects.select_for_update().select_related("activity").get(pk=signup.pk)
    if signup.status != SignUpStatus.CONFIRMED:
        raise ValidationError(_("只有已确认参加的报名可以确认时长。"))
    if not signup.activity.has_started():
        raise ValidationError(_("活动开始后才能登记出勤和时长。"))
    if hours is None:
        if signup.hours_reported is None:
            raise ValidationError(_("志愿者尚未填报时长，请填写确认的时长。"))
        hours = signup.hours_reported
    hours = parse_hours(hours)
    if signup.hours_reported is not None and hours != signup.hours_reported and not note.strip():
        raise ValidationError(_("修改了填报的时长，请说明原因，志愿者会看到它。"))
    signup.hours_approved = hours
    signup.hours_status = HoursStatus.APPROVED
    signup.hours_reviewed_by = by
    signup.hours_reviewed_at = timezone.now()
    signup.hours_review_note = note.strip()[:300]
    signup.save()
    return signup


@transaction.atomic
def record_attendance(activity: Activity, volunteer: User, *, by: User, hours=None, attended: bool = True) -> SignUp:
    """A coordinator records directly who came (and for how long), or who did not."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    signup = SignUp.objects.filter(activity=activity, volunteer=volunteer, status=SignUpStatus.CONFIRMED).first()
    if signup is None:
        raise ValidationError(_("此人没有报名这个活动。"))
    if not activity.has_started():
        raise ValidationError(_("活动开始后才能登记出勤和时长。"))
    if not attended:
        signup.hours_status = HoursStatus.ABSENT
        signup.hours_approved = None
        signup.hours_reviewed_by, signup.hours_reviewed_at = by, timezone.now()
        signup.save()
        return signup
    return approve_hours(signup, by=by, hours=activity.hours if hours is None else hours, note=_("协调员登记出勤"))


def volunteer_history(user: User):
    """A volunteer's sign-ups, newest first, with their activities and campaigns."""
    return (
        SignUp.objects.filter(volunteer=user)
        .select_related("activity__campaign")
        .order_by("-activity__starts_at", "-pk")
    )


# Commendations -------------------------------------------------------------------------------------


def hours_by_volunteer(year: int):
    """Volunteers with approved hours in `year`, most first: [{volunteer_id, hours, activities}]."""
    return (
        SignUp.objects.approved_hours()
        .filter(activity__starts_at__year=year)
        .values("volunteer_id", "volunteer__full_name", "volunteer__email")
        .annotate(hours=Sum("hours_approved"), activities=Count("pk"))
        .order_by("-hours", "volunteer__full_name")
    )


def commendation_candidates(year: int, minimum: int | None = None):
    minimum = settings.VOLUNTEER_COMMENDATION_HOURS if minimum is None else minimum
    return hours_by_volunteer(year).filter(hours__gte=minimum)


@transaction.atomic
def commend(year: int, volunteer_ids: list[int], *, by: User, title: str = "优秀志愿者", citation: str = "") -> int:
    """Record commendations for the volunteers chosen from the year's list (each once per title)."""
    title = title.strip() or "优秀志愿者"
    rows = hours_by_volunteer(year).filter(volunteer_id__in=volunteer_ids)
    hours = {row["volunteer_id"]: row["hours"] for row in rows}
    created = 0
    for volunteer_id in volunteer_ids:
        if volunteer_id not in hours:
            raise ValidationError(_("所选志愿者在 %(year)s 年没有确认的服务时长。") % {"year": year})
        _record, made = Commendation.objects.get_or_create(
            year=year,
            volunteer_id=volunteer_id,
            title=title,
            defaults={"hours": hours[volunteer_id], "citation": citation.strip()[:300], "recorded_by": by},
        )
        created += made
    return created
