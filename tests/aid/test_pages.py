"""The public summary pages: the aid section and each programme, with what has been done so far."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aid import services
from aid.models import AidIndexPage
from portal.pagecache import LIVE_FIGURES_SECONDS
from tests.aid.factories import (
    PERSONAL,
    aid_index,
    assigned_case,
    make_aid_coordinator,
    make_programme,
    register_case,
)
from tests.conftest import make_user
from tests.experts.factories import login

pytestmark = pytest.mark.django_db


def _with_a_session(programme):
    case, counsellor = assigned_case(programme, starts_on=timezone.localdate() - datetime.timedelta(days=10))
    services.log_session(
        case, by=counsellor.user, held_on=timezone.localdate(), minutes=90, mode="phone", notes="谈到了隔离病房的夜班。"
    )
    return case, counsellor


def test_the_programme_page_shows_its_terms_and_what_has_been_done_without_personal_data(home_page, client):
    programme = make_programme(home_page, capacity=30, term_months=24)
    case, counsellor = _with_a_session(programme)
    services.raise_risk(case, by=counsellor.user, kinds=["self-harm"], note="提到过伤害自己的念头。")
    register_case(programme)  # a second person, still waiting

    response = client.get(programme.url)

    assert response.status_code == 200
    assert response.templates[0].name == "aid/aid_programme_page.html"
    page = response.content.decode()
    assert programme.title in page and "我市赴湖北武汉驰援的医护人员" in page
    assert "24 个月" in page and "30 人" in page
    assert "28 个" in page  # places left: 30 less two open cases
    totals = services.programme_totals(programme)
    assert (totals["registered"], totals["served"], totals["sessions"], totals["hours"]) == (2, 1, 1, 2)
    assert "2 人" in page and "1 人" in page and "1 次" in page and "2 小时" in page
    assert "我要登记" in page
    assert "登记需要先登录网站账户" in page and "加密保存" in page
    for secret in (*PERSONAL.values(), "谈到了隔离病房的夜班", "伤害自己", case.number, counsellor.user.full_name):
        assert secret not in page


def test_the_section_lists_every_programme_with_its_state(home_page, client):
    today = timezone.localdate()
    open_one = make_programme(home_page, capacity=5)
    full = make_programme(home_page, capacity=1)
    register_case(full)
    closed = make_programme(home_page)
    closed.registration_closes = today - datetime.timedelta(days=1)
    closed.save_revision().publish()
    upcoming = make_programme(home_page)
    upcoming.registration_opens = today + datetime.timedelta(days=7)
    upcoming.save_revision().publish()

    response = client.get(aid_index(home_page).url)

    page = response.content.decode()
    assert response.templates[0].name == "aid/aid_index_page.html"
    for programme in (open_one, full, closed, upcoming):
        assert programme.title in page
    assert page.count("我要登记") == 1
    assert open_one.url + "register/" in page
    assert "名额已满" in page and "登记已截止" in page
    assert f"{upcoming.registration_opens:%Y-%m-%d} 开始登记" in page
    assert "0 个" in page  # the full programme's places left


def test_the_section_figures_are_the_services_totals(home_page, client):
    first, second = make_programme(home_page, capacity=10), make_programme(home_page, capacity=4)
    _with_a_session(first)
    register_case(second)

    from aid.views import programme_summaries

    summaries = programme_summaries([first, second])

    assert [summary.totals for summary in summaries] == [
        services.programme_totals(first),
        services.programme_totals(second),
    ]


def test_the_section_does_not_grow_in_queries_with_programmes(home_page, django_assert_max_num_queries):
    index = aid_index(home_page)
    _with_a_session(make_programme(home_page))
    client = Client()
    with CaptureQueriesContext(connection) as one_programme:
        assert client.get(index.url).status_code == 200
    for _ in range(4):
        _with_a_session(make_programme(home_page))
    cache.clear()  # the anonymous page cache would answer without a query

    with django_assert_max_num_queries(len(one_programme)):
        page = client.get(index.url).content.decode()

    assert page.count("我要登记") == 5


def test_a_signed_in_registrant_sees_their_case_number_instead_of_the_button(home_page):
    programme = make_programme(home_page)
    user = make_user("registered@example.com")
    case = register_case(programme, user)

    page = login(user).get(programme.url).content.decode()

    assert case.number in page and "查看我的援助" in page
    assert "我要登记" not in page
    other = login(make_user("someone@example.com")).get(programme.url).content.decode()
    assert case.number not in other and "我要登记" in other


def test_staff_can_add_a_programme_page_under_the_section(home_page):
    index = aid_index(home_page)
    assert AidIndexPage.objects.filter(pk=index.pk).exists()
    coordinator = make_aid_coordinator()
    coordinator.is_superuser = True
    coordinator.save()

    response = login(coordinator).get(f"/admin/pages/add/aid/aidprogrammepage/{index.pk}/")

    assert response.status_code == 200
    assert "援助期限（月）" in response.content.decode()


def test_the_figures_pages_are_cached_briefly_and_a_registration_does_not_empty_the_page_cache(
    home_page, client, django_capture_on_commit_callbacks
):
    programme = make_programme(home_page)
    index = AidIndexPage.objects.get(locale=home_page.locale)

    for page in (programme, index):
        response = client.get(page.url)
        assert response["X-Cache"] == "MISS"
        assert response.page_cache_seconds == LIVE_FIGURES_SECONDS
    assert client.get(programme.url)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        register_case(programme)

    assert client.get(programme.url)["X-Cache"] == "HIT"


def test_a_translated_programme_is_the_same_programme(home_page, client):
    """Read and registered in 繁體, the programme holds the same places, figures and counsellors."""
    from wagtail.models import Locale

    from aid.services import suggest_counsellors
    from tests.aid.factories import aid_index, make_counsellor
    from tests.conftest import translate_page

    programme = make_programme(home_page, capacity=2)
    counsellor = make_counsellor(programme)
    if home_page.get_translation_or_none(Locale.objects.get(language_code="zh-hant")) is None:
        translate_page(home_page, "zh-hant")
    translate_page(aid_index(home_page), "zh-hant")
    copy = translate_page(programme, "zh-hant")
    _with_a_session(programme)

    case = register_case(copy)

    assert case.programme_id == programme.pk
    assert counsellor in [candidate.counsellor for candidate in suggest_counsellors(case)]
    assert services.programme_totals(copy) == services.programme_totals(programme)
    assert services.programme_totals(copy)["places_left"] == 0
    cache.clear()
    assert "名額已滿" in client.get(copy.url).content.decode()
