"""The panels every section puts on the admin dashboard (portal/dashboard.py): each shown to the people
of its section only, each figure a count linking to the list behind it, in the admin's language, and
the dashboard's queries do not grow with what waits."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from portal.roles import EDITORS
from tests.aid.factories import make_aid_coordinator, make_programme, register_case
from tests.conftest import make_user, sign_in
from tests.experts.factories import make_application, make_reviewer

pytestmark = pytest.mark.django_db

PANELS = ("membership-dashboard", "experts-dashboard", "aid-dashboard", "volunteers-dashboard")


def dashboard(user, language: str = "zh-hans") -> str:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    sign_in(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel(page: str, panel_id: str) -> str:
    return page.split(f'id="{panel_id}', 1)[1].split('class="w-panel ', 1)[0]


def test_a_superuser_sees_every_sections_panel_whose_figures_link_to_their_lists(home_page):
    register_case(make_programme(home_page))
    make_application()
    page = dashboard(make_user("root@example.com", superuser=True))

    for panel_id in PANELS:
        assert f'id="{panel_id}' in page, panel_id
    aid = panel(page, "aid-dashboard")
    assert re.search(r'<a href="/admin/aid/cases/\?status=waiting"><strong>1</strong> 个案例等待分配咨询师</a>', aid)
    assert "个分配将在 30 天内期满" in aid
    experts = panel(page, "experts-dashboard")
    assert "<strong>0</strong> 份申请评审已满，待组长决定" in experts and "份入库申请等待您评审" in experts
    assert "年会费：已收 0.00 元 / 应收 0.00 元" in panel(page, "membership-dashboard")
    assert "本周活动" in panel(page, "volunteers-dashboard")


def test_each_section_shows_its_panel_to_its_own_people_only(home_page):
    editor_page = dashboard(make_user("editor@example.com", groups=(EDITORS,)))
    aid_page = dashboard(make_aid_coordinator())
    reviewer_page = dashboard(make_reviewer("reviewer@example.com"))

    assert not any(f'id="{panel_id}' in editor_page for panel_id in PANELS)
    assert [panel_id for panel_id in PANELS if f'id="{panel_id}' in aid_page] == ["aid-dashboard"]
    assert [panel_id for panel_id in PANELS if f'id="{panel_id}' in reviewer_page] == ["experts-dashboard"]
    assert "份申请评审已满，待组长决定" not in reviewer_page  # deciding is the chair's


@pytest.mark.parametrize(
    ("language", "waiting", "ending"),
    [
        ("en", "cases awaiting a counsellor", "assignments ending within 30 days"),
        ("zh-hant", "個案例等待分配諮詢師", "個分配將在 30 天內期滿"),
    ],
)
def test_the_figures_read_in_the_admins_language(home_page, language, waiting, ending):
    aid = panel(dashboard(make_aid_coordinator(), language), "aid-dashboard")

    assert waiting in aid and ending in aid


def test_the_dashboard_asks_as_many_queries_for_many_waiting_as_for_one(home_page, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    root = make_user("root@example.com", superuser=True)
    programme = make_programme(home_page)
    register_case(programme)
    make_application()
    client = Client()
    sign_in(client, root)
    client.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("wagtailadmin_home"))
    for _ in range(5):
        register_case(programme)
        make_application()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert re.search(r"<strong>6</strong> 个案例等待分配咨询师", page)
