"""The filters of the applications and activities lists."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet

from portal.districts import District
from portal.listing import in_default_language
from portal.vetting.enums import Status

from ..models import (
    Activity,
    CampaignPage,
    RecruitmentPage,
    VolunteerApplication,
)

SCREENING_STATUSES = [
    (status.value, status.label)
    for status in (Status.SUBMITTED, Status.SHORTLISTED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
]


class ApplicationFilterSet(WagtailFilterSet):
    drive = django_filters.ModelChoiceFilter(
        label=gettext_lazy("招募"),
        queryset=lambda request: in_default_language(RecruitmentPage).order_by("-deadline", "-pk"),
    )
    status = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=SCREENING_STATUSES)

    class Meta:
        model = VolunteerApplication
        fields = ["drive", "status"]


# Activities ---------------------------------------------------------------------------------------


class ActivityFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("公益行动"),
        queryset=lambda request: in_default_language(CampaignPage).order_by("-starts_on", "-pk"),
    )
    district = django_filters.ChoiceFilter(label=gettext_lazy("所在区市县"), choices=District.choices)

    class Meta:
        model = Activity
        fields = ["campaign", "district", "starts_at"]
