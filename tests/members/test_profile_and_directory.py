"""A member keeps their own details; the public directory lists only those who opted in, showing
only the fields each chose, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import sign_in
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db

DIRECTORY = "/members/directory/"


@pytest.fixture
def member(db):
    return make_member("wang@example.com", number="DL-2020-0007", phone="13904110000", employer="大连市第七人民医院")


def test_a_member_edits_their_own_details(member):
    client = Client()
    sign_in(client, member.user)

    refused = client.post(reverse("membership_profile"), {"phone": "123", "employer": "新单位", "district": "xigang"})
    saved = client.post(
        reverse("membership_profile"),
        {"phone": "13904119999", "employer": "大连市心理援助中心", "district": "xigang", "directory_listed": "on"},
    )

    assert refused.status_code == 200
    assert "请填写 11 位手机号码。" in refused.content.decode() and 'value="新单位"' in refused.content.decode()
    assert saved.status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.employer, member.directory_listed, member.dues_reminders) == (
        "13904119999",
        "大连市心理援助中心",
        True,
        False,  # the unticked box turns reminders off
    )


def test_the_profile_is_for_members_only(client):
    assert client.get(reverse("membership_profile")).status_code == 302


def test_the_directory_lists_only_those_who_opted_in_with_the_fields_they_chose(client, member):
    member.directory_listed = True
    member.directory_show_phone = True
    member.directory_show_employer = False
    member.save()
    make_member("li@example.com", number="DL-2021-0001", full_name="李四", employer="保密单位")
    make_member(
        "zhao@example.com", number="DL-2021-0002", full_name="赵强", directory_listed=True, resigned_on="2020-01-01"
    )

    page = client.get(DIRECTORY).content.decode()

    assert "王晓明" in page and "13904110000" in page
    assert "大连市第七人民医院" not in page and "wang@example.com" not in page
    assert "李四" not in page and "保密单位" not in page
    assert "赵强" not in page  # resigned


def test_the_directory_filters_by_district_and_404s_a_bad_page(client, member):
    member.directory_listed, member.district = True, "xigang"
    member.save()

    assert "王晓明" in client.get(DIRECTORY, {"district": "xigang"}).content.decode()
    assert "王晓明" not in client.get(DIRECTORY, {"district": "jinzhou"}).content.decode()
    assert client.get(DIRECTORY, {"page": "9"}).status_code == 404


def test_the_directory_query_count_does_not_grow_with_members(client, django_assert_max_num_queries, settings):
    settings.PAGE_CACHE_ENABLED = False  # count the queries of rendering it, not of the page cache
    for index in range(3):
        make_member(f"m{index}@example.com", number=f"DL-2022-{index:04d}", directory_listed=True)
    client.get(DIRECTORY)

    with CaptureQueriesContext(connection) as few:
        client.get(DIRECTORY)
    for index in range(3, 20):
        make_member(f"m{index}@example.com", number=f"DL-2022-{index:04d}", directory_listed=True)

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(DIRECTORY).content.decode()
    assert page.count("DL-2022-") == 20
