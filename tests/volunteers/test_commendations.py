"""年度表彰: the year's volunteers by approved hours, commendations recorded for those chosen, the
CSV of the year, and the chart of hours by month."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from tests.volunteers.factories import (
    login,
    make_activity,
    make_campaign,
    make_signup,
    make_volunteer,
)
from volunteers.enums import HoursStatus
from volunteers.models import Activity, Commendation

CHINA = datetime.timezone(datetime.timedelta(hours=8))
TODAY = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=CHINA)


def held_on(campaign, month: int, year: int = 2026, *, hours: int = 5) -> Activity:
    activity = make_activity(campaign, hours=hours)
    starts = datetime.datetime(year, month, 15, 9, 0, tzinfo=CHINA)
    Activity.objects.filter(pk=activity.pk).update(starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours))
    return Activity.objects.get(pk=activity.pk)


def served(activity, volunteer, hours):
    return make_signup(activity, volunteer, hours_status=HoursStatus.APPROVED, hours_approved=Decimal(hours))


@pytest.fixture
def year(home_page, settings):
    """2026: 王多 served 25 hours, 陈够 exactly 20, 李少 12; 赵去年 served only in 2025. The clock
    stays at 10 December 2026 for the test."""
    settings.VOLUNTEER_COMMENDATION_HOURS = 20
    with time_machine.travel(TODAY, tick=False):
        yield _served_in_2026_and_2025(home_page)


def _served_in_2026_and_2025(home_page) -> dict:
    campaign = make_campaign(home_page)
    march, june, last_year = held_on(campaign, 3), held_on(campaign, 6), held_on(campaign, 11, year=2025)
    people = {
        "many": make_volunteer("wang@example.com", full_name="王多"),
        "enough": make_volunteer("chen@example.com", full_name="陈够"),
        "few": make_volunteer("li@example.com", full_name="李少"),
        "last": make_volunteer("zhao@example.com", full_name="赵去年"),
    }
    served(march, people["many"], "15")
    served(june, people["many"], "10")
    served(march, people["enough"], "20")
    served(june, people["few"], "12")
    served(last_year, people["last"], "30")
    make_signup(june, make_volunteer(full_name="钱待确认"), hours_status=HoursStatus.REPORTED, hours_reported=9)
    return people


def page_for(client, year: int, **data):
    url = reverse("volunteer_commendations:index") + f"?year={year}"
    return (client.post(url, data, follow=True) if data else client.get(url)).content.decode()


def checked(page: str, volunteer) -> bool:
    return bool(re.search(rf'value="{volunteer.pk}" id="volunteer-{volunteer.pk}" checked', page))


def test_the_years_list_is_by_hours_with_those_past_the_threshold_ticked(coordinator, year):
    page = page_for(login(coordinator), 2026)

    assert re.search(r"王多.*?25\.0.*?陈够.*?20\.0.*?李少.*?12\.0", page, re.S)
    assert "赵去年" not in page and "钱待确认" not in page
    assert checked(page, year["many"]) and checked(page, year["enough"]) and not checked(page, year["few"])
    assert 'value="优秀志愿者"' in page
    assert "2026年各月确认的志愿服务时长（合计 57.0 小时）" in page
    assert "3月：35.0 小时" in page and "6月：22.0 小时" in page and "1月：0.0 小时" in page


def test_commendations_are_recorded_for_those_chosen(coordinator, year):
    client = login(coordinator)
    nobody = page_for(client, 2026, title="优秀志愿者", citation="")
    assert "请至少选择一位志愿者。" in nobody and not Commendation.objects.exists()

    done = page_for(
        client,
        2026,
        volunteers=[year["many"].pk, year["few"].pk],
        title="优秀志愿者",
        citation="全年坚持社区走访。",
    )

    assert "已登记 2 项2026年度表彰。" in done
    recorded = {c.volunteer.full_name: (c.year, c.title, c.hours, c.citation) for c in Commendation.objects.all()}
    assert recorded == {
        "王多": (2026, "优秀志愿者", Decimal("25.0"), "全年坚持社区走访。"),
        "李少": (2026, "优秀志愿者", Decimal("12.0"), "全年坚持社区走访。"),
    }
    listing = done.split('id="recorded"')[1]
    assert "王多" in listing and "全年坚持社区走访。" in listing and "陈够" not in listing
    assert Commendation.objects.get(volunteer=year["many"]).recorded_by == coordinator


def test_a_commendation_recorded_by_mistake_is_withdrawn(coordinator, year):
    client = login(coordinator)
    page_for(client, 2026, volunteers=[year["few"].pk], title="优秀志愿者")
    commendation = Commendation.objects.get()
    followed_link = client.get(reverse("volunteer_commendations:withdraw", args=[commendation.pk]))
    kept = Commendation.objects.exists()
    page = client.post(
        reverse("volunteer_commendations:withdraw", args=[commendation.pk]), follow=True
    ).content.decode()

    assert followed_link.status_code == 405 and kept  # a link followed, or prefetched, takes nothing back
    assert not Commendation.objects.exists()
    assert "已撤销李少的2026年度“优秀志愿者”。" in page


def test_another_year_is_chosen_and_exported_as_csv(coordinator, year):
    client = login(coordinator)
    page_for(client, 2026, volunteers=[year["many"].pk], title="优秀志愿者")
    earlier = page_for(client, 2025)
    unknown = page_for(client, 1990)
    response = client.get(reverse("volunteer_commendations:export") + "?year=2026")

    assert "赵去年" in earlier and "王多" not in earlier
    assert "请从列表中选择年度。" in unknown
    assert response["Content-Type"].startswith("text/csv") and response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "序号,姓名,电子邮箱,确认服务时长（小时）,参加活动次数,已获表彰",
        "1,王多,wang@example.com,25.0,2,优秀志愿者",
        "2,陈够,chen@example.com,20.0,1,",
        "3,李少,li@example.com,12.0,1,",
    ]


def test_what_volunteers_and_coordinators_typed_cannot_run_as_a_formula_in_the_year(coordinator, home_page):
    with time_machine.travel(TODAY, tick=False):
        volunteer = make_volunteer("x@example.com", full_name="@SUM(A1:A9)")
        served(held_on(make_campaign(home_page), 3), volunteer, 21)
        client = login(coordinator)
        page_for(client, 2026, volunteers=[volunteer.pk], title="-2+3+cmd|' /C calc'!A0")
        response = client.get(reverse("volunteer_commendations:export") + "?year=2026")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "1,'@SUM(A1:A9),x@example.com,21.0,1,'-2+3+cmd|' /C calc'!A0"
