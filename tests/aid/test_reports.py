"""The anonymous reports (table, chart, CSV export) and the coordinators' dashboard panel."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from aid import services
from portal.roles import EDITORS
from tests.aid.factories import (
    PERSONAL,
    SESSION_NOTES,
    admin_client,
    assigned_case,
    case_with_history,
    make_aid_coordinator,
    make_programme,
    register_case,
)
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def on(day: datetime.date):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 2, 0, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def activity(home_page):
    """Two cases of one programme, sessions in January and February 2026, and a case elsewhere."""
    with on(datetime.date(2026, 1, 5)):
        programme = make_programme(home_page)
        first, counsellor = assigned_case(programme, starts_on=datetime.date(2026, 1, 5))
    with on(datetime.date(2026, 2, 15)):
        second, other = assigned_case(programme, starts_on=datetime.date(2026, 2, 15))
        for case, by, day, minutes in (
            (first, counsellor, datetime.date(2026, 1, 10), 60),
            (first, counsellor, datetime.date(2026, 2, 12), 90),
            (second, other, datetime.date(2026, 2, 15), 30),
        ):
            services.log_session(case, by=by.user, held_on=day, minutes=minutes, mode="phone", notes=SESSION_NOTES)
        elsewhere = make_programme(home_page, prefix="YQ")
        register_case(elsewhere)
    return {"programme": programme, "elsewhere": elsewhere, "cases": (first, second)}


def table_rows(html: str) -> list[str]:
    table = html.split('id="aid-table-title"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in re.findall(r"<tr>.*?</tr>", table)]


def test_the_report_shows_each_programme_and_month_with_a_chart(activity):
    programme = activity["programme"]
    client = admin_client(make_aid_coordinator())

    html = client.get(reverse("aid_reports:index")).content.decode()

    rows = table_rows(html)
    assert f"{programme.title} 2026-01 1 1 1 1.0" in rows
    assert f"{programme.title} 2026-02 1 2 2 2.0" in rows
    assert f"{activity['elsewhere'].title} 2026-02 1 0 0 0.0" in rows
    assert '<svg role="img"' in html
    assert "2026-01：咨询 1 次，1.0 小时" in html and "2026-02：咨询 2 次，2.0 小时" in html
    for secret in (PERSONAL["full_name"], PERSONAL["phone"], SESSION_NOTES, *(c.number for c in activity["cases"])):
        assert secret not in html

    only = table_rows(
        client.get(reverse("aid_reports:index"), {"programme": activity["elsewhere"].pk}).content.decode()
    )
    assert only == [f"{activity['elsewhere'].title} 2026-02 1 0 0 0.0"]


def test_the_csv_export_is_anonymous(activity):
    response = admin_client(make_aid_coordinator()).get(reverse("aid_reports:export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["匿名编号", "援助项目", "月份", "时长（分钟）", "方式", "需求类别", "所在区市县"]
    assert [row[2:5] for row in rows[1:]] == [
        ["2026-01", "60", "电话"],
        ["2026-02", "90", "电话"],
        ["2026-02", "30", "电话"],
    ]
    assert rows[1][0] == rows[2][0] != rows[3][0]  # one case, one identifier
    assert rows[1][5] == "创伤与应激反应、睡眠问题" and rows[1][6] == "中山区"
    for secret in (
        PERSONAL["full_name"],
        PERSONAL["phone"],
        PERSONAL["workplace"],
        PERSONAL["deployment"],
        SESSION_NOTES,
        *(case.number for case in activity["cases"]),
    ):
        assert secret not in text


def test_the_export_follows_the_chosen_programme(activity):
    client = admin_client(make_aid_coordinator())
    page = client.get(reverse("aid_reports:index"), {"programme": activity["elsewhere"].pk}).content.decode()
    assert f"{reverse('aid_reports:export')}?programme={activity['elsewhere'].pk}" in page
    response = client.get(reverse("aid_reports:export"), {"programme": activity["elsewhere"].pk})
    assert len(response.content.decode("utf-8-sig").strip().splitlines()) == 1  # the headings only


def test_coordinators_see_what_waits_for_them_on_the_dashboard(home_page):
    programme = make_programme(home_page)
    register_case(programme)
    case_with_history(programme)  # flagged, with a change request
    today = timezone.localdate()
    assigned_case(programme, starts_on=today - relativedelta(months=24) + datetime.timedelta(days=10))

    panel = admin_client(make_aid_coordinator()).get(reverse("wagtailadmin_home")).content.decode()
    editor_home = admin_client(make_user("ed@example.com", groups=(EDITORS,))).get(reverse("wagtailadmin_home"))

    assert 'id="aid-dashboard' in panel and 'id="aid-dashboard' not in editor_home.content.decode()
    assert re.search(r"<strong>1</strong>\s*个案例等待分配咨询师", panel)
    assert re.search(r"<strong>1</strong>\s*个高风险案例等待跟进", panel)
    assert re.search(r"<strong>1</strong>\s*份更换咨询师申请待处理", panel)
    assert re.search(r"<strong>1</strong>\s*个分配将在 30 天内期满", panel)
    assert PERSONAL["full_name"] not in panel


def test_a_programme_title_cannot_run_as_a_formula_in_the_export(activity):
    programme = activity["programme"]
    programme.title = '=HYPERLINK("http://x")'
    programme.save()

    response = admin_client(make_aid_coordinator()).get(reverse("aid_reports:export"), {"programme": programme.pk})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row[1] for row in rows[1:]} == {'\'=HYPERLINK("http://x")'}
    assert [row[3] for row in rows[1:]] == ["60", "90", "30"]
