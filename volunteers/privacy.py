"""The volunteer section's part of a person's export and of closing their account (portal.privacy)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal import privacy
from portal.vetting.enums import Status
from portal.vetting.services import move

from . import services
from .models import Commendation, SignUp, TeamMembership, VolunteerApplication

CLOSED_NAME = "已注销用户"
APPLICATION_FIELDS = ("drive", "status", "full_name", "phone", "motivation", "answers", "submitted_at", "decided_at")
SIGNUP_FIELDS = (
    "activity",
    "status",
    "created_at",
    "confirmed_at",
    "cancelled_at",
    "hours_status",
    "hours_reported",
    "hours_note",
    "hours_approved",
    "hours_review_note",
)
COMMENDATION_FIELDS = ("year", "title", "hours", "citation", "recorded_at")


def export(user, request) -> list[privacy.Section]:
    applications = VolunteerApplication.objects.filter(applicant=user).select_related("drive").order_by("pk")
    teams = TeamMembership.objects.filter(volunteer=user).select_related("team")
    signups = SignUp.objects.filter(volunteer=user).select_related("activity").order_by("activity__starts_at", "pk")
    commendations = Commendation.objects.filter(volunteer=user).order_by("year", "pk")
    starts = ("starts_at", _("活动时间"))
    place = ("place", _("地点"))
    return [
        privacy.Section(
            "volunteer_applications",
            VolunteerApplication._meta.verbose_name_plural,
            privacy.columns_of(VolunteerApplication, APPLICATION_FIELDS),
            privacy.rows_of(applications, APPLICATION_FIELDS),
        ),
        privacy.Section(
            "volunteer_teams",
            TeamMembership._meta.verbose_name_plural,
            privacy.columns_of(TeamMembership, ("team", "joined_on")),
            privacy.rows_of(teams, ("team", "joined_on")),
        ),
        privacy.Section(
            "volunteer_signups",
            SignUp._meta.verbose_name_plural,
            [
                *privacy.columns_of(SignUp, SIGNUP_FIELDS[:1]),
                starts,
                place,
                *privacy.columns_of(SignUp, SIGNUP_FIELDS[1:]),
            ],
            privacy.rows_of(
                signups,
                SIGNUP_FIELDS,
                starts_at=lambda signup: signup.activity.starts_at,
                place=lambda signup: signup.activity.place,
            ),
        ),
        privacy.Section(
            "volunteer_commendations",
            Commendation._meta.verbose_name_plural,
            privacy.columns_of(Commendation, COMMENDATION_FIELDS),
            privacy.rows_of(commendations, COMMENDATION_FIELDS),
        ),
    ]


def erase(user, by) -> list:
    """Applications lose what the person wrote; places still to come are given up (the waiting list
    moves up); teams are left. Hours served and commendations stay as anonymous figures of the year."""
    applications = VolunteerApplication.objects.filter(applicant=user)
    for application in applications.filter(status__in=[Status.SUBMITTED, Status.SHORTLISTED]):
        move(application, Status.WITHDRAWN, by=by, note=str(_("账户注销")))
    applications.update(full_name=CLOSED_NAME, phone="", motivation="", answers=[])
    for signup in SignUp.objects.filter(volunteer=user).active().select_related("activity"):
        if not signup.activity.has_started():
            services.cancel(signup, by=user)
    SignUp.objects.filter(volunteer=user).update(hours_note="", hours_review_note="")
    Commendation.objects.filter(volunteer=user).update(citation="")
    TeamMembership.objects.filter(volunteer=user).delete()
    if not (applications.exists() or SignUp.objects.filter(volunteer=user).exists()):
        return []
    return [_("志愿服务：报名信息已清除，未开始活动的报名已取消，已退出团队；服务时长和表彰作为匿名统计保留。")]


def register() -> None:
    """Called from VolunteersConfig.ready()."""
    privacy.register("volunteers", order=30, export=export, erase=erase)
