"""The filters of the coordinators' case list and access log."""

from __future__ import annotations

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from ..dashboard import ENDING_SOON_DAYS
from ..models import (
    Assignment,
    Case,
    CaseAccess,
)


class CaseFilterSet(WagtailFilterSet):
    flagged = django_filters.ChoiceFilter(
        label=gettext_lazy("高风险"),
        choices=[("yes", gettext_lazy("有待跟进的风险预警")), ("no", gettext_lazy("没有待跟进的预警"))],
        method="filter_flagged",
    )
    change = django_filters.ChoiceFilter(
        label=gettext_lazy("更换咨询师申请"),
        choices=[("yes", gettext_lazy("有待处理的申请"))],
        method="filter_change",
    )
    ending = django_filters.ChoiceFilter(
        label=gettext_lazy("援助期"),
        choices=[("soon", gettext_lazy("30 天内期满"))],
        method="filter_ending",
    )

    class Meta:
        model = Case
        fields = ["programme", "status"]

    def filter_flagged(self, queryset, name, value):
        return queryset.filter(is_flagged=value == "yes")

    def filter_change(self, queryset, name, value):
        return queryset.filter(change_requested=True) if value == "yes" else queryset

    def filter_ending(self, queryset, name, value):
        if value != "soon":
            return queryset
        today = timezone.localdate()
        ending = Assignment.objects.active().filter(
            case=OuterRef("pk"), ends_on__range=(today, today + datetime.timedelta(days=ENDING_SOON_DAYS))
        )
        return queryset.filter(Exists(ending))


# The access log -----------------------------------------------------------------------------------


class CaseAccessFilterSet(WagtailFilterSet):
    case_number = django_filters.CharFilter(
        label=gettext_lazy("案例编号"), field_name="case__number", lookup_expr="icontains"
    )
    user = django_filters.ModelChoiceFilter(
        label=gettext_lazy("查看人"),
        queryset=lambda request: get_user_model().objects.filter(pk__in=CaseAccess.objects.values("user")),
    )
    at = django_filters.DateFromToRangeFilter(label=gettext_lazy("日期"), widget=DateRangePickerWidget)

    class Meta:
        model = CaseAccess
        fields = ["case_number", "user", "at"]
