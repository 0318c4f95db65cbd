"""Working days in mainland China, for public notice periods (公示期) counted in working days.

Public holidays and the make-up working days (调休) come from `chinese_calendar`, which follows the
State Council's yearly announcements. Staff can enter adjustments of their own (a year the library
does not know yet, a local holiday); they take precedence. A year nobody has described falls back to
Monday to Friday, and `calendar_known()` lets the admin say so.
"""

from __future__ import annotations

import datetime

import chinese_calendar

# Far enough to cover any notice period: the longest run of rest days in a year is about nine.
_LOOKAHEAD_DAYS = 120


def calendar_known(year: int) -> bool:
    """Whether the official holiday schedule of `year` is known (to the library or by staff adjustments)."""
    from .models import CalendarAdjustment

    try:
        chinese_calendar.is_workday(datetime.date(year, 1, 1))
    except NotImplementedError:
        return CalendarAdjustment.objects.filter(date__year=year).exists()
    return True


def _adjustments(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    from .models import CalendarAdjustment

    return dict(CalendarAdjustment.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def _is_working_day(day: datetime.date, adjustments: dict[datetime.date, bool]) -> bool:
    if day in adjustments:
        return adjustments[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    return _is_working_day(day, _adjustments(day, day))


def working_days_from(start: datetime.date, count: int) -> list[datetime.date]:
    """The first `count` working days on or after `start`."""
    if count < 1:
        return []
    found: list[datetime.date] = []
    window_start = start
    while len(found) < count:
        window_end = window_start + datetime.timedelta(days=_LOOKAHEAD_DAYS)
        adjustments = _adjustments(window_start, window_end)
        day = window_start
        while day <= window_end and len(found) < count:
            if _is_working_day(day, adjustments):
                found.append(day)
            day += datetime.timedelta(days=1)
        window_start = window_end + datetime.timedelta(days=1)
    return found


def notice_period(published_on: datetime.date, working_days: int) -> tuple[datetime.date, datetime.date]:
    """A notice period published on `published_on`: from that day if it is a working day (else the
    next one) to the last of `working_days` working days, both included."""
    days = working_days_from(published_on, working_days)
    return days[0], days[-1]


def working_days_left(today: datetime.date, ends_on: datetime.date) -> int:
    """Working days from `today` to `ends_on`, both included (0 once the period is over)."""
    if today > ends_on:
        return 0
    adjustments = _adjustments(today, ends_on)
    day, left = today, 0
    while day <= ends_on:
        left += _is_working_day(day, adjustments)
        day += datetime.timedelta(days=1)
    return left
