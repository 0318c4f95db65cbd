"""Coordinators' lists as CSV files for spreadsheets: an activity's roster and a year's volunteers
by approved hours. UTF-8 with a byte-order mark, so Excel shows the Chinese correctly, and what
people typed kept as text (portal.exports); the column names are the association's own Chinese,
whatever language the person downloading reads."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from portal.exports import csv_bytes

from . import services
from .enums import SignUpStatus
from .models import Activity, Commendation

ROSTER_COLUMNS = ("序号", "姓名", "电子邮箱", "状态", "候补顺序", "报名时间", "服务时长状态", "确认时长（小时）")
YEAR_COLUMNS = ("序号", "姓名", "电子邮箱", "确认服务时长（小时）", "参加活动次数", "已获表彰")


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def roster_csv(activity: Activity) -> bytes:
    """Confirmed first, then the waiting list in order, then those who cancelled; in one query."""
    order = {SignUpStatus.CONFIRMED: 0, SignUpStatus.WAITING: 1, SignUpStatus.CANCELLED: 2}
    signups = sorted(
        activity.signups.select_related("volunteer").order_by("created_at", "pk"),
        key=lambda signup: order[signup.status],
    )
    rows, waiting = [], 0
    with translation.override(settings.LANGUAGE_CODE):
        for number, signup in enumerate(signups, 1):
            if signup.status == SignUpStatus.WAITING:
                waiting += 1
            rows.append(
                {
                    "序号": str(number),
                    "姓名": signup.volunteer.full_name,
                    "电子邮箱": signup.volunteer.email,
                    "状态": str(signup.get_status_display()),
                    "候补顺序": str(waiting) if signup.status == SignUpStatus.WAITING else "",
                    "报名时间": _when(signup.created_at),
                    "服务时长状态": str(signup.get_hours_status_display())
                    if signup.status == SignUpStatus.CONFIRMED
                    else "",
                    "确认时长（小时）": str(signup.hours_approved or ""),
                }
            )
    return csv_bytes(ROSTER_COLUMNS, rows)


def year_csv(year: int) -> bytes:
    """The year's volunteers with approved hours, most first, and the commendations they received."""
    titles: dict[int, list[str]] = {}
    for volunteer_id, title in Commendation.objects.filter(year=year).values_list("volunteer_id", "title"):
        titles.setdefault(volunteer_id, []).append(title)
    rows = [
        {
            "序号": str(number),
            "姓名": row["volunteer__full_name"],
            "电子邮箱": row["volunteer__email"],
            "确认服务时长（小时）": f"{row['hours']:.1f}",
            "参加活动次数": str(row["activities"]),
            "已获表彰": "、".join(titles.get(row["volunteer_id"], [])),
        }
        for number, row in enumerate(services.hours_by_volunteer(year), 1)
    ]
    return csv_bytes(YEAR_COLUMNS, rows)
