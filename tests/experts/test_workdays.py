"""Notice periods counted in working days: the official 2025 National Day / Mid-Autumn schedule,
make-up working days (调休), staff adjustments, and years nobody has described yet."""

import datetime

import chinese_calendar
import pytest

from portal.vetting import workdays
from portal.vetting.models import CalendarAdjustment

pytestmark = pytest.mark.django_db

DAY = datetime.date


def test_the_installed_calendar_has_the_2025_national_day_schedule():
    """The facts the other tests rely on, as the State Council announced them."""
    assert not any(chinese_calendar.is_workday(DAY(2025, 10, day)) for day in range(1, 9))
    assert DAY(2025, 9, 28).weekday() == 6 and chinese_calendar.is_workday(DAY(2025, 9, 28))
    assert DAY(2025, 10, 11).weekday() == 5 and chinese_calendar.is_workday(DAY(2025, 10, 11))
    assert not chinese_calendar.is_workday(DAY(2025, 9, 27)) and not chinese_calendar.is_workday(DAY(2025, 10, 12))


def test_the_holiday_is_skipped_and_make_up_days_count():
    assert workdays.working_days_from(DAY(2025, 9, 26), 5) == [
        DAY(2025, 9, 26),
        DAY(2025, 9, 28),  # Sunday, worked in exchange for the holiday
        DAY(2025, 9, 29),
        DAY(2025, 9, 30),
        DAY(2025, 10, 9),
    ]
    assert workdays.notice_period(DAY(2025, 9, 26), 5) == (DAY(2025, 9, 26), DAY(2025, 10, 9))


def test_a_notice_published_during_the_holiday_starts_on_the_next_working_day():
    # Thursday 9, Friday 10, Saturday 11 (调休), Monday 13, Tuesday 14 October.
    assert workdays.notice_period(DAY(2025, 10, 1), 5) == (DAY(2025, 10, 9), DAY(2025, 10, 14))
    assert workdays.notice_period(DAY(2025, 10, 8), 3) == (DAY(2025, 10, 9), DAY(2025, 10, 11))


def test_a_notice_published_on_an_ordinary_weekend_starts_on_monday():
    assert workdays.notice_period(DAY(2025, 9, 27), 1) == (DAY(2025, 9, 28), DAY(2025, 9, 28))
    assert workdays.notice_period(DAY(2025, 10, 12), 2) == (DAY(2025, 10, 13), DAY(2025, 10, 14))


def test_a_make_up_saturday_is_a_working_day():
    assert workdays.is_working_day(DAY(2025, 10, 11))
    assert not workdays.is_working_day(DAY(2025, 10, 18))  # an ordinary Saturday
    assert not workdays.is_working_day(DAY(2025, 10, 3))  # a weekday in the holiday


def test_working_days_left():
    ends = DAY(2025, 10, 14)

    assert workdays.working_days_left(DAY(2025, 9, 30), ends) == 6  # 30 Sep, 9, 10, 11, 13, 14 Oct
    assert workdays.working_days_left(DAY(2025, 10, 1), ends) == 5
    assert workdays.working_days_left(DAY(2025, 10, 12), ends) == 2
    assert workdays.working_days_left(ends, ends) == 1
    assert workdays.working_days_left(DAY(2025, 10, 15), ends) == 0


def test_a_staff_adjustment_overrides_the_official_calendar():
    CalendarAdjustment.objects.create(date=DAY(2025, 10, 10), is_working_day=False, note="本市防台风停工")
    CalendarAdjustment.objects.create(date=DAY(2025, 10, 8), is_working_day=True, note="值班")

    assert not workdays.is_working_day(DAY(2025, 10, 10))
    assert workdays.is_working_day(DAY(2025, 10, 8))
    assert workdays.notice_period(DAY(2025, 10, 1), 5) == (DAY(2025, 10, 8), DAY(2025, 10, 14))
    assert workdays.working_days_left(DAY(2025, 10, 8), DAY(2025, 10, 13)) == 4


def test_an_unknown_year_falls_back_to_monday_to_friday():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(DAY(2031, 10, 1))

    assert not workdays.calendar_known(2031)
    assert workdays.calendar_known(2025)
    # 1 October 2031 is a Wednesday: without a schedule it is an ordinary working day.
    assert workdays.notice_period(DAY(2031, 10, 1), 5) == (DAY(2031, 10, 1), DAY(2031, 10, 7))
    assert workdays.notice_period(DAY(2031, 10, 4), 1) == (DAY(2031, 10, 6), DAY(2031, 10, 6))


def test_staff_can_describe_a_year_the_library_does_not_know():
    for day in range(1, 8):
        CalendarAdjustment.objects.create(date=DAY(2031, 10, day), is_working_day=False, note="国庆节")
    CalendarAdjustment.objects.create(date=DAY(2031, 10, 11), is_working_day=True, note="调休上班")

    assert workdays.calendar_known(2031)
    assert workdays.notice_period(DAY(2031, 10, 1), 5) == (DAY(2031, 10, 8), DAY(2031, 10, 13))


def test_a_period_spanning_into_an_unknown_year_is_still_counted():
    start, end = workdays.notice_period(DAY(2026, 12, 28), 10)

    assert start == DAY(2026, 12, 28)
    assert end > DAY(2027, 1, 1)
    assert workdays.working_days_left(start, end) == 10
