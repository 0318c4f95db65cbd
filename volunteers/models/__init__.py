"""Volunteers (志愿者): recruitment drives and their applications, teams, public-welfare campaigns
run in batches with activities of limited places, sign-ups with a waiting list, service hours and
the year's commendations."""

from .pages import (
    RESERVED_SLUGS,
    CampaignPage,
    CampaignPartner,
    RecruitmentPage,
    RecruitmentQuestion,
    VolunteerIndexPage,
)
from .records import Activity, ActivityQuerySet, Commendation, SignUp, SignUpQuerySet, VolunteerApplication
from .teams import Team, TeamMembership

__all__ = [
    "Team",
    "TeamMembership",
    "RESERVED_SLUGS",
    "VolunteerIndexPage",
    "RecruitmentPage",
    "RecruitmentQuestion",
    "CampaignPage",
    "CampaignPartner",
    "VolunteerApplication",
    "ActivityQuerySet",
    "Activity",
    "SignUpQuerySet",
    "SignUp",
    "Commendation",
]
